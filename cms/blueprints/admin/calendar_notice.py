"""Importing the State Council's holiday notice by pasting it: parse, show a month grid, then save."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange

from cms import clock
from cms.blueprints.admin import bp
from cms.applications.workflow import desk_org_ids
from cms.calendar.notice import NoticeError, next_year_warning, parse_notice, save_arrangement
from cms.extensions import db


def _may_edit():
    """Who maintains the calendar: administrators and the request desk (as on /admin/calendar)."""
    return current_user.is_admin or bool(desk_org_ids(current_user))


class NoticeForm(FlaskForm):
    year = IntegerField("年份", validators=[DataRequired(message="请填写年份"),
                                          NumberRange(2000, 2100, message="年份应在 2000–2100 之间")])
    text = TextAreaField("通知全文", validators=[DataRequired(message="请粘贴通知全文"), Length(max=20000)])


@bp.route("/calendar/notice", methods=["GET", "POST"])
def calendar_notice():
    """GET: the paste form. POST: preview (month grid); POST with ``confirm``: save the year."""
    if not _may_edit():
        abort(403)
    form = NoticeForm()
    if request.method == "GET":
        form.year.data = clock.local_today().year + 1
    arrangement, error, status = None, None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            status = 422
        else:
            try:
                arrangement = parse_notice(form.text.data, form.year.data)
            except NoticeError as exc:
                error, status = exc.message, 422
            else:
                if request.form.get("confirm") == "1":
                    save_arrangement(arrangement, current_user)
                    db.session.commit()
                    flash(f"已导入 {arrangement.year} 年的节假日安排：放假 {len(arrangement.holidays)} 天，"
                          f"调休上班 {len(arrangement.workdays)} 天。", "success")
                    return redirect(url_for("admin.calendar_days", year=arrangement.year))
    return render_template("admin/calendar_notice.html", form=form, arrangement=arrangement, error=error), status


@bp.context_processor
def _calendar_warning():
    """From 1 November, administrators are warned when next year's holidays are missing."""
    if not (current_user.is_authenticated and current_user.is_admin):
        return {}
    return {"calendar_warning": next_year_warning(clock.local_today())}

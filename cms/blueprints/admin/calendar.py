"""The working-day calendar: days added by hand for years the chinese-calendar package does not know yet."""
from datetime import date

import chinese_calendar
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from cms import clock
from cms.accounts.audit import record_audit
from cms.calendar.models import CalendarDay
from cms.applications.workflow import desk_org_ids
from cms.blueprints.admin import bp
from cms.extensions import db


class CalendarDayForm(FlaskForm):
    day = DateField("日期", validators=[DataRequired(message="请填写日期（YYYY-MM-DD）")])
    kind = SelectField("类型", choices=[("holiday", "法定节假日（放假）"), ("workday", "调休上班日")])
    note = StringField("说明（如：春节）", validators=[Optional(), Length(max=100)])


def _may_edit():
    return current_user.is_admin or bool(desk_org_ids(current_user))


def package_years():
    """Years whose holiday arrangements the installed package knows."""
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return years


@bp.route("/calendar", methods=["GET", "POST"])
def calendar_days():
    if not _may_edit():
        abort(403)
    form = CalendarDayForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            day = form.day.data
            row = db.session.get(CalendarDay, day) or CalendarDay(day=day)
            row.is_workday = form.kind.data == "workday"
            row.note = form.note.data or None
            db.session.add(row)
            record_audit("calendar.set_day", current_user, day.isoformat(),
                         {"is_workday": row.is_workday, "note": row.note})
            db.session.commit()
            flash(f"已保存 {day.isoformat()}。", "success")
            return redirect(url_for("admin.calendar_days", year=day.year))
        status = 422
    this_year = clock.local_today().year
    raw = request.args.get("year") or ""
    year = int(raw) if raw.isdigit() and len(raw) == 4 else this_year
    rows = (CalendarDay.query.filter(CalendarDay.day >= date(year, 1, 1), CalendarDay.day <= date(year, 12, 31))
            .order_by(CalendarDay.day).all())
    known = package_years()
    entered = sorted({r.day.year for r in CalendarDay.query.all()})
    missing = [y for y in (this_year, this_year + 1) if y not in known and y not in entered]
    return render_template("admin/calendar.html", form=form, rows=rows, year=year, known=known, entered=entered,
                           missing=missing), status


@bp.post("/calendar/<day>/delete")
def calendar_day_delete(day):
    if not _may_edit():
        abort(403)
    if not FlaskForm().validate_on_submit():
        abort(400)
    try:
        value = date.fromisoformat(day)
    except ValueError:
        abort(404)
    row = db.session.get(CalendarDay, value)
    if row is None:
        abort(404)
    db.session.delete(row)
    record_audit("calendar.delete_day", current_user, value.isoformat())
    db.session.commit()
    flash(f"已删除 {value.isoformat()}。", "success")
    return redirect(url_for("admin.calendar_days", year=value.year))

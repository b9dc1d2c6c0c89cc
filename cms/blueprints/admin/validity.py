"""The office's screen for a one-off validity change of a published document (有效性变更)."""
from flask import abort, flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, NumberRange, Optional

from cms.blueprints.admin import bp
from cms.content.services import get_item_for
from cms.content.types import VALIDITY
from cms.content.validity import can_change_validity, change_validity
from cms.errors import Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.form_messages import MaxLength as Length


class ValidityForm(FlaskForm):
    validity = SelectField("有效性", choices=list(VALIDITY.items()))
    replaced_by = IntegerField("修订后文件的信息编号（“已修订”时必填）",
                               validators=[Optional(), NumberRange(1, 2**31 - 1, message="信息编号无效")])
    note = TextAreaField("说明", validators=[Optional(), Length(max=500)])
    version = HiddenField(validators=[DataRequired(message="缺少版本号，请刷新页面后重试")])


@bp.route("/items/<int:item_id>/validity", methods=["GET", "POST"])
def item_validity(item_id):
    item = get_item_for(current_user, item_id)
    if not can_change_validity(current_user, item):
        abort(403)
    form = ValidityForm()
    status, error = 200, None
    if form.is_submitted():
        if not form.validate():
            status = 422
        elif not form.version.data.isdigit() or len(form.version.data) > 9:
            status, error = 400, "版本号无效，请刷新页面后重试。"
        else:
            try:
                change_validity(item, current_user, form.validity.data, replaced_by_id=form.replaced_by.data,
                                note=form.note.data, expected_version=int(form.version.data))
            except (ValidationError, Conflict, NotAllowed) as exc:
                db.session.rollback()
                item = get_item_for(current_user, item_id)
                status, error = exc.status, exc.message
            else:
                db.session.commit()
                flash(f"有效性已变更为“{VALIDITY[item.validity]}”。", "success")
                return redirect(url_for("admin.item_view", item_id=item.id))
    else:
        form.validity.data = item.validity
        form.replaced_by.data = item.replaced_by_id
        form.version.data = str(item.version)
    return render_template("admin/item_validity.html", item=item, form=form, error=error,
                           labels=VALIDITY), status

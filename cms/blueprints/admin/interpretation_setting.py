"""The bureau's interpretation setting (政策解读设置) on a screen: what needs an interpretation, and whether it is
signed off with its document (sync) or may follow within N working days (lag). The office (auditors, its
head), the director and administrators change it, as through ``PUT /api/v1/interpretation-setting``; the
version shown with the form must still be current (stale → 409)."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, RadioField
from wtforms.validators import NumberRange, Optional

from cms.blueprints.admin import bp
from cms.content import interpretations
from cms.content.types import ITEM_TYPES
from cms.errors import Conflict, NotAllowed, ValidationError
from cms.extensions import db

TYPE_CHOICES = {code: label for code, label in ITEM_TYPES.items() if code != "interpretation"}
FIELD_MESSAGES = {"item_types": "信息类型无效", "include_normative": "取值无效", "mode": "请选择发布方式",
                  "lag_days": "允许滞后发布时须填写 1–60 个工作日"}


class InterpretationSettingForm(FlaskForm):
    version = HiddenField()
    mode = RadioField("发布方式", choices=list(interpretations.MODES.items()), validate_choice=False)
    lag_days = IntegerField("解读材料最迟发布期限（工作日，1–60）",
                            validators=[Optional(), NumberRange(1, interpretations.MAX_LAG_DAYS,
                                                                message="应为 1–60 个工作日")])
    include_normative = BooleanField("所有行政规范性文件均须解读")


def _organization_id():
    for org_id in sorted(current_user.organization_ids):
        if interpretations.can_manage_setting(current_user, org_id):
            return org_id
    return None


@bp.app_template_global("interpretation_setting_nav")
def interpretation_setting_nav():
    """Whether the menu shows 解读设置 (the people who may change it)."""
    return current_user.is_authenticated and _organization_id() is not None


def _fill(form, row):
    form.version.data = str(interpretations.setting_version(row))
    form.mode.data = row.mode
    form.lag_days.data = row.lag_days or None
    form.include_normative.data = bool(row.include_normative)


@bp.route("/interpretation-setting", methods=["GET", "POST"])
def interpretation_setting():
    org_id = _organization_id()
    if org_id is None:
        abort(403)
    form = InterpretationSettingForm()
    status, error = 200, None
    selected = list((interpretations.setting_for(org_id).item_types or []))
    if request.method == "POST":
        selected = [t for t in request.form.getlist("item_types") if isinstance(t, str)][:len(ITEM_TYPES)]
        if not form.validate_on_submit():
            status = 400 if getattr(getattr(form, "csrf_token", None), "errors", None) else 422
            error = "表单已失效，请刷新后重试。" if status == 400 else "填写有误，请检查后重新提交。"
        elif not (form.version.data or "").isdigit() or len(form.version.data) > 9:
            status, error = 400, "缺少或无效的版本号，请刷新页面后重试。"
        else:
            mode = form.mode.data
            try:
                interpretations.update_setting(
                    current_user, org_id, item_types=selected, include_normative=bool(form.include_normative.data),
                    mode=mode if mode in interpretations.MODES else "", lag_days=form.lag_days.data or 0,
                    expected_version=int(form.version.data))
            except (ValidationError, Conflict, NotAllowed) as exc:
                db.session.rollback()
                status, error = exc.status, exc.message
                for name in exc.fields:
                    field = getattr(form, name, None)
                    if field is not None and name != "version":
                        field.errors = list(field.errors) + [FIELD_MESSAGES.get(name, "取值无效")]
                if status == 409:
                    form.version.data = str(interpretations.setting_version(interpretations.setting_for(org_id)))
            else:
                db.session.commit()
                flash("政策解读设置已保存。", "success")
                return redirect(url_for("admin.interpretation_setting"))
    else:
        _fill(form, interpretations.setting_for(org_id))
    return render_template("admin/interpretation_setting.html", form=form, error=error, types=TYPE_CHOICES,
                           selected=set(selected)), status

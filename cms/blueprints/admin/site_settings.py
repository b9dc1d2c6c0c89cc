"""Admin screen: the site settings (主办单位, 标识码, 备案号, 联系我们, 隐私声明, 指南/制度 text)."""
from flask import flash, redirect, render_template, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from cms.blueprints.admin import admin_required, bp
from cms.errors import Conflict, ValidationError
from cms.extensions import db
from cms.site import service


class SiteSettingsForm(FlaskForm):
    version = HiddenField()
    host_org = StringField("主办单位", validators=[Optional(), Length(max=200)])
    site_code = StringField("网站标识码", validators=[Optional(), Length(max=40)])
    icp_record = StringField("ICP 备案编号", validators=[Optional(), Length(max=100)])
    police_record = StringField("公安机关备案号", validators=[Optional(), Length(max=100)])
    contact_address = StringField("联系地址", validators=[Optional(), Length(max=300)])
    contact_phone = StringField("联系电话", validators=[Optional(), Length(max=60)])
    contact_email = StringField("电子邮箱", validators=[Optional(), Length(max=200)])
    privacy_html = TextAreaField("隐私声明（HTML）", validators=[Optional()])
    guide_html = TextAreaField("政府信息公开指南（HTML）", validators=[Optional()])
    rules_html = TextAreaField("政府信息公开制度（HTML）", validators=[Optional()])


def _fill(form, view):
    form.version.data = str(view.version)
    for name in ("host_org", "site_code", "icp_record", "police_record", "contact_address", "contact_phone",
                 "contact_email", "privacy_html", "guide_html", "rules_html"):
        getattr(form, name).data = getattr(view, name)


@bp.route("/site", methods=["GET", "POST"])
@admin_required
def site_settings():
    form = SiteSettingsForm()
    status, error = 200, None
    if form.validate_on_submit():
        data = {
            "host_org": form.host_org.data, "site_code": form.site_code.data,
            "icp_record": form.icp_record.data,
            "police_record": form.police_record.data,
            "contact": {"address": form.contact_address.data, "phone": form.contact_phone.data,
                        "email": form.contact_email.data},
            "privacy_html": form.privacy_html.data, "guide_html": form.guide_html.data,
            "rules_html": form.rules_html.data,
        }
        try:
            version = int(form.version.data or "")
        except ValueError:
            version = None
        try:
            service.update(current_user, data, version)
        except Conflict as exc:
            db.session.rollback()
            status, error = 409, exc.message
        except ValidationError as exc:
            db.session.rollback()
            status, error = 422, exc.message
            for name in exc.fields:
                field = getattr(form, name.replace("contact.", "contact_"), None)
                if field is not None:
                    field.errors = list(field.errors) + ["格式不正确或过长"]
        else:
            db.session.commit()
            flash("网站设置已保存，公开网站页脚已更新。", "success")
            return redirect(url_for("admin.site_settings"))
    elif form.is_submitted():
        status, error = 400 if form.csrf_token.errors else 422, "表单已失效或填写有误，请检查后重新提交。"
    else:
        _fill(form, service.current())
    if status == 409:
        form.version.data = str(service.current().version)
    return render_template("admin/site_settings.html", form=form, error=error), status

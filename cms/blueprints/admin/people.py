"""Admin screens for sections, users and memberships (admin role only; every change audited)."""
from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional

from cms.accounts.models import (
    ROLE_LABELS,
    SECTION_KIND_LABELS,
    Membership,
    Organization,
    Section,
    User,
)
from cms.accounts import services
from cms.blueprints.admin import admin_required, bp
from cms.errors import ValidationError
from cms.extensions import db


class SectionForm(FlaskForm):
    organization_id = SelectField("所属机关", coerce=int)
    code = StringField("代码", validators=[DataRequired(message="请输入代码"), Length(max=64)])
    name = StringField("名称", validators=[DataRequired(message="请输入名称"), Length(max=200)])
    kind = SelectField("类型", choices=list(SECTION_KIND_LABELS.items()))


class SectionEditForm(FlaskForm):
    name = StringField("名称", validators=[DataRequired(message="请输入名称"), Length(max=200)])
    kind = SelectField("类型", choices=list(SECTION_KIND_LABELS.items()))
    liaison_id = SelectField("联络员", coerce=int)


class UserForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired(message="请输入用户名"), Length(max=64)])
    name = StringField("姓名", validators=[DataRequired(message="请输入姓名"), Length(max=100)])
    email = StringField("电子邮件", validators=[Optional(), Length(max=200)])
    password = PasswordField("初始密码", validators=[DataRequired(message="请输入初始密码"), Length(max=256, message="密码不能超过 256 个字符")])


class UserEditForm(FlaskForm):
    name = StringField("姓名", validators=[DataRequired(message="请输入姓名"), Length(max=100)])
    email = StringField("电子邮件", validators=[Optional(), Length(max=200)])
    active = BooleanField("启用")
    new_password = PasswordField("重设密码（留空不改）", validators=[Optional(), Length(max=256, message="密码不能超过 256 个字符")])


class MembershipForm(FlaskForm):
    section_id = SelectField("科室/单位", coerce=int)
    role = SelectField("角色", choices=list(ROLE_LABELS.items()))


def _section_choices():
    sections = Section.query.join(Organization).order_by(Organization.id, Section.id).all()
    return [(s.id, f"{s.organization.name} / {s.name}") for s in sections]


@bp.route("/sections", methods=["GET", "POST"])
@admin_required
def section_list():
    form = SectionForm()
    form.organization_id.choices = [(o.id, o.name) for o in Organization.query.order_by(Organization.id)]
    status = 200
    if form.validate_on_submit():
        org = db.session.get(Organization, form.organization_id.data)
        try:
            services.create_section(org, form.code.data, form.name.data, form.kind.data, actor=current_user)
        except ValidationError as exc:
            form.code.errors.append(exc.message)
            status = 422
        else:
            db.session.commit()
            flash("科室已创建。", "success")
            return redirect(url_for("admin.section_list"))
    elif request.method == "POST":
        status = 422
    sections = Section.query.order_by(Section.organization_id, Section.id).all()
    return render_template("admin/section_list.html", form=form, sections=sections), status


@bp.route("/sections/<int:section_id>", methods=["GET", "POST"])
@admin_required
def section_edit(section_id):
    section = db.get_or_404(Section, section_id)
    form = SectionEditForm(obj=section)
    members = sorted({m.user for m in section.memberships}, key=lambda u: u.id)
    form.liaison_id.choices = [(0, "（未指定）")] + [(u.id, f"{u.name}（{u.username}）") for u in members]
    if request.method == "GET":
        form.liaison_id.data = section.liaison_id or 0
    if form.validate_on_submit():
        liaison = db.session.get(User, form.liaison_id.data) if form.liaison_id.data else None
        services.update_section(section, form.name.data, form.kind.data, liaison, actor=current_user)
        db.session.commit()
        flash("科室已保存。", "success")
        return redirect(url_for("admin.section_list"))
    status = 422 if request.method == "POST" else 200
    return render_template("admin/section_edit.html", form=form, section=section), status


@bp.route("/users", methods=["GET", "POST"])
@admin_required
def user_list():
    form = UserForm()
    status = 200
    if form.validate_on_submit():
        try:
            user = services.create_user(
                form.username.data, form.name.data, form.password.data, email=form.email.data, actor=current_user
            )
        except ValidationError as exc:
            field = next(iter(exc.fields), "username")
            getattr(form, field, form.username).errors.append(exc.message)
            status = 422
        else:
            db.session.commit()
            flash("用户已创建。", "success")
            return redirect(url_for("admin.user_edit", user_id=user.id))
    elif request.method == "POST":
        status = 422
    users = User.query.order_by(User.id).all()
    return render_template("admin/user_list.html", form=form, users=users), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@admin_required
def user_edit(user_id):
    user = db.get_or_404(User, user_id)
    form = UserEditForm(obj=user)
    membership_form = MembershipForm(prefix="m")
    membership_form.section_id.choices = _section_choices()
    if form.validate_on_submit():
        if user.id == current_user.id and not form.active.data:
            form.active.errors.append("不能停用自己的账号")
        else:
            try:
                services.update_user(user, form.name.data, form.email.data, form.active.data, actor=current_user)
                if form.new_password.data:
                    services.set_password(user, form.new_password.data, actor=current_user)
            except ValidationError as exc:
                form.new_password.errors.append(exc.message)
            else:
                db.session.commit()
                flash("用户已保存。", "success")
                return redirect(url_for("admin.user_edit", user_id=user.id))
        return render_template("admin/user_edit.html", form=form, user=user, membership_form=membership_form), 422
    status = 422 if request.method == "POST" else 200
    return render_template("admin/user_edit.html", form=form, user=user, membership_form=membership_form), status


@bp.post("/users/<int:user_id>/memberships")
@admin_required
def membership_add(user_id):
    user = db.get_or_404(User, user_id)
    form = MembershipForm(prefix="m")
    form.section_id.choices = _section_choices()
    if not form.validate_on_submit():
        flash("请选择科室和角色。", "error")
        return redirect(url_for("admin.user_edit", user_id=user.id)), 303
    section = db.get_or_404(Section, form.section_id.data)
    services.add_membership(user, section, form.role.data, actor=current_user)
    db.session.commit()
    flash("已添加角色。", "success")
    return redirect(url_for("admin.user_edit", user_id=user.id))


@bp.post("/memberships/<int:membership_id>/delete")
@admin_required
def membership_delete(membership_id):
    membership = db.get_or_404(Membership, membership_id)
    form = FlaskForm()
    if not form.validate_on_submit():
        flash("请求无效，请重试。", "error")
        return redirect(url_for("admin.user_edit", user_id=membership.user_id))
    user_id = membership.user_id
    if membership.user_id == current_user.id and membership.role == "admin":
        flash("不能移除自己的管理员角色。", "error")
        return redirect(url_for("admin.user_edit", user_id=user_id))
    services.remove_membership(membership, actor=current_user)
    db.session.commit()
    flash("已移除角色。", "success")
    return redirect(url_for("admin.user_edit", user_id=user_id))


@bp.get("/audit")
@admin_required
def audit_list():
    """The audit log with filters (person, action, date range, object) and CSV/XLSX export."""
    from cms.accounts.audit import record_audit
    from cms.accounts.audit_log import (ACTION_LABELS, PER_PAGE, action_label, audit_query, details_text,
                                        entry_action_label,
                                        export_csv, export_xlsx, object_label)

    filters = {k: (request.args.get(k) or "").strip() for k in ("actor", "action", "object", "from", "to")}
    error = None
    try:
        query = audit_query(filters["actor"], filters["action"], filters["object"], filters["from"], filters["to"])
    except ValidationError as exc:
        error, query = exc.message, audit_query()
    export = request.args.get("format")
    if export in ("csv", "xlsx") and error is None:
        record_audit("audit.export", current_user, details={"format": export,
                                                            "filters": {k: v for k, v in filters.items() if v}})
        db.session.commit()
        if export == "csv":
            return Response(export_csv(query), mimetype="text/csv; charset=utf-8",
                            headers={"Content-Disposition": "attachment; filename=audit-log.csv"})
        return Response(export_xlsx(query),
                        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": "attachment; filename=audit-log.xlsx"})
    page = max(1, request.args.get("page", 1, type=int) or 1)
    entries = query.paginate(page=page, per_page=PER_PAGE, error_out=False)
    return render_template("admin/audit_list.html", entries=entries, filters=filters, error=error,
                           actions=sorted(set(ACTION_LABELS.values())), action_label=action_label,
                           entry_action_label=entry_action_label,
                           object_label=object_label, details_text=details_text), (422 if error else 200)

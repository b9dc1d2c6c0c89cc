"""Admin screens for the column tree: create, rename, move, reorder, retire, merge, cross-reference."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from cms.blueprints.admin import admin_required, bp
from cms.content import columns as column_services
from cms.content.models import Column, ColumnReference
from cms.content.queries import get_public_item
from cms.content.types import ITEM_TYPES
from cms.errors import Conflict, ValidationError
from cms.extensions import db
from cms.workflow.store import definition_codes


class ColumnForm(FlaskForm):
    code = StringField("代码", validators=[DataRequired(message="请输入代码"), Length(max=64)])
    name = StringField("名称", validators=[DataRequired(message="请输入名称"), Length(max=200)])
    parent_id = SelectField("上级栏目", coerce=int)
    positioning = TextAreaField("定位说明", validators=[Optional(), Length(max=2000)])
    accepts = SelectMultipleField("接受的信息类型", choices=list(ITEM_TYPES.items()))
    workflow = SelectField("审核流程", choices=[])
    visible = BooleanField("在网站显示", default=True)


class MergeForm(FlaskForm):
    target_id = SelectField("合并到", coerce=int)


class ReferenceForm(FlaskForm):
    item_id = IntegerField("已发布信息编号", validators=[DataRequired(message="请输入信息编号")])


def _org_columns(org_id):
    return Column.query.filter_by(organization_id=org_id).order_by(Column.position, Column.id).all()


def _orgs():
    return sorted(current_user.organization_ids)


@bp.get("/columns")
@admin_required
def column_list():
    columns = Column.query.filter(Column.organization_id.in_(_orgs())).order_by(
        Column.organization_id, Column.position, Column.id).all()
    return render_template("admin/column_list.html", columns=columns, types=ITEM_TYPES, workflows=definition_codes("item"))


@bp.route("/columns/new", methods=["GET", "POST"])
@admin_required
def column_new():
    from cms.accounts.models import Organization

    org = db.session.get(Organization, _orgs()[0])
    form = ColumnForm()
    form.workflow.choices = list(definition_codes("item").items())
    form.parent_id.choices = [(0, "（顶级）")] + [(c.id, c.name) for c in _org_columns(org.id) if not c.retired]
    status = 200
    if form.validate_on_submit():
        parent = db.session.get(Column, form.parent_id.data) if form.parent_id.data else None
        try:
            column_services.create_column(org, form.code.data, form.name.data, form.accepts.data, current_user,
                                          positioning=form.positioning.data, workflow=form.workflow.data,
                                          parent=parent)
        except ValidationError as exc:
            form.code.errors.append(exc.message)
            status = 422
        else:
            db.session.commit()
            flash("栏目已创建。", "success")
            return redirect(url_for("admin.column_list"))
    elif request.method == "POST":
        status = 422
    return render_template("admin/column_edit.html", form=form, column=None), status


def _column(column_id):
    column = db.get_or_404(Column, column_id)
    if column.organization_id not in current_user.organization_ids:
        from flask import abort

        abort(404)
    return column


@bp.route("/columns/<int:column_id>", methods=["GET", "POST"])
@admin_required
def column_edit(column_id):
    column = _column(column_id)
    form = ColumnForm(obj=column)
    form.workflow.choices = list(definition_codes("item").items())
    form.code.data = column.code
    form.parent_id.choices = [(0, "（顶级）")] + [
        (c.id, c.name) for c in _org_columns(column.organization_id) if not c.retired and c.id != column.id]
    if request.method == "GET":
        form.parent_id.data = column.parent_id or 0
    merge_form = MergeForm(prefix="merge")
    merge_form.target_id.choices = [(c.id, c.name) for c in _org_columns(column.organization_id)
                                    if not c.retired and c.id != column.id]
    reference_form = ReferenceForm(prefix="ref")
    status = 200
    if form.validate_on_submit():
        parent = db.session.get(Column, form.parent_id.data) if form.parent_id.data else None
        try:
            column_services.update_column(column, current_user, name=form.name.data, positioning=form.positioning.data,
                                          accepts=form.accepts.data, workflow=form.workflow.data,
                                          visible=form.visible.data, parent=parent)
        except ValidationError as exc:
            form.name.errors.append(exc.message)
            status = 422
        else:
            db.session.commit()
            flash("栏目已保存。", "success")
            return redirect(url_for("admin.column_edit", column_id=column.id))
    elif request.method == "POST":
        status = 422
    references = ColumnReference.query.filter_by(column_id=column.id).all()
    return render_template("admin/column_edit.html", form=form, column=column, merge_form=merge_form,
                           reference_form=reference_form, references=references), status


@bp.post("/columns/<int:column_id>/retire")
@admin_required
def column_retire(column_id):
    column = _column(column_id)
    try:
        column_services.retire_column(column, current_user)
    except Conflict as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.column_edit", column_id=column.id)), 303
    db.session.commit()
    flash("栏目已停用。", "success")
    return redirect(url_for("admin.column_list"))


@bp.post("/columns/<int:column_id>/merge")
@admin_required
def column_merge(column_id):
    column = _column(column_id)
    form = MergeForm(prefix="merge")
    form.target_id.choices = [(c.id, c.name) for c in _org_columns(column.organization_id) if c.id != column.id]
    if not form.validate_on_submit():
        flash("请选择目标栏目。", "error")
        return redirect(url_for("admin.column_edit", column_id=column.id)), 303
    target = _column(form.target_id.data)
    try:
        moved = column_services.merge_columns(column, target, current_user)
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.column_edit", column_id=column.id)), 303
    db.session.commit()
    flash(f"已合并到“{target.name}”，移动 {moved} 条信息，旧地址自动跳转。", "success")
    return redirect(url_for("admin.column_edit", column_id=target.id))


@bp.post("/columns/order")
@admin_required
def column_reorder():
    codes = [c.strip() for c in request.form.get("order", "").split(",") if c.strip()]
    org_id = _orgs()[0]
    from cms.accounts.models import Organization

    try:
        column_services.reorder_columns(db.session.get(Organization, org_id), codes, current_user)
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.column_list")), 303
    db.session.commit()
    flash("栏目顺序已保存。", "success")
    return redirect(url_for("admin.column_list"))


@bp.post("/columns/<int:column_id>/references")
@admin_required
def column_reference_add(column_id):
    column = _column(column_id)
    form = ReferenceForm(prefix="ref")
    item = get_public_item(form.item_id.data) if form.validate_on_submit() else None
    try:
        column_services.add_reference(column, item, current_user)
    except ValidationError as exc:
        flash(exc.message, "error")
        return redirect(url_for("admin.column_edit", column_id=column.id)), 303
    db.session.commit()
    flash("已添加引用。", "success")
    return redirect(url_for("admin.column_edit", column_id=column.id))

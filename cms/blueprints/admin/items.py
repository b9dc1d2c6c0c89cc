"""The item editor and the review screen."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from cms.blueprints.admin import bp
from cms.blueprints.admin.item_forms import ItemForm, TransitionForm
from cms.content import one_place
from cms.content.models import Column, Item
from cms.content.services import (
    can_edit,
    create_item,
    diff_against_live,
    editor_sections,
    get_item_for,
    update_item,
)
from cms.content.timeliness import publish_clock
from cms.content.types import DISCLOSURE, FIVE_PUBLIC, ITEM_TYPES, VALIDITY
from cms.errors import ConditionFailed, Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.workflow.definitions import ITEM_STATES, get_workflow
from cms.workflow.engine import available_transitions, fire, history_of


def _columns_for(user):
    org_ids = {s.organization_id for s in editor_sections(user)} or user.organization_ids
    return (
        Column.query.filter(Column.organization_id.in_(org_ids), Column.retired.is_(False))
        .order_by(Column.organization_id, Column.position, Column.id)
        .all()
    )


def _prepare(form, user, columns):
    form.column_id.choices = [(c.id, c.name) for c in columns]
    sections = editor_sections(user)
    form.section_id.choices = [(s.id, s.name) for s in sections]
    return sections


def _form_error(form, exc):
    """Attach a service ValidationError to the matching form fields."""
    placed = False
    for name in exc.fields:
        field = getattr(form, {"column": "column_id", "section": "section_id"}.get(name, name), None)
        if field is not None:
            field.errors = list(field.errors) + [exc.message]
            placed = True
    if not placed:
        flash(exc.message, "error")


@bp.get("/items")
def item_list():
    """Items of the sections the user works in (and everything for the office)."""
    state = request.args.get("state") or None
    query = Item.query
    section_ids = {m.section_id for m in current_user.memberships}
    office_orgs = {m.section.organization_id for m in current_user.memberships if m.role in ("office_auditor", "admin")}
    query = query.filter(
        db.or_(Item.section_id.in_(section_ids), Item.organization_id.in_(office_orgs), Item.author_id == current_user.id)
    )
    if state in ITEM_STATES:
        query = query.filter(Item.state == state)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    items = (query.options(joinedload(Item.column), joinedload(Item.section))
             .order_by(Item.updated_at.desc(), Item.id.desc()).paginate(page=page, per_page=30, error_out=False))
    return render_template("admin/item_list.html", items=items, states=ITEM_STATES, state=state)


@bp.route("/items/new", methods=["GET", "POST"])
def item_new():
    if not editor_sections(current_user):
        return render_template("admin/error.html", message="您没有编辑角色，不能起草信息。", status=403), 403
    columns = _columns_for(current_user)
    form = ItemForm()
    sections = _prepare(form, current_user, columns)
    if request.method == "GET":
        requested = request.args.get("column")
        match = next((c for c in columns if c.code == requested), None)
        if match:
            form.column_id.data = match.id
            form.type.data = (match.accepts or ["notice"])[0]
    status = 200
    if form.validate_on_submit():
        column = db.session.get(Column, form.column_id.data)
        section = next((s for s in sections if s.id == form.section_id.data), None) if len(sections) > 1 else None
        try:
            item = create_item(current_user, column, section=section, **form.field_values())
        except ValidationError as exc:
            _form_error(form, exc)
            status = 422
        else:
            db.session.commit()
            flash("草稿已保存。", "success")
            return redirect(url_for("admin.item_view", item_id=item.id))
    elif request.method == "POST":
        status = 422
    return render_template("admin/item_edit.html", form=form, item=None, columns=columns, sections=sections,
                           warnings=[]), status


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def item_edit(item_id):
    item = get_item_for(current_user, item_id)
    if not can_edit(current_user, item):
        return render_template("admin/error.html", message="当前状态下您不能修改此信息。", status=403), 403
    columns = _columns_for(current_user)
    form = ItemForm(obj=item if request.method == "GET" else None)
    sections = _prepare(form, current_user, columns)
    if request.method == "GET":
        form.version.data = item.version
        form.five_public.data = item.five_public or ""
        form.section_id.data = item.section_id
    status = 200
    if form.validate_on_submit():
        values = form.field_values()
        if form.column_id.data != item.column_id:
            values["column_id"] = form.column_id.data
        try:
            changed = update_item(item, current_user, form.version.data, **values)
        except ValidationError as exc:
            _form_error(form, exc)
            status = 422
        except Conflict as exc:
            flash(exc.message, "error")
            status = 409
        else:
            db.session.commit()
            flash("已保存。" if changed.id == item.id else "已创建修订稿，原信息在修订稿审定前继续公开。", "success")
            return redirect(url_for("admin.item_view", item_id=changed.id))
    elif request.method == "POST":
        status = 422
    warnings = _one_place_notes(item)
    return render_template("admin/item_edit.html", form=form, item=item, columns=columns, sections=sections,
                           warnings=warnings), status


def _one_place_notes(item):
    """The one-place rule as the editor sees it while drafting: what would refuse (masked for items the user
    may not read) and same-column near-duplicates that suggest revising the existing item."""
    if item.state not in ("draft", "returned"):
        return []
    result = one_place.check(item)
    notes = []
    for match, kind in [(m, "conflict") for m in result.conflicts] + [(m, "warning") for m in result.warnings]:
        entry = one_place.describe(match, current_user)
        entry["kind"] = kind
        entry["message"] = one_place.refusal_message(entry) if kind == "conflict" else one_place.warning_message(entry)
        notes.append(entry)
    return notes


def _render_view(item, transition_form=None, status=200, error=None):
    transitions = available_transitions(item, current_user)
    workflow = get_workflow(item.workflow)
    office_stage = any(
        t.name == "approve" and "confidentiality_checked" in t.conditions
        for t in workflow.transitions_from(item.state)
    )
    warnings = _one_place_notes(item)
    return render_template(
        "admin/item_view.html",
        item=item,
        transitions=transitions,
        form=transition_form or TransitionForm(),
        office_stage=office_stage,
        history=history_of(item),
        changes=diff_against_live(item),
        states=ITEM_STATES,
        labels={"validity": VALIDITY, "disclosure": DISCLOSURE, "five_public": FIVE_PUBLIC, "type": ITEM_TYPES},
        can_edit=can_edit(current_user, item),
        publish_clock=publish_clock(item),
        warnings=warnings,
        error=error,
    ), status


@bp.get("/items/<int:item_id>")
def item_view(item_id):
    """The review screen: preview, metadata, diff against the live version, actions and history."""
    return _render_view(get_item_for(current_user, item_id))


@bp.post("/items/<int:item_id>/transitions")
def item_transition(item_id):
    item = get_item_for(current_user, item_id)
    form = TransitionForm()
    if not form.validate_on_submit():
        return _render_view(item, form, 400, "请求无效，请重试。")
    inputs = {"comment": form.comment.data or None}
    if form.confidentiality_checked.data:
        inputs["confidentiality_checked"] = True
    try:
        result = fire(item, current_user, form.name.data, **inputs)
    except (NotAllowed, ConditionFailed, ValidationError, Conflict) as exc:
        db.session.rollback()
        item = get_item_for(current_user, item_id)
        return _render_view(item, form, exc.status, exc.message)
    db.session.commit()
    flash(f"操作成功：{ITEM_STATES.get(result.state, result.state)}。", "success")
    return redirect(url_for("admin.item_view", item_id=result.id))

"""The item editor and the review screen."""
from flask import flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload

from cms.blueprints.admin import bp
from cms.blueprints.admin.item_channels import save_channel_choice
from cms.blueprints.admin.drafting import attach_from_form, wants_attachments
from cms.blueprints.admin.item_forms import ItemForm, TransitionForm
from cms.blueprints.admin.item_schedule import apply_form_schedule
from cms.content import one_place
from cms.content.checklist import CHECKLIST, checklist_inputs
from cms.content.diff import typed_changes
from cms.content.history import describe as describe_history
from cms.content.item_filters import FILTER_LABELS, apply_filter, list_scope
from cms.content.preview import admin_body, may_share, preview_days
from cms.content.locks import acquire_lock, can_take_over, live_lock, release_lock
from cms.content.models import Column, Item
from cms.content.returns import return_notice
from cms.content.services import (
    can_edit,
    create_item,
    diff_against_live,
    editor_sections,
    get_item_for,
    open_working_copy,
    update_item,
)
from cms.content.enforcement import is_late
from cms.consultations.editor import save_from_editor
from cms.content.timeliness import publish_clock
from cms.content.types import DISCLOSURE, FIVE_PUBLIC, ITEM_TYPES, VALIDITY
from cms.errors import ConditionFailed, Conflict, Locked, NotAllowed, ValidationError
from cms.extensions import db
from cms.content.workflow import item_state_labels
from cms.workflow.engine import stage_approvals, workflow_for
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


def _column_types(columns):
    """Which information types each column accepts: the editor narrows 信息类型 to them (editor.js)."""
    return {str(c.id): list(c.accepts or []) for c in columns}


def _form_error(form, exc):
    """Attach a service ValidationError to the matching form fields."""
    placed = False
    for name in exc.fields:
        field = getattr(form, {"column": "column_id", "section": "section_id"}.get(name, name), None)
        if field is None and name.startswith("enforcement."):
            field = getattr(form, name.replace(".", "_"), None)
        if field is not None:
            field.errors = list(field.errors) + [exc.message]
            placed = True
    if not placed:
        flash(exc.message, "error")


ITEM_LIST_SORTS = {
    "updated": (Item.updated_at.desc(), Item.id.desc()), "title": (Item.title, Item.id),
    "published": (Item.published_at.desc(), Item.id.desc()), "state": (Item.state, Item.id.desc()),
    "column": (Item.column_id, Item.id.desc()),
}


def _day(value):
    from datetime import date

    try:
        return date.fromisoformat((value or "").strip()[:10]) if value else None
    except ValueError:
        return None


@bp.get("/items")
def item_list():
    """Items of the sections the user works in (and everything for the office), filtered and sorted."""
    from datetime import datetime, time, timedelta

    from cms.accounts.models import Section, User

    args = request.args
    state = args.get("state") or None
    query = Item.query
    section_ids = {m.section_id for m in current_user.memberships}
    office_orgs = {m.section.organization_id for m in current_user.memberships if m.role in ("office_auditor", "admin")}
    query = query.filter(list_scope(current_user))
    show = args.get("show") if args.get("show") in FILTER_LABELS else None
    query = apply_filter(query, current_user, show)
    states = item_state_labels()
    if state in states:
        query = query.filter(Item.state == state)
    filters = {k: (args.get(k) or "").strip()[:100] for k in ("column", "section", "type", "author", "q", "from", "to")}
    if filters["column"].isdigit() and len(filters["column"]) < 10:
        query = query.filter(Item.column_id == int(filters["column"]))
    if filters["section"].isdigit() and len(filters["section"]) < 10:
        query = query.filter(Item.section_id == int(filters["section"]))
    if filters["type"] in ITEM_TYPES:
        query = query.filter(Item.type == filters["type"])
    if filters["author"]:
        query = query.join(User, User.id == Item.author_id).filter(
            db.or_(User.username == filters["author"], User.name.contains(filters["author"])))
    if filters["q"]:
        query = query.filter(db.or_(Item.title.contains(filters["q"]), Item.doc_number.contains(filters["q"]),
                                    Item.index_no == filters["q"]))
    start, end = _day(filters["from"]), _day(filters["to"])
    if start:
        query = query.filter(Item.updated_at >= datetime.combine(start, time()) - timedelta(hours=8))
    if end:
        query = query.filter(Item.updated_at < datetime.combine(end + timedelta(days=1), time()) - timedelta(hours=8))
    sort = args.get("sort") if args.get("sort") in ITEM_LIST_SORTS else "updated"
    page = max(1, args.get("page", 1, type=int) or 1)
    items = (query.options(joinedload(Item.column), joinedload(Item.section), joinedload(Item.author))
             .order_by(*ITEM_LIST_SORTS[sort]).paginate(page=page, per_page=30, error_out=False))
    columns = _columns_for(current_user)
    sections = Section.query.filter(Section.id.in_(section_ids) | Section.organization_id.in_(office_orgs)).order_by(
        Section.id).all()
    return render_template("admin/item_list.html", items=items, states=states, state=state, filters=filters,
                           sort=sort, columns=columns, sections=sections, types=ITEM_TYPES,
                           show=show, show_label=FILTER_LABELS.get(show))


@bp.get("/items/picker")
def item_picker():
    """Published items of the user's organizations matching ``q`` (title or 文号), for the editor's pickers:
    the policy an interpretation explains and related items. ``type`` narrows (e.g. ``policy``)."""
    from cms.content.queries import public_items

    q = (request.args.get("q") or "").strip()[:100]
    if not q:
        return jsonify(items=[])
    org_ids = current_user.organization_ids
    query = public_items().filter(Item.organization_id.in_(org_ids or [-1]),
                                  db.or_(Item.title.contains(q), Item.doc_number.contains(q), Item.index_no == q))
    if request.args.get("type") in ITEM_TYPES:
        query = query.filter(Item.type == request.args["type"])
    rows = query.with_entities(Item.id, Item.title, Item.doc_number, Item.index_no).order_by(
        Item.published_at.desc()).limit(20).all()
    return jsonify(items=[{"id": r.id, "title": r.title, "doc_number": r.doc_number or "",
                           "index_no": r.index_no or ""} for r in rows])


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
            apply_form_schedule(item, current_user)
            save_channel_choice(item)
            save_from_editor(item, request.form)
        except ValidationError as exc:
            _form_error(form, exc)
            status = 422
        else:
            db.session.commit()
            problem = attach_from_form(item)
            if problem or wants_attachments():
                # The draft was saved silently so that files can be attached: the editor continues here.
                flash(problem or "草稿已保存，可继续添加附件。", "error" if problem else "success")
                return redirect(url_for("admin.item_edit", item_id=item.id, _anchor="attachments"))
            flash("草稿已保存。", "success")
            return redirect(url_for("admin.item_view", item_id=item.id))
    elif request.method == "POST":
        status = 422
    return render_template("admin/item_edit.html", form=form, item=None, columns=columns, sections=sections,
                           column_types=_column_types(columns),
                           warnings=[]), status


@bp.route("/items/<int:item_id>/edit", methods=["GET", "POST"])
def item_edit(item_id):
    item = get_item_for(current_user, item_id)
    if not can_edit(current_user, item):
        return render_template("admin/error.html", message="当前状态下您不能修改此信息。", status=403), 403
    columns = _columns_for(current_user)
    form = ItemForm(obj=item if request.method == "GET" else None)
    sections = _prepare(form, current_user, columns)
    lock, held_by_other, stale_changes = None, None, []
    if request.method == "GET":
        form.version.data = item.version
        form.five_public.data = item.five_public or ""
        form.section_id.data = item.section_id
        form.load_enforcement(item.enforcement)
        form.body_html.data = admin_body(form.body_html.data)
        try:
            lock = acquire_lock(item, current_user)
            db.session.commit()
        except Conflict:
            db.session.rollback()
            held_by_other = live_lock(item)
    status = 200
    if form.validate_on_submit():
        values = form.field_values()
        if form.column_id.data != item.column_id:
            values["column_id"] = form.column_id.data
        try:
            changed = update_item(item, current_user, form.version.data, **values)
            apply_form_schedule(changed, current_user)
            save_channel_choice(changed)
            save_from_editor(changed, request.form, original=item)
        except ValidationError as exc:
            _form_error(form, exc)
            status = 422
        except (Conflict, Locked) as exc:
            # Nothing typed is lost: the form keeps the text, and the page shows how it differs from the
            # version saved meanwhile.
            flash(exc.message, "error")
            status = exc.status
            item = get_item_for(current_user, item_id)
            held_by_other = live_lock(item) if isinstance(exc, Locked) else None
            stale_changes = typed_changes(open_working_copy(item) or item, values)
        else:
            if wants_attachments() or request.files.get("attachment"):
                db.session.commit()
                problem = attach_from_form(changed)
                if problem or wants_attachments():
                    flash(problem or "已保存，可继续添加附件。", "error" if problem else "success")
                    return redirect(url_for("admin.item_edit", item_id=changed.id, _anchor="attachments"))
            release_lock(changed, current_user)
            db.session.commit()
            flash("已保存。" if changed.id == item.id else "已创建修订稿，原信息在修订稿审定前继续公开。", "success")
            return redirect(url_for("admin.item_view", item_id=changed.id))
    elif request.method == "POST":
        status = 422
    warnings = _one_place_notes(item)
    return render_template("admin/item_edit.html", form=form, item=item, columns=columns, sections=sections,
                           column_types=_column_types(columns),
                           returned=return_notice(item), lock=lock, held_by_other=held_by_other,
                           breadcrumbs=_item_crumbs(item, ("编辑", None)),
                           may_take_over=held_by_other is not None and can_take_over(current_user, item),
                           stale_changes=stale_changes, warnings=warnings), status


@bp.post("/items/<int:item_id>/lock")
def item_lock_renew(item_id):
    """The open editor renews its lock (JSON for the editor's script)."""
    item = get_item_for(current_user, item_id)
    try:
        lock = acquire_lock(item, current_user, take_over=request.form.get("take_over") == "1")
    except (Conflict, NotAllowed) as exc:
        db.session.rollback()
        if request.form.get("take_over") == "1":
            flash(exc.message, "error")
            return redirect(url_for("admin.item_edit", item_id=item_id))
        return jsonify(error=exc.message, holder=exc.extra.get("holder")), exc.status
    db.session.commit()
    if request.form.get("take_over") == "1":
        flash("已接管编辑。", "success")
        return redirect(url_for("admin.item_edit", item_id=item_id))
    return jsonify(lock.to_json())


@bp.post("/items/<int:item_id>/unlock")
def item_lock_release(item_id):
    """Leaving the editor releases the lock (sent by the page as it unloads)."""
    release_lock(get_item_for(current_user, item_id), current_user)
    db.session.commit()
    return "", 204


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


def _item_crumbs(item, *tail):
    """信息管理 › (the original, for a working copy) › the item › ``tail``."""
    crumbs = [("信息管理", url_for("admin.item_list"))]
    if item.working_copy_of_id is not None and item.working_copy_of is not None:
        crumbs.append((item.working_copy_of.title, url_for("admin.item_view", item_id=item.working_copy_of_id)))
    title = f"{item.title}（修订稿）" if item.working_copy_of_id is not None else item.title
    crumbs.append((title, url_for("admin.item_view", item_id=item.id) if tail else None))
    return crumbs + list(tail)


def _render_view(item, transition_form=None, status=200, error=None):
    transitions = available_transitions(item, current_user)
    workflow = workflow_for(item)
    stage = workflow.stage_for_state(item.state)
    form = transition_form or TransitionForm()
    earlier = workflow.stages[:workflow.stage_index(stage.code)] if stage is not None else ()
    form.to_stage.choices = [("", "作者（退回修改）")] + [(s.code, s.title) for s in earlier]
    office_stage = any(
        t.name == "approve" and "confidentiality_checked" in t.conditions
        for t in workflow.transitions_from(item.state)
    )
    warnings = _one_place_notes(item)
    return render_template(
        "admin/item_view.html",
        item=item,
        transitions=transitions,
        form=form,
        office_stage=office_stage,
        stage=stage,
        approvals=stage_approvals(item) if stage is not None else [],
        can_return_to_stage=bool(earlier) and any(t.name == "return" for t in transitions),
        history=describe_history(item, history_of(item)),
        checklist=CHECKLIST,
        ticked=request.form.getlist("checklist") if request.method == "POST" else [],
        preview_body=admin_body(item.body_html),
        may_share=may_share(current_user, item),
        preview_days=preview_days(),
        breadcrumbs=_item_crumbs(item),
        changes=diff_against_live(item),
        states={**item_state_labels(), **workflow.states},
        labels={"validity": VALIDITY, "disclosure": DISCLOSURE, "five_public": FIVE_PUBLIC, "type": ITEM_TYPES},
        can_edit=can_edit(current_user, item),
        revision=open_working_copy(item) if item.state == "published" and item.working_copy_of_id is None else None,
        publish_clock=publish_clock(item),
        enforcement_late=is_late(item),
        returned=return_notice(item),
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
    if not (form.version.data or "").isdigit() or len(form.version.data) > 9:
        return _render_view(item, form, 400, "版本号无效，请刷新页面后重试。")
    inputs = {"comment": form.comment.data or None, "expected_version": int(form.version.data)}
    try:
        inputs.update(checklist_inputs(bool(form.confidentiality_checked.data), request.form.getlist("checklist")))
    except ValidationError as exc:
        return _render_view(item, form, exc.status, exc.message)
    if form.name.data == "return" and form.to_stage.data:
        inputs["to_stage"] = form.to_stage.data
    try:
        result = fire(item, current_user, form.name.data, **inputs)
    except (NotAllowed, ConditionFailed, ValidationError, Conflict) as exc:
        db.session.rollback()
        item = get_item_for(current_user, item_id)
        return _render_view(item, form, exc.status, exc.message)
    db.session.commit()
    flash(f"操作成功：{workflow_for(result).states.get(result.state, result.state)}。", "success")
    return redirect(url_for("admin.item_view", item_id=result.id))

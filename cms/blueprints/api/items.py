"""Items, their transitions and history, and the caller's worklist."""
from flask import jsonify, request, url_for

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.parsing import expect_types, json_body
from cms.channels.services import channels_of, set_item_channels
from cms.content import one_place
from cms.content.checklist import checklist_inputs
from cms.content.catalog import get_column
from cms.content.enforcement import is_late
from cms.content.locks import acquire_lock, can_take_over, release_lock
from cms.content.services import EDITABLE_FIELDS, can_edit, create_item, get_item_for, update_item
from cms.errors import NotAllowed, ValidationError
from cms.extensions import db
from cms.clock import utcnow
from cms.workflow.engine import available_transitions, fire, history_of, stage_approvals, workflow_for
from cms.content.scheduling import SCHEDULE_FIELDS, instant_json, set_schedule

ITEM_INPUT_TYPES = {
    "column": str, "type": str, "title": str, "body_html": str, "disclosure": str, "withheld_reason": str,
    "doc_number": str, "written_date": str, "five_public": str, "topic": str, "summary": str,
    "normative": bool, "validity": str, "section": str, "version": int, "interprets": int,
    "enforcement": dict, "budget": dict, "publish_at": str, "expires_at": str,
    "channels": list, "interpretation_form": str, "consultation": dict,
}
CREATE_FIELDS = ("type", "title", "body_html", "disclosure", "withheld_reason", "doc_number", "written_date",
                 "five_public", "topic", "summary", "normative", "interprets_id", "enforcement",
                 "interpretation_form")


def _api_names(exc):
    """The services name the link ``interprets_id``; the API (and its OpenAPI document) calls it ``interprets``."""
    if "interprets_id" in exc.fields:
        exc.fields["interprets"] = exc.fields.pop("interprets_id")
    return exc


def consultation_input(data):
    from cms.blueprints.api.consultations import consultation_input as pop_consultation

    return pop_consultation(data)


def save_item_consultation(item, values, original=None):
    from cms.blueprints.api.consultations import save_item_consultation as save

    save(item, values, original=original)


def item_consultation_json(item):
    from cms.blueprints.api.consultations import item_consultation_json as to_json

    return to_json(item)


def _budget_input(data):
    """The ``budget`` object re-read with JSON numbers as Decimal (amounts never pass through a float)."""
    import json
    from decimal import Decimal

    from flask import request

    from cms.clocks.budgets import clean_budget

    if "budget" not in data:
        return None
    data.pop("budget")
    raw = json.loads(request.get_data(as_text=True), parse_float=Decimal).get("budget")
    return clean_budget(raw)


def _save_budget(item, values, original=None):
    from cms.clocks.budgets import copy_to_working_copy, save_budget

    if original is not None and item.working_copy_of_id == original.id:
        copy_to_working_copy(original, item)
    if values is not None:
        save_budget(item, values)


def item_with_warnings(item, user):
    """One item as JSON plus ``warnings``: same-column near-duplicates (revise the existing item instead?)."""
    data = item_to_json(item)
    data["warnings"] = [{k: v for k, v in w.items() if k != "column_name"}
                        for w in one_place.warnings_for(item, user)]
    data["channels"] = channels_of(item)
    return data


def item_to_json(item, urgent=None, approvals=None, links=None):
    from cms.clocks.budgets import budget_of, budget_to_json
    from cms.clocks.incidents import is_urgent

    return {
        "id": item.id,
        "state": item.state,
        "version": item.version,
        "workflow": item.workflow,
        "column": item.column.code,
        "type": item.type,
        "title": item.title,
        "summary": item.summary,
        "body_html": item.body_html,
        "disclosure": item.disclosure,
        "withheld_reason": item.withheld_reason,
        "doc_number": item.doc_number,
        "written_date": item.written_date.isoformat() if item.written_date else None,
        "topic": item.topic,
        "validity": item.validity,
        "five_public": item.five_public,
        "normative": item.normative,
        "interprets": item.interprets_id,
        "enforcement": item.enforcement,
        "enforcement_late": is_late(item) if item.enforcement else None,
        "index_no": item.index_no,
        "published_at": item.published_at.isoformat() + "Z" if item.published_at else None,
        "section": item.section.code,
        "author": item.author.username,
        "working_copy_of": item.working_copy_of_id,
        "created_at": item.created_at.isoformat() + "Z",
        "updated_at": item.updated_at.isoformat() + "Z",
        "url": url_for("public.item_detail", item_id=item.id) if item.is_public else None,
        "attachments": [{"id": a.id, "filename": a.filename, "size": a.size, "content_type": a.content_type}
                        for a in item.attachments],
        "stage": stage_to_json(item, approvals),
        "urgent": is_urgent(item) if urgent is None else urgent,
        "budget": budget_to_json(budget_of(item)) if item.type == "budget" else None,
        "publish_at": instant_json(item.publish_at),
        "expires_at": instant_json(item.expires_at),
        **_decisions_in_the_open(item, links),
        "consultation": item_consultation_json(item),
    }


def _decisions_in_the_open(item, links=None):
    """Interpretations (form; for policies the ids interpreting them and a lag-mode due date), the
    validity trace, and a cleanup list's decisions. ``links``: ``interpretations.links_for(page)`` for a list."""
    from cms.cleanups.services import decision_to_json, decisions_of
    from cms.content import interpretations

    data = {"interpretation_form": item.interpretation_form, "replaced_by": item.replaced_by_id,
            "validity_changed_on": item.validity_changed_on.isoformat() if item.validity_changed_on else None}
    if item.type not in ("interpretation", "cleanup"):
        if links is None:
            data["interpreted_by"] = interpretations.interpreted_by_ids(item)
            data["interpretation_due"] = interpretations.due_to_json(interpretations.due_of(item))
        else:
            data["interpreted_by"] = links[0].get(item.id, [])
            data["interpretation_due"] = interpretations.due_to_json(links[1].get(item.id))
    if item.type == "cleanup":
        data["decisions"] = [decision_to_json(d) for d in decisions_of(item)]
    return data


def _instant(value):
    return value.isoformat() + "Z" if value else None


def stage_to_json(item, approvals=None):
    """The review stage the item waits in, with its due date and the approvals of the current round
    (``approvals``: already loaded for a list)."""
    stage = workflow_for(item).stage_for_state(item.state)
    if stage is None:
        return None
    return {
        "code": stage.code,
        "title": stage.title,
        "due_at": _instant(item.stage_due_at),
        "quorum": stage.quorum,
        "approvals": [{"actor": a.actor.username, "on_behalf_of": a.on_behalf_of.username if a.on_behalf_of else None,
                       "at": _instant(a.at)} for a in (stage_approvals(item) if approvals is None else approvals)],
    }


def _find_column(user, code):
    for org_id in sorted(user.organization_ids):
        column = get_column(org_id, code)
        if column is not None:
            return column
    raise ValidationError(f"栏目 {code!r} 不存在", fields={"column": "unknown"})


def _find_section(user, code):
    if code is None:
        return None
    for membership in user.memberships:
        if membership.section.code == code:
            return membership.section
    raise ValidationError(f"发布机构 {code!r} 不存在或您不在其中", fields={"section": "unknown"})


@bp.post("/items")
@token_required
def item_create():
    user = api_user()
    data = json_body(required=("column", "title"))
    expect_types(data, ITEM_INPUT_TYPES)
    if "interprets" in data:
        data["interprets_id"] = data.pop("interprets")
    budget = _budget_input(data)
    channels = data.pop("channels", None)
    consultation = consultation_input(data)
    unknown = set(data) - set(CREATE_FIELDS) - {"column", "section"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    column = _find_column(user, data["column"])
    section = _find_section(user, data.get("section"))
    fields = {name: data[name] for name in CREATE_FIELDS if name in data}
    try:
        item = create_item(user, column, section=section, **fields)
    except ValidationError as exc:
        raise _api_names(exc) from None
    _save_budget(item, budget)
    if channels is not None:
        set_item_channels(item, channels)
    save_item_consultation(item, consultation)
    db.session.commit()
    return jsonify(item_with_warnings(item, user)), 201


@bp.get("/items/<int:item_id>")
@token_required
def item_get(item_id):
    user = api_user()
    return jsonify(item_with_warnings(get_item_for(user, item_id), user))


@bp.patch("/items/<int:item_id>")
@token_required
def item_update(item_id):
    user = api_user()
    item = get_item_for(user, item_id)
    data = json_body(required=("version",))
    expect_types(data, ITEM_INPUT_TYPES)
    budget = _budget_input(data)
    consultation = consultation_input(data)
    version = data.pop("version")
    schedule = {name: data.pop(name) for name in SCHEDULE_FIELDS if name in data}
    channels = data.pop("channels", None)
    if schedule and not data and budget is None and channels is None and consultation is None:  # schedule only
        changed = set_schedule(item, user, version, **schedule)
        db.session.commit()
        return jsonify(item_with_warnings(changed, user))
    if "column" in data:
        data["column_id"] = _find_column(user, data.pop("column")).id
    if "interprets" in data:
        data["interprets_id"] = data.pop("interprets")
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"未知或不可修改的字段：{', '.join(sorted(unknown))}",
                              fields={n: "unknown" for n in unknown})
    try:
        changed = update_item(item, user, version, **data)
    except ValidationError as exc:
        raise _api_names(exc) from None
    if schedule:
        changed = set_schedule(changed, user, changed.version, **schedule)
    _save_budget(changed, budget, original=item)
    if channels is not None:
        set_item_channels(changed, channels)
    save_item_consultation(changed, consultation, original=item)
    db.session.commit()
    return jsonify(item_with_warnings(changed, user))


@bp.post("/items/<int:item_id>/lock")
@token_required
def item_lock(item_id):
    """Take or renew the edit lock: 200 ``{holder, expires_at}``; 409 naming the holder when someone else has it.

    ``{"take_over": true}`` lets an admin or the section chief take a live lock over.
    """
    user = api_user()
    item = get_item_for(user, item_id)
    if not can_edit(user, item) and not can_take_over(user, item):
        raise NotAllowed("您无权编辑此信息")
    data = json_body() if request.get_data() else {}
    expect_types(data, {"take_over": bool})
    lock = acquire_lock(item, user, take_over=bool(data.get("take_over")))
    db.session.commit()
    return jsonify(lock.to_json())


@bp.delete("/items/<int:item_id>/lock")
@token_required
def item_unlock(item_id):
    user = api_user()
    release_lock(get_item_for(user, item_id), user)
    db.session.commit()
    return "", 204


@bp.get("/items/<int:item_id>/transitions")
@token_required
def item_transitions(item_id):
    user = api_user()
    item = get_item_for(user, item_id)
    return jsonify(transitions=[{"name": t.name, "title": t.title} for t in available_transitions(item, user)])


@bp.post("/items/<int:item_id>/transitions")
@token_required
def item_transition_fire(item_id):
    user = api_user()
    item = get_item_for(user, item_id)
    data = json_body(required=("name",))
    expect_types(data, {"name": str, "comment": str, "confidentiality_checked": bool, "version": int,
                        "to_stage": str, "checklist": list})
    checklist = data.get("checklist") or []
    if not all(isinstance(code, str) for code in checklist):
        raise ValidationError("字段类型错误：checklist", fields={"checklist": "wrong_type"})
    # The version the caller decided on: optional for scripts, always sent by the screens; stale → 409.
    inputs = {"expected_version": data.get("version")}
    if data.get("to_stage") is not None:
        inputs["to_stage"] = data["to_stage"]
    if "comment" in data:
        inputs["comment"] = data["comment"]
    if "confidentiality_checked" in data:
        inputs["confidentiality_checked"] = data["confidentiality_checked"]
    if checklist:
        inputs.update(checklist_inputs(data.get("confidentiality_checked") is True, checklist))
    result = fire(item, user, data["name"], **inputs)
    db.session.commit()
    return jsonify(item_with_warnings(result, user))


@bp.get("/items/<int:item_id>/history")
@token_required
def item_history(item_id):
    from cms.content import history

    item = get_item_for(api_user(), item_id)
    return jsonify(entries=[history.to_json(row) for row in history.describe(item, history_of(item))])


@bp.get("/worklist")
@token_required
def worklist():
    """A page of the caller's worklist, urgent items first, then due first: ``?limit=`` (1–200, default 50),
    ``?offset=``, ``?state=`` (one stage state); ``total`` and ``counts`` per state from one grouped count."""
    from cms.content.worklist import approvals_by_item, parse_paging, worklist_page

    limit, offset = parse_paging(request.args.get("limit"), request.args.get("offset"))
    state = request.args.get("state") or None
    if state is not None and (len(state) > 32 or not state.startswith("pending_")):
        raise ValidationError("state 应为审核环节状态（pending_…）", fields={"state": "invalid"})
    page = worklist_page(api_user(), limit=limit, offset=offset, state=state, full_rows=True)
    from cms.content.interpretations import links_for

    approvals = approvals_by_item(page.items)
    links = links_for(page.items)  # two queries for the page, not two per item
    now = utcnow()
    return jsonify(
        items=[{**item_to_json(i, urgent=page.is_urgent(i), approvals=approvals.get(i.id, []), links=links),
                "due_at": _instant(i.stage_due_at),
                "overdue": i.stage_due_at is not None and now > i.stage_due_at} for i in page.items],
        total=page.total, counts=page.counts, limit=page.limit, offset=page.offset)

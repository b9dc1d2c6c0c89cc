"""Items, their transitions and history, and the caller's worklist."""
from flask import jsonify, url_for

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.parsing import expect_types, json_body
from cms.content import one_place
from cms.content.catalog import get_column
from cms.content.services import EDITABLE_FIELDS, create_item, get_item_for, update_item
from cms.errors import ValidationError
from cms.extensions import db
from cms.workflow.engine import available_transitions, fire, history_of
from cms.workflow.worklist import item_worklist_query

ITEM_INPUT_TYPES = {
    "column": str, "type": str, "title": str, "body_html": str, "disclosure": str, "withheld_reason": str,
    "doc_number": str, "written_date": str, "five_public": str, "topic": str, "summary": str,
    "normative": bool, "validity": str, "section": str, "version": int, "interprets": int,
}
CREATE_FIELDS = ("type", "title", "body_html", "disclosure", "withheld_reason", "doc_number", "written_date",
                 "five_public", "topic", "summary", "normative", "interprets_id")


def item_with_warnings(item, user):
    """One item as JSON plus ``warnings``: same-column near-duplicates (revise the existing item instead?)."""
    data = item_to_json(item)
    data["warnings"] = [{k: v for k, v in w.items() if k != "column_name"}
                        for w in one_place.warnings_for(item, user)]
    return data


def item_to_json(item):
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
    unknown = set(data) - set(CREATE_FIELDS) - {"column", "section"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    if "interprets" in data:
        data["interprets_id"] = data.pop("interprets")
    column = _find_column(user, data["column"])
    section = _find_section(user, data.get("section"))
    fields = {name: data[name] for name in CREATE_FIELDS if name in data}
    item = create_item(user, column, section=section, **fields)
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
    version = data.pop("version")
    if "column" in data:
        data["column_id"] = _find_column(user, data.pop("column")).id
    if "interprets" in data:
        data["interprets_id"] = data.pop("interprets")
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"未知或不可修改的字段：{', '.join(sorted(unknown))}",
                              fields={n: "unknown" for n in unknown})
    changed = update_item(item, user, version, **data)
    db.session.commit()
    return jsonify(item_with_warnings(changed, user))


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
    expect_types(data, {"name": str, "comment": str, "confidentiality_checked": bool})
    inputs = {}
    if "comment" in data:
        inputs["comment"] = data["comment"]
    if "confidentiality_checked" in data:
        inputs["confidentiality_checked"] = data["confidentiality_checked"]
    result = fire(item, user, data["name"], **inputs)
    db.session.commit()
    return jsonify(item_with_warnings(result, user))


@bp.get("/items/<int:item_id>/history")
@token_required
def item_history(item_id):
    item = get_item_for(api_user(), item_id)
    return jsonify(entries=[
        {
            "transition": h.transition,
            "from": h.from_state,
            "to": h.to_state,
            "actor": h.actor.username if h.actor else None,
            "at": h.at.isoformat() + "Z",
            "comment": h.comment,
        }
        for h in history_of(item)
    ])


@bp.get("/worklist")
@token_required
def worklist():
    items = item_worklist_query(api_user()).all()
    return jsonify(items=[item_to_json(i) for i in items])

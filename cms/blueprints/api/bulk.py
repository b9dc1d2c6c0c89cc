"""Bulk transitions: ``POST /api/v1/transitions`` fires one transition on several items, each on its own;
``name: "move"`` with ``column`` moves them to another column instead (the bulk bar's "移动到其他栏目")."""
from flask import jsonify

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.parsing import expect_types, json_body
from cms.content.bulk import clean_ids, clean_versions, fire_many, move_many
from cms.errors import ValidationError

BULK_INPUTS = {"name": str, "items": list, "comment": str, "confidentiality_checked": bool, "versions": dict,
               "to_stage": str, "column": str}
MOVE = "move"  # not a workflow transition: the column change of the bulk bar, through update_item
MOVE_INPUTS = {"name", "items", "versions", "column"}


@bp.post("/transitions")
@token_required
def bulk_transitions():
    """``{name, items: [ids], comment?, confidentiality_checked?, versions?: {id: version}}`` → 200
    ``{results: [{id, status, state?, version?, error?}]}``; each item answers as the single-item call would.

    ``{name: "move", items, column: <column code>, versions?}`` moves drafts and returned items to the column,
    each checked as an edit of its column would be (version, permission, the column accepts the item's type,
    the one-place rule)."""
    data = json_body(required=("name", "items"))
    expect_types(data, BULK_INPUTS)
    unknown = set(data) - set(BULK_INPUTS)
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    if data["name"] == MOVE:
        return _move(data)
    if "column" in data:
        raise ValidationError("column 只用于批量移动（name 为 move）", fields={"column": "unexpected"})
    ids = clean_ids(data["items"])
    versions = clean_versions(data.get("versions"))
    inputs = {k: data[k] for k in ("comment", "confidentiality_checked", "to_stage") if data.get(k) is not None}
    results = fire_many(api_user(), data["name"], ids, versions=versions, **inputs)
    return _answer(results)


def _move(data):
    from cms.blueprints.api.items import _find_column

    extra = set(data) - MOVE_INPUTS
    if extra:
        raise ValidationError(f"批量移动不接受字段：{', '.join(sorted(extra))}", fields={n: "unexpected" for n in extra})
    if not (data.get("column") or "").strip():
        raise ValidationError("请指定目标栏目（column：栏目代码）", fields={"column": "required"})
    ids = clean_ids(data["items"])
    versions = clean_versions(data.get("versions"))
    column = _find_column(api_user(), data["column"].strip())
    results = move_many(api_user(), ids, column.id, versions=versions)
    return _answer(results)


def _answer(results):
    return jsonify(results=[r.to_json() for r in results],
                   succeeded=sum(1 for r in results if r.ok), refused=sum(1 for r in results if not r.ok))


def _document():
    from cms.blueprints.api.openapi import PATHS, SECURED, _errors, _json

    result = {"type": "object", "required": ["id", "status"], "properties": {
        "id": {"type": "integer"}, "status": {"type": "integer", "enum": [200, 403, 404, 409, 422, 423]},
        "state": {"type": "string"}, "version": {"type": "integer"},
        "error": {"type": "object", "properties": {"code": {"type": "string"}, "message": {"type": "string"},
                                                   "fields": {"type": "object"}}}}}
    PATHS["/transitions"] = {"post": {
        "summary": "Fire one transition on several items, each on its own (one refusal does not stop the others); "
                   "name \"move\" with column moves them to another column",
        "security": SECURED,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["name", "items"],
            "properties": {"name": {"type": "string", "description": "a transition name, or \"move\""},
                           "items": {"type": "array", "items": {"type": "integer"}, "minItems": 1, "maxItems": 100},
                           "comment": {"type": "string"}, "confidentiality_checked": {"type": "boolean"},
                           "to_stage": {"type": "string"},
                           "column": {"type": "string", "description": "target column code; only with name \"move\""},
                           "versions": {"type": "object", "additionalProperties": {"type": "integer"},
                                        "description": "{item id: the version decided on}; stale → that item 409"}}}}}},
        "responses": {"200": _json({"type": "object", "properties": {
            "results": {"type": "array", "items": result},
            "succeeded": {"type": "integer"}, "refused": {"type": "integer"}}}), **_errors(400, 401, 422)}}}


_document()

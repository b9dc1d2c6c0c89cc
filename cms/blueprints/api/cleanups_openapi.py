"""OpenAPI entries of the cleanup, validity and interpretation-setting routes, and the item fields they add."""
from cms.blueprints.api.openapi import ITEM_FIELDS, PATHS, SCHEMAS, ITEM_ID, SECURED, _errors, _json, _ref

FORM = {"type": ["string", "null"], "enum": ["text", "graphic", "video", "expert", "press_conference", None],
        "description": "interpretations only: 文字解读, 图解, 视频解读 (needs a video/mp4 attachment and an image "
                       "poster at submit), 专家解读, 新闻发布会解读"}
if "cleanup" not in ITEM_FIELDS["type"]["enum"]:
    ITEM_FIELDS["type"]["enum"].append("cleanup")
for schema in ("ItemInput", "ItemPatch"):
    SCHEMAS[schema]["properties"]["interpretation_form"] = FORM
SCHEMAS["Item"]["properties"].update({
    "interpretation_form": FORM,
    "interpreted_by": {"type": "array", "items": {"type": "integer"},
                       "description": "documents other than interpretations and cleanup lists: the interpretations"},
    "interpretation_due": {"type": ["object", "null"], "description": "lag mode: by when the interpretation is due",
                           "properties": {"due_at": {"type": ["string", "null"], "format": "date-time"},
                                          "reminded": {"type": "boolean"}, "overdue": {"type": "boolean"},
                                          "satisfied_at": {"type": ["string", "null"], "format": "date-time"},
                                          "interpretation": {"type": ["integer", "null"]}}},
    "replaced_by": {"type": ["integer", "null"], "description": "validity amended: the replacing document"},
    "validity_changed_on": {"type": ["string", "null"], "format": "date"},
    "decisions": {"type": "array", "items": _ref("CleanupDecision"), "description": "cleanup lists only"},
})
SCHEMAS["CleanupDecision"] = {
    "type": "object", "required": ["item_id", "outcome"],
    "properties": {"item_id": {"type": "integer"}, "outcome": {"type": "string", "enum": ["keep", "amend", "repeal", "expire"]},
                   "replaced_by": {"type": ["integer", "null"], "description": "amend: a published document"},
                   "note": {"type": ["string", "null"], "maxLength": 500},
                   "applied_at": {"type": ["string", "null"], "format": "date-time", "readOnly": True}},
}
SETTING = {"type": "object", "properties": {
    "item_types": {"type": "array", "items": {"type": "string"}}, "include_normative": {"type": "boolean"},
    "mode": {"type": "string", "enum": ["sync", "lag"]}, "lag_days": {"type": "integer", "minimum": 0, "maximum": 60},
    "organization_id": {"type": "integer", "writeOnly": True},
    "version": {"type": "integer", "description": "0 until first saved; send it back on PUT (stale → 409)"}}}

PATHS.update({
    "/cleanups": {"post": {
        "summary": "Draft a cleanup list (规范性文件清理结果): an item of type cleanup in column policies; on "
                   "publication each listed document's validity changes (422 names offending item ids in "
                   "error.items)", "security": SECURED,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["title", "decisions"],
            "properties": {"title": {"type": "string"}, "body_html": {"type": "string"}, "section": {"type": "string"},
                           "organization_id": {"type": "integer"},
                           "decisions": {"type": "array", "items": _ref("CleanupDecision")}}}}}},
        "responses": {"201": _json(_ref("Item"), "Created"), **_errors(400, 401, 403, 413, 422)}}},
    "/items/{item_id}/validity": {"post": {
        "summary": "The office changes a published document's validity (有效性), with its trace", "security": SECURED,
        "parameters": ITEM_ID,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["validity"],
            "properties": {"validity": {"type": "string", "enum": ["valid", "expired", "abolished", "amended"]},
                           "replaced_by": {"type": "integer"}, "note": {"type": "string", "maxLength": 500},
                           "version": {"type": "integer"}}}}}},
        "responses": {"200": _json(_ref("Item")), **_errors(400, 401, 403, 404, 409, 422)}}},
    "/interpretation-setting": {
        "get": {"summary": "What needs an interpretation, and sync or lag mode", "security": SECURED,
                "responses": {"200": _json(SETTING), **_errors(401, 403, 422)}},
        "put": {"summary": "Change the interpretation setting (office or admin)", "security": SECURED,
                "requestBody": {"required": True, "content": {"application/json": {"schema": SETTING}}},
                "responses": {"200": _json(SETTING), **_errors(400, 401, 403, 409, 422)}},
    },
})

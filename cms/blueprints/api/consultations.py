"""Consultations (意见征集): the public's comments, moderation and handling, closing, export and feedback."""
from urllib.parse import quote

from flask import Response, jsonify

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.openapi import ITEM_FIELDS, ITEM_ID, PATHS, SCHEMAS, SECURED, _errors, _json, _ref
from cms.blueprints.api.parsing import expect_types, json_body
from cms.consultations import closing, comments, export, feedback, records
from cms.consultations.access import can_see, require_manager
from cms.consultations.limits import COMMENT_BUDGET
from cms.consultations.periods import clean_consultation
from cms.errors import NotFound, ValidationError
from cms.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---------------------------------------------------------------- the item API's ``consultation`` field

def consultation_input(data):
    """Pop and validate the ``consultation`` object of an items API body (None when absent)."""
    if "consultation" not in data:
        return None
    return clean_consultation(data.pop("consultation"))


def save_item_consultation(item, values, original=None):
    records.save_consultation(item, values, original=original)


def item_consultation_json(item):
    return records.to_json(records.record_of(item)) if item.type == "consultation" else None


# ---------------------------------------------------------------- routes

def _staff_consultation(item_id):
    """The consultation for a staff caller of its organization (any state but a working copy)."""
    item, record = closing.get_consultation(item_id, public=False)
    if not can_see(api_user(), item):
        raise NotFound("意见征集不存在或您无权查看")
    return item, record


def consultation_to_json(item, record):
    from cms.consultations.feedback import counts

    return {"id": item.id, "title": item.title, "state": item.state, "section": item.section.code,
            **records.to_json(record), "feedback_overdue": closing.is_feedback_overdue(record),
            "counts": {k: v for k, v in counts(item.id).items() if k not in ("not_adopted_reasons",)}}


@bp.post("/consultations/<int:item_id>/comments")
@COMMENT_BUDGET.limit(spend_when=lambda response: response.status_code == 201)
def consultation_comment_create(item_id):
    """A comment from the public: no token, rate-limited with the public forms."""
    item, record = closing.get_consultation(item_id)
    data = json_body()
    comment = comments.submit_comment(item, record, data, channel="api")
    db.session.commit()
    return jsonify(id=comment.id, state=comment.state), 201


@bp.get("/consultations/<int:item_id>/comments")
@token_required
def consultation_comment_list(item_id):
    user = api_user()
    item, _record = _staff_consultation(item_id)
    return jsonify(comments=[comments.comment_to_json(c, user) for c in comments.comments_of(item.id)])


@bp.get("/consultations")
@token_required
def consultation_list():
    from cms.consultations.staff import visible_consultations

    return jsonify(consultations=[consultation_to_json(i, r) for i, r in visible_consultations(api_user())])


@bp.get("/consultations/<int:item_id>")
@token_required
def consultation_get(item_id):
    return jsonify(consultation_to_json(*_staff_consultation(item_id)))


@bp.post("/comments/<int:comment_id>/transitions")
@token_required
def comment_transition(comment_id):
    user = api_user()
    comment = comments.get_comment_for(user, comment_id)
    data = json_body(required=("name",))
    expect_types(data, {"name": str, "reason": str, "version": int})
    unknown = set(data) - {"name", "reason", "version"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    comments.moderate(user, comment, data["name"], data.get("reason"), data.get("version"))
    db.session.commit()
    return jsonify(comments.comment_to_json(comment, user))


@bp.patch("/comments/<int:comment_id>")
@token_required
def comment_update(comment_id):
    user = api_user()
    comment = comments.get_comment_for(user, comment_id)
    data = json_body(required=("handling",))
    expect_types(data, {"handling": str, "reason": str, "theme": str, "version": int})
    comments.handle(user, comment, data)
    db.session.commit()
    return jsonify(comments.comment_to_json(comment, user))


@bp.post("/consultations/<int:item_id>/close")
@token_required
def consultation_close(item_id):
    user = api_user()
    item, record = _staff_consultation(item_id)
    data = json_body(required=("reason",))
    expect_types(data, {"reason": str, "version": int})
    closing.close_early(user, item, record, data["reason"], data.get("version"))
    db.session.commit()
    return jsonify(consultation_to_json(item, record))


@bp.post("/consultations/<int:item_id>/extend")
@token_required
def consultation_extend(item_id):
    """``{closes_on, reason?, version?}``: the office extends the period; reopens one the queue closed."""
    from cms.consultations.extension import extend_period

    user = api_user()
    item, record = _staff_consultation(item_id)
    data = json_body(required=("closes_on",))
    expect_types(data, {"closes_on": str, "reason": str, "version": int})
    unknown = set(data) - {"closes_on", "reason", "version"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    extend_period(user, item, record, data["closes_on"], data.get("reason"), data.get("version"))
    db.session.commit()
    return jsonify(consultation_to_json(item, record))


@bp.get("/consultations/<int:item_id>/export")
@token_required
def consultation_export(item_id):
    item, _record = _staff_consultation(item_id)
    data = export.comments_xlsx(api_user(), item)
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(export.export_filename(item))}",
        "Cache-Control": "no-store"})


@bp.post("/consultations/<int:item_id>/feedback")
@token_required
def consultation_feedback(item_id):
    from cms.blueprints.api.items import item_to_json

    user = api_user()
    item, record = _staff_consultation(item_id)
    require_manager(user, item)
    created = feedback.create_feedback(user, item, record)
    db.session.commit()
    return jsonify(item=item_to_json(created), consultation=consultation_to_json(item, record)), 201


@bp.get("/consultation-settings")
@token_required
def consultation_settings_get():
    from cms.consultations.staff import settings_for

    return jsonify(settings_for(api_user()))


@bp.put("/consultation-settings")
@token_required
def consultation_settings_put():
    from cms.consultations.staff import update_settings

    data = json_body(required=("feedback_working_days",))
    expect_types(data, {"feedback_working_days": int})
    result = update_settings(api_user(), data)
    db.session.commit()
    return jsonify(result)


# ---------------------------------------------------------------- OpenAPI

CONSULTATION_FIELD = {
    "type": ["object", "null"],
    "description": "type consultation only: the comment period. major_decision ≥ 30 days, normative ≥ 7 working "
                   "days (both ends counted); a shorter period needs shortened_reason (shown publicly), else 422",
    "required": ["kind", "opens_on", "closes_on"],
    "properties": {"kind": {"type": "string", "enum": ["major_decision", "normative", "other"]},
                   "opens_on": {"type": "string", "format": "date"},
                   "closes_on": {"type": "string", "format": "date"},
                   "shortened_reason": {"type": ["string", "null"], "maxLength": 1000},
                   "status": {"type": "string", "enum": ["upcoming", "open", "closed"], "readOnly": True}}}
for _name in ("ItemInput", "ItemPatch", "Item"):
    SCHEMAS[_name]["properties"]["consultation"] = CONSULTATION_FIELD
if "consultation_feedback" not in ITEM_FIELDS["type"]["enum"]:
    ITEM_FIELDS["type"]["enum"].append("consultation_feedback")

SCHEMAS["Comment"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "consultation": {"type": "integer"}, "body": {"type": "string"},
    "name": {"type": ["string", "null"], "description": "masked outside the owning section and the office"},
    "contact": {"type": ["string", "null"], "description": "masked outside the owning section and the office"},
    "wants_reply": {"type": "boolean"}, "state": {"type": "string", "enum": ["pending", "published", "rejected"]},
    "moderation_reason": {"type": ["string", "null"]},
    "handling": {"type": ["string", "null"], "enum": ["adopted", "partly", "not_adopted", "not_applicable", None]},
    "handling_reason": {"type": ["string", "null"]}, "theme": {"type": ["string", "null"]},
    "version": {"type": "integer"}, "created_at": {"type": "string", "format": "date-time"},
    "masked": {"type": "boolean"}}}
SCHEMAS["Consultation"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "state": {"type": "string"}, "section": {"type": "string"},
    "kind": {"type": "string"}, "opens_on": {"type": "string", "format": "date"},
    "closes_on": {"type": "string", "format": "date"}, "shortened_reason": {"type": ["string", "null"]},
    "status": {"type": "string", "enum": ["upcoming", "open", "closed"]},
    "closed_at": {"type": ["string", "null"], "format": "date-time"},
    "closed_early_reason": {"type": ["string", "null"]}, "feedback_item_id": {"type": ["integer", "null"]},
    "feedback_due_on": {"type": ["string", "null"], "format": "date"}, "feedback_overdue": {"type": "boolean"},
    "version": {"type": "integer"}, "counts": {"type": "object"}}}


def _body(required, properties):
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": list(required), "properties": properties}}}}


_COMMENT_ID = [{"name": "comment_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
PATHS.update({
    "/consultations": {"get": {
        "summary": "Consultations of the caller's organizations", "security": SECURED,
        "responses": {"200": _json({"type": "object", "properties": {
            "consultations": {"type": "array", "items": _ref("Consultation")}}}), **_errors(401)}}},
    "/consultations/{item_id}": {"get": {
        "summary": "A consultation with its period, status and counts", "security": SECURED, "parameters": ITEM_ID,
        "responses": {"200": _json(_ref("Consultation")), **_errors(401, 404)}}},
    "/consultations/{item_id}/comments": {
        "post": {"summary": "Comment on an open, published consultation (public: no token; rate-limited)",
                 "parameters": ITEM_ID,
                 "requestBody": _body(("body",), {"body": {"type": "string", "maxLength": 2000},
                                                  "name": {"type": "string", "maxLength": 100},
                                                  "contact": {"type": "string", "maxLength": 200},
                                                  "wants_reply": {"type": "boolean",
                                                                  "description": "contact required when true"}}),
                 "responses": {"201": _json({"type": "object", "properties": {
                     "id": {"type": "integer"}, "state": {"type": "string", "enum": ["pending"]}}}, "Created"),
                     **_errors(400, 404, 409, 422, 429)}},
        "get": {"summary": "Every comment (personal data masked outside the owning section and the office)",
                "security": SECURED, "parameters": ITEM_ID,
                "responses": {"200": _json({"type": "object", "properties": {
                    "comments": {"type": "array", "items": _ref("Comment")}}}), **_errors(401, 404)}}},
    "/comments/{comment_id}/transitions": {"post": {
        "summary": "Moderate a comment: publish or reject (the owning section or the office)", "security": SECURED,
        "parameters": _COMMENT_ID,
        "requestBody": _body(("name",), {"name": {"type": "string", "enum": ["publish", "reject"]},
                                         "reason": {"type": "string"}, "version": {"type": "integer"}}),
        "responses": {"200": _json(_ref("Comment")), **_errors(400, 401, 403, 404, 409, 422)}}},
    "/comments/{comment_id}": {"patch": {
        "summary": "Record the handling of a comment (reason required for not_adopted)", "security": SECURED,
        "parameters": _COMMENT_ID,
        "requestBody": _body(("handling",), {
            "handling": {"type": "string", "enum": ["adopted", "partly", "not_adopted", "not_applicable"]},
            "reason": {"type": "string"}, "theme": {"type": "string", "maxLength": 50},
            "version": {"type": "integer"}}),
        "responses": {"200": _json(_ref("Comment")), **_errors(400, 401, 403, 404, 409, 422)}}},
    "/consultations/{item_id}/close": {"post": {
        "summary": "Close a consultation early, with a reason shown publicly", "security": SECURED,
        "parameters": ITEM_ID,
        "requestBody": _body(("reason",), {"reason": {"type": "string"}, "version": {"type": "integer"}}),
        "responses": {"200": _json(_ref("Consultation")), **_errors(400, 401, 403, 404, 409, 422)}}},
    "/consultations/{item_id}/extend": {"post": {
        "summary": "Extend the period (the office); a consultation the queue closed is open again until the new date",
        "security": SECURED, "parameters": ITEM_ID,
        "requestBody": _body(("closes_on",), {"closes_on": {"type": "string", "format": "date"},
                                              "reason": {"type": "string", "maxLength": 1000},
                                              "version": {"type": "integer"}}),
        "responses": {"200": _json(_ref("Consultation")), **_errors(400, 401, 403, 404, 409, 422)}}},
    "/consultations/{item_id}/export": {"get": {
        "summary": "Every comment as XLSX (the owning section and the office)", "security": SECURED,
        "parameters": ITEM_ID,
        "responses": {"200": {"description": "XLSX", "content": {XLSX: {}}}, **_errors(401, 403, 404)}}},
    "/consultations/{item_id}/feedback": {"post": {
        "summary": "Draft the feedback item (意见采纳情况) of a closed consultation, prefilled with the counts",
        "security": SECURED, "parameters": ITEM_ID,
        "responses": {"201": _json({"type": "object", "properties": {
            "item": _ref("Item"), "consultation": _ref("Consultation")}}, "Created"),
            **_errors(401, 403, 404, 409, 422)}}},
    "/consultation-settings": {
        "get": {"summary": "The caller's bureau setting: working days allowed for the feedback",
                "security": SECURED, "responses": {"200": _json({"type": "object"}), **_errors(401, 403)}},
        "put": {"summary": "Change the working days allowed for the feedback (office or administrator)",
                "security": SECURED,
                "requestBody": _body(("feedback_working_days",), {"feedback_working_days": {
                    "type": "integer", "minimum": 1, "maximum": 120}}),
                "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 403, 422)}}},
})

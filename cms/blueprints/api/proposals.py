"""NPC suggestions and CPPCC proposals: registration, opinions, the reply, feedback, the letter and the summary."""
from flask import Response, jsonify, request
from urllib.parse import quote

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.incidents import _body
from cms.blueprints.api.openapi import PATHS, SCHEMAS, SECURED, _errors, _json, _ref
from cms.blueprints.api.parsing import json_body
from cms.clocks.letters import letter_filename, render_reply_docx
from cms.clocks.people import member_org_ids
from cms.clocks.proposals import (
    add_opinion,
    create_proposal,
    get_proposal_for,
    record_feedback,
    submit_reply,
    summary,
    visible_proposals,
)
from cms.accounts.models import Section
from cms.clock import local_today
from cms.errors import ValidationError
from cms.extensions import db


def _iso(value):
    return value.isoformat() if value else None


def proposal_to_json(p):
    co = {s.id: s.code for s in Section.query.filter(Section.id.in_(p.co_section_ids or [-1]))}
    return {
        "id": p.id, "kind": p.kind, "session": p.session, "number": p.number, "title": p.title,
        "proposer": p.proposer, "lead_section": p.lead_section.code,
        "co_sections": [co[i] for i in p.co_section_ids or [] if i in co],
        "assigned_on": _iso(p.assigned_on), "due_on": _iso(p.due_on), "co_due_on": _iso(p.co_due_on),
        "state": p.state, "category": p.category, "disclosure": p.disclosure,
        "withheld_reason": p.withheld_reason, "reply_item_id": p.reply_item_id,
        "reply_html": p.reply_html, "summary_html": p.summary_html,
        "replied_on": _iso(p.replied_on), "late": p.replied_late,
        "satisfaction": p.satisfaction, "feedback_note": p.feedback_note, "reopened_count": p.reopened_count,
        "opinions": [{"section": o.section.code, "body": o.body, "author": o.author.username,
                      "at": o.created_at.isoformat() + "Z"} for o in p.opinions],
    }


@bp.post("/proposals")
@token_required
def proposal_create():
    proposal = create_proposal(api_user(), json_body())
    db.session.commit()
    return jsonify(proposal_to_json(proposal)), 201


@bp.get("/proposals")
@token_required
def proposal_list():
    year = _year_arg(required=False)
    return jsonify(proposals=[proposal_to_json(p) for p in visible_proposals(api_user(), year)])


def _year_arg(required=True):
    raw = request.args.get("year")
    if raw in (None, ""):
        return local_today().year if required else None
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise ValidationError("year 应为 2000–2100 的年份", fields={"year": "invalid"})
    return int(raw)


@bp.get("/proposals/summary")
@token_required
def proposal_summary():
    year = _year_arg()
    return jsonify(year=year, kinds=summary(member_org_ids(api_user()), year))


@bp.get("/proposals/<int:proposal_id>")
@token_required
def proposal_get(proposal_id):
    return jsonify(proposal_to_json(get_proposal_for(api_user(), proposal_id)))


@bp.post("/proposals/<int:proposal_id>/opinions")
@token_required
def proposal_opinion(proposal_id):
    user = api_user()
    proposal = get_proposal_for(user, proposal_id)
    add_opinion(user, proposal, json_body())
    db.session.commit()
    return jsonify(proposal_to_json(proposal)), 201


@bp.post("/proposals/<int:proposal_id>/reply")
@token_required
def proposal_reply(proposal_id):
    from cms.blueprints.api.items import item_to_json

    user = api_user()
    proposal = get_proposal_for(user, proposal_id)
    item = submit_reply(user, proposal, json_body())
    db.session.commit()
    return jsonify(proposal=proposal_to_json(proposal), item=item_to_json(item)), 201


@bp.post("/proposals/<int:proposal_id>/feedback")
@token_required
def proposal_feedback(proposal_id):
    user = api_user()
    proposal = get_proposal_for(user, proposal_id)
    record_feedback(user, proposal, json_body())
    db.session.commit()
    return jsonify(proposal_to_json(proposal))


@bp.get("/proposals/<int:proposal_id>/letter")
@token_required
def proposal_letter(proposal_id):
    proposal = get_proposal_for(api_user(), proposal_id)
    data = render_reply_docx(proposal)
    return Response(data, mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(letter_filename(proposal))}"})


SCHEMAS["Proposal"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["npc_suggestion", "cppcc_proposal"]},
    "session": {"type": "string"}, "number": {"type": "string"}, "title": {"type": "string"},
    "proposer": {"type": "string"}, "lead_section": {"type": "string"},
    "co_sections": {"type": "array", "items": {"type": "string"}},
    "assigned_on": {"type": "string", "format": "date"}, "due_on": {"type": "string", "format": "date"},
    "co_due_on": {"type": "string", "format": "date"},
    "state": {"type": "string", "enum": ["assigned", "replying", "replied", "reopened"]},
    "category": {"type": ["string", "null"]}, "disclosure": {"type": ["string", "null"]},
    "replied_on": {"type": ["string", "null"], "format": "date"}, "late": {"type": ["boolean", "null"]},
    "satisfaction": {"type": ["string", "null"]}, "reply_item_id": {"type": ["integer", "null"]},
    "reply_html": {"type": ["string", "null"]}, "summary_html": {"type": ["string", "null"]},
    "withheld_reason": {"type": ["string", "null"]}, "reopened_count": {"type": "integer"},
    "opinions": {"type": "array", "items": {"type": "object"}}}}
_ID = [{"name": "proposal_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
_YEAR = [{"name": "year", "in": "query", "required": False, "schema": {"type": "integer"}}]

PATHS.update({
    "/proposals": {
        "post": {"summary": "Register an assigned NPC suggestion or CPPCC proposal", "security": SECURED,
                 "requestBody": _body(("kind", "session", "number", "title", "proposer", "lead_section",
                                       "assigned_on"), {
                     "kind": {"type": "string", "enum": ["npc_suggestion", "cppcc_proposal"]},
                     "session": {"type": "string"}, "number": {"type": ["string", "integer"]},
                     "title": {"type": "string"}, "proposer": {"type": "string"},
                     "lead_section": {"type": "string"},
                     "co_sections": {"type": "array", "items": {"type": "string"}},
                     "assigned_on": {"type": "string", "format": "date"}}),
                 "responses": {"201": _json(_ref("Proposal"), "Created"), **_errors(400, 401, 403, 409, 422)}},
        "get": {"summary": "Proposals of the caller's organization", "security": SECURED, "parameters": _YEAR,
                "responses": {"200": _json({"type": "object", "properties": {
                    "proposals": {"type": "array", "items": _ref("Proposal")}}}), **_errors(401, 422)}},
    },
    "/proposals/summary": {"get": {
        "summary": "The year's figures by kind, category, on time, disclosure and satisfaction",
        "security": SECURED, "parameters": _YEAR,
        "responses": {"200": _json({"type": "object"}), **_errors(401, 422)}}},
    "/proposals/{proposal_id}": {"get": {
        "summary": "A proposal", "security": SECURED, "parameters": _ID,
        "responses": {"200": _json(_ref("Proposal")), **_errors(401, 404)}}},
    "/proposals/{proposal_id}/opinions": {"post": {
        "summary": "A co-section's opinion (its chief)", "security": SECURED, "parameters": _ID,
        "requestBody": _body(("section", "body"), {"section": {"type": "string"}, "body": {"type": "string"}}),
        "responses": {"201": _json(_ref("Proposal"), "Created"), **_errors(400, 401, 403, 404, 409, 422)}}},
    "/proposals/{proposal_id}/reply": {"post": {
        "summary": "Draft the reply as a proposal_reply item (reviewed like any item)", "security": SECURED,
        "parameters": _ID,
        "requestBody": _body(("category", "reply_html", "disclosure"), {
            "category": {"type": "string", "enum": ["A", "B", "C"]}, "reply_html": {"type": "string"},
            "disclosure": {"type": "string", "enum": ["full", "summary", "withheld"]},
            "summary_html": {"type": "string"}, "withheld_reason": {"type": "string"}}),
        "responses": {"201": _json({"type": "object", "properties": {
            "proposal": _ref("Proposal"), "item": _ref("Item")}}, "Created"),
            **_errors(400, 401, 403, 404, 409, 422)}}},
    "/proposals/{proposal_id}/feedback": {"post": {
        "summary": "The proposer's satisfaction; unsatisfied reopens with one more month", "security": SECURED,
        "parameters": _ID,
        "requestBody": _body(("satisfaction",), {
            "satisfaction": {"type": "string", "enum": ["satisfied", "basically_satisfied", "unsatisfied"]},
            "note": {"type": "string"}}),
        "responses": {"200": _json(_ref("Proposal")), **_errors(400, 401, 403, 404, 409, 422)}}},
    "/proposals/{proposal_id}/letter": {"get": {
        "summary": "The reply letter (DOCX, official layout)", "security": SECURED, "parameters": _ID,
        "responses": {"200": {"description": "DOCX", "content": {
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {}}},
            **_errors(401, 404, 409)}}},
})

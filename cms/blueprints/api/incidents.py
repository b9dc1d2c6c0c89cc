"""Responses to public concerns: incidents, their clocks and milestones."""
from flask import jsonify, request

from cms import clock
from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.openapi import PATHS, SCHEMAS, SECURED, _errors, _json, _ref
from cms.blueprints.api.parsing import json_body
from cms.clock import to_local
from cms.clocks.incidents import (
    create_incident,
    get_incident_for,
    link_item_for,
    record_milestone,
    visible_incidents,
)
from cms.extensions import db


def _local(value):
    return to_local(value).isoformat() if value else None


def incident_to_json(incident, now=None):
    now = now or clock.utcnow()
    return {
        "id": incident.id,
        "title": incident.title,
        "level": incident.level,
        "section": incident.section.code,
        "summary": incident.summary,
        "discovered_at": _local(incident.discovered_at),
        "open": incident.is_open,
        "clocks": [{
            "kind": c.kind,
            "hours": c.hours,
            "due_at": _local(c.due_at),
            "status": c.status(now),
            "met_at": _local(c.met_at),
            "item_id": c.item_id,
            "note": c.note,
        } for c in incident.clocks],
    }


@bp.post("/incidents")
@token_required
def incident_create():
    incident = create_incident(api_user(), json_body())
    db.session.commit()
    return jsonify(incident_to_json(incident)), 201


@bp.get("/incidents")
@token_required
def incident_list():
    incidents = visible_incidents(api_user(), request.args.get("state"))
    now = clock.utcnow()
    return jsonify(incidents=[incident_to_json(i, now) for i in incidents])


@bp.get("/incidents/<int:incident_id>")
@token_required
def incident_get(incident_id):
    return jsonify(incident_to_json(get_incident_for(api_user(), incident_id)))


@bp.post("/incidents/<int:incident_id>/milestones")
@token_required
def incident_milestone(incident_id):
    user = api_user()
    incident = get_incident_for(user, incident_id)
    record_milestone(user, incident, json_body())
    db.session.commit()
    return jsonify(incident_to_json(incident)), 201


@bp.post("/incidents/<int:incident_id>/items")
@token_required
def incident_link_item(incident_id):
    user = api_user()
    incident = get_incident_for(user, incident_id)
    link_item_for(user, incident, json_body())
    db.session.commit()
    return jsonify(incident_to_json(incident)), 201


_CLOCK = {"type": "object", "properties": {
    "kind": {"type": "string", "enum": ["authoritative_info", "press_conference", "response"]},
    "hours": {"type": "integer"}, "due_at": {"type": "string", "format": "date-time"},
    "status": {"type": "string", "enum": ["open", "met", "met_late", "overdue"]},
    "met_at": {"type": ["string", "null"], "format": "date-time"}, "item_id": {"type": ["integer", "null"]},
    "note": {"type": ["string", "null"]}}}
SCHEMAS["Incident"] = {"type": "object", "properties": {
    "id": {"type": "integer"}, "title": {"type": "string"}, "level": {"type": "string", "enum": ["major", "other"]},
    "section": {"type": "string"}, "summary": {"type": ["string", "null"]},
    "discovered_at": {"type": "string", "format": "date-time", "description": "Beijing time (+08:00)"},
    "open": {"type": "boolean"}, "clocks": {"type": "array", "items": _CLOCK}}}
_ID = [{"name": "incident_id", "in": "path", "required": True, "schema": {"type": "integer"}}]


def _body(required, properties):
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": list(required), "properties": properties}}}}


PATHS.update({
    "/incidents": {
        "post": {"summary": "Register a public concern (office, office head, leaders, director) and start its clocks",
                 "security": SECURED,
                 "requestBody": _body(("title", "level", "discovered_at", "section"), {
                     "title": {"type": "string"}, "level": {"type": "string", "enum": ["major", "other"]},
                     "discovered_at": {"type": "string", "description": "ISO 8601; Beijing time when no offset"},
                     "section": {"type": "string"}, "summary": {"type": "string"}}),
                 "responses": {"201": _json(_ref("Incident"), "Created"), **_errors(400, 401, 403, 422)}},
        "get": {"summary": "Incidents of the caller's organization", "security": SECURED,
                "parameters": [{"name": "state", "in": "query", "required": False,
                                "schema": {"type": "string", "enum": ["open", "closed"]}}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "incidents": {"type": "array", "items": _ref("Incident")}}}), **_errors(401, 422)}},
    },
    "/incidents/{incident_id}": {"get": {
        "summary": "An incident with each clock's status", "security": SECURED, "parameters": _ID,
        "responses": {"200": _json(_ref("Incident")), **_errors(401, 404)}}},
    "/incidents/{incident_id}/milestones": {"post": {
        "summary": "Meet a clock (item_id: a published response item)", "security": SECURED, "parameters": _ID,
        "requestBody": _body(("kind", "at"), {
            "kind": {"type": "string"}, "at": {"type": "string", "description": "ISO 8601; Beijing time when no offset"},
            "item_id": {"type": "integer"}, "note": {"type": "string"}}),
        "responses": {"201": _json(_ref("Incident"), "Created"), **_errors(400, 401, 403, 404, 409, 422)}}},
    "/incidents/{incident_id}/items": {"post": {
        "summary": "Link a response item in preparation (it is urgent while the incident is open)",
        "security": SECURED, "parameters": _ID,
        "requestBody": _body(("item_id",), {"item_id": {"type": "integer"}}),
        "responses": {"201": _json(_ref("Incident"), "Created"), **_errors(400, 401, 403, 404, 422)}}},
})

"""The OpenAPI 3.1 document of API v1, kept next to the routes it describes.

Other modules add their paths with ``PATHS.update(...)``; a test checks that every API route is
documented and every documented path exists.
"""

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object"},
                "conflicts": {"type": "array", "items": {"$ref": "#/components/schemas/ItemRef"}},
            },
        }
    },
}

ITEM_FIELDS = {
    "column": {"type": "string", "description": "column code, e.g. notices"},
    "type": {"type": "string", "enum": ["org_info", "policy", "interpretation", "plan", "notice", "news", "budget",
                                        "proposal_reply", "personnel", "enforcement", "consultation", "response",
                                        "annual_report", "guide"]},
    "title": {"type": "string", "maxLength": 500},
    "body_html": {"type": "string", "description": "sanitized server-side"},
    "disclosure": {"type": "string", "enum": ["proactive", "on_request", "withheld"]},
    "withheld_reason": {"type": "string"},
    "doc_number": {"type": "string"},
    "written_date": {"type": "string", "format": "date"},
    "five_public": {"type": "string", "enum": ["decision", "execution", "management", "service", "result"]},
    "topic": {"type": "string"},
    "summary": {"type": "string"},
    "normative": {"type": "boolean"},
    "interprets": {"type": ["integer", "null"], "description": "for an interpretation: the id of the policy it interprets"},
    "section": {"type": "string", "description": "section code, when the caller edits for several sections"},
    "enforcement": {"type": ["object", "null"], "description": "双公示 record of an enforcement item",
                    "required": ["kind", "decision_no", "decided_on", "party", "party_type", "summary"],
                    "properties": {
                        "kind": {"type": "string", "enum": ["license", "penalty", "coercion"]},
                        "decision_no": {"type": "string", "maxLength": 100},
                        "decided_on": {"type": "string", "format": "date"},
                        "party": {"type": "string", "maxLength": 200},
                        "party_type": {"type": "string", "enum": ["person", "organization"]},
                        "party_id": {"type": ["string", "null"], "maxLength": 40},
                        "summary": {"type": "string", "maxLength": 2000},
                        "due_on": {"type": ["string", "null"], "format": "date", "readOnly": True,
                                   "description": "decided_on + 7 working days"}}},
    "budget": {"type": ["object", "null"], "description": "type budget only: 预决算 figures, amounts in 万元 with "
               "two decimals (JSON numbers or strings; negative or malformed → 422); due_on = approved_on + 20 days",
               "properties": {
                   "fiscal_year": {"type": "integer"}, "kind": {"type": "string", "enum": ["budget", "final_accounts"]},
                   "approved_on": {"type": "string", "format": "date"},
                   "three_public": {"type": "object", "required": ["overseas_travel", "vehicle_purchase",
                                                                     "vehicle_operation", "reception"],
                                    "properties": {k: {"type": ["string", "number"]} for k in (
                                        "overseas_travel", "vehicle_purchase", "vehicle_operation", "reception")}},
                   "operating_expenses": {"type": ["string", "number", "null"]},
                   "due_on": {"type": "string", "format": "date", "readOnly": True},
                   "late": {"type": "boolean", "readOnly": True}}},
}

# Scheduled publication and expiry (PATCH /items/{id}): ISO 8601 with an offset, Beijing time when none.
SCHEDULE_PROPERTIES = {
    "publish_at": {"type": ["string", "null"], "format": "date-time",
                   "description": "goes live then (state scheduled after the final sign-off); not in the past"},
    "expires_at": {"type": ["string", "null"], "format": "date-time",
                   "description": "validity becomes expired then; after publish_at and not in the past"},
}
SCHEMAS = {
    "Error": ERROR,
    "ItemRef": {
        "type": "object",
        "description": "another item that is the same information; id and title only when the caller may read it",
        "properties": {"id": {"type": "integer"}, "column": {"type": "string"}, "title": {"type": "string"},
                       "state": {"type": "string", "enum": ["published", "pending"]},
                       "rule": {"type": "string", "enum": ["doc_number", "body", "title_date", "near_duplicate"]}},
    },
    "OnePlaceWarning": {
        "type": "object",
        "description": "a near-duplicate in the same column: revise the existing item instead of adding one",
        "properties": {"id": {"type": "integer"}, "column": {"type": "string"}, "title": {"type": "string"},
                       "state": {"type": "string"}, "rule": {"type": "string"}, "message": {"type": "string"}},
    },
    "ItemInput": {"type": "object", "required": ["column", "title"], "properties": ITEM_FIELDS},
    "ItemPatch": {
        "type": "object", "required": ["version"],
        "properties": {"version": {"type": "integer"}, "validity": {"type": "string"},
                       **{k: v for k, v in ITEM_FIELDS.items() if k != "section"}, **SCHEDULE_PROPERTIES},
    },
    "Item": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "state": {"type": "string"}, "version": {"type": "integer"},
            "workflow": {"type": "string"}, "index_no": {"type": ["string", "null"]},
            "published_at": {"type": ["string", "null"], "format": "date-time"},
            "validity": {"type": "string"}, "author": {"type": "string"},
            "working_copy_of": {"type": ["integer", "null"]}, "url": {"type": ["string", "null"]},
            "enforcement_late": {"type": ["boolean", "null"]},
            "stage": {"oneOf": [{"type": "null"}, {"$ref": "#/components/schemas/Stage"}],
                      "description": "the review stage the item waits in"},
            "urgent": {"type": "boolean", "description": "linked to an open incident: reviewed in hours"},
            "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/OnePlaceWarning"}},
            **{k: v for k, v in ITEM_FIELDS.items()}, **SCHEDULE_PROPERTIES,
        },
    },
    "Column": {
        "type": "object",
        "properties": {"code": {"type": "string"}, "name": {"type": "string"}, "parent": {"type": ["string", "null"]},
                       "accepts": {"type": "array", "items": {"type": "string"}}, "workflow": {"type": "string"}},
    },
    "Transition": {"type": "object", "properties": {"name": {"type": "string"}, "title": {"type": "string"}}},
}


def _ref(name):
    return {"$ref": f"#/components/schemas/{name}"}


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _errors(*codes):
    text = {400: "malformed JSON", 401: "missing or invalid token", 403: "the guard refuses", 404: "not found",
            409: "the item changed (stale version)", 413: "body too large", 422: "validation or condition failed",
            429: "too many failed attempts", 423: "someone else holds the edit lock"}
    return {str(code): _json(_ref("Error"), text[code]) for code in codes}


SECURED = [{"bearer": []}]
ITEM_ID = [{"name": "item_id", "in": "path", "required": True, "schema": {"type": "integer"}}]

PATHS = {
    "/": {"get": {"summary": "API index", "responses": {"200": _json({"type": "object"})}}},
    "/openapi.json": {"get": {"summary": "This document", "responses": {"200": _json({"type": "object"})}}},
    "/tokens": {"post": {
        "summary": "Exchange username and password for a bearer token",
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["username", "password"],
            "properties": {"username": {"type": "string"}, "password": {"type": "string"}}}}}},
        "responses": {"201": _json({"type": "object", "properties": {
            "token": {"type": "string"}, "expires_at": {"type": "string", "format": "date-time"}}}, "Created"),
            **_errors(400, 401, 422, 429)},
    }, "delete": {
        "summary": "Revoke the bearer token of this request (it answers 401 afterwards)", "security": SECURED,
        "responses": {"204": {"description": "Revoked"}, **_errors(401)},
    }},
    "/tokens/revoke-all": {"post": {
        "summary": "Log out everywhere: end every browser session and revoke every token of the token's user",
        "security": SECURED,
        "responses": {"204": {"description": "All sessions and tokens ended"}, **_errors(401)},
    }},
    "/columns": {"get": {"summary": "Columns of the caller's organization", "security": SECURED,
                         "responses": {"200": _json({"type": "array", "items": _ref("Column")}), **_errors(401)}}},
    "/items": {"post": {"summary": "Draft an item", "security": SECURED,
                        "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ItemInput")}}},
                        "responses": {"201": _json(_ref("Item"), "Created"), **_errors(400, 401, 403, 413, 422)}}},
    "/items/{item_id}": {
        "get": {"summary": "An item the caller may see", "security": SECURED, "parameters": ITEM_ID,
                "responses": {"200": _json(_ref("Item")), **_errors(401, 404)}},
        "patch": {"summary": "Edit an item (a published item gets a working copy)", "security": SECURED,
                  "parameters": ITEM_ID,
                  "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("ItemPatch")}}},
                  "responses": {"200": _json(_ref("Item")), **_errors(400, 401, 403, 404, 409, 422, 423)}},
    },
    "/items/{item_id}/lock": {
        "post": {"summary": "Take or renew the edit lock (take_over: admin or section chief)", "security": SECURED,
                 "parameters": ITEM_ID,
                 "requestBody": {"required": False, "content": {"application/json": {"schema": {
                     "type": "object", "properties": {"take_over": {"type": "boolean"}}}}}},
                 "responses": {"200": _json({"type": "object", "properties": {
                     "holder": {"type": "string"}, "holder_name": {"type": "string"},
                     "acquired_at": {"type": "string"}, "expires_at": {"type": "string"}}}),
                     **_errors(401, 403, 404, 409)}},
        "delete": {"summary": "Release the caller's edit lock", "security": SECURED, "parameters": ITEM_ID,
                   "responses": {"204": {"description": "released"}, **_errors(401, 404)}},
    },
    "/items/{item_id}/transitions": {
        "get": {"summary": "Transitions available to the caller now", "security": SECURED, "parameters": ITEM_ID,
                "responses": {"200": _json({"type": "object", "properties": {
                    "transitions": {"type": "array", "items": _ref("Transition")}}}), **_errors(401, 404)}},
        "post": {"summary": "Fire a transition", "security": SECURED, "parameters": ITEM_ID,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "required": ["name"],
                     "properties": {"name": {"type": "string"}, "comment": {"type": "string"},
                                    "confidentiality_checked": {"type": "boolean"},
                                    "checklist": {"type": "array", "items": {"type": "string", "enum": [
                                        "no_secrets", "no_private", "not_internal", "disclosure_ok"]},
                                        "description": "保密审查 ticks at the confidentiality stage"},
                                    "to_stage": {"type": "string",
                                                 "description": "with return: an earlier stage's code"},
                                    "version": {"type": "integer", "description":
                                                "the item's version the decision was made on; stale → 409"}}}}}},
                 "responses": {"200": _json(_ref("Item")), **_errors(400, 401, 403, 404, 409, 422)}},
    },
    "/items/{item_id}/history": {"get": {
        "summary": "The item's workflow history", "security": SECURED, "parameters": ITEM_ID,
        "responses": {"200": _json({"type": "object", "properties": {"entries": {"type": "array", "items": {
            "type": "object", "properties": {"transition": {"type": "string"}, "from": {"type": ["string", "null"]},
                                             "to": {"type": "string"}, "actor": {"type": ["string", "null"]},
                                             "at": {"type": "string", "format": "date-time"},
                                             "comment": {"type": ["string", "null"]},
                                             "stage": {"type": ["string", "null"]},
                                             "on_behalf_of": {"type": ["string", "null"]},
                                             "title": {"type": "string", "description": "Chinese title"},
                                             "stage_title": {"type": ["string", "null"]},
                                             "actor_name": {"type": ["string", "null"]},
                                             "checklist": {"type": "array", "items": {"type": "object", "properties": {
                                                 "code": {"type": "string"}, "label": {"type": "string"}}}}}}}}}),
                      **_errors(401, 404)}}},
    "/audit": {"get": {
        "summary": "Audit log entries (admin), newest first, with Chinese action labels", "security": SECURED,
        "parameters": [{"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
                       for n in ("actor", "action", "object", "from", "to", "page")],
        "responses": {"200": _json({"type": "object", "properties": {
            "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "entries": {"type": "array", "items": {"type": "object"}}}}), **_errors(401, 403, 422)}}},
    "/audit.csv": {"get": {
        "summary": "The filtered audit log as CSV (admin)", "security": SECURED,
        "parameters": [{"name": n, "in": "query", "required": False, "schema": {"type": "string"}}
                       for n in ("actor", "action", "object", "from", "to")],
        "responses": {"200": {"description": "CSV", "content": {"text/csv": {"schema": {"type": "string"}}}},
                      **_errors(401, 403, 422)}}},
    "/search": {"get": {
        "summary": "Search published items (public)",
        "parameters": [{"name": n, "in": "query", "required": False, "schema": {"type": t}} for n, t in (
            ("q", "string"), ("column", "string"), ("type", "string"), ("year", "integer"), ("section", "string"),
            ("sort", "string"), ("page", "integer"), ("per_page", "integer"))],
        "responses": {"200": _json({"type": "object", "properties": {
            "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
            "results": {"type": "array", "items": {"type": "object", "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"}, "url": {"type": "string"},
                "column": {"type": "string"}, "published_at": {"type": "string", "format": "date-time"},
                "snippet": {"type": "string"}}}}}})}}},
    "/worklist": {"get": {"summary": "Items waiting for the caller's action", "security": SECURED,
                          "responses": {"200": _json({"type": "object", "properties": {
                              "items": {"type": "array", "items": _ref("Item")}}}), **_errors(401)}}},
}


STAGE_SCHEMA = {
    "type": "object", "required": ["code", "title", "role"],
    "properties": {
        "code": {"type": "string", "pattern": "^[a-z][a-z0-9_]{0,23}$"}, "title": {"type": "string"},
        "role": {"type": "string", "enum": ["section_chief", "office_auditor", "leader", "director", "editor"]},
        "scope": {"type": "string", "enum": ["item_section", "sections", "organization"]},
        "sections": {"type": "array", "items": {"type": "string"}},
        "quorum": {"oneOf": [{"type": "string", "enum": ["any", "all"]}, {"type": "integer", "minimum": 1}]},
        "due": {"type": "object", "properties": {"working_days": {"type": "integer"}, "hours": {"type": "integer"}}},
        "confidentiality": {"type": "boolean"},
    },
}
SCHEMAS.update({
    "Stage": {"type": "object", "properties": {
        "code": {"type": "string"}, "title": {"type": "string"},
        "due_at": {"type": ["string", "null"], "format": "date-time"},
        "quorum": {"oneOf": [{"type": "string"}, {"type": "integer"}]},
        "approvals": {"type": "array", "items": {"type": "object", "properties": {
            "actor": {"type": "string"}, "on_behalf_of": {"type": ["string", "null"]},
            "at": {"type": "string", "format": "date-time"}}}}}},
    "WorkflowInput": {"type": "object", "required": ["code", "title", "stages"], "properties": {
        "code": {"type": "string"}, "title": {"type": "string"},
        "on_return": {"type": "string", "enum": ["resume", "restart"]},
        "stages": {"type": "array", "minItems": 1, "items": STAGE_SCHEMA}}},
    "Workflow": {"type": "object", "properties": {
        "code": {"type": "string"}, "title": {"type": "string"}, "version": {"type": "integer"},
        "on_return": {"type": "string"}, "stages": {"type": "array", "items": STAGE_SCHEMA},
        "states": {"type": "object"}, "transitions": {"type": "array", "items": {"type": "object"}}}},
    "Delegation": {"type": "object", "properties": {
        "id": {"type": "integer"}, "from": {"type": "string"}, "to": {"type": "string"},
        "starts_at": {"type": "string", "format": "date-time"}, "ends_at": {"type": "string", "format": "date-time"},
        "roles": {"type": ["array", "null"], "items": {"type": "string"}}}},
})
CODE = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]
PATHS.update({
    "/workflows": {
        "get": {"summary": "Stored review workflows (latest versions)", "security": SECURED,
                "responses": {"200": _json({"type": "object", "properties": {"workflows": {"type": "array", "items": {
                    "type": "object", "properties": {"code": {"type": "string"}, "title": {"type": "string"},
                                                     "version": {"type": "integer"}}}}}}), **_errors(401)}},
        "post": {"summary": "Create a workflow (admin)", "security": SECURED,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("WorkflowInput")}}},
                 "responses": {"201": _json(_ref("Workflow"), "Created"), **_errors(400, 401, 403, 422)}},
    },
    "/workflows/{code}": {
        "get": {"summary": "The latest version of a workflow with its compiled states", "security": SECURED,
                "parameters": CODE, "responses": {"200": _json(_ref("Workflow")), **_errors(401, 404)}},
        "put": {"summary": "Save a new version of a workflow (admin)", "security": SECURED, "parameters": CODE,
                "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("WorkflowInput")}}},
                "responses": {"200": _json(_ref("Workflow")), **_errors(400, 401, 403, 404, 422)}},
    },
    "/columns/{code}": {"patch": {
        "summary": "Set a column's workflow (admin); new items in the column follow it", "security": SECURED,
        "parameters": CODE,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["workflow"], "properties": {"workflow": {"type": "string"}}}}}},
        "responses": {"200": _json({"type": "object"}), **_errors(400, 401, 403, 404, 422)}}},
    "/delegations": {
        "get": {"summary": "Delegations the caller gave or received (admins: their organization's)",
                "security": SECURED, "responses": {"200": _json({"type": "object", "properties": {
                    "delegations": {"type": "array", "items": _ref("Delegation")}}}), **_errors(401)}},
        "post": {"summary": "Delegate review roles for a time window (代理审批)", "security": SECURED,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "required": ["to", "starts_at", "ends_at"],
                     "properties": {"from": {"type": "string"}, "to": {"type": "string"},
                                    "starts_at": {"type": "string", "format": "date-time"},
                                    "ends_at": {"type": "string", "format": "date-time"},
                                    "roles": {"type": "array", "items": {"type": "string"}}}}}}},
                 "responses": {"201": _json(_ref("Delegation"), "Created"), **_errors(400, 401, 403, 422)}},
    },
    "/delegations/{delegation_id}": {"delete": {
        "summary": "End a delegation", "security": SECURED,
        "parameters": [{"name": "delegation_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"204": {"description": "Deleted"}, **_errors(401, 403, 404)}}},
})
PATHS["/worklist"]["get"]["responses"]["200"] = _json({"type": "object", "properties": {"items": {
    "type": "array", "items": {"allOf": [_ref("Item"), {"type": "object", "properties": {
        "due_at": {"type": ["string", "null"], "format": "date-time"}, "overdue": {"type": "boolean"}}}]}},
    "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"},
    "counts": {"type": "object", "additionalProperties": {"type": "integer"},
               "description": "items waiting per stage state (whole worklist)"}}})
PATHS["/worklist"]["get"]["parameters"] = [
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
    {"name": "state", "in": "query", "schema": {"type": "string"}, "description": "one stage state (pending_…)"}]
PATHS["/worklist"]["get"]["responses"]["422"] = _errors(422)["422"]


def build_openapi():
    """Return the OpenAPI document as a dict."""
    return {
        "openapi": "3.1.0",
        "info": {"title": "政务公开 CMS API", "version": "1.0.0",
                 "description": "Government information disclosure CMS, API v1. Errors: "
                                '{"error": {"code", "message", "fields"?}}.'},
        "servers": [{"url": "/api/v1"}],
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
        "paths": PATHS,
    }

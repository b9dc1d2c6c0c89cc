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
                       **{k: v for k, v in ITEM_FIELDS.items() if k != "section"}},
    },
    "Item": {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "state": {"type": "string"}, "version": {"type": "integer"},
            "workflow": {"type": "string"}, "index_no": {"type": ["string", "null"]},
            "published_at": {"type": ["string", "null"], "format": "date-time"},
            "validity": {"type": "string"}, "author": {"type": "string"},
            "working_copy_of": {"type": ["integer", "null"]}, "url": {"type": ["string", "null"]},
            "warnings": {"type": "array", "items": {"$ref": "#/components/schemas/OnePlaceWarning"}},
            **{k: v for k, v in ITEM_FIELDS.items()},
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
            429: "too many failed attempts"}
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
                  "responses": {"200": _json(_ref("Item")), **_errors(400, 401, 403, 404, 409, 422)}},
    },
    "/items/{item_id}/transitions": {
        "get": {"summary": "Transitions available to the caller now", "security": SECURED, "parameters": ITEM_ID,
                "responses": {"200": _json({"type": "object", "properties": {
                    "transitions": {"type": "array", "items": _ref("Transition")}}}), **_errors(401, 404)}},
        "post": {"summary": "Fire a transition", "security": SECURED, "parameters": ITEM_ID,
                 "requestBody": {"required": True, "content": {"application/json": {"schema": {
                     "type": "object", "required": ["name"],
                     "properties": {"name": {"type": "string"}, "comment": {"type": "string"},
                                    "confidentiality_checked": {"type": "boolean"}}}}}},
                 "responses": {"200": _json(_ref("Item")), **_errors(400, 401, 403, 404, 409, 422)}},
    },
    "/items/{item_id}/history": {"get": {
        "summary": "The item's workflow history", "security": SECURED, "parameters": ITEM_ID,
        "responses": {"200": _json({"type": "object", "properties": {"entries": {"type": "array", "items": {
            "type": "object", "properties": {"transition": {"type": "string"}, "from": {"type": ["string", "null"]},
                                             "to": {"type": "string"}, "actor": {"type": ["string", "null"]},
                                             "at": {"type": "string", "format": "date-time"},
                                             "comment": {"type": ["string", "null"]}}}}}}),
                      **_errors(401, 404)}}},
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

"""GET /api/v1/site (public) and PUT /api/v1/site (admin): the site identity shown in the public footer."""
from flask import jsonify

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.parsing import json_body
from cms.extensions import db
from cms.site import service


@bp.get("/site")
def site_get():
    return jsonify(service.current().as_dict())


@bp.put("/site")
@token_required
def site_put():
    data = json_body(required=("version",))
    service.update(api_user(), data, data.get("version"))
    db.session.commit()
    return jsonify(service.current().as_dict())


def _document():
    from cms.blueprints.api.openapi import PATHS, SCHEMAS, SECURED, _errors, _json, _ref

    text = {"type": "string"}
    SCHEMAS["SiteSettings"] = {
        "type": "object",
        "properties": {
            "host_org": text, "site_code": text, "icp_record": text, "police_record": text,
            "contact": {"type": "object", "properties": {"address": text, "phone": text, "email": text}},
            "privacy_html": text, "guide_html": text, "rules_html": text, "version": {"type": "integer"},
        },
    }
    PATHS["/site"] = {
        "get": {"summary": "Site identity shown in the public footer (public)",
                "responses": {"200": _json(_ref("SiteSettings"))}},
        "put": {"summary": "Change the site settings (admin; carries the version it was based on)",
                "security": SECURED,
                "requestBody": {"required": True,
                                "content": {"application/json": {"schema": _ref("SiteSettings")}}},
                "responses": {"200": _json(_ref("SiteSettings")), **_errors(400, 401, 403, 409, 422)}},
    }


_document()

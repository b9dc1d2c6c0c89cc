"""API root: what this API is and where its description lives."""
from flask import jsonify, url_for

from cms.blueprints.api import bp


@bp.get("/")
def api_index():
    return jsonify(name="政务公开 CMS API", version="v1", openapi=url_for("api.openapi_document", _external=False))


@bp.get("/openapi.json")
def openapi_document():
    from cms.blueprints.api.openapi import build_openapi

    return jsonify(build_openapi())

"""JSON API v1: token-authenticated, errors as {"error": {"code", "message", "fields"?}}."""
from flask import Blueprint, jsonify
from werkzeug.exceptions import HTTPException

from cms.errors import DomainError
from cms.extensions import csrf, db

bp = Blueprint("api", __name__)
csrf.exempt(bp)  # clients authenticate with bearer tokens, not cookies


def error_response(status, code, message, fields=None, **extra):
    body = {"code": code, "message": message}
    if fields:
        body["fields"] = fields
    body.update(extra)
    return jsonify(error=body), status


@bp.errorhandler(DomainError)
def _domain_error(exc):
    db.session.rollback()
    return error_response(exc.status, exc.code, exc.message, exc.fields, **exc.extra)


@bp.errorhandler(HTTPException)
def _http_error(exc):
    return error_response(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"), exc.description)


from cms.blueprints.api import status  # noqa: E402,F401

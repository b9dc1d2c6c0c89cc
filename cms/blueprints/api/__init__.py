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


@bp.errorhandler(Exception)
def _unexpected(exc):
    # Last resort: a bug must still answer in the API's error format (and is logged with its traceback).
    from flask import current_app

    if isinstance(exc, HTTPException):
        return _http_error(exc)
    db.session.rollback()
    current_app.logger.exception("unexpected API error")
    return error_response(500, "internal_error", "服务器内部错误")


# JSON requests are small; attachments have their own upload route with a larger limit.
MAX_JSON_BYTES = 2 * 1024 * 1024


@bp.before_request
def _limit_json_size():
    from flask import request

    if request.content_length is not None and request.content_length > MAX_JSON_BYTES:
        return error_response(413, "payload_too_large", "请求体过大")
    return None


from cms.blueprints.api import applications, audit, columns, items, search, status, tokens  # noqa: E402,F401
from cms.blueprints.api import incidents, proposals  # noqa: E402,F401

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
    response, status = error_response(exc.code or 500, (exc.name or "error").lower().replace(" ", "_"),
                                      exc.description)
    keep_exception_headers(exc, response)
    return response, status


def keep_exception_headers(exc, response):
    """Carry headers such as Retry-After (429) or Allow (405) from the exception onto ``response``."""
    for name, value in exc.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response


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

    if request.endpoint in ("api.item_attachment_upload", "api.application_document_upload"):
        return None  # MAX_CONTENT_LENGTH and CMS_MAX_ATTACHMENT_MB apply
    if request.content_length is not None and request.content_length > MAX_JSON_BYTES:
        return error_response(413, "payload_too_large", "请求体过大")
    return None


from cms.blueprints.api import (  # noqa: E402,F401
    applications, attachments, audit, columns, incidents, items, proposals, reports, search, status, tokens,
    workflows)
from cms.blueprints.api import application_documents, bulk  # noqa: E402,F401
from cms.blueprints.api import channels  # noqa: E402,F401
from cms.blueprints.api import cleanups  # noqa: E402,F401
from cms.blueprints.api import consultations  # noqa: E402,F401
from cms.blueprints.api import site  # noqa: E402,F401

"""Bearer-token authentication for API v1."""
from functools import wraps

from flask import g, request

from cms.accounts.tokens import user_for_token
from cms.errors import DomainError


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"


def bearer_token():
    """The token of the request's ``Authorization: Bearer`` header, or None."""
    header = request.headers.get("Authorization", "")
    return header[7:].strip() if header[:7].lower() == "bearer " else None


def api_user():
    """The user of the request's bearer token, or None."""
    if "api_user" not in g:
        g.api_user = user_for_token(bearer_token())
    return g.api_user


def token_required(view):
    """Refuse the request with 401 unless it carries a valid bearer token."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if api_user() is None:
            raise Unauthorized("缺少或无效的访问令牌（Authorization: Bearer <token>）")
        return view(*args, **kwargs)

    return wrapped

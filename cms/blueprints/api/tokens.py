"""Tokens: exchange a username and password for a bearer token (throttled like the login), revoke the
token in hand, or log the user out everywhere (every session and token)."""
from flask import current_app, jsonify, request

from cms.accounts.services import authenticate
from cms.accounts.throttle import login_throttle
from cms.accounts.sessions import log_out_everywhere
from cms.accounts.tokens import issue_token, revoke_token
from cms.blueprints.api import bp, error_response
from cms.blueprints.api.auth import api_user, bearer_token, token_required
from cms.blueprints.api.parsing import expect_types, json_body
from cms.extensions import db


@bp.post("/tokens")
def token_create():
    data = json_body(required=("username", "password"))
    expect_types(data, {"username": str, "password": str})
    throttle = login_throttle()
    ip, username = request.remote_addr, data["username"]
    if throttle.blocked(ip, username):
        response = error_response(429, "too_many_attempts", "登录失败次数过多，请稍后再试")
        response[0].headers["Retry-After"] = str(throttle.retry_after(ip, username))
        return response
    user = authenticate(username, data["password"])
    if user is None:
        db.session.commit()  # first: on SQLite the counter must not wait for this request's write lock
        throttle.failed(ip, username)
        return error_response(401, "invalid_credentials", "用户名或密码错误")
    token, record = issue_token(user, current_app.config["CMS_API_TOKEN_HOURS"])
    db.session.commit()
    throttle.succeeded(ip, username)
    return jsonify(token=token, expires_at=record.expires_at.isoformat() + "Z"), 201


@bp.delete("/tokens")
@token_required
def token_revoke():
    """Revoke the token this request carries (204); it answers 401 from now on."""
    revoke_token(bearer_token())
    db.session.commit()
    return "", 204


@bp.post("/tokens/revoke-all")
@token_required
def token_revoke_all():
    """Log the token's user out everywhere: every browser session and every API token ends (204)."""
    log_out_everywhere(api_user())
    db.session.commit()
    return "", 204

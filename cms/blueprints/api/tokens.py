"""POST /api/v1/tokens: exchange a username and password for a bearer token (throttled like the login)."""
from flask import current_app, jsonify, request

from cms.accounts.services import authenticate
from cms.accounts.throttle import login_throttle
from cms.accounts.tokens import issue_token
from cms.blueprints.api import bp, error_response
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
        throttle.failed(ip, username)
        db.session.commit()
        return error_response(401, "invalid_credentials", "用户名或密码错误")
    throttle.succeeded(ip, username)
    token, record = issue_token(user, current_app.config["CMS_API_TOKEN_HOURS"])
    db.session.commit()
    return jsonify(token=token, expires_at=record.expires_at.isoformat() + "Z"), 201

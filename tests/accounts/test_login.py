"""Staff login: Chinese page, no username disclosure, throttling, CSRF, password change, audit."""
import re

from cms.accounts.models import AuditLog, User
from cms.extensions import db
from tests.conftest import login


def test_login_page_is_chinese_and_has_labels(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "工作人员登录" in page
    assert '<label for="username">用户名</label>' in page


def test_login_and_logout(client, demo):
    login(client, "editor")
    assert client.get("/admin/").status_code == 200
    response = client.post("/logout")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 302
    actions = [e.action for e in AuditLog.query.order_by(AuditLog.id)]
    assert "login" in actions and "logout" in actions


def test_failure_message_does_not_reveal_whether_username_exists(client, demo):
    wrong_password = client.post("/login", data={"username": "editor", "password": "nope-nope"})
    unknown_user = client.post("/login", data={"username": "nobody", "password": "nope-nope"})
    assert wrong_password.status_code == unknown_user.status_code == 401
    strip = lambda r: re.sub(r'value="[^"]*"', "", r.get_data(as_text=True))  # noqa: E731
    assert strip(wrong_password) == strip(unknown_user)
    assert AuditLog.query.filter_by(action="login.failed").count() == 2


def test_repeated_failures_are_throttled_per_ip_and_username(client, demo):
    for _ in range(5):
        assert client.post("/login", data={"username": "editor", "password": "bad-bad-bad"}).status_code == 401
    blocked = client.post("/login", data={"username": "editor", "password": "Demo-2026-gov"})
    assert blocked.status_code == 429
    assert "Retry-After" in blocked.headers
    # Another username from the same IP is not blocked.
    login(client, "chief")


def test_session_cookie_flags(client, demo):
    response = client.post("/login", data={"username": "editor", "password": "Demo-2026-gov"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_open_redirect_is_refused(client, demo):
    response = client.post("/login?next=//evil.example/", data={"username": "editor", "password": "Demo-2026-gov"})
    assert response.headers["Location"].endswith("/admin/")


def test_change_password_ends_other_sessions(app, demo):
    first, second = app.test_client(), app.test_client()
    login(first, "editor")
    login(second, "editor")
    response = first.post(
        "/account/password",
        data={"current_password": "Demo-2026-gov", "new_password": "new-secret-1", "confirm": "new-secret-1"},
    )
    assert response.status_code == 302
    assert first.get("/admin/").status_code == 200
    assert second.get("/admin/").status_code == 302  # the other session is logged out
    db.session.expire_all()
    login(app.test_client(), "editor", "new-secret-1")


def test_change_password_requires_current_password(client, demo):
    login(client, "editor")
    response = client.post(
        "/account/password",
        data={"current_password": "wrong-one", "new_password": "new-secret-1", "confirm": "new-secret-1"},
    )
    assert response.status_code == 422
    assert "当前密码不正确" in response.get_data(as_text=True)


def test_deactivated_user_cannot_log_in(client, demo):
    User.query.filter_by(username="editor").one().active = False
    db.session.commit()
    assert client.post("/login", data={"username": "editor", "password": "Demo-2026-gov"}).status_code == 401


def test_csrf_is_required_on_forms(app, demo):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        client = app.test_client()
        response = client.post("/login", data={"username": "editor", "password": "Demo-2026-gov"})
        assert response.status_code == 400
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
        response = client.post("/login", data={"username": "editor", "password": "Demo-2026-gov", "csrf_token": token})
        assert response.status_code == 302
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

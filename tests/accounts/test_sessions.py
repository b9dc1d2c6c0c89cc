"""Sessions and tokens end on the server: logout, token revocation and "log out everywhere"."""
from cms.accounts.models import AuditLog
from tests.conftest import login


def _copy_cookies(source, target):
    """Give ``target`` the cookies ``source`` holds (an attacker who copied the session cookie)."""
    target.set_cookie("session", source.get_cookie("session").value)


def test_a_session_cookie_copied_before_logout_is_dead_after_it(app, demo):
    browser, thief = app.test_client(), app.test_client()
    login(browser, "editor")
    _copy_cookies(browser, thief)
    assert thief.get("/admin/").status_code == 200  # the copy works while the session lives
    assert browser.post("/logout").status_code == 302
    response = thief.get("/admin/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    # Logging in again starts a fresh session that works.
    login(browser, "editor")
    assert browser.get("/admin/").status_code == 200
    assert thief.get("/admin/").status_code == 302


def test_logout_of_one_session_leaves_the_users_other_sessions(app, demo):
    office, home = app.test_client(), app.test_client()
    login(office, "editor")
    login(home, "editor")
    office.post("/logout")
    assert home.get("/admin/").status_code == 200


def test_delete_tokens_revokes_the_presented_token(client, demo, token_for):
    first, second = token_for("editor"), token_for("editor")
    assert client.get("/api/v1/applications", headers=first).status_code == 200
    response = client.delete("/api/v1/tokens", headers=first)
    assert response.status_code == 204 and response.get_data() == b""
    assert client.get("/api/v1/applications", headers=first).status_code == 401
    assert client.delete("/api/v1/tokens", headers=first).status_code == 401  # already gone
    assert client.get("/api/v1/applications", headers=second).status_code == 200  # other tokens live on
    assert AuditLog.query.filter_by(action="token.revoke").count() == 1


def test_delete_tokens_without_a_valid_token_is_401(client, demo):
    assert client.delete("/api/v1/tokens").status_code == 401
    assert client.delete("/api/v1/tokens", headers={"Authorization": "Bearer nope"}).status_code == 401


def test_revoke_all_by_api_ends_every_session_and_token_of_the_user(app, client, demo, token_for):
    browser = app.test_client()
    login(browser, "editor")
    caller, other = token_for("editor"), token_for("editor")
    chief = token_for("chief")
    response = client.post("/api/v1/tokens/revoke-all", headers=caller)
    assert response.status_code == 204
    assert client.get("/api/v1/applications", headers=caller).status_code == 401
    assert client.get("/api/v1/applications", headers=other).status_code == 401
    assert browser.get("/admin/").status_code == 302
    assert client.get("/api/v1/applications", headers=chief).status_code == 200  # other users untouched
    assert client.post("/api/v1/tokens/revoke-all", headers=caller).status_code == 401
    # The user can still log in afterwards.
    login(browser, "editor")
    assert browser.get("/admin/").status_code == 200
    assert AuditLog.query.filter_by(action="logout.everywhere").count() == 1


def test_log_out_everywhere_button_on_the_account_screen(app, demo, token_for, client):
    here, elsewhere = app.test_client(), app.test_client()
    login(here, "editor")
    login(elsewhere, "editor")
    token = token_for("editor")
    page = here.get("/account/password").get_data(as_text=True)
    assert 'action="/account/logout-everywhere"' in page and "退出所有设备" in page
    response = here.post("/account/logout-everywhere")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert here.get("/admin/").status_code == 302
    assert elsewhere.get("/admin/").status_code == 302
    assert client.get("/api/v1/applications", headers=token).status_code == 401


def test_log_out_everywhere_needs_a_login(client, demo):
    response = client.post("/account/logout-everywhere")
    assert response.status_code == 302 and "/login" in response.headers["Location"]

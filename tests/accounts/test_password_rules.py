"""Passwords: 10+ characters, not a common password, not a single class of characters -- everywhere a
password is set (CLI, the admin's user screens, the user's own password change), with Chinese messages."""
import pytest

from cms.accounts.models import User
from cms.accounts.passwords import password_problem
from cms.extensions import db
from tests.conftest import login

WEAK = ["12345678", "password", "aaaaaaaaaaaa", "qwertyuiop", "qwertyuiopas", "password123", "1234567890",
        "Password123", "QWERTYUIOPAS", "demo12345", "Abc-12", "一二三四五六七八九十", "          ", ""]
STRONG = ["Demo-2026-gov", "secret-pass", "correct horse battery", "Gov2026disclosure", "政务公开-2026年度"]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused_with_a_reason(password):
    problem = password_problem(password)
    assert problem and any("\u4e00" <= ch <= "\u9fff" for ch in problem)  # a Chinese message


@pytest.mark.parametrize("password", STRONG)
def test_reasonable_passwords_pass(password):
    assert password_problem(password) is None


def test_messages_say_what_is_wrong():
    assert "10" in password_problem("Ab-1")
    assert "常见" in password_problem("password123")
    assert "一类" in password_problem("zhengwugongkai")


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args, **kwargs):
        result = runner.invoke(args=["cms", *args], **kwargs)
        db.session.expire_all()
        return result

    return run


@pytest.mark.parametrize("password", ["12345678", "password123", "qwertyuiopas", "aaaaaaaaaaaa"])
def test_cli_refuses_weak_passwords(cli, demo, password):
    result = cli("create-user", "wang", "--name", "王五", "--password", password)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "密码" in result.output
    assert User.query.filter_by(username="wang").count() == 0
    before = User.query.filter_by(username="editor").one().password_hash
    result = cli("set-password", "editor", "--password", password)
    assert result.exit_code == 2 and "密码" in result.output
    assert User.query.filter_by(username="editor").one().password_hash == before
    assert cli("set-password", "editor", "--password", "Another-2026-pass").exit_code == 0


@pytest.mark.parametrize("password", ["12345678", "password123", "qwertyuiop", "1234567890"])
def test_admin_screens_refuse_weak_passwords(client, demo, password):
    login(client, "admin")
    response = client.post("/admin/users", data={"username": "sun", "name": "孙七", "password": password})
    assert response.status_code == 422
    assert "密码" in response.get_data(as_text=True)
    assert User.query.filter_by(username="sun").count() == 0
    editor = User.query.filter_by(username="editor").one()
    before = editor.password_hash
    response = client.post(f"/admin/users/{editor.id}", data={"name": editor.name, "email": "", "active": "y",
                                                             "new_password": password})
    assert response.status_code == 422
    db.session.expire_all()
    assert User.query.filter_by(username="editor").one().password_hash == before


@pytest.mark.parametrize("password", ["12345678", "password123", "aaaaaaaaaaaa", "qwertyuiopas"])
def test_password_change_refuses_weak_passwords(client, demo, password):
    login(client, "editor")
    response = client.post("/account/password", data={"current_password": "Demo-2026-gov", "new_password": password,
                                                      "confirm": password})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "密码" in page and ("10" in page or "常见" in page or "一类" in page)

"""Admin screens for sections, users and memberships: admin role only, every change audited."""
import pytest

from cms.accounts.models import AuditLog, Membership, Section, User
from cms.extensions import db
from tests.conftest import login

ADMIN_ROUTES = [
    ("get", "/admin/sections"),
    ("post", "/admin/sections"),
    ("get", "/admin/sections/1"),
    ("get", "/admin/users"),
    ("post", "/admin/users"),
    ("get", "/admin/users/1"),
    ("post", "/admin/users/1/memberships"),
    ("post", "/admin/memberships/1/delete"),
    ("get", "/admin/audit"),
]


@pytest.mark.parametrize("method, url", ADMIN_ROUTES)
def test_admin_routes_refuse_anonymous_and_other_roles(client, demo, method, url):
    response = getattr(client, method)(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    for username in ("editor", "chief", "auditor", "leader"):
        login(client, username)
        assert getattr(client, method)(url).status_code == 403, username
        client.post("/logout")


def test_admin_creates_section_and_user_and_grants_role(client, demo):
    login(client, "admin")
    org_id = demo.id
    response = client.post("/admin/sections", data={"organization_id": org_id, "code": "press", "name": "出版科", "kind": "section"})
    assert response.status_code == 302
    section = Section.query.filter_by(code="press").one()
    response = client.post("/admin/users", data={"username": "sun", "name": "孙七", "password": "long-enough"})
    assert response.status_code == 302
    user = User.query.filter_by(username="sun").one()
    response = client.post(f"/admin/users/{user.id}/memberships", data={"m-section_id": section.id, "m-role": "editor"})
    assert response.status_code == 302
    db.session.expire_all()
    membership = Membership.query.filter_by(user_id=user.id).one()
    assert (membership.section.code, membership.role) == ("press", "editor")
    response = client.post(f"/admin/memberships/{membership.id}/delete")
    assert response.status_code == 302
    assert Membership.query.filter_by(user_id=user.id).count() == 0
    actions = [e.action for e in AuditLog.query.order_by(AuditLog.id) if e.actor_name == "admin"]
    assert actions[-4:] == ["section.create", "user.create", "membership.add", "membership.remove"]


def test_admin_form_errors_are_shown_not_500(client, demo):
    login(client, "admin")
    response = client.post("/admin/sections", data={"organization_id": demo.id, "code": "market", "name": "重复", "kind": "section"})
    assert response.status_code == 422
    assert "已存在" in response.get_data(as_text=True)
    response = client.post("/admin/users", data={"username": "editor", "name": "重名", "password": "long-enough"})
    assert response.status_code == 422
    response = client.post("/admin/users", data={"username": "x y", "name": "", "password": "s"})
    assert response.status_code == 422
    assert client.get("/admin/users/99999").status_code == 404


def test_admin_can_deactivate_user_and_set_liaison(client, demo):
    login(client, "admin")
    editor = User.query.filter_by(username="editor").one()
    response = client.post(f"/admin/users/{editor.id}", data={"name": editor.name, "email": "", "active": ""})
    assert response.status_code == 302
    db.session.expire_all()
    assert User.query.filter_by(username="editor").one().active is False
    market = Section.query.filter_by(code="market").one()
    response = client.post(f"/admin/sections/{market.id}", data={"name": "市场科", "kind": "section", "liaison_id": editor.id})
    assert response.status_code == 302


def test_audit_log_is_append_only(demo):
    entry = AuditLog.query.first()
    entry.action = "tampered"
    with pytest.raises(RuntimeError):
        db.session.flush()
    db.session.rollback()
    with pytest.raises(RuntimeError):
        db.session.delete(AuditLog.query.first())
        db.session.flush()

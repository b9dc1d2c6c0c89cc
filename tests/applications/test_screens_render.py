"""Every desk screen renders for every demo user with the demo applications (no 500s), and the buttons
shown agree with what the engine allows."""
import pytest

from cms.applications.demo import seed_demo_applications
from cms.applications.models import Application
from cms.demo import DEMO_USERS
from cms.extensions import db


@pytest.mark.parametrize("username", [u[0] for u in DEMO_USERS])
def test_desk_screens_render_for_every_demo_user(client, demo, login_as, username):
    seed_demo_applications(demo)
    db.session.commit()
    login_as(username)
    assert client.get("/admin/applications").status_code == 200
    assert client.get("/admin/applications?state=assigned&section=2&page=2").status_code == 200
    assert client.get("/admin/applications/export.csv").status_code == 200
    for application in Application.query.all():
        response = client.get(f"/admin/applications/{application.id}")
        assert response.status_code in (200, 404), (username, application.state)
        if response.status_code == 200 and application.result:
            assert client.get(f"/admin/applications/{application.id}/letter").status_code == 200
            assert client.get(f"/admin/applications/{application.id}/letter.docx").status_code == 200
    for url in ("/admin/applications/new", "/admin/applications/statistics", "/admin/calendar"):
        assert client.get(url).status_code in (200, 403), url
    assert client.get("/admin/applications/999999").status_code == 404


def test_public_pages_render(client, demo):
    seed_demo_applications(demo)
    db.session.commit()
    assert client.get("/apply").status_code == 200
    assert client.get("/apply/status").status_code == 200
    home = client.get("/").get_data(as_text=True)
    assert "/apply" in home

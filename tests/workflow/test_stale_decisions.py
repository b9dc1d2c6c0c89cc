"""A decision carries the version it was made on: a stale one is 409 and changes nothing.

The case from the hardening review: a person who is both an office auditor and the leader in charge opens the
review screen at the office stage; meanwhile another auditor approves the office stage; the first person's
"approve" must not sign the item off at the leader stage.
"""
from datetime import date

import pytest

from cms.accounts.models import Section
from cms.applications.models import Application
from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import fire
from tests.applications.helpers import Today, registered, section, step
from tests.conftest import login
from tests.factories import make_user
from tests.workflow.helpers import draft, user


@pytest.fixture
def dual(demo):
    """王双: office auditor and leader in charge of the market section."""
    office = Section.query.filter_by(organization_id=demo.id, code="office").one()
    market = Section.query.filter_by(organization_id=demo.id, code="market").one()
    person = make_user("dual", memberships=[(office, "office_auditor"), (market, "leader")], name="王双")
    db.session.commit()
    return person


@pytest.fixture
def at_office(demo):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    db.session.commit()
    assert item.state == "pending_office"
    return item


def _history_count(item):
    from cms.workflow.models import WorkflowHistory

    return WorkflowHistory.query.filter_by(subject_id=item.id, subject_type="item").count()


def test_stale_approve_on_the_review_screen_is_409_and_does_not_publish(client, demo, dual, at_office):
    login(client, "dual", "password123")
    page = client.get(f"/admin/items/{at_office.id}").get_data(as_text=True)
    shown_version = at_office.version
    assert f'name="version" value="{shown_version}"' in page
    fire(at_office, user("auditor"), "approve", confidentiality_checked=True)  # someone else, meanwhile
    db.session.commit()
    before = _history_count(at_office)
    response = client.post(f"/admin/items/{at_office.id}/transitions",
                           data={"name": "approve", "version": shown_version, "confidentiality_checked": "y"})
    assert response.status_code == 409
    assert "刷新" in response.get_data(as_text=True)
    item = db.session.get(Item, at_office.id)
    assert item.state == "pending_leader" and item.published_at is None
    assert _history_count(item) == before
    # With the version the refreshed screen shows, the leader's sign-off goes through.
    response = client.post(f"/admin/items/{at_office.id}/transitions",
                           data={"name": "approve", "version": item.version})
    assert response.status_code == 302
    assert db.session.get(Item, at_office.id).state == "published"


def test_the_review_screen_must_send_a_version(client, demo, at_office):
    login(client, "auditor")
    for data in ({"name": "approve", "confidentiality_checked": "y"},
                 {"name": "approve", "confidentiality_checked": "y", "version": "abc"},
                 {"name": "approve", "confidentiality_checked": "y", "version": "9" * 40}):
        assert client.post(f"/admin/items/{at_office.id}/transitions", data=data).status_code == 400
    assert db.session.get(Item, at_office.id).state == "pending_office"


def test_api_transition_with_a_stale_version_is_409(client, demo, dual, at_office, token_for):
    headers = token_for("dual", "password123")
    shown = client.get(f"/api/v1/items/{at_office.id}", headers=headers).get_json()["version"]
    fire(at_office, user("auditor"), "approve", confidentiality_checked=True)
    db.session.commit()
    response = client.post(f"/api/v1/items/{at_office.id}/transitions", headers=headers,
                           json={"name": "approve", "version": shown, "confidentiality_checked": True})
    assert response.status_code == 409
    assert response.get_json()["error"]["fields"] == {"version": "stale"}
    assert db.session.get(Item, at_office.id).state == "pending_leader"
    assert client.post(f"/api/v1/items/{at_office.id}/transitions", headers=headers,
                       json={"name": "approve", "version": "1"}).status_code == 422
    current = db.session.get(Item, at_office.id).version
    response = client.post(f"/api/v1/items/{at_office.id}/transitions", headers=headers,
                           json={"name": "approve", "version": current})
    assert response.status_code == 200 and response.get_json()["state"] == "published"


def test_api_transition_without_a_version_still_works_for_scripts(client, demo, at_office, token_for):
    response = client.post(f"/api/v1/items/{at_office.id}/transitions", headers=token_for("auditor"),
                           json={"name": "approve", "confidentiality_checked": True})
    assert response.status_code == 200 and response.get_json()["state"] == "pending_leader"


@pytest.fixture
def today(monkeypatch):
    return Today(monkeypatch, date(2025, 1, 20))


def test_desk_screen_and_api_refuse_stale_versions(client, demo, today, token_for):
    application = registered(demo, date(2025, 1, 20))
    shown = application.version
    step(application, "auditor", "assign", section_id=section(demo, "market").id)  # meanwhile
    login(client, "officehead")
    response = client.post(f"/admin/applications/{application.id}/transitions",
                           data={"name": "reassign", "version": shown, "section_id": section(demo, "broadcast").id,
                                 "comment": "改派"})
    assert response.status_code == 409
    assert db.session.get(Application, application.id).section_id == section(demo, "market").id
    response = client.post(f"/api/v1/applications/{application.code}/transitions", headers=token_for("auditor"),
                           json={"name": "reassign", "version": shown, "section": "broadcast", "comment": "改派"})
    assert response.status_code == 409
    assert db.session.get(Application, application.id).section_id == section(demo, "market").id

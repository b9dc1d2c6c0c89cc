"""Edit locks: one editor at a time, the others see who and since when; an admin or the chief may take over."""
from datetime import timedelta

import pytest

from cms.accounts.models import Section
from cms.content.locks import EditLock
from cms.content.models import Item
from cms.extensions import db
from tests.conftest import login
from tests.factories import make_user
from tests.workflow.helpers import draft


@pytest.fixture
def second_editor(demo):
    market = Section.query.filter_by(organization_id=demo.id, code="market").one()
    person = make_user("wangwu", memberships=[(market, "editor")], name="王五")
    db.session.commit()
    return person


@pytest.fixture
def item(demo):
    item = draft(demo)
    db.session.commit()
    return item


def test_lock_api_take_renew_conflict_release(client, item, second_editor, token_for):
    mine, theirs = token_for("editor"), token_for("wangwu", "password123")
    first = client.post(f"/api/v1/items/{item.id}/lock", headers=mine)
    assert first.status_code == 200 and first.get_json()["holder"] == "editor"
    renewed = client.post(f"/api/v1/items/{item.id}/lock", headers=mine)
    assert renewed.status_code == 200 and renewed.get_json()["expires_at"] >= first.get_json()["expires_at"]
    refused = client.post(f"/api/v1/items/{item.id}/lock", headers=theirs)
    assert refused.status_code == 409
    assert "正在编辑" in refused.get_json()["error"]["message"]
    assert refused.get_json()["error"]["holder"] == db.session.get(Item, item.id).author.name
    # While the lock is live, anyone else's PATCH is 423 naming the holder; the holder's goes through.
    patch = client.patch(f"/api/v1/items/{item.id}", headers=theirs, json={"version": item.version, "summary": "x"})
    assert patch.status_code == 423 and "正在编辑" in patch.get_json()["error"]["message"]
    ok = client.patch(f"/api/v1/items/{item.id}", headers=mine, json={"version": item.version, "summary": "y"})
    assert ok.status_code == 200
    assert client.delete(f"/api/v1/items/{item.id}/lock", headers=mine).status_code == 204
    assert client.post(f"/api/v1/items/{item.id}/lock", headers=theirs).status_code == 200


def test_a_lapsed_lock_is_free_and_take_over_needs_the_chief(client, item, second_editor, token_for):
    client.post(f"/api/v1/items/{item.id}/lock", headers=token_for("editor"))
    theirs = token_for("wangwu", "password123")
    assert client.post(f"/api/v1/items/{item.id}/lock", headers=theirs, json={"take_over": True}).status_code == 403
    chief = client.post(f"/api/v1/items/{item.id}/lock", headers=token_for("chief"), json={"take_over": True})
    assert chief.status_code == 200 and chief.get_json()["holder"] == "chief"
    lock = db.session.get(EditLock, item.id)
    lock.expires_at = lock.expires_at - timedelta(hours=1)
    db.session.commit()
    assert client.post(f"/api/v1/items/{item.id}/lock", headers=theirs).status_code == 200


def test_bad_input_and_strangers(client, item, token_for):
    headers = token_for("editor")
    assert client.post(f"/api/v1/items/{item.id}/lock", headers=headers, json={"take_over": "yes"}).status_code == 422
    assert client.post("/api/v1/items/999999/lock", headers=headers).status_code == 404
    assert client.post(f"/api/v1/items/{item.id}/lock").status_code == 401
    assert client.post(f"/api/v1/items/{item.id}/lock", headers=token_for("editor2")).status_code in (403, 404)


def test_two_tabs_the_editor_shows_the_holder_and_a_stale_save_keeps_the_text(client, item, second_editor):
    login(client, "editor")
    page = client.get(f"/admin/items/{item.id}/edit").get_data(as_text=True)
    assert "data-lock-url" in page and 'id="lock-notice"' not in page
    client.post("/logout")
    login(client, "wangwu", "password123")
    page = client.get(f"/admin/items/{item.id}/edit").get_data(as_text=True)
    assert 'id="lock-notice"' in page and "正在编辑，自" in page
    assert "接管编辑" not in page  # an editor cannot take over
    form = {"column_id": item.column_id, "type": item.type, "title": item.title, "body_html": "<p>我输入的正文</p>",
            "disclosure": "proactive", "validity": "valid", "version": item.version, "five_public": ""}
    response = client.post(f"/admin/items/{item.id}/edit", data=form)
    assert response.status_code == 423
    html = response.get_data(as_text=True)
    assert "我输入的正文" in html and 'id="stale-diff"' in html
    assert "我输入的正文" not in db.session.get(Item, item.id).body_html


def test_a_stale_save_shows_the_difference_and_loses_nothing(client, item):
    login(client, "editor")
    client.get(f"/admin/items/{item.id}/edit")
    form = {"column_id": item.column_id, "type": item.type, "title": item.title, "body_html": "<p>第一次保存</p>",
            "disclosure": "proactive", "validity": "valid", "version": item.version, "five_public": ""}
    assert client.post(f"/admin/items/{item.id}/edit", data=form).status_code == 302
    response = client.post(f"/admin/items/{item.id}/edit", data={**form, "body_html": "<p>第二个标签页的文字</p>"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "第二个标签页的文字" in html
    assert 'id="stale-diff"' in html
    assert "一次保存" in html  # the saved text, shown as deleted in the difference


def test_saving_releases_the_lock(client, item):
    login(client, "editor")
    client.get(f"/admin/items/{item.id}/edit")
    assert db.session.get(EditLock, item.id) is not None
    form = {"column_id": item.column_id, "type": item.type, "title": item.title, "body_html": "<p>保存</p>",
            "disclosure": "proactive", "validity": "valid", "version": item.version, "five_public": ""}
    assert client.post(f"/admin/items/{item.id}/edit", data=form).status_code == 302
    db.session.expire_all()
    assert db.session.get(EditLock, item.id) is None

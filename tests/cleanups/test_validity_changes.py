"""One-off validity changes by the office: the API and the screen leave the same trace as a cleanup."""
import pytest

from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import history_of
from tests.cleanups.helpers import no_interpretations_needed, published_policy
from tests.workflow.helpers import draft


@pytest.fixture
def docs(demo):
    no_interpretations_needed(demo)
    return published_policy(demo, 1), published_policy(demo, 2)


def test_the_office_marks_a_document_amended_through_the_api(client, demo, token_for, docs):
    old, new = docs
    response = client.post(f"/api/v1/items/{old.id}/validity", headers=token_for("auditor"),
                           json={"validity": "amended", "replaced_by": new.id, "note": "已由新文件修订",
                                 "version": old.version})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["validity"] == "amended" and body["replaced_by"] == new.id and body["validity_changed_on"]
    entry = history_of(db.session.get(Item, old.id))[-1]
    assert entry.transition == "validity" and entry.comment == "已由新文件修订"
    assert entry.inputs["replaced_by"] == new.id and entry.actor.username == "auditor"
    page = client.get(f"/items/{old.id}").get_data(as_text=True)
    assert f'href="/items/{new.id}"' in page and "修订后文件" in page


def test_validity_route_refuses_bad_input(client, demo, token_for, docs):
    old, new = docs
    office = token_for("auditor")
    url = f"/api/v1/items/{old.id}/validity"
    for payload, field in (({}, "validity"), ({"validity": "gone"}, "validity"),
                           ({"validity": "amended"}, "replaced_by"),
                           ({"validity": "amended", "replaced_by": old.id}, "replaced_by"),
                           ({"validity": "amended", "replaced_by": 999999}, "replaced_by"),
                           ({"validity": "abolished", "replaced_by": new.id}, "replaced_by"),
                           ({"validity": "expired", "note": "x" * 501}, "note"),
                           ({"validity": "expired", "replaced_by": "2"}, "replaced_by"),
                           ({"validity": "expired", "colour": 1}, "colour")):
        response = client.post(url, headers=office, json=payload)
        assert response.status_code == 422, payload
        assert field in response.get_json()["error"]["fields"], payload
    stale = client.post(url, headers=office, json={"validity": "expired", "version": old.version - 1})
    assert stale.status_code == 409
    assert client.post(url, headers=token_for("editor"), json={"validity": "expired"}).status_code == 403
    assert client.post("/api/v1/items/999999/validity", headers=office, json={"validity": "expired"}).status_code == 404
    unpublished = draft(demo, column="policies", title="未发布文件", type="policy")
    db.session.commit()
    response = client.post(f"/api/v1/items/{unpublished.id}/validity", headers=office, json={"validity": "expired"})
    assert response.status_code == 422 and response.get_json()["error"]["fields"] == {"item": "not_published"}
    assert db.session.get(Item, old.id).validity == "valid"


def test_the_office_screen_changes_validity_with_csrf_version_and_trace(client, demo, login_as, docs):
    old, new = docs
    login_as("editor")
    assert client.get(f"/admin/items/{old.id}/validity").status_code == 403
    client.post("/logout")
    login_as("auditor")
    view = client.get(f"/admin/items/{old.id}").get_data(as_text=True)
    assert f"/admin/items/{old.id}/validity" in view
    form = client.get(f"/admin/items/{old.id}/validity")
    assert form.status_code == 200 and "变更有效性" in form.get_data(as_text=True)
    bad = client.post(f"/admin/items/{old.id}/validity", data={"validity": "amended", "version": old.version})
    assert bad.status_code == 422 and "修订后文件" in bad.get_data(as_text=True)
    stale = client.post(f"/admin/items/{old.id}/validity", data={"validity": "expired", "version": old.version + 5})
    assert stale.status_code == 409
    done = client.post(f"/admin/items/{old.id}/validity",
                       data={"validity": "amended", "replaced_by": new.id, "note": "修订", "version": old.version})
    assert done.status_code == 302
    item = db.session.get(Item, old.id)
    assert item.validity == "amended" and item.replaced_by_id == new.id
    assert history_of(item)[-1].transition == "validity"
    assert item.revisions[-1].note.startswith("有效性变更为已修订")


def test_the_screen_needs_csrf(app, client, demo, login_as, docs):
    old, _ = docs
    login_as("auditor")
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post(f"/admin/items/{old.id}/validity", data={"validity": "expired", "version": old.version})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code in (400, 422)
    assert db.session.get(Item, old.id).validity == "valid"


def test_an_open_revision_keeps_the_new_validity_at_its_sign_off(client, demo, token_for, docs):
    from cms.content.services import update_item
    from tests.workflow.helpers import publish, user

    old, new = docs
    copy = update_item(old, user("editor"), old.version, title=old.title + "（修订）")
    db.session.commit()
    response = client.post(f"/api/v1/items/{old.id}/validity", headers=token_for("auditor"),
                           json={"validity": "expired"})
    assert response.status_code == 200
    publish(db.session.get(Item, copy.id))
    item = db.session.get(Item, old.id)
    assert item.title.endswith("（修订）") and item.validity == "expired"

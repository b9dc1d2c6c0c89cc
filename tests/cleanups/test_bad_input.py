"""Bad input on the cleanup and validity routes is a clear 4xx naming what is wrong."""
import pytest

from cms.content.models import Item
from cms.extensions import db
from tests.cleanups.helpers import no_interpretations_needed, published_policy
from tests.factories import make_org, make_section, make_user
from tests.workflow.helpers import draft


@pytest.fixture
def docs(demo):
    no_interpretations_needed(demo)
    return published_policy(demo, 1), published_policy(demo, 2)


def _post(client, headers, json):
    return client.post("/api/v1/cleanups", headers=headers, json=json)


def test_anonymous_is_401(client, demo):
    assert client.post("/api/v1/cleanups", json={}).status_code == 401
    assert client.post("/api/v1/items/1/validity", json={}).status_code == 401
    assert client.put("/api/v1/interpretation-setting", json={}).status_code == 401


@pytest.mark.parametrize("payload, field", [
    ({"decisions": []}, "title"),
    ({"title": "清理"}, "decisions"),
    ({"title": "清理", "decisions": []}, "decisions"),
    ({"title": "清理", "decisions": "all"}, "decisions"),
    ({"title": "清理", "decisions": [5]}, "decisions[0]"),
    ({"title": "清理", "decisions": [{"item_id": "1", "outcome": "keep"}]}, "decisions[0].item_id"),
    ({"title": "清理", "decisions": [{"item_id": 2**40, "outcome": "keep"}]}, "decisions[0].item_id"),
    ({"title": "清理", "decisions": [{"item_id": 1, "outcome": "burn"}]}, "decisions[0].outcome"),
    ({"title": "清理", "decisions": [{"item_id": 1, "outcome": "keep", "colour": 1}]}, "decisions[0].colour"),
    ({"title": "清理", "decisions": [{"item_id": 1, "outcome": "keep", "note": "x" * 501}]}, "decisions[0].note"),
    ({"title": 7, "decisions": [{"item_id": 1, "outcome": "keep"}]}, "title"),
    ({"title": "清理", "decisions": [{"item_id": 1, "outcome": "keep"}], "extra": True}, "extra"),
])
def test_malformed_bodies_are_422(client, demo, token_for, payload, field):
    response = _post(client, token_for("editor"), payload)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_not_json_is_400(client, demo, token_for):
    response = client.post("/api/v1/cleanups", headers={**token_for("editor"), "Content-Type": "application/json"},
                           data="{not json")
    assert response.status_code == 400


def test_decisions_on_the_wrong_documents_are_refused_naming_them(client, demo, token_for, docs):
    first, second = docs
    other_org = make_org("另一个局")
    other_section = make_section(other_org)
    foreign = draft(other_org, column="policies", title="外局文件", author=make_user(
        memberships=[(other_section, "editor")]).username)
    unpublished = draft(demo, column="policies", title="尚未发布的规范性文件", type="policy")
    repealed = db.session.get(Item, second.id)
    repealed.validity = "abolished"
    db.session.commit()
    response = _post(client, token_for("editor"), {"title": "清理", "decisions": [
        {"item_id": first.id, "outcome": "keep"},
        {"item_id": first.id, "outcome": "repeal"},
        {"item_id": foreign.id, "outcome": "keep"},
        {"item_id": unpublished.id, "outcome": "expire"},
        {"item_id": repealed.id, "outcome": "keep"},
        {"item_id": 999999, "outcome": "keep"},
    ]})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["items"] == {"duplicate": [first.id], "other_organization": [foreign.id, 999999],
                              "not_published": [unpublished.id], "already_repealed": [repealed.id]}
    assert str(foreign.id) in error["message"] and str(unpublished.id) in error["message"]
    assert Item.query.filter_by(type="cleanup").count() == 0


def test_amend_needs_a_published_replacement(client, demo, token_for, docs):
    first, second = docs
    unpublished = draft(demo, column="policies", title="修订稿（未发布）", type="policy")
    db.session.commit()
    headers = token_for("editor")
    for decision, reason in (({"item_id": first.id, "outcome": "amend"}, "replaced_by_required"),
                             ({"item_id": first.id, "outcome": "amend", "replaced_by": unpublished.id},
                              "replaced_by_invalid"),
                             ({"item_id": first.id, "outcome": "amend", "replaced_by": first.id}, "replaced_by_invalid"),
                             ({"item_id": first.id, "outcome": "repeal", "replaced_by": second.id},
                              "replaced_by_invalid")):
        response = _post(client, headers, {"title": "清理", "decisions": [decision]})
        assert response.status_code == 422
        assert response.get_json()["error"]["items"] == {reason: [first.id]}


def test_only_editors_draft_cleanup_lists(client, demo, token_for, docs):
    response = _post(client, token_for("leader"), {"title": "清理", "decisions": [{"item_id": docs[0].id,
                                                                                   "outcome": "keep"}]})
    assert response.status_code == 403

"""POST /api/v1/transitions: each item fired on its own, with the single-item API's status codes."""
import pytest

from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import fire
from tests.workflow.helpers import draft, publish, user


def _submitted(demo, n, **fields):
    items = []
    for i in range(n):
        item = draft(demo, title=f"批量审核的通知第{i + 1}号", body_html=f"<p>第{i + 1}份通知，内容各不相同：{'甲乙丙丁戊'[i % 5] * (i + 3)}</p>",
                     **fields)
        fire(item, user("editor"), "submit")
        items.append(item)
    db.session.commit()
    return items


def _bulk(client, headers, **body):
    return client.post("/api/v1/transitions", headers=headers, json=body)


def test_bulk_approve_fires_each_item_and_reports_per_item(client, demo, token_for):
    items = _submitted(demo, 3)
    versions = {str(i.id): i.version for i in items}
    mine = draft(demo, title="科长自己不能审的：别的科室的", author="editor2")
    fire(mine, user("editor2"), "submit")
    db.session.commit()
    ids = [i.id for i in items] + [mine.id, 999999]
    response = _bulk(client, token_for("chief"), name="approve", items=ids, versions=versions)
    assert response.status_code == 200
    body = response.get_json()
    by_id = {r["id"]: r for r in body["results"]}
    assert [r["id"] for r in body["results"]] == ids
    for item in items:
        assert by_id[item.id]["status"] == 200 and by_id[item.id]["state"] == "pending_office"
        assert db.session.get(Item, item.id).state == "pending_office"
    # Another section's item: the chief may not see it (404, as GET /items/{id} would say).
    assert by_id[mine.id]["status"] == 404
    assert by_id[999999]["status"] == 404 and by_id[999999]["error"]["message"]
    assert body["succeeded"] == 3 and body["refused"] == 2


def test_stale_versions_and_refusals_do_not_stop_the_others(client, demo, token_for):
    a, b, c = _submitted(demo, 3)
    response = _bulk(client, token_for("chief"), name="approve", items=[a.id, b.id, c.id],
                     versions={str(a.id): a.version, str(b.id): b.version - 1, str(c.id): c.version})
    results = {r["id"]: r for r in response.get_json()["results"]}
    assert results[a.id]["status"] == 200 and results[c.id]["status"] == 200
    assert results[b.id]["status"] == 409 and results[b.id]["error"]["code"]
    assert db.session.get(Item, b.id).state == "pending_section"
    # The office stage needs the confidentiality check: 422 per item, nothing moves.
    office = _bulk(client, token_for("auditor"), name="approve", items=[a.id, c.id]).get_json()["results"]
    assert {r["status"] for r in office} == {422}
    checked = _bulk(client, token_for("auditor"), name="approve", items=[a.id, c.id],
                    confidentiality_checked=True).get_json()["results"]
    assert [r["state"] for r in checked] == ["pending_leader", "pending_leader"]


def test_guard_refusal_is_403_and_wrong_state_409(client, demo, token_for):
    (item,) = _submitted(demo, 1)
    live = publish(draft(demo, title="已发布的一条通知", body_html="<p>已经发布的通知正文内容</p>"))
    results = _bulk(client, token_for("editor"), name="approve", items=[item.id]).get_json()["results"]
    assert results[0]["status"] == 403
    results = _bulk(client, token_for("chief"), name="approve", items=[live.id]).get_json()["results"]
    assert results[0]["status"] == 409


def test_bulk_return_needs_a_comment_and_bulk_retract(client, demo, token_for):
    a, b = _submitted(demo, 2)
    no_comment = _bulk(client, token_for("chief"), name="return", items=[a.id, b.id]).get_json()["results"]
    assert {r["status"] for r in no_comment} == {422}
    returned = _bulk(client, token_for("chief"), name="return", items=[a.id, b.id], comment="请补充文号").get_json()
    assert [r["state"] for r in returned["results"]] == ["returned", "returned"]
    p1 = publish(draft(demo, title="将被批量撤下的一", body_html="<p>第一条将被撤下的通知内容</p>"))
    p2 = publish(draft(demo, title="将被批量撤下的二", body_html="<p>第二条将被撤下的通知正文</p>"))
    retracted = _bulk(client, token_for("auditor"), name="retract", items=[p1.id, p2.id], comment="过期").get_json()
    assert [r["state"] for r in retracted["results"]] == ["retracted", "retracted"]


@pytest.mark.parametrize("body, status", [
    ({"name": "approve"}, 422),
    ({"items": [1]}, 422),
    ({"name": "approve", "items": []}, 422),
    ({"name": "approve", "items": "1,2"}, 422),
    ({"name": "approve", "items": [1.5]}, 422),
    ({"name": "approve", "items": [True]}, 422),
    ({"name": "approve", "items": [-3]}, 422),
    ({"name": "approve", "items": list(range(1, 102))}, 422),
    ({"name": "approve", "items": [1], "versions": [1]}, 422),
    ({"name": "approve", "items": [1], "versions": {"x": 1}}, 422),
    ({"name": "approve", "items": [1], "versions": {"1": "v"}}, 422),
    ({"name": "approve", "items": [1], "extra": 1}, 422),
    ({"name": 5, "items": [1]}, 422),
])
def test_bad_bodies_are_4xx(client, demo, token_for, body, status):
    response = _bulk(client, token_for("chief"), **body)
    assert response.status_code == status
    assert response.get_json()["error"]["message"]


def test_malformed_json_is_400_and_no_token_401(client, demo, token_for):
    headers = {**token_for("chief"), "Content-Type": "application/json"}
    assert client.post("/api/v1/transitions", headers=headers, data="{nope").status_code == 400
    assert client.post("/api/v1/transitions", json={"name": "approve", "items": [1]}).status_code == 401

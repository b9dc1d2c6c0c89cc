"""JSON API v1: tokens, items, transitions, history, worklist; errors are JSON, never a 500."""
import pytest

from cms.accounts.models import User
from cms.accounts.services import set_password
from cms.extensions import db

NEW_ITEM = {
    "column": "notices",
    "type": "notice",
    "title": "关于2017年春节期间文化市场安全检查的通知",
    "body_html": "<p>各文化经营单位：</p><p>为确保春节期间文化市场安全……</p><script>alert(1)</script>",
    "disclosure": "proactive",
    "doc_number": "嘉文广发〔2017〕5号",
    "written_date": "2017-01-20",
    "five_public": "execution",
    "topic": "文化",
}


def test_token_issue_and_bad_credentials(client, demo):
    response = client.post("/api/v1/tokens", json={"username": "editor", "password": "Demo-2026-gov"})
    assert response.status_code == 201
    body = response.get_json()
    assert len(body["token"]) > 30 and body["expires_at"].endswith("Z")
    bad = client.post("/api/v1/tokens", json={"username": "editor", "password": "wrong-wrong"})
    unknown = client.post("/api/v1/tokens", json={"username": "ghost", "password": "wrong-wrong"})
    assert bad.status_code == unknown.status_code == 401
    assert bad.get_json() == unknown.get_json()
    assert bad.get_json()["error"]["code"] == "invalid_credentials"


def test_token_endpoint_is_throttled(client, demo):
    for _ in range(5):
        assert client.post("/api/v1/tokens", json={"username": "chief", "password": "nope-nope"}).status_code == 401
    response = client.post("/api/v1/tokens", json={"username": "chief", "password": "Demo-2026-gov"})
    assert response.status_code == 429
    assert response.get_json()["error"]["code"] == "too_many_attempts"


@pytest.mark.parametrize("header", [None, "Bearer nonsense", "Basic abc", "Bearer "])
def test_missing_or_invalid_token_is_401(client, demo, header):
    headers = {"Authorization": header} if header else {}
    for method, url in [("get", "/api/v1/columns"), ("post", "/api/v1/items"), ("get", "/api/v1/items/1"),
                        ("patch", "/api/v1/items/1"), ("get", "/api/v1/items/1/transitions"),
                        ("post", "/api/v1/items/1/transitions"), ("get", "/api/v1/items/1/history"),
                        ("get", "/api/v1/worklist")]:
        response = getattr(client, method)(url, headers=headers, json={})
        assert response.status_code == 401, url
        assert response.get_json()["error"]["code"] == "unauthorized"


def test_password_change_invalidates_tokens(client, demo, token_for):
    headers = token_for("editor")
    assert client.get("/api/v1/columns", headers=headers).status_code == 200
    set_password(User.query.filter_by(username="editor").one(), "another-pass-1")
    db.session.commit()
    assert client.get("/api/v1/columns", headers=headers).status_code == 401


def test_columns(client, demo, token_for):
    columns = client.get("/api/v1/columns", headers=token_for("editor")).get_json()
    by_code = {c["code"]: c for c in columns}
    assert by_code["policies"] == {"code": "policies", "name": "政策文件", "parent": None,
                                   "accepts": ["policy", "cleanup"], "workflow": "three_stage"}
    assert len(columns) == 14


def test_the_whole_review_through_the_api(client, demo, token_for):
    editor, chief, auditor, leader = (token_for(u) for u in ("editor", "chief", "auditor", "leader"))
    response = client.post("/api/v1/items", json=NEW_ITEM, headers=editor)
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    assert item["state"] == "draft" and item["version"] == 1
    assert "<script>" not in item["body_html"]
    item_id = item["id"]

    transitions = client.get(f"/api/v1/items/{item_id}/transitions", headers=editor).get_json()
    assert transitions == {"transitions": [{"name": "submit", "title": "提交审核"}]}
    assert client.post(f"/api/v1/items/{item_id}/transitions", json={"name": "submit"}, headers=editor).status_code == 200
    assert [i["id"] for i in client.get("/api/v1/worklist", headers=chief).get_json()["items"]] == [item_id]
    # Wrong role: 403; the office needs the confidentiality review: 422.
    assert client.post(f"/api/v1/items/{item_id}/transitions", json={"name": "approve"}, headers=auditor).status_code == 403
    assert client.post(f"/api/v1/items/{item_id}/transitions", json={"name": "approve"}, headers=chief).status_code == 200
    response = client.post(f"/api/v1/items/{item_id}/transitions", json={"name": "approve"}, headers=auditor)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"confidentiality_checked": "required"}
    response = client.post(f"/api/v1/items/{item_id}/transitions",
                           json={"name": "approve", "confidentiality_checked": True}, headers=auditor)
    assert response.status_code == 200 and response.get_json()["state"] == "pending_leader"
    response = client.post(f"/api/v1/items/{item_id}/transitions", json={"name": "approve"}, headers=leader)
    assert response.status_code == 200
    published = response.get_json()
    assert published["state"] == "published"
    assert published["index_no"].startswith(demo.code + "/")
    assert published["url"] == f"/items/{item_id}"

    history = client.get(f"/api/v1/items/{item_id}/history", headers=editor).get_json()["entries"]
    assert [(e["transition"], e["from"], e["to"], e["actor"]) for e in history] == [
        ("create", None, "draft", "editor"),
        ("submit", "draft", "pending_section", "editor"),
        ("approve", "pending_section", "pending_office", "chief"),
        ("approve", "pending_office", "pending_leader", "auditor"),
        ("approve", "pending_leader", "published", "leader"),
    ]
    page = client.get(f"/items/{item_id}")
    assert page.status_code == 200
    assert "嘉文广发〔2017〕5号" in page.get_data(as_text=True)


def test_one_place_conflict_names_the_existing_item(client, demo, token_for):
    editor = token_for("editor")
    first = client.post("/api/v1/items", json=NEW_ITEM, headers=editor).get_json()
    client.post(f"/api/v1/items/{first['id']}/transitions", json={"name": "submit"}, headers=editor)
    second = client.post("/api/v1/items", json={**NEW_ITEM, "title": "同一文件再发一次"}, headers=editor).get_json()
    response = client.post(f"/api/v1/items/{second['id']}/transitions", json={"name": "submit"}, headers=editor)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["conflicts"] == [{"id": first["id"], "column": "notices", "title": NEW_ITEM["title"],
                                   "state": "pending", "rule": "doc_number"}]


def test_patch_with_stale_version_is_409(client, demo, token_for):
    editor = token_for("editor")
    item = client.post("/api/v1/items", json=NEW_ITEM, headers=editor).get_json()
    ok = client.patch(f"/api/v1/items/{item['id']}", json={"version": 1, "summary": "摘要"}, headers=editor)
    assert ok.status_code == 200 and ok.get_json()["version"] == 2
    stale = client.patch(f"/api/v1/items/{item['id']}", json={"version": 1, "summary": "旧"}, headers=editor)
    assert stale.status_code == 409
    assert stale.get_json()["error"]["code"] == "conflict"


def test_items_of_others_are_404(client, demo, token_for):
    item = client.post("/api/v1/items", json=NEW_ITEM, headers=token_for("editor")).get_json()
    assert client.get(f"/api/v1/items/{item['id']}", headers=token_for("editor2")).status_code == 404
    assert client.get("/api/v1/items/999999", headers=token_for("editor")).status_code == 404
    assert client.get(f"/api/v1/items/{item['id']}", headers=token_for("auditor")).status_code == 200


@pytest.mark.parametrize(
    "body, status",
    [
        ("not json", 400),
        ("[1, 2]", 400),
        ('{"column": "notices"}', 422),
        ('{"column": "nope", "title": "x"}', 422),
        ('{"column": "policies", "type": "news", "title": "x"}', 422),
        ('{"column": "notices", "title": 5}', 422),
        ('{"column": "notices", "title": "x", "disclosure": "secret"}', 422),
        ('{"column": "notices", "title": "x", "disclosure": "withheld"}', 422),
        ('{"column": "notices", "title": "x", "written_date": "2017-13-45"}', 422),
        ('{"column": "notices", "title": "x", "normative": "yes"}', 422),
        ('{"column": "notices", "title": "x", "colour": "red"}', 422),
    ],
)
def test_bad_item_input_is_4xx_json(client, demo, token_for, body, status):
    headers = {**token_for("editor"), "Content-Type": "application/json"}
    response = client.post("/api/v1/items", data=body, headers=headers)
    assert response.status_code == status, response.get_json()
    assert "message" in response.get_json()["error"]


def test_bad_transition_input(client, demo, token_for):
    editor = token_for("editor")
    item = client.post("/api/v1/items", json=NEW_ITEM, headers=editor).get_json()
    url = f"/api/v1/items/{item['id']}/transitions"
    assert client.post(url, json={"name": "fly"}, headers=editor).status_code == 422
    assert client.post(url, json={}, headers=editor).status_code == 422
    assert client.post(url, json={"name": "submit", "confidentiality_checked": "yes"}, headers=editor).status_code == 422
    assert client.post(url, json={"name": "approve"}, headers=editor).status_code == 409


def test_oversized_body_is_413(client, demo, token_for):
    headers = {**token_for("editor"), "Content-Type": "application/json"}
    big = '{"column": "notices", "title": "' + "长" * (1024 * 1024) + '"}'
    assert client.post("/api/v1/items", data=big, headers=headers).status_code == 413


def test_unknown_api_route_is_json_404(client):
    response = client.get("/api/v1/nothing-here")
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"

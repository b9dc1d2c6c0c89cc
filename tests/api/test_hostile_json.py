"""Hostile input on every JSON route of the API: always a JSON 4xx, never a 500.

The walk reads the routes from ``app.url_map``, so a route added later is covered without editing this file.
"""
import json
import re

import pytest

from cms.content.models import Item
from cms.extensions import db
from tests.applications.helpers import payload
from tests.workflow.helpers import draft, publish

LONE_SURROGATE = '"\\ud800"'  # the JSON escape of a lone UTF-16 surrogate: valid JSON, not valid Unicode
# Bodies whose bytes are hostile in themselves, sent as they are.
RAW_BODIES = [
    b'{"title": "\xff\xfe\xfd"}',  # invalid UTF-8
    b'{"title": "\xed\xa0\x80"}',  # a surrogate encoded in UTF-8 (CESU-8): invalid UTF-8
    b'{"\xc3": 1}',  # truncated sequence in a key
    b'\xef\xbb\xbf{"title": "x"}',  # a byte-order mark
    ('{"a":' * 1500 + "1" + "}" * 1500).encode(),  # nested 1,500 levels
    ("[" * 5000 + "]" * 5000).encode(),
    ('{"title": ' + "[" * 900 + "]" * 900 + "}").encode(),  # deep, but below the parser's own limit
    ("{" * 100000).encode(),  # unbalanced and very deep
    b'{"title": "\\ud800\\udc00"}',  # a proper surrogate pair is fine (U+10000); must not 500 either
    b'{"title": "\\udc00"}',
    b"",
    b"null",
    b'"\\ud800"',
]
HUGE = 10**30
NUMBERS = [999999, -1, HUGE, 2**31, 1e308]


def _bodies(base):
    """Valid ``base`` with one field at a time made hostile, plus a hostile key."""
    texts = [json.dumps(base)]
    for key in base:
        raw = dict(base)
        raw[key] = "@@"
        texts.append(json.dumps(raw).replace('"@@"', LONE_SURROGATE))
        texts.append(json.dumps(raw).replace('"@@"', '"x\\ud800y\\udfff"'))
        for number in NUMBERS:
            raw[key] = number
            texts.append(json.dumps(raw))
    with_key = json.dumps({**base, "@@": 1}).replace('"@@"', LONE_SURROGATE)
    texts.append(with_key)
    return [t.encode("utf-8") for t in texts]


def _valid_bodies(item_id, published_id):
    return {
        "/api/v1/tokens": {"username": "editor", "password": "Demo-2026-gov"},
        "/api/v1/items": {"column": "notices", "type": "notice", "title": "关于……的通知", "body_html": "<p>正文</p>",
                          "disclosure": "proactive", "summary": "摘要", "doc_number": "嘉文广发〔2026〕1号",
                          "written_date": "2026-01-05", "topic": "文化"},
        "/api/v1/items/<int:item_id>": {"version": 1, "title": "新标题", "summary": "摘要", "body_html": "<p>x</p>",
                                        "interprets": published_id},
        "/api/v1/items/<int:item_id>/transitions": [{"name": "submit", "comment": "请审核"},
                                                    {"name": "approve", "confidentiality_checked": True}],
        "/api/v1/applications": [payload(), payload(channel="fax", received_on="2025-01-20", test=True)],
        "/api/v1/applications/<code>/transitions": [
            {"name": "register", "comment": "受理", "version": 1},
            {"name": "request_supplement", "comment": "请补正", "period": 15},
            {"name": "receive_supplement", "received_on": "2025-01-20"},
            {"name": "assign", "section": "market"},
            {"name": "extend", "days": 10, "comment": "需要延期"},
            {"name": "consult", "party": "third_party", "comment": "征求意见"}],
        "/api/v1/applications/<code>/reply": {"result": "withheld", "result_reason": 1, "text": "答复正文"},
        "/api/v1/applications/<code>/status": {"contact": "13912345678"},
    }


def _json_rules(app):
    rules = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        for method in sorted((rule.methods or set()) & {"POST", "PUT", "PATCH"}):
            rules.append((rule, method))
    return rules


def _urls(rule, item_id, code):
    """The rule with its path parameters filled with an existing id, a bogus one and an absurd one."""
    fillers = [{"int": str(item_id), "str": code}, {"int": "999999", "str": "YS2026-NOTEXIST"},
               {"int": str(HUGE), "str": "\u00e9" * 300}]
    urls = []
    for filler in fillers:
        def convert(match):
            converter = match.group(1) or "str"
            return filler["int"] if converter in ("int", "float") else filler["str"]
        urls.append(re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", convert, rule.rule))
    return urls


@pytest.fixture
def world(app, client, demo, token_for, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_APPLY_RATE_LIMIT", "100000 per hour")
    monkeypatch.setitem(app.config, "CMS_STATUS_RATE_LIMIT", "100000 per hour")
    monkeypatch.setitem(app.config, "CMS_LOGIN_MAX_FAILURES", 100000)
    policy = publish(draft(demo, column="policies", type="policy", title="关于加强文化市场管理的规定"))
    item = draft(demo, title="草稿通知")
    db.session.commit()
    code = client.post("/api/v1/applications", json=payload()).get_json()["code"]
    auth = [{}, token_for("editor"), token_for("auditor")]
    return {"item": item.id, "policy": policy.id, "code": code, "auth": auth}


def test_every_json_route_answers_hostile_input_with_a_json_4xx(app, client, world):
    rules = _json_rules(app)
    assert {r.rule for r, _ in rules} >= {"/api/v1/tokens", "/api/v1/items", "/api/v1/applications"}
    valid = _valid_bodies(world["item"], world["policy"])
    seen = 0
    for rule, method in rules:
        bases = valid.get(rule.rule, {"name": "x", "title": "x", "version": 1})
        bodies = [body for base in (bases if isinstance(bases, list) else [bases]) for body in _bodies(base)]
        bodies += RAW_BODIES
        for n, url in enumerate(_urls(rule, world["item"], world["code"])):
            # Every body with every caller on the real object; the bogus and absurd ids with the raw bodies.
            for headers in world["auth"] if n == 0 else world["auth"][1:2]:
                for body in bodies if n == 0 else RAW_BODIES[:3] + bodies[:2]:
                    response = client.open(url, method=method, data=body, headers={
                        **headers, "Content-Type": "application/json"})
                    seen += 1
                    assert response.status_code < 500, (method, url, body[:120], response.get_data()[:300])
                    if response.status_code >= 400:
                        assert response.is_json, (method, url, body[:120])
                        assert response.get_json()["error"]["message"]
    assert seen > 1000


@pytest.mark.parametrize("body", [
    b'{"username": "\\ud800", "password": "x"}',
    b'{"username": "editor", "password": "\\ud800abc"}',
    b'{"username": "editor", "password": "\xff\xfe"}',
])
def test_token_endpoint_refuses_invalid_unicode(client, demo, body):
    response = client.post("/api/v1/tokens", data=body, content_type="application/json")
    assert response.status_code in (400, 422)
    assert response.get_json()["error"]["code"] in ("malformed_json", "validation_error", "invalid_text")


def test_lone_surrogates_are_a_422_naming_the_field(client, demo, token_for):
    body = json.dumps({"column": "notices", "title": "@@"}).replace('"@@"', LONE_SURROGATE)
    response = client.post("/api/v1/items", data=body, content_type="application/json", headers=token_for("editor"))
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"title": "invalid_text"}
    body = json.dumps(payload(applicant_name="@@")).replace('"@@"', LONE_SURROGATE)
    response = client.post("/api/v1/applications", data=body, content_type="application/json")
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"applicant_name": "invalid_text"}


def test_deeply_nested_json_is_a_400(client, demo, token_for):
    for body in ('{"a":' * 1000 + "1" + "}" * 1000, "[" * 1000 + "]" * 1000, '{"title": ' + "[" * 100 + "]" * 100 + "}"):
        response = client.post("/api/v1/items", data=body, content_type="application/json",
                               headers=token_for("editor"))
        assert response.status_code == 400, body[:20]
        assert response.get_json()["error"]["code"] == "malformed_json"


@pytest.mark.parametrize("title", ["", "   ", None, "\u3000\t"])
def test_patch_with_an_empty_title_is_422(client, world, title):
    headers = world["auth"][1]
    for item_id in (world["item"], world["policy"]):
        version = client.get(f"/api/v1/items/{item_id}", headers=headers).get_json()["version"]
        response = client.patch(f"/api/v1/items/{item_id}", json={"version": version, "title": title},
                                headers=headers)
        assert response.status_code == 422, response.get_json()
        assert response.get_json()["error"]["fields"] == {"title": "required"}
    from cms.content.models import Item

    assert Item.query.filter(Item.working_copy_of_id.isnot(None)).count() == 0  # nothing half-done was kept


@pytest.mark.parametrize("value", [999999, -1, HUGE, -HUGE, 2**63, 0.5, "1", True])
def test_interprets_out_of_range_is_422(client, world, value):
    headers = world["auth"][1]
    response = client.post("/api/v1/items", headers=headers, json={
        "column": "interpretations", "type": "interpretation", "title": "解读", "interprets": value})
    assert response.status_code == 422, response.get_json()
    assert "interprets" in response.get_json()["error"]["fields"]
    response = client.post("/api/v1/items", headers=headers, json={
        "column": "interpretations", "type": "interpretation", "title": "解读"})
    assert response.status_code == 201
    created = response.get_json()
    response = client.patch(f"/api/v1/items/{created['id']}", headers=headers,
                            json={"version": created["version"], "interprets": value})
    assert response.status_code == 422, response.get_json()
    assert "interprets" in response.get_json()["error"]["fields"]


def test_huge_path_ids_are_404(client, world):
    headers = world["auth"][1]
    for url in (f"/api/v1/items/{HUGE}", f"/api/v1/items/{2**63}/history", f"/api/v1/items/{2**63}/transitions"):
        response = client.get(url, headers=headers)
        assert response.status_code == 404, url
        assert response.is_json


def test_admin_item_form_with_a_huge_interprets_id_is_422(app, client, world, login_as):
    from cms.accounts.models import User
    from cms.content.catalog import get_column

    login_as("editor")
    column = get_column(User.query.filter_by(username="editor").one().organization_ids.pop(), "interpretations")
    form = {"column_id": column.id, "type": "interpretation", "title": "解读", "validity": "valid",
            "disclosure": "proactive", "five_public": ""}
    for value in (str(HUGE), str(2**63), str(2**31), "-1", "999999", str(world["item"])):
        response = client.post("/admin/items/new", data={**form, "interprets_id": value})
        assert response.status_code == 422, (value, response.status_code)
        page = response.get_data(as_text=True)
        assert "政策解读只能关联本机关的政策文件" in page or "以下字段有误：所解读的政策文件" in page, value
    response = client.post("/admin/items/new", data={**form, "interprets_id": str(world["policy"])})
    assert response.status_code == 302


def test_api_creates_an_interpretation_of_a_published_policy(client, world, demo):
    headers = world["auth"][1]
    body = {"column": "interpretations", "type": "interpretation", "title": "《规定》解读"}
    response = client.post("/api/v1/items", headers=headers, json={**body, "interprets": world["policy"]})
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["interprets"] == world["policy"]
    for value in (world["item"], world["policy"] + 1000):  # a draft notice, no item at all
        response = client.post("/api/v1/items", headers=headers, json={**body, "interprets": value})
        assert response.status_code == 422
        assert response.get_json()["error"]["fields"] == {"interprets": "invalid"}
    # 同步组织: a policy still in drafting may be interpreted (both are signed off and released together);
    # a retracted one may not.
    draft_policy = draft(demo, column="policies", type="policy", title="未发布的规定")
    db.session.commit()
    response = client.post("/api/v1/items", headers=headers, json={**body, "interprets": draft_policy.id})
    assert response.status_code == 201
    from cms.workflow.engine import fire
    from tests.workflow.helpers import user

    fire(db.session.get(Item, world["policy"]), user("auditor"), "retract", comment="撤下")
    db.session.commit()
    response = client.post("/api/v1/items", headers=headers, json={**body, "interprets": world["policy"]})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"interprets": "invalid"}

"""POST /api/v1/transitions with name "move": the bulk bar's column move, item by item, through the API."""
import pytest

from cms.content.catalog import get_column
from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import fire
from tests.workflow.helpers import draft, publish, user


def _move(client, headers, **body):
    return client.post("/api/v1/transitions", headers=headers, json={"name": "move", **body})


def _target(demo):
    target = get_column(demo.id, "responses")
    target.accepts = ["notice", "response"]
    db.session.commit()
    return target


def test_move_checks_each_item_like_the_screen(client, demo, token_for):
    from tests.content.test_one_place import NOTICE, NOTICE_RETYPED

    publish(draft(demo, column="policies", type="policy", title="文化市场专项检查的规定", body_html=NOTICE))
    news = draft(demo, column="work-news", type="news", title="不能移动的工作动态",
                 body_html="<p>一篇与其他信息都不相同的工作动态，讲述博物馆开放日的安排。</p>")
    clash = draft(demo, title="与已发布规定相同的通知稿", body_html=NOTICE_RETYPED)
    free = draft(demo, title="一条可移动的通知稿", body_html="<p>博物馆夏季开放时间调整的通知，自七月起每周一闭馆。</p>")
    stale = draft(demo, title="版本过期的通知稿", body_html="<p>图书馆冬季开放时间调整的通知，自十二月起周二闭馆。</p>")
    live = publish(draft(demo, title="已发布的通知", body_html="<p>已发布的通知正文，讲述剧院的演出安排。</p>"))
    db.session.commit()
    target = _target(demo)
    free_version = free.version
    ids = [free.id, news.id, clash.id, stale.id, live.id, 999999]
    response = _move(client, token_for("editor"), items=ids, column="responses",
                     versions={str(free.id): free.version, str(stale.id): stale.version - 1})
    assert response.status_code == 200
    body = response.get_json()
    assert [r["id"] for r in body["results"]] == ids
    by_id = {r["id"]: r for r in body["results"]}
    assert by_id[free.id]["status"] == 200 and by_id[free.id]["state"] == "draft"
    assert by_id[free.id]["version"] > free_version
    assert by_id[news.id]["status"] == 422 and by_id[news.id]["error"]["fields"]["type"] == "not_accepted"
    assert "不接受" in by_id[news.id]["error"]["message"]
    assert by_id[clash.id]["status"] == 422 and by_id[clash.id]["error"]["fields"] == {"one_place": "conflict"}
    assert "不能在不同栏目重复发布" in by_id[clash.id]["error"]["message"]
    assert by_id[stale.id]["status"] == 409
    assert by_id[live.id]["status"] == 422 and by_id[live.id]["error"]["fields"] == {"column_id": "fixed"}
    assert by_id[999999]["status"] == 404
    assert body["succeeded"] == 1 and body["refused"] == 5
    db.session.expire_all()
    assert db.session.get(Item, free.id).column_id == target.id
    notices = get_column(demo.id, "notices").id
    assert {db.session.get(Item, i).column_id for i in (clash.id, stale.id, live.id)} == {notices}
    assert db.session.get(Item, news.id).column_id == get_column(demo.id, "work-news").id


def test_move_is_refused_to_who_may_not_edit_and_in_review(client, demo, token_for):
    mine = draft(demo, title="科员的通知稿", body_html="<p>一份独一无二的通知稿，讲述档案馆的查阅规定。</p>")
    review = draft(demo, title="审核中的通知稿", body_html="<p>另一份独一无二的通知稿，讲述美术馆的展览安排。</p>")
    fire(review, user("editor"), "submit")
    db.session.commit()
    _target(demo)
    other = _move(client, token_for("editor2"), items=[mine.id], column="responses").get_json()["results"]
    assert other[0]["status"] in (403, 404)
    in_review = _move(client, token_for("editor"), items=[review.id], column="responses").get_json()["results"]
    assert in_review[0]["status"] == 409
    db.session.expire_all()
    assert db.session.get(Item, mine.id).column_id == get_column(demo.id, "notices").id


@pytest.mark.parametrize("body", [
    {"items": [1]},                                   # no column
    {"items": [1], "column": "  "},
    {"items": [1], "column": 5},
    {"items": [1], "column": "no-such-column"},
    {"items": [1], "column": "responses", "comment": "x"},
    {"items": [], "column": "responses"},
])
def test_bad_move_bodies_are_422(client, demo, token_for, body):
    response = _move(client, token_for("editor"), **body)
    assert response.status_code == 422
    assert response.get_json()["error"]["message"]


def test_column_only_goes_with_move(client, demo, token_for):
    response = client.post("/api/v1/transitions", headers=token_for("chief"),
                           json={"name": "approve", "items": [1], "column": "responses"})
    assert response.status_code == 422 and response.get_json()["error"]["fields"] == {"column": "unexpected"}


def test_openapi_documents_the_move(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    props = spec["paths"]["/transitions"]["post"]["requestBody"]["content"]["application/json"]["schema"]["properties"]
    assert "column" in props and "move" in props["name"]["description"]

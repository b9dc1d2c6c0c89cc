"""The bulk bar on the item list and the worklist: each item on its own, a summary with the reasons."""
from cms.content.catalog import get_column
from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import fire
from tests.conftest import login
from tests.workflow.bulk_setup import five_for_the_leader
from tests.workflow.helpers import draft, publish, user


def _post(client, action, items, **extra):
    data = {"action": action, "items": [str(i.id) for i in items],
            **{f"version_{i.id}": str(i.version) for i in items}, **extra}
    return client.post("/admin/items/bulk", data=data)


def test_bulk_approval_of_five_with_one_refused_by_the_one_place_rule(client, demo, tmp_path):
    items, twin = five_for_the_leader(demo, tmp_path)
    login(client, "leader")
    worklist = client.get("/admin/worklist").get_data(as_text=True)
    for item in items:
        assert f'value="{item.id}" form="bulk-form"' in worklist
    response = _post(client, "approve", items)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="bulk-ok">4<' in page and 'id="bulk-refused">1<' in page
    assert "不能在不同栏目重复发布" in page
    for item in items:
        state = db.session.get(Item, item.id).state
        assert state == ("pending_leader" if item.id == twin.id else "published"), item.title


def test_stale_row_is_refused_and_the_others_go_through(client, demo):
    a = draft(demo, title="列表批量退回一", body_html="<p>第一条等待科室审核的通知正文内容</p>")
    b = draft(demo, title="列表批量退回二", body_html="<p>第二条等待科室审核的另一则正文</p>")
    for item in (a, b):
        fire(item, user("editor"), "submit")
    db.session.commit()
    login(client, "chief")
    listing = client.get("/admin/items").get_data(as_text=True)
    assert 'id="bulk-form"' in listing and f'name="version_{a.id}"' in listing
    data = {"action": "return", "items": [str(a.id), str(b.id)], f"version_{a.id}": str(a.version),
            f"version_{b.id}": str(b.version - 1), "comment": "请补充成文日期"}
    page = client.post("/admin/items/bulk", data=data).get_data(as_text=True)
    assert 'id="bulk-ok">1<' in page and 'id="bulk-refused">1<' in page and "请刷新" in page
    assert db.session.get(Item, a.id).state == "returned"
    assert db.session.get(Item, b.id).state == "pending_section"


def test_return_without_comment_and_retract(client, demo):
    a = draft(demo, title="需退回但未写意见的通知", body_html="<p>一条等待审核的通知正文，用于测试退回</p>")
    fire(a, user("editor"), "submit")
    db.session.commit()
    login(client, "chief")
    page = _post(client, "return", [a]).get_data(as_text=True)
    assert 'id="bulk-refused">1<' in page
    assert db.session.get(Item, a.id).state == "pending_section"
    client.post("/logout")
    live = publish(draft(demo, title="批量撤下的已发布通知", body_html="<p>一条已经发布、随后撤下的通知</p>"))
    login(client, "auditor")
    page = _post(client, "retract", [live], comment="内容已过时").get_data(as_text=True)
    assert 'id="bulk-ok">1<' in page
    assert db.session.get(Item, live.id).state == "retracted"


def test_move_goes_through_the_one_place_rule(client, demo):
    from tests.content.test_one_place import NOTICE, NOTICE_RETYPED

    publish(draft(demo, column="policies", type="policy", title="文化市场专项检查的规定", body_html=NOTICE))
    ok = draft(demo, column="work-news", type="news", title="可以移动的稿件",
               body_html="<p>一篇与其他信息都不相同的工作动态，讲述博物馆开放日的安排。</p>")
    # The column change also needs a column that accepts the type: news → work-news only; so move notices.
    clash = draft(demo, title="与已发布规定相同的通知稿", body_html=NOTICE_RETYPED)
    free = draft(demo, title="一条可移动的通知稿", body_html="<p>博物馆夏季开放时间调整的通知，自七月起每周一闭馆。</p>")
    db.session.commit()
    login(client, "editor")
    target = get_column(demo.id, "responses")
    target.accepts = ["notice", "response"]
    db.session.commit()
    page = _post(client, "move", [clash, free, ok], column=str(target.id)).get_data(as_text=True)
    assert "不能在不同栏目重复发布" in page
    assert db.session.get(Item, free.id).column_id == target.id
    assert db.session.get(Item, clash.id).column_id == get_column(demo.id, "notices").id
    assert db.session.get(Item, ok.id).column_id == get_column(demo.id, "work-news").id  # type not accepted
    assert 'id="bulk-ok">1<' in page and 'id="bulk-refused">2<' in page


def test_bulk_needs_csrf_and_a_choice(app, client, demo):
    login(client, "chief")
    assert client.post("/admin/items/bulk", data={"action": "approve"}).status_code == 400
    assert client.post("/admin/items/bulk", data={"action": "nope", "items": ["1"]}).status_code == 400
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = client.post("/admin/items/bulk", data={"action": "approve", "items": ["1"]})
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False

"""The back-office screens: editors draft in the browser, reviewers approve stage by stage."""

import pytest

from cms.content.catalog import get_column
from cms.content.models import Item
from cms.extensions import db
from tests.conftest import login

FORM = {
    "type": "notice",
    "title": "关于举办2017年全民阅读活动的通知",
    "body_html": '<p class="MsoNormal" style="mso-x:1">各单位：<o:p></o:p></p><p>为推进全民阅读……</p><script>x()</script>',
    "doc_number": "嘉文广发〔2017〕40号",
    "written_date": "2017-04-01",
    "topic": "新闻出版",
    "validity": "valid",
    "disclosure": "proactive",
    "withheld_reason": "",
    "five_public": "execution",
    "summary": "",
}


def _new_item(client, demo, **overrides):
    data = {**FORM, "column_id": get_column(demo.id, "notices").id, **overrides}
    return client.post("/admin/items/new", data=data)


def _act(client, item_id, name, **extra):
    """Press a review button on the screen as it is now (the form carries the item's current version)."""
    extra.setdefault("version", db.session.get(Item, item_id).version)
    return client.post(f"/admin/items/{item_id}/transitions", data={"name": name, **extra})


def test_editor_drafts_and_reviewers_approve_in_their_screens(client, demo):
    login(client, "editor")
    response = _new_item(client, demo)
    assert response.status_code == 302
    item = Item.query.filter_by(title=FORM["title"]).one()
    assert "<script>" not in item.body_html and "mso" not in item.body_html and "<o:p>" not in item.body_html
    page = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert "提交审核" in page
    assert _act(client, item.id, "submit").status_code == 302
    client.post("/logout")

    login(client, "chief")
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert FORM["title"] in dashboard and "待科室审核" in dashboard
    assert _act(client, item.id, "approve").status_code == 302
    client.post("/logout")

    login(client, "auditor")
    page = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert "保密审查" in page and 'name="confidentiality_checked"' in page
    refused = _act(client, item.id, "approve")
    assert refused.status_code == 422
    assert "保密审查" in refused.get_data(as_text=True)
    assert _act(client, item.id, "approve", confidentiality_checked="y").status_code == 302
    client.post("/logout")

    login(client, "leader")
    assert _act(client, item.id, "approve").status_code == 302
    item = db.session.get(Item, item.id)
    assert item.state == "published"
    client.post("/logout")
    public = client.get(f"/items/{item.id}")
    assert public.status_code == 200
    text = public.get_data(as_text=True)
    for label in ("索引号", "信息分类", "发布机构", "成文日期", "发布日期", "文号", "有效性", "主题分类"):
        assert label in text
    assert item.index_no in text


def test_return_requires_a_comment_in_the_screen(client, demo):
    login(client, "editor")
    _new_item(client, demo)
    item = Item.query.filter_by(title=FORM["title"]).one()
    _act(client, item.id, "submit")
    client.post("/logout")
    login(client, "chief")
    response = _act(client, item.id, "return")
    assert response.status_code == 422
    assert _act(client, item.id, "return", comment="请补充活动时间").status_code == 302
    client.post("/logout")
    login(client, "editor")
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "退回给我的（1）" in dashboard


def test_editor_form_errors_are_shown(client, demo):
    login(client, "editor")
    response = _new_item(client, demo, title="")
    assert response.status_code == 422
    response = _new_item(client, demo, disclosure="withheld")
    assert response.status_code == 422
    assert "理由" in response.get_data(as_text=True)
    response = _new_item(client, demo, column_id=get_column(demo.id, "policies").id)
    assert response.status_code == 422
    response = _new_item(client, demo, written_date="2017-02-30")
    assert response.status_code == 422


def test_stale_edit_in_the_screen_is_409(client, demo):
    login(client, "editor")
    _new_item(client, demo)
    item = Item.query.filter_by(title=FORM["title"]).one()
    data = {**FORM, "column_id": item.column_id, "version": item.version, "summary": "第一次"}
    assert client.post(f"/admin/items/{item.id}/edit", data=data).status_code == 302
    assert client.post(f"/admin/items/{item.id}/edit", data={**data, "summary": "旧版本"}).status_code == 409
    assert client.post(f"/admin/items/{item.id}/edit", data={**data, "version": "abc"}).status_code == 422


@pytest.mark.parametrize("url", ["/admin/items", "/admin/items/new", "/admin/items/1", "/admin/items/1/edit"])
def test_item_screens_need_a_login(client, demo, url):
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_other_sections_cannot_see_or_act_on_an_item(client, demo):
    login(client, "editor")
    _new_item(client, demo)
    item = Item.query.filter_by(title=FORM["title"]).one()
    client.post("/logout")
    login(client, "editor2")
    assert client.get(f"/admin/items/{item.id}").status_code == 404
    assert client.get(f"/admin/items/{item.id}/edit").status_code == 404
    assert _act(client, item.id, "submit").status_code == 404
    client.post("/logout")
    login(client, "admin")
    assert client.get("/admin/items/new").status_code == 403


def test_public_cannot_see_unpublished_items(client, demo):
    login(client, "editor")
    _new_item(client, demo)
    item = Item.query.filter_by(title=FORM["title"]).one()
    client.post("/logout")
    assert client.get(f"/items/{item.id}").status_code == 404
    assert client.get(f"/items/{item.id}/print").status_code == 404
    assert client.get("/items/999999").status_code == 404


def test_the_review_screen_shows_the_revision_diff_inline_in_chinese(client, demo):
    from cms.content.services import update_item
    from tests.workflow.helpers import draft, publish, user

    live = publish(draft(demo, title="文化市场检查通知", body_html="<p>检查时间为三月，地点在市区。</p>"))
    copy = update_item(live, user("editor"), live.version, title="文化市场专项检查通知",
                       body_html="<p>检查时间为四月，地点在市区。</p>")
    db.session.commit()
    login(client, "editor")
    page = client.get(f"/admin/items/{copy.id}").get_data(as_text=True)
    assert "<dt>标题</dt>" in page and "<dt>正文</dt>" in page
    assert '<ins class="diff-ins">专项</ins>' in page
    assert '<del class="diff-del">三</del>' in page and '<ins class="diff-ins">四</ins>' in page
    assert "@@" not in page and "body_html" not in page


def test_form_messages_are_chinese_and_a_long_title_is_an_error_not_cut(client, demo):
    login(client, "editor")
    before = Item.query.count()
    form_page = client.get("/admin/items/new").get_data(as_text=True)
    assert 'maxlength="500"' not in form_page  # the browser must not cut a pasted title silently
    response = _new_item(client, demo, title="标" * 501, interprets_id="abc")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "字段长度不能超过 500 个字符" in page
    assert "Field" not in page and "Not a valid" not in page
    assert Item.query.count() == before


def test_a_return_is_a_banner_on_top_and_a_line_in_the_returned_list(client, demo):
    from cms.workflow.engine import fire
    from tests.workflow.helpers import draft, user

    item = draft(demo)
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "return", comment="请补充检查时间。\n另：文号格式不对。")
    db.session.commit()
    login(client, "editor")
    for url in (f"/admin/items/{item.id}", f"/admin/items/{item.id}/edit"):
        page = client.get(url).get_data(as_text=True)
        banner = page[page.index('id="return-banner"'):]
        main = page[page.index("<main"):]
        assert main.index('id="return-banner"') < main.index("<form")  # at the top, before the forms
        assert "此信息已被退回修改" in banner and "（办公室审核）" in banner and "请补充检查时间。" in banner
        assert user("auditor").name in banner
    dashboard = client.get("/admin/").get_data(as_text=True)
    assert "（办公室审核）：请补充检查时间。" in dashboard and "文号格式不对" not in dashboard


def test_item_list_filters_sorts_and_tags_working_copies(client, demo):
    from cms.content.services import update_item
    from cms.workflow.engine import fire
    from tests.workflow.helpers import draft, publish, user

    live = publish(draft(demo, title="关于文化市场检查的通知"))
    copy = update_item(live, user("editor"), live.version, summary="修订")
    db.session.commit()
    login(client, "editor")
    page = client.get("/admin/items", query_string={"q": "文化市场检查"}).get_data(as_text=True)
    assert page.count("关于文化市场检查的通知") == 2 and page.count(">修订稿</span>") == 1
    assert "共 2 条" in page
    assert "共 2 条" in client.get("/admin/items", query_string={"type": "notice", "q": "文化市场检查"}).get_data(as_text=True)
    assert "共 0 条" in client.get("/admin/items", query_string={"type": "policy", "q": "文化市场检查"}).get_data(as_text=True)
    by_author = client.get("/admin/items", query_string={"author": "nobody-here"}).get_data(as_text=True)
    assert "共 0 条" in by_author
    for bad in ({"column": "x"}, {"section": "9" * 30}, {"sort": "evil"}, {"from": "yesterday"}, {"page": "-1"}):
        assert client.get("/admin/items", query_string=bad).status_code == 200
    # While the revision is in review, 修订 is not offered on the live item; the screen points to the revision.
    fire(copy, user("editor"), "submit")
    db.session.commit()
    view = client.get(f"/admin/items/{live.id}").get_data(as_text=True)
    assert "修订（创建修订稿）" not in view and "修订稿审核中" in view


def test_the_picker_finds_published_policies_by_title_or_number_only(client, demo):
    from tests.workflow.helpers import draft, publish

    policy = publish(draft(demo, column="policies", type="policy", title="嘉峪关市文化市场管理办法",
                           doc_number="嘉文广发〔2017〕9号"))
    draft(demo, column="policies", type="policy", title="嘉峪关市文化市场管理办法（草稿）")
    db.session.commit()
    login(client, "editor")
    found = client.get("/admin/items/picker", query_string={"q": "文化市场管理", "type": "policy"}).get_json()
    assert [i["id"] for i in found["items"]] == [policy.id]
    by_number = client.get("/admin/items/picker", query_string={"q": "〔2017〕9号"}).get_json()
    assert by_number["items"][0]["doc_number"] == "嘉文广发〔2017〕9号"
    assert client.get("/admin/items/picker").get_json() == {"items": []}
    page = client.get("/admin/items/new").get_data(as_text=True)
    assert 'data-picker-for="interprets_id"' in page and "picker.js" in page

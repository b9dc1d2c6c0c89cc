"""Column pages as a disclosure list: columns, filters in the URL, page numbers, and notes for bad values."""
import re

import pytest

from cms.blueprints.public.page_cache import column_pages
from cms.content.services import set_validity
from cms.extensions import db
from tests.workflow.helpers import draft, publish, user


def _titles(html):
    return re.findall(r'<td class="c-title" data-label="标题"><a href="/items/\d+">([^<]+)</a>', html)


@pytest.fixture
def notices(demo):
    items = [
        publish(draft(demo, title="关于演出市场检查的通知", doc_number="嘉文广发〔2021〕7号", topic="演出管理",
                      written_date="2021-02-01")),
        publish(draft(demo, title="关于网吧年检的通知", doc_number="嘉文广发〔2021〕8号", topic="网络")),
        publish(draft(demo, title="关于旧规定的公告", doc_number="嘉文广发〔2019〕2号", topic="演出管理")),
    ]
    set_validity(items[2], user("auditor"), "expired", "2020-01-01")
    db.session.commit()
    return items


def test_list_shows_the_disclosure_columns(client, notices):
    html = client.get("/columns/notices").get_data(as_text=True)
    for head in ("索引号", "标题", "发文字号", "成文日期", "发布日期", "有效性"):
        assert f">{head}</th>" in html
    assert notices[0].index_no in html and "嘉文广发〔2021〕7号" in html and "2021-02-01" in html
    assert "已失效" in html


def test_filters_by_topic_validity_and_words(client, notices):
    html = client.get("/columns/notices?topic=网络").get_data(as_text=True)
    assert _titles(html) == ["关于网吧年检的通知"]
    html = client.get("/columns/notices?validity=expired").get_data(as_text=True)
    assert _titles(html) == ["关于旧规定的公告"]
    html = client.get("/columns/notices?q=演出 检查").get_data(as_text=True)
    assert _titles(html) == ["关于演出市场检查的通知"]
    html = client.get("/columns/notices?q=〔2021〕8号").get_data(as_text=True)
    assert _titles(html) == ["关于网吧年检的通知"]
    html = client.get("/columns/notices?section=market&topic=演出管理").get_data(as_text=True)
    assert set(_titles(html)) == {"关于演出市场检查的通知", "关于旧规定的公告"}
    assert "共 <strong>2</strong> 条" in html


def test_relevance_puts_the_exact_doc_number_first(client, notices):
    html = client.get("/columns/notices?q=嘉文广发〔2019〕2号&sort=relevance").get_data(as_text=True)
    assert _titles(html)[0] == "关于旧规定的公告"


def test_unknown_values_are_ignored_with_a_note(client, notices):
    response = client.get("/columns/notices?topic=不存在&validity=bogus&sort=random&page=-3&year=abc&section=x")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    for note in ("没有主题分类“不存在”", "有效性“bogus”无效", "排序方式“random”无效", "页码“-3”无效",
                 "年份“abc”无效", "没有发布机构“x”"):
        assert note in html
    assert len(_titles(html)) >= 3  # everything is listed


def test_hostile_values_do_not_fail(client, notices):
    for query in ("q=%25_%5C", "q=" + "长" * 500, "page=99999999999999999999", "year=99999", "topic=%ff"):
        assert client.get(f"/columns/notices?{query}").status_code == 200, query
    assert client.get("/columns/notices?topic=%00").status_code == 400  # the site-wide input guard


def test_twenty_a_page_with_page_numbers_that_keep_the_filters(app, client, demo):
    for n in range(45):
        publish(draft(demo, title=f"分页通知{n:02d}", topic="分页"))
    html = client.get("/columns/notices?topic=分页").get_data(as_text=True)
    assert len(_titles(html)) == 20
    assert 'href="/columns/notices?topic=%E5%88%86%E9%A1%B5&amp;page=3"' in html  # page 3 link keeps the topic
    html3 = client.get("/columns/notices?topic=分页&page=3").get_data(as_text=True)
    assert _titles(html3) == [f"分页通知{n:02d}" for n in range(4, -1, -1)]
    assert '<span aria-current="page" class="current">3</span>' in html3


def test_cached_listing_keys_include_the_filters(app, client, notices):
    app.config["CMS_PAGE_CACHE"] = True
    column_pages.clear()
    try:
        a = client.get("/columns/notices?topic=网络").get_data(as_text=True)
        b = client.get("/columns/notices?topic=演出管理").get_data(as_text=True)
        assert _titles(a) != _titles(b)
    finally:
        app.config["CMS_PAGE_CACHE"] = False
        column_pages.clear()

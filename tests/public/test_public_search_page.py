"""Public search page: filters incl. section and validity, 索引号/文号 in results, suggestions, notes."""
import pytest

from cms.content.services import set_validity
from cms.extensions import db
from tests.workflow.helpers import draft, publish, user


@pytest.fixture
def docs(demo):
    valid = publish(draft(demo, column="policies", type="policy", title="全民健身场馆开放管理办法",
                          doc_number="嘉文广发〔2023〕11号"))
    old = publish(draft(demo, column="policies", type="policy", title="全民健身场馆旧管理办法",
                        doc_number="嘉文广发〔2015〕4号"))
    set_validity(old, user("auditor"), "abolished", "2023-01-01")
    db.session.commit()
    return valid, old


def _page(client, **args):
    response = client.get("/search", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_results_show_index_number_and_doc_number(client, docs):
    html = _page(client, q="全民健身场馆")
    assert "找到 <strong>2</strong> 条相关信息" in html
    assert f"索引号：{docs[0].index_no}" in html and "文号：嘉文广发〔2023〕11号" in html
    assert "已废止" in html


def test_validity_and_section_filters(client, docs):
    html = _page(client, q="全民健身场馆", validity="abolished")
    assert "找到 <strong>1</strong> 条相关信息" in html and "旧管理办法" in html and "开放管理办法" not in html
    html = _page(client, q="全民健身场馆", validity="valid")
    assert "找到 <strong>1</strong> 条相关信息" in html and "开放管理办法" in html
    html = _page(client, q="全民健身场馆", section="market")
    assert "找到 <strong>2</strong> 条相关信息" in html
    assert '<option value="market" selected>' in html


def test_unknown_filter_values_are_noted_not_fatal(client, docs):
    html = _page(client, q="全民健身场馆", validity="bogus", section="nope", column="nope", type="x", sort="up",
                 year="abc")
    for note in ("有效性“bogus”无效", "没有发布机构“nope”", "没有栏目“nope”", "信息类型“x”无效", "排序方式“up”无效",
                 "年份“abc”无效"):
        assert note in html
    assert "找到 <strong>2</strong> 条相关信息" in html


def test_nothing_found_suggests_the_same_words_without_filters(client, docs):
    html = _page(client, q="全民健身场馆", column="notices")
    assert "没有找到相关信息" in html
    assert "去掉筛选条件后，同样的关键词可以找到" in html and "<strong>2</strong> 条信息" in html
    assert 'href="/search?q=%E5%85%A8%E6%B0%91%E5%81%A5%E8%BA%AB%E5%9C%BA%E9%A6%86&amp;column=policies">政策文件</a>（2 条）' in html


def test_nothing_found_suggests_the_closest_doc_number(client, docs):
    html = _page(client, q="嘉文广发〔2023〕12号")
    assert "您是不是要找文号 <strong>嘉文广发〔2023〕11号</strong>" in html


def test_the_page_needs_no_javascript(client, docs):
    html = _page(client, q="全民健身场馆")
    assert '<form class="search-form card" role="search" action="/search" method="get">' in html
    assert "<script" not in html.split("</footer>")[0]  # only the optional toolbar script follows the page

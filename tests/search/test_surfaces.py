"""The public search page and GET /api/v1/search, including hostile input."""
import json

import pytest

from tests.workflow.helpers import draft, publish

BAD_INPUTS = ['"未闭合的引号', "标题:文化 AND OR NOT -", "((((", "文" * 10000, "\x00\x07\x1b", "😀🎉", "%", "<b>x</b>",
              "' OR 1=1 --", "*?"]


@pytest.fixture
def published(demo):
    return publish(draft(demo, title="关于开展全民阅读活动的通知",
                         body_html="<p>为推动书香城市建设，决定在全市开展全民阅读进社区活动，时间为四月至六月。</p>"))


def test_search_page_finds_highlights_and_links(client, published):
    page = client.get("/search", query_string={"q": "全民阅读进社区"}).get_data(as_text=True)
    assert "找到 <strong>1</strong> 条相关信息" in page
    assert "<mark>全民阅读进社区</mark>" in page
    assert f'href="/items/{published.id}"' in page


def test_empty_query_shows_help(client, demo):
    page = client.get("/search").get_data(as_text=True)
    assert "搜索提示" in page


@pytest.mark.parametrize("text", BAD_INPUTS)
def test_bad_input_on_the_page_never_fails(client, published, text):
    response = client.get("/search", query_string={"q": text, "page": "x", "year": "abc", "per_page": "-5"})
    assert response.status_code == 200


def test_long_query_is_truncated_with_a_message(client, published):
    page = client.get("/search", query_string={"q": "全民阅读" * 3000}).get_data(as_text=True)
    assert "已只使用前 200 个字符" in page


def test_api_shape_and_paging(client, published):
    body = client.get("/api/v1/search", query_string={"q": "全民阅读", "per_page": 500}).get_json()
    assert set(body) == {"total", "page", "per_page", "results"}
    assert body["per_page"] == 50  # capped
    hit = body["results"][0]
    assert set(hit) == {"id", "title", "url", "column", "published_at", "snippet"}
    assert hit["id"] == published.id and hit["url"] == f"/items/{published.id}" and hit["column"] == "notices"
    assert "<mark>" in hit["snippet"]


@pytest.mark.parametrize("text", BAD_INPUTS)
def test_bad_input_on_the_api_never_fails(client, published, text):
    response = client.get("/api/v1/search", query_string={"q": text, "sort": "sideways", "column": "'"})
    assert response.status_code == 200
    assert response.get_json()["total"] >= 0


def test_api_filters(client, published):
    assert client.get("/api/v1/search", query_string={"q": "全民阅读", "column": "policies"}).get_json()["total"] == 0
    assert client.get("/api/v1/search", query_string={"q": "全民阅读", "type": "notice"}).get_json()["total"] == 1

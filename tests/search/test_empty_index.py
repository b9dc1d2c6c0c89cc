"""A new site: search answers on an empty index and finds the first item published afterwards."""
import pytest

from tests.workflow.helpers import draft, publish



@pytest.fixture
def new_site(app, monkeypatch):
    """The demo bureau's people and columns, but nothing published yet (a new site on day one)."""
    import cms.demo
    from cms.extensions import db

    monkeypatch.setattr(cms.demo, "_seed_items", lambda org: None)
    org = cms.demo.seed_demo()
    db.session.commit()
    return org


QUERIES = ["政务", "abc", "OR OR", "NOT", "title:", "文化 广电", '"全民阅读"', "a"]


@pytest.mark.parametrize("text", QUERIES)
def test_search_on_an_empty_site_answers_with_no_results(client, new_site, backend_name, text):
    page = client.get("/search", query_string={"q": text})
    assert page.status_code == 200
    api = client.get("/api/v1/search", query_string={"q": text})
    assert api.status_code == 200
    assert api.get_json()["total"] == 0


def test_the_first_published_item_is_found_after_searches_on_the_empty_index(client, new_site, backend_name):
    # The same worker thread first searches the empty index (which caches a searcher) ...
    for text in QUERIES:
        assert client.get("/api/v1/search", query_string={"q": text}).status_code == 200
        assert client.get("/search", query_string={"q": text}).status_code == 200
    # ... then the first item of the site is published.
    item = publish(draft(new_site, title="关于开展全民阅读活动的通知", body_html="<p>政务公开全民阅读进社区。</p>"))
    body = client.get("/api/v1/search", query_string={"q": "全民阅读"}).get_json()
    assert body["total"] == 1 and body["results"][0]["id"] == item.id
    page = client.get("/search", query_string={"q": "政务"})
    assert page.status_code == 200 and f'href="/items/{item.id}"' in page.get_data(as_text=True)
    # A second publication is seen too (the cached searcher refreshes from a non-empty index).
    second = publish(draft(new_site, title="关于政务公开工作的通知", body_html="<p>政务公开。</p>"))
    body = client.get("/api/v1/search", query_string={"q": "政务"}).get_json()
    assert {r["id"] for r in body["results"]} == {item.id, second.id}

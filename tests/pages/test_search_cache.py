"""Repeated searches are served from the worker's cache, and follow publications and retractions at once."""
import pytest

from cms.blueprints.public import search as search_views
from cms.blueprints.public.page_cache import PageCache, search_pages
from cms.extensions import db
from tests.workflow.helpers import draft, publish, user


@pytest.fixture
def cached(app):
    app.config["CMS_PAGE_CACHE"] = True
    search_pages.clear()
    calls = []
    original = search_views._search_page

    def counting(org):
        calls.append(1)
        return original(org)

    search_views._search_page = counting
    try:
        yield calls
    finally:
        search_views._search_page = original
        app.config["CMS_PAGE_CACHE"] = False
        search_pages.clear()


def _html(client, q, **args):
    response = client.get("/search", query_string={"q": q, **args})
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_repeated_search_is_answered_once(client, demo, cached):
    item = publish(draft(demo, title="图书馆夜间开放试点通知"))
    assert f"/items/{item.id}" in _html(client, "夜间开放")  # (the title is highlighted: look for the link)
    assert f"/items/{item.id}" in _html(client, "夜间开放")
    assert len(cached) == 1
    _html(client, "夜间开放", sort="date")  # other filters: another page
    assert len(cached) == 2


def test_cached_results_follow_publication_and_retraction(client, demo, cached):
    from cms.workflow.engine import fire

    first = publish(draft(demo, title="博物馆夜间开放试点通知"))
    assert f"/items/{first.id}" in _html(client, "夜间开放")
    second = publish(draft(demo, title="美术馆夜间开放试点通知"))
    assert f"/items/{second.id}" in _html(client, "夜间开放")
    fire(db.session.get(type(first), first.id), user("leader"), "retract", comment="撤下")
    db.session.commit()
    html = _html(client, "夜间开放")
    assert f"/items/{first.id}\"" not in html and f"/items/{second.id}\"" in html


def test_page_cache_is_bounded_by_characters_held():
    cache = PageCache(max_entries=100, max_chars=1000)
    for n in range(5):
        cache.put(n, "v", "页" * 300)
    assert cache.get(0, "v") is None and cache.get(1, "v") is None  # the oldest went first
    assert cache.get(4, "v") == "页" * 300
    assert cache._chars <= 1000
    cache.put(4, "v2", "x")  # replacing an entry releases its characters
    assert cache._chars == 600 + 1

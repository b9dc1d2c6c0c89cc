"""The shared page store: item pages rendered once, served by every worker, changed exactly when they should."""
import os

import pytest

from cms.blueprints.public import items as item_views
from cms.blueprints.public.page_cache import item_pages
from cms.extensions import db
from tests.workflow.helpers import draft, publish, user


@pytest.fixture
def kept(app):
    """Page cache and page store on (no rendering at publication unless a test asks); every rendering counted."""
    app.config["CMS_PAGE_CACHE"] = True
    app.config["CMS_PAGE_WARM"] = False
    item_pages.clear()
    renders = []
    original = item_views._render

    def counting(item, print_view, state):
        renders.append(item.id)
        return original(item, print_view, state)

    item_views._render = counting
    try:
        yield renders
    finally:
        item_views._render = original
        app.config["CMS_PAGE_CACHE"] = False
        app.config["CMS_PAGE_WARM"] = True
        item_pages.clear()


def _page(client, item_id):
    response = client.get(f"/items/{item_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_page_rendered_by_one_worker_is_served_by_another(app, client, demo, kept):
    item = publish(draft(demo, title="共享页面存储测试"))
    kept.clear()
    assert "共享页面存储测试" in _page(client, item.id)
    item_pages.clear()  # another worker: its own in-process cache is empty
    assert "共享页面存储测试" in _page(client, item.id)
    assert "共享页面存储测试" in _page(client, item.id)
    assert kept == [item.id]  # rendered once, then served from the store and the worker's cache


def test_view_count_is_current_on_a_kept_page(app, client, demo, kept):
    item = publish(draft(demo, title="浏览次数与缓存"))
    _page(client, item.id)
    _page(client, item.id)
    assert "浏览次数：2" in _page(client, item.id)
    assert "cms:view-count" not in _page(client, item.id)


def test_kept_page_follows_its_column_neighbours(app, client, demo, kept):
    from cms.workflow.engine import fire

    older = publish(draft(demo, title="邻近条目甲OLDER"))
    page = _page(client, older.id)
    assert "邻近条目乙NEWER" not in page
    newer = publish(draft(demo, title="邻近条目乙NEWER"))
    item_pages.clear()
    assert "邻近条目乙NEWER" in _page(client, older.id)  # 上一条 is the new publication
    fire(db.session.get(type(newer), newer.id), user("leader"), "retract", comment="撤下")
    db.session.commit()
    item_pages.clear()
    assert "邻近条目乙NEWER" not in _page(client, older.id)  # a retracted title is not left on kept pages


def test_an_unrelated_publication_keeps_the_page(app, client, demo, kept):
    item = publish(draft(demo, title="不受影响的页面"))
    _page(client, item.id)
    kept.clear()
    publish(draft(demo, title="另一栏目的新信息", column="work-news"))
    item_pages.clear()
    _page(client, item.id)
    assert item.id not in kept


def test_publication_renders_the_new_page_into_the_store(app, client, demo, kept):
    from cms.pages.store import page_store

    app.config["CMS_PAGE_WARM"] = True
    item = publish(draft(demo, title="发布即生成静态页"))
    assert item.id in kept  # the queue's pages.warm duty rendered it (immediate queue in tests)
    assert page_store().count() >= 1
    kept.clear()
    item_pages.clear()
    assert "发布即生成静态页" in _page(client, item.id)
    assert kept == []


def test_a_damaged_store_file_is_rendered_again(app, client, demo, kept):
    from cms.pages.store import page_store

    item = publish(draft(demo, title="损坏的存储文件"))
    _page(client, item.id)
    store = page_store()
    for folder, _, files in os.walk(store.root):
        for name in files:
            with open(os.path.join(folder, name), "wb") as fh:
                fh.write(b"garbage\nnot zlib")
    item_pages.clear()
    kept.clear()
    assert "损坏的存储文件" in _page(client, item.id)
    assert kept == [item.id]


def test_unpublished_items_are_never_served_from_the_store(app, client, demo, kept):
    from cms.workflow.engine import fire

    item = publish(draft(demo, title="撤下后不可见"))
    _page(client, item.id)
    fire(db.session.get(type(item), item.id), user("leader"), "retract", comment="撤下")
    db.session.commit()
    assert client.get(f"/items/{item.id}").status_code == 404


def test_warm_command_renders_every_public_page_once(app, demo, kept):
    from cms.pages.store import page_store

    ids = [publish(draft(demo, title=f"预生成页面{n}")).id for n in range(3)]
    page_store().clear()
    kept.clear()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cms", "pages", "warm", "--batch", "2"])
    assert result.exit_code == 0, result.output
    assert all(i in kept for i in ids)
    assert "rendered" in result.output
    again = runner.invoke(args=["cms", "pages", "warm"])
    assert "rendered 0" in again.output
    assert runner.invoke(args=["cms", "pages", "warm", "--batch", "0"]).exit_code == 2
    assert runner.invoke(args=["cms", "pages", "warm", "--jobs", "0"]).exit_code == 2
    assert "K/N" in runner.invoke(args=["cms", "pages", "warm", "--part", "3/2"]).output
    page_store().clear()
    kept.clear()
    half = runner.invoke(args=["cms", "pages", "warm", "--part", "0/2"])
    assert half.exit_code == 0, half.output
    assert kept and all(i % 2 == 0 for i in kept)
    assert all(i in kept for i in ids if i % 2 == 0)
    cleared = runner.invoke(args=["cms", "pages", "clear"])
    assert cleared.exit_code == 0 and page_store().count() == 0


def test_warm_command_refuses_when_the_store_is_off(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cms", "pages", "warm"])
    assert result.exit_code == 2 and "switched off" in result.output


def test_column_pages_without_title_words_are_shared_and_follow_publications(app, client, demo, kept):
    from cms.blueprints.public.page_cache import column_pages
    from cms.pages.store import page_store

    column_pages.clear()
    try:
        first = client.get("/columns/notices?page=1&sort=date").get_data(as_text=True)
        assert "栏目共享页NEWCOL" not in first
        stored = page_store().count()
        assert stored >= 1
        client.get("/columns/notices?q=%E9%80%9A%E7%9F%A5")  # title words: kept in this worker only
        assert page_store().count() == stored
        publish(draft(demo, title="栏目共享页NEWCOL"))
        column_pages.clear()  # another worker
        assert "栏目共享页NEWCOL" in client.get("/columns/notices?page=1&sort=date").get_data(as_text=True)
    finally:
        column_pages.clear()

"""The public site: home, catalog, column pages with paging and year filter, item pages, feeds, sitemap."""
import xml.etree.ElementTree as ET

from cms.content.services import set_validity
from cms.extensions import db
from tests.workflow.helpers import draft, publish, user


def test_home_shows_catalog_latest_items_and_search(client, demo):
    page = client.get("/").get_data(as_text=True)
    assert "主动公开基本目录" in page and 'role="search"' in page
    assert "关于开展2017年国庆期间文化市场专项检查的通知" in page  # a demo notice


def test_catalog_shows_the_tree_with_counts(client, demo):
    page = client.get("/catalog").get_data(as_text=True)
    assert "政策文件" in page and "1 条" in page


def test_column_pages_are_paged_20_a_page_newest_first(client, demo):
    for n in range(23):
        publish(draft(demo, title=f"分页测试通知{n:02d}", doc_number=f"嘉文广发〔2020〕{n + 1}号"))
    first = client.get("/columns/notices").get_data(as_text=True)
    assert "分页测试通知22" in first and "分页测试通知03" in first and "分页测试通知02" not in first
    second = client.get("/columns/notices?page=2").get_data(as_text=True)
    assert "分页测试通知02" in second and "分页测试通知00" in second
    assert client.get("/columns/notices?page=abc").status_code == 200


def test_year_filter(client, demo):
    page = client.get("/columns/notices?year=1999").get_data(as_text=True)
    assert "暂无信息" in page


def test_item_page_metadata_and_view_count(client, demo):
    item = publish(draft(demo, title="元数据展示测试", doc_number="嘉文广发〔2021〕3号", written_date="2021-03-01", topic="文化"))
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    for text in ("索引号", item.index_no, "信息分类", "通知公告", "发布机构", "市场科", "成文日期", "2021-03-01",
                 "发布日期", "文号", "嘉文广发〔2021〕3号", "有效性", "有效", "主题分类", "文化"):
        assert text in page
    client.get(f"/items/{item.id}")
    db.session.refresh(item)
    assert item.view_count == 2


def test_abolished_items_stay_readable_and_are_marked(client, demo):
    item = publish(draft(demo, column="policies", type="policy", title="旧办法", doc_number="嘉文广发〔2010〕9号"))
    set_validity(item, user("auditor"), "abolished", "2020-06-30")
    db.session.commit()
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "本文件已废止（2020-06-30）" in page
    assert "已废止" in client.get("/columns/policies").get_data(as_text=True)


def test_feeds_are_valid_rss(client, demo):
    for url in ("/feeds/all.xml", "/feeds/policies.xml"):
        response = client.get(url)
        assert response.status_code == 200
        assert response.mimetype == "application/rss+xml"
        root = ET.fromstring(response.data)
        assert root.tag == "rss"
        assert root.find("channel/item/title") is not None
    assert client.get("/feeds/no-such-column.xml").status_code == 404


def test_sitemap_and_robots(client, demo):
    root = ET.fromstring(client.get("/sitemap.xml").data)
    locs = [el.text for el in root.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert any(loc.endswith("/items/1") for loc in locs)
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Disallow: /admin/" in robots and "Sitemap:" in robots


def test_helpful_404(client, demo):
    response = client.get("/no/such/page")
    assert response.status_code == 404
    page = response.get_data(as_text=True)
    assert "页面不存在" in page and 'action="/search"' in page
    assert client.get("/columns/no-such-column").status_code == 404


def test_a_policy_and_its_interpretation_link_to_each_other(client, demo):
    from cms.content.models import Item

    policy = Item.query.filter_by(type="policy").first()
    interpretation = Item.query.filter_by(type="interpretation").first()
    assert interpretation.interprets_id == policy.id
    assert interpretation.title in client.get(f"/items/{policy.id}").get_data(as_text=True)
    assert policy.title in client.get(f"/items/{interpretation.id}").get_data(as_text=True)


def test_interpretations_can_only_point_at_policies(demo):
    import pytest

    from cms.errors import ValidationError

    notice = publish(draft(demo, title="普通通知"))
    with pytest.raises(ValidationError):
        draft(demo, column="interpretations", type="interpretation", title="解读", interprets_id=notice.id)


def test_cached_item_page_changes_when_the_item_changes(app, client, demo):
    from cms.blueprints.public.page_cache import item_pages
    from cms.content.services import update_item

    app.config["CMS_PAGE_CACHE"] = True
    item_pages.clear()
    try:
        item = publish(draft(demo, title="缓存测试", body_html="<p>初版正文内容CACHEV1</p>"))
        assert "CACHEV1" in client.get(f"/items/{item.id}").get_data(as_text=True)
        assert "CACHEV1" in client.get(f"/items/{item.id}").get_data(as_text=True)  # served from the cache
        copy = update_item(item, user("editor"), item.version, body_html="<p>修订正文内容CACHEV2</p>")
        db.session.commit()
        assert "CACHEV1" in client.get(f"/items/{item.id}").get_data(as_text=True)  # revision not signed off
        from cms.workflow.engine import fire

        fire(copy, user("editor"), "submit")
        fire(copy, user("chief"), "approve")
        fire(copy, user("auditor"), "approve", confidentiality_checked=True)
        fire(copy, user("leader"), "approve")
        db.session.commit()
        assert "CACHEV2" in client.get(f"/items/{item.id}").get_data(as_text=True)
        fire(db.session.get(type(item), item.id), user("leader"), "retract", comment="撤下")
        db.session.commit()
        assert client.get(f"/items/{item.id}").status_code == 404
    finally:
        app.config["CMS_PAGE_CACHE"] = False
        item_pages.clear()


def test_buffered_view_counts_are_written_in_batches(app, client, demo):
    from cms.content.view_counts import counter

    app.config["CMS_BUFFER_VIEW_COUNTS"] = True
    try:
        item = publish(draft(demo, title="浏览计数"))
        counter.flush()  # the batch window starts now, however long the fixtures took (no timing dependence)
        for _ in range(3):
            client.get(f"/items/{item.id}")
        assert counter.pending(item.id) == 3
        # The page shows the buffered views (rendered before this visit is counted).
        assert "浏览次数：3" in client.get(f"/items/{item.id}").get_data(as_text=True)
        assert counter.flush() == 4
        db.session.refresh(item)
        assert item.view_count == 4
    finally:
        app.config["CMS_BUFFER_VIEW_COUNTS"] = False
        counter.flush()


def test_cached_column_page_shows_a_new_publication(app, client, demo):
    from cms.blueprints.public.page_cache import column_pages

    app.config["CMS_PAGE_CACHE"] = True
    column_pages.clear()
    try:
        assert "新发布的通知NEWPUB" not in client.get("/columns/notices").get_data(as_text=True)
        publish(draft(demo, title="新发布的通知NEWPUB"))
        assert "新发布的通知NEWPUB" in client.get("/columns/notices").get_data(as_text=True)
    finally:
        app.config["CMS_PAGE_CACHE"] = False
        column_pages.clear()


def test_view_count_flushes_share_one_statement(app, client, demo):
    """Flushes of different sizes compile one statement: a statement per flush filled the engine's
    compiled-statement cache and grew every worker's memory under load."""
    from cms.content.view_counts import counter

    items = [publish(draft(demo, title=f"浏览计数语句{n}")) for n in range(4)]
    counter.flush()
    cache = db.engine._compiled_cache
    sizes = []
    for size in (1, 2, 3, 4):
        for item in items[:size]:
            counter.hit(item.id)
        assert counter.flush() == size
        sizes.append(len(cache))
    assert sizes[-1] - sizes[0] <= 1  # one row or many: at most two compiled forms
    assert sizes[-1] == sizes[-2]
    db.session.expire_all()
    assert [db.session.get(type(i), i.id).view_count for i in items] == [4, 3, 2, 1]

"""The catalog as a tree: groups, counts and latest update per column, and the standard entries."""
import re

from cms.content.columns import create_column
from cms.clock import to_local
from cms.content.models import Column, Item
from cms.extensions import db
from tests.workflow.helpers import draft, publish, user


def test_catalog_shows_counts_latest_update_and_standard_entries(client, demo):
    item = publish(draft(demo, title="目录更新测试"))
    html = client.get("/catalog").get_data(as_text=True)
    row = re.search(r'<a href="/columns/notices">通知公告</a>\s*<span class="count">(\d+) 条</span>\s*'
                    r'<span class="latest">最近更新：<time datetime="([\d-]+)"', html)
    notices = Column.query.filter_by(organization_id=demo.id, code="notices").one()
    assert row and int(row.group(1)) == Item.query.filter_by(column_id=notices.id, state="published").count()
    assert row.group(2) == to_local(item.published_at).strftime("%Y-%m-%d")
    for label in ("信息公开指南", "信息公开制度", "法定主动公开内容", "信息公开年报", "依申请公开"):
        assert f">{label}</a>" in html
    assert 'href="/columns/annual-reports">信息公开年报' in html
    assert 'href="/apply">依申请公开' in html


def test_child_columns_are_nested_under_their_group(client, demo):
    parent = Column.query.filter_by(organization_id=demo.id, code="org-info").first()
    create_column(demo, "leaders", "领导信息", ["org_info"], user("admin"), parent=parent)
    db.session.commit()
    html = client.get("/catalog").get_data(as_text=True)
    group = html[html.index('href="/columns/org-info"'):]
    group = group[:group.index('class="catalog-node level-1"')]  # up to the next top-level column
    assert 'class="catalog-node level-2"' in group and "领导信息" in group


def test_guide_and_rules_pages(client, demo):
    # Without text in the settings the guide entry leads to the guide column; the rules page says it is coming.
    assert client.get("/disclosure/guide").headers["Location"].endswith("/columns/guide")
    assert "正在编制中" in client.get("/disclosure/rules").get_data(as_text=True)


def test_sitemap_page_lists_the_columns_and_the_xml_sitemap_still_works(client, demo):
    html = client.get("/sitemap").get_data(as_text=True)
    assert "网站地图" in html and 'href="/columns/policies"' in html and 'href="/sitemap.xml"' in html
    assert client.get("/sitemap.xml").mimetype == "application/xml"

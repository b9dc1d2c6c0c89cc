"""Issue 12: dashboard counts that link to the filtered item list (and agree with it), breadcrumbs on every
back-office page, and the header search among the items the user may see."""
import re
from datetime import timedelta

from cms.accounts.models import Organization
from cms.clock import utcnow
from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import fire
from tests.conftest import login
from tests.workflow.helpers import draft, publish, user


def _rows(client, url):
    html = client.get(url).get_data(as_text=True)
    return int(re.search(r"共 (\d+) 条", html).group(1)), html


def _count_links(html):
    return {m.group(2): (m.group(1).replace("&amp;", "&"), int(m.group(3))) for m in re.finditer(
        r'<a href="([^"]+)" data-count="([^"]+)"[^>]*>(?:[^<]*)<strong>(\d+)</strong>', html)}


def test_every_dashboard_count_is_the_number_of_rows_of_the_list_it_links_to(client, demo):
    waiting = [draft(demo, title=f"关于第{n}批文化市场检查结果的通知") for n in range(3)]
    for item in waiting:
        fire(item, user("editor"), "submit")
    waiting[0].stage_due_at = utcnow() - timedelta(days=1)
    published = publish(draft(demo, title="关于公布2017年文化市场检查结果的通告"))
    draft(demo, title="关于尚在起草的通知")
    db.session.commit()

    login(client, "chief")
    links = _count_links(client.get("/admin/").get_data(as_text=True))
    assert links["waiting-pending_section"][1] == 3
    assert links["overdue"][1] == 1
    for key, (url, count) in links.items():
        assert _rows(client, url)[0] == count, key
    client.post("/logout")

    login(client, "editor")
    html = client.get("/admin/").get_data(as_text=True)
    links = _count_links(html)
    assert links["mine-pending_section"][1] == 3
    from cms.content.item_filters import month_start_utc

    month = [v for k, v in links.items() if k.startswith("published-")]
    sections = {m.section_id for m in user("editor").memberships}
    expected = Item.query.filter(Item.state == "published", Item.section_id.in_(sections),
                                 Item.working_copy_of_id.is_(None), Item.published_at >= month_start_utc()).count()
    assert expected >= 1 and sum(count for _, count in month) == expected
    for key, (url, count) in links.items():
        total, page = _rows(client, url)
        assert total == count, key
    url = links[f"published-{published.section_id}"][0]
    assert published.title in client.get(url).get_data(as_text=True)
    assert "当前列表：" in client.get(url).get_data(as_text=True)


def test_breadcrumbs_on_back_office_pages(client, demo):
    item = draft(demo)
    db.session.commit()
    login(client, "admin")
    for path in ("/admin/", "/admin/items", "/admin/items/new", f"/admin/items/{item.id}", f"/admin/items/{item.id}/edit",
                 "/admin/applications", "/admin/columns", "/admin/users", "/admin/audit", "/admin/workflows",
                 "/admin/notifications", "/admin/delegations", "/admin/search?q=通知", "/admin/no-such-page"):
        response = client.get(path)
        html = response.get_data(as_text=True)
        assert 'aria-label="当前位置"' in html, path
        assert 'aria-current="page"' in html, path
    users = client.get("/admin/users").get_data(as_text=True)
    assert '<span aria-current="page">用户管理</span>' in users
    client.post("/logout")
    login(client, "editor")
    view = client.get(f"/admin/items/{item.id}/edit").get_data(as_text=True)
    crumbs = view[view.index('aria-label="当前位置"'):view.index("</nav>", view.index('aria-label="当前位置"'))]
    assert [t for t in re.findall(r">([^<>]+)</(?:a|span)>", crumbs)] == ["工作台", "信息管理", item.title, "编辑"]


def test_header_search_finds_by_title_doc_number_and_index_number_among_visible_items(client, demo):
    mine = draft(demo, title="关于文化市场夜间巡查的通知", doc_number="嘉文广发〔2017〕88号")
    live = publish(draft(demo, title="关于公布检查结果的通告", doc_number="嘉文广发〔2017〕89号"))
    db.session.commit()
    other_org = Organization(name="外局", code="11620200MB7654321X")
    db.session.add(other_org)
    db.session.flush()
    login(client, "editor")
    page = client.get("/admin/").get_data(as_text=True)
    assert 'action="/admin/search"' in page
    assert mine.title in client.get("/admin/search?q=夜间巡查").get_data(as_text=True)
    assert mine.title in client.get("/admin/search?q=〔2017〕88号").get_data(as_text=True)
    found = client.get(f"/admin/search?q={live.index_no}").get_data(as_text=True)
    assert live.title in found and "找到 1 条" in found
    client.post("/logout")
    login(client, "chief2")  # another section: may not see the market section's draft
    hidden = client.get("/admin/search?q=夜间巡查").get_data(as_text=True)
    assert mine.title not in hidden and "没有找到" in hidden
    assert live.title in client.get("/admin/search?q=检查结果").get_data(as_text=True)  # published: visible
    long = client.get("/admin/search?q=" + "长" * 500)
    assert long.status_code == 200

"""In a real browser: an item scheduled in the editor goes live by the queue's duty (not before); the leader
approves five items at once from the worklist and one is refused by the one-place rule; the touched
back-office pages have no serious or critical accessibility violations (axe)."""
import os
import re
from datetime import timedelta

import pytest

from cms.clock import to_local, utcnow
from cms.content.models import Item
from cms.content.scheduling import publish_due_items
from cms.extensions import db
from cms.workflow.engine import fire
from tests.browser.conftest import browser_login, browser_logout
from tests.workflow.bulk_setup import five_for_the_leader
from tests.workflow.helpers import user

pytestmark = pytest.mark.browser

AXE = os.path.join(os.path.dirname(__file__), "vendor", "axe-core-4.10.3", "axe.min.js")


def _serious_violations(page, within=None):
    """axe's serious and critical findings on the page (or only inside the element ``within`` selects)."""
    with open(AXE, encoding="utf-8") as fh:
        page.evaluate(fh.read())
    result = page.evaluate("async (sel) => await axe.run(sel ? document.querySelector(sel) : document, "
                           "{resultTypes: ['violations']})", within)
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.fixture
def audit_page(browser):
    # The site's CSP forbids injected scripts; the audit context bypasses it (the site itself does not).
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def test_scheduled_item_goes_live_by_the_queue(audit_page, live_server, demo):
    page, base = audit_page, live_server
    title = "关于国庆假期博物馆开放时间的公告"
    browser_login(page, base, "editor")
    page.goto(f"{base}/admin/items/new?column=notices")
    page.fill("#title", title)
    page.locator(".ql-editor").click()
    page.keyboard.type("国庆假期期间市博物馆照常开放，开放时间为每日九时至十七时。")
    go_live = to_local(utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    page.fill("#publish_at", go_live)
    # The schedule fields this change adds (the rich-text toolbar is audited with the editor's own tests).
    assert _serious_violations(page, ".schedule-fields") == []
    page.click("text=保存草稿")
    page.wait_for_url(re.compile(r".*/admin/items/\d+$"))
    item_id = int(page.url.rsplit("/", 1)[1])
    assert go_live.replace("T", " ") in page.locator("#schedule-note").inner_text()
    page.click("button[value=submit]")
    browser_logout(page)

    db.session.expire_all()
    item = db.session.get(Item, item_id)
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    db.session.commit()

    browser_login(page, base, "leader")
    page.goto(f"{base}/admin/items/{item_id}")
    page.click("button[value=approve]")
    assert page.locator("#item-state").inner_text() == "定时发布"
    assert "自动发布" in page.locator("#schedule-note").inner_text()
    page.goto(f"{base}/admin/items?state=scheduled")
    assert "定时 " + go_live.replace("T", " ") in page.locator("table.item-table").inner_text()
    browser_logout(page)

    # Not public before its time.
    assert page.goto(f"{base}/items/{item_id}").status == 404
    page.goto(f"{base}/columns/notices")
    assert title not in page.content()

    # The clock reaches the scheduled time: the queue's duty (run here directly) publishes it.
    db.session.expire_all()
    db.session.execute(db.update(Item).where(Item.id == item_id).values(publish_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert publish_due_items() == [item_id]
    response = page.goto(f"{base}/items/{item_id}")
    assert response.status == 200
    assert page.locator("h1").inner_text() == title
    page.goto(f"{base}/columns/notices")
    assert title in page.content()


def test_bulk_approval_of_five_with_one_refused_by_the_one_place_rule(audit_page, live_server, demo, tmp_path):
    page, base = audit_page, live_server
    items, twin = five_for_the_leader(demo, tmp_path)
    browser_login(page, base, "leader")
    page.click("text=批量处理待审信息")
    page.wait_for_url(f"{base}/admin/worklist")
    assert _serious_violations(page) == []
    for item in items:
        assert page.locator(f"#pick-{item.id}").count() == 1
    page.click("#bulk-select-all")
    assert page.locator("#bulk-count").inner_text() == "已选 5 条"
    page.select_option("#bulk-action", value="approve")
    page.click("#bulk-submit")
    page.wait_for_url(f"{base}/admin/items/bulk")
    assert page.locator("#bulk-ok").inner_text() == "4"
    assert page.locator("#bulk-refused").inner_text() == "1"
    refused = page.locator("ul.bulk-refused li")
    assert refused.count() == 1
    assert twin.title in refused.inner_text() and "不能在不同栏目重复发布" in refused.inner_text()
    assert page.locator("ul.bulk-ok li").count() == 4
    assert _serious_violations(page) == []
    db.session.expire_all()
    states = {i.id: db.session.get(Item, i.id).state for i in items}
    assert states[twin.id] == "pending_leader"
    assert sorted(s for k, s in states.items() if k != twin.id) == ["published"] * 4
    page.goto(f"{base}/admin/items")
    assert _serious_violations(page) == []

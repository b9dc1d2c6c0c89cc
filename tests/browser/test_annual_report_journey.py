"""In a real browser: the office builds the 2026 annual report, sees a failed check, fixes it by writing the
missing sections, and the report is reviewed, signed off and published."""
import re
from datetime import date

import pytest

from tests.browser.conftest import browser_login, browser_logout
from tests.reports.helpers import office_auditor_two, seed_year

pytestmark = pytest.mark.browser


def test_annual_report_journey(page, live_server, demo, monkeypatch):
    monkeypatch.setattr("cms.clock.local_today", lambda: date(2026, 12, 20))
    seed_year(demo)
    office_auditor_two(demo)
    base = live_server

    browser_login(page, base, "auditor")
    page.goto(f"{base}/admin/annual-reports")
    page.fill("#year", "2026")
    page.fill("#fees_amount", "0")
    page.click("text=根据数据生成年报草稿")
    page.wait_for_url(re.compile(r".*/admin/annual-reports/2026$"))
    failed = page.locator("tr.check-failed")
    assert failed.count() == 1 and "尚未撰写" in failed.inner_text()

    page.fill("#overview", "2026年，本局认真贯彻落实政府信息公开条例。")
    page.fill("#problems", "政策解读形式还不够丰富。")
    page.fill("#other", "无。")
    page.click("text=根据数据生成年报草稿")
    page.wait_for_url(re.compile(r".*/admin/annual-reports/2026$"))
    assert page.locator("tr.check-failed").count() == 0
    page.click("text=在信息审核页面提交、审核和审定")
    page.wait_for_url(re.compile(r".*/admin/items/\d+$"))
    item_url = page.url
    page.click("button[value=submit]")
    assert page.locator("#item-state").inner_text() == "待科室审核"
    browser_logout(page)

    for username, state in (("officehead", "待办公室审核"), ("auditor2", "待分管领导审定"), ("leader", "已发布")):
        browser_login(page, base, username)
        page.goto(item_url)
        if username == "auditor2":
            page.check("#confidentiality_checked")
        page.click("button[value=approve]")
        assert page.locator("#item-state").inner_text() == state
        browser_logout(page)

    page.goto(f"{base}/items/{item_url.rsplit('/', 1)[1]}")
    body = page.locator(".item-body").inner_text()
    assert "三、收到和处理政府信息公开申请情况" in body and "本年新收政府信息公开申请数量" in body

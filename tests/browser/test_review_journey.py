"""The whole journey in a real browser: an editor writes an item in the rich-text editor and submits;
the section chief, the office auditor (ticking the confidentiality review) and the leader approve in their
screens; an anonymous visitor reads it."""
import re

import pytest

pytestmark = pytest.mark.browser

from tests.browser.conftest import browser_login, browser_logout


def test_review_journey(page, live_server, demo):
    base = live_server
    browser_login(page, base, "editor")
    page.click("text=起草新信息")
    page.select_option("#column_id", label="通知公告")
    page.select_option("#type", value="notice")
    page.fill("#title", "关于开展2017年全民阅读进社区活动的通知")
    page.fill("#doc_number", "嘉文广发〔2017〕52号")
    page.fill("#written_date", "2017-05-10")
    editor = page.locator(".ql-editor")
    editor.click()
    page.keyboard.type("各社区：为深入推进全民阅读，我局决定开展阅读进社区活动。")
    page.click("text=保存草稿")
    page.wait_for_url(re.compile(r".*/admin/items/\d+$"))
    item_url = page.url
    item_id = item_url.rsplit("/", 1)[1]
    page.click("button[value=submit]")
    assert page.locator("#item-state").inner_text() == "待科室审核"
    browser_logout(page)

    browser_login(page, base, "chief")
    page.click("text=关于开展2017年全民阅读进社区活动的通知")
    page.click("button[value=approve]")
    assert page.locator("#item-state").inner_text() == "待办公室审核"
    browser_logout(page)

    browser_login(page, base, "auditor")
    page.goto(item_url)
    page.check("#confidentiality_checked")
    page.click("button[value=approve]")
    assert page.locator("#item-state").inner_text() == "待分管领导审定"
    browser_logout(page)

    browser_login(page, base, "leader")
    page.goto(item_url)
    page.click("button[value=approve]")
    assert page.locator("#item-state").inner_text() == "已发布"
    browser_logout(page)

    page.goto(f"{base}/items/{item_id}")
    assert page.locator("h1").inner_text() == "关于开展2017年全民阅读进社区活动的通知"
    assert "我局决定开展阅读进社区活动" in page.locator(".item-body").inner_text()
    assert "嘉文广发〔2017〕52号" in page.locator(".meta-block").inner_text()

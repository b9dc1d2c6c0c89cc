"""New media in a real browser: the editor ticks 微信公众号 on an item with a table and an image; the section
chief sees the WeChat rendering while reviewing; once published, the WeChat article is on 新媒体 with
its copy button, and staff mark it as posted."""
import re

import pytest

from cms.channels.models import ChannelPost
from cms.channels.services import channels_of
from cms.content.models import Item
from cms.extensions import db
from tests.browser.conftest import browser_login, browser_logout
from tests.channels.helpers import item_with_image
from tests.workflow.helpers import publish

pytestmark = pytest.mark.browser


def test_wechat_rendition_is_produced_and_marked_posted(browser, live_server, demo):
    base = live_server
    item, photo = item_with_image(demo, channels=["website"])
    item_id = item.id

    # The editor ticks 微信公众号. The page works without JavaScript; without it the body is the plain HTML
    # field, which keeps the table exactly (the rich-text editor has no table tool).
    plain = browser.new_context(locale="zh-CN", java_script_enabled=False)
    page = plain.new_page()
    browser_login(page, base, "editor")
    page.goto(f"{base}/admin/items/{item_id}/edit")
    assert page.is_visible("#channels-field")
    page.check("#channel-wechat")
    page.click("button:has-text('保存草稿')")
    page.wait_for_url(re.compile(rf".*/admin/items/{item_id}$"))
    plain.close()
    db.session.expire_all()
    item = db.session.get(Item, item_id)
    assert channels_of(item) == ["website", "wechat"]
    assert "<table>" in item.body_html and f"/attachments/{photo.id}/" in item.body_html

    context = browser.new_context(locale="zh-CN", permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.set_default_timeout(15000)

    # The reviewer sees the WeChat rendering on the review screen.
    browser_login(page, base, "chief")
    page.goto(f"{base}/admin/items/{item_id}")
    frame = page.frame_locator("#rendition-wechat")
    assert "网吧" in frame.locator("table").inner_text()
    assert "border" in frame.locator("td").first.get_attribute("style")
    browser_logout(page)

    publish(item)

    browser_login(page, base, "editor")
    page.click("nav.admin-nav >> text=新媒体")
    page.wait_for_url(f"{base}/admin/channels")
    card = page.locator(f"#card-{item_id}-wechat")
    assert "微信公众号" in card.locator("h4").inner_text()
    frame = page.frame_locator(f"#card-{item_id}-wechat iframe")
    assert frame.locator("th").first.inner_text() == "检查对象"
    assert "1px solid" in frame.locator("table").get_attribute("style")
    image = frame.locator("img")
    assert re.search(rf"/attachments/{photo.id}/", image.get_attribute("src"))
    assert "原文链接" in frame.locator("section").inner_text()
    source = card.locator("textarea").input_value()
    assert "class=" not in source and "<script" not in source

    card.locator("button[data-copy-kind=html]").click()
    expect_copied = card.locator(".copy-status")
    expect_copied.filter(has_text="已复制").wait_for()
    assert page.evaluate("navigator.clipboard.readText()") == source

    card.locator("input[name=url]").fill("https://mp.weixin.qq.com/s/chunjie-anquan")
    card.locator("button:has-text('登记已发布')").click()
    page.wait_for_url(f"{base}/admin/channels")
    assert "已登记“微信公众号”发布" in page.locator(".flashes").inner_text()
    assert page.locator(f"#card-{item_id}-wechat").count() == 0
    context.close()

    post = ChannelPost.query.filter_by(item_id=item_id, channel="wechat").one()
    assert post.url == "https://mp.weixin.qq.com/s/chunjie-anquan" and post.recorded_by.username == "editor"

"""An admin fills in the site settings screen; the public footer shows them (and nothing that is unset)."""
import pytest

from tests.browser.conftest import browser_login

pytestmark = pytest.mark.browser


def test_footer_shows_what_the_admin_set(page, live_server, demo):
    page.goto(live_server + "/")
    footer = page.locator("footer.site-footer")
    assert "网站标识码" not in footer.inner_text() and "隐私声明" not in footer.inner_text()

    browser_login(page, live_server, "admin")
    page.click("text=网站设置")
    page.fill("#host_org", "嘉峪关市文化广播影视新闻出版局")
    page.fill("#site_code", "6202000001")
    page.fill("#icp_record", "陇ICP备12345678号")
    page.fill("#contact_phone", "0937-6221234")
    page.fill("#privacy_html", "<p>我们只在办理申请时使用您的个人信息。</p>")
    page.click("button:has-text('保存')")
    assert "网站设置已保存" in page.locator(".flashes").inner_text()

    page.goto(live_server + "/columns/policies")
    text = page.locator("footer.site-footer").inner_text()
    for expected in ("主办单位：嘉峪关市文化广播影视新闻出版局", "网站标识码：6202000001", "ICP 备案编号：陇ICP备12345678号",
                     "电话：0937-6221234", "隐私声明", "网站地图"):
        assert expected in text
    assert "公安机关备案号" not in text and "邮箱" not in text
    assert page.locator(".conac-badge[aria-label='党政机关网站标识']").is_visible()
    page.click("footer >> text=隐私声明")
    assert "我们只在办理申请时使用您的个人信息" in page.locator("main").inner_text()
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server + "/")
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")

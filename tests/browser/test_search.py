"""A visitor searches in Chinese and opens a result."""
import pytest

pytestmark = pytest.mark.browser


def test_search_in_chinese_and_open_a_result(page, live_server, demo):
    page.goto(live_server + "/")
    page.fill("#site-q", "文化市场经营场所安全管理")
    page.press("#site-q", "Enter")
    page.wait_for_url("**/search?q=*")
    assert "条相关信息" in page.locator(".result-count").inner_text()
    first = page.locator(".search-results li h2 a").first
    title = first.inner_text()
    first.click()
    page.wait_for_url("**/items/*")
    assert page.locator("h1").inner_text() == title

"""The public pages at phone (320/390 px) and desktop (1280 px) widths: nothing scrolls sideways."""
import pytest

pytestmark = pytest.mark.browser

PAGES = ["/", "/catalog", "/columns/policies", "/columns/notices?year=2017&sort=date", "/items/1",
         "/items/1/print", "/search?q=文化市场", "/search", "/apply", "/apply/status", "/sitemap"]


def _overflow(page, base, width):
    page.set_viewport_size({"width": width, "height": 800})
    wide = {}
    for path in PAGES:
        response = page.goto(base + path)
        assert response.status == 200, path
        scroll, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            wide[path] = scroll
    return wide


@pytest.mark.parametrize("width", [320, 390, 1280])
def test_no_public_page_scrolls_sideways(page, live_server, demo, width):
    assert _overflow(page, live_server, width) == {}


def test_header_search_button_stays_on_one_line(page, live_server, demo):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server + "/")
    box = page.locator(".search-box button").bounding_box()
    assert box["height"] < 60 and box["width"] > box["height"]


def test_metadata_block_is_a_two_column_list_on_phones(page, live_server, demo):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server + "/items/1")
    label = page.locator(".meta-block th").nth(1).bounding_box()  # 信息分类: on its own row at this width
    first = page.locator(".meta-block th").first.bounding_box()
    assert label["x"] == first["x"] and label["y"] > first["y"]


def test_search_results_are_on_the_first_screen_on_phones(page, live_server, demo):
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(live_server + "/search?q=文化市场")
    first = page.locator(".search-results li").first.bounding_box()
    assert first is not None and first["y"] < 800

"""Accessibility of every public page in normal and high-contrast modes (axe-core, vendored), and the
适老化 toolbar: text size steps, high contrast, line spacing, reading guide, remembered, keyboard-usable."""
import os

import pytest

pytestmark = pytest.mark.browser

AXE = os.path.join(os.path.dirname(__file__), "vendor", "axe-core-4.10.3", "axe.min.js")
PAGES = ["/", "/catalog", "/columns/policies", "/columns/notices?topic=不存在&sort=relevance&q=通知", "/items/1",
         "/items/1/print", "/search?q=文化市场", "/search?q=没有这样的词&column=notices", "/search", "/apply",
         "/apply/status", "/sitemap", "/disclosure/rules"]


@pytest.fixture
def axe_page(browser):
    context = browser.new_context(locale="zh-CN", bypass_csp=True)  # only so axe itself can be injected
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _violations(page, base, mode):
    with open(AXE, encoding="utf-8") as fh:
        axe_source = fh.read()
    page.goto(base + "/")
    page.evaluate("mode => localStorage.setItem('cms-a11y', JSON.stringify({contrast: mode === 'contrast'}))", mode)
    problems = {}
    for path in PAGES:
        page.goto(base + path)
        if mode == "contrast" and "/print" not in path:
            assert page.evaluate("document.documentElement.classList.contains('a11y-contrast')"), path
        page.evaluate(axe_source)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
                   for v in result["violations"] if v["impact"] in ("serious", "critical")]
        if serious:
            problems[path] = serious
    return problems


@pytest.mark.parametrize("mode", ["normal", "contrast"])
def test_no_serious_violations_on_any_public_page(axe_page, live_server, demo, mode):
    assert _violations(axe_page, live_server, mode) == {}


def test_toolbar_by_keyboard_and_remembered(page, live_server, demo):
    page.goto(live_server + "/items/1")
    base_size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    page.keyboard.press("Tab")  # the skip link comes first
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到主要内容"
    larger = page.locator("[data-a11y=larger]")
    for _ in range(3):
        larger.focus()
        page.keyboard.press("Enter")
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size >= base_size * 1.45 and larger.is_disabled()
    assert page.locator("#a11y-level").inner_text() == "特大字号"
    for name in ("contrast", "spacing", "guide"):
        button = page.locator(f"[data-a11y={name}]")
        button.focus()
        page.keyboard.press("Space")
        assert button.get_attribute("aria-pressed") == "true"
    page.mouse.move(100, 300)
    assert page.locator(".reading-guide").is_visible()
    page.goto(live_server + "/catalog")  # remembered in this browser
    classes = page.evaluate("document.documentElement.className")
    assert all(c in classes for c in ("a11y-text-3", "a11y-contrast", "a11y-spacing", "a11y-guide"))
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(0, 0, 0)"
    page.locator("[data-a11y=reset]").click()
    assert page.evaluate("document.documentElement.className") == ""


def test_focus_is_visible(page, live_server, demo):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", "")

"""Accessibility: axe-core (vendored test asset, tests/browser/vendor/) finds no serious or critical
violations on the home, catalog, column, item, search and application (form and status) pages."""
import os

import pytest

pytestmark = pytest.mark.browser

AXE = os.path.join(os.path.dirname(__file__), "vendor", "axe-core-4.10.3", "axe.min.js")


@pytest.fixture
def axe_page(browser):
    # The site's CSP forbids injected scripts; the audit context bypasses it (the site itself does not).
    context = browser.new_context(locale="zh-CN", bypass_csp=True)
    page = context.new_page()
    yield page
    context.close()


def test_public_pages_have_no_serious_accessibility_violations(axe_page, live_server, demo):
    with open(AXE, encoding="utf-8") as fh:
        axe_source = fh.read()
    pages = ["/", "/catalog", "/columns/policies", "/items/1", "/search?q=文化市场", "/search", "/no-such-page",
             "/apply", "/apply/status"]
    problems = {}
    for path in pages:
        axe_page.goto(live_server + path)
        axe_page.evaluate(axe_source)
        result = axe_page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
        serious = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")
        ]
        if serious:
            problems[path] = serious
    assert problems == {}

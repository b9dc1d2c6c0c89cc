"""The editor narrows 信息类型 to what the chosen column accepts."""
from tests.browser.conftest import browser_login


def test_choosing_the_column_narrows_and_preselects_the_type(page, live_server, demo):
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server}/admin/items/new")
    page.select_option("#column_id", label="财政预决算")
    assert page.input_value("#type") == "budget"
    enabled = page.eval_on_selector_all("#type option:not([disabled])", "options => options.map(o => o.value)")
    assert enabled == ["budget"]
    page.select_option("#column_id", label="通知公告")
    assert page.input_value("#type") == "notice"
    assert "budget" not in page.eval_on_selector_all("#type option:not([disabled])", "o => o.map(x => x.value)")

"""A citizen files an application in the browser; the desk, the section, the office and the leader process
it through every step; the citizen reads the reply letter on the status page with the code."""
import pytest

from tests.browser.conftest import browser_login, browser_logout

pytestmark = pytest.mark.browser


def _act(page, base, app_id, transition, fill=None):
    page.goto(f"{base}/admin/applications/{app_id}")
    form = page.locator(f"form[data-transition='{transition}']")
    for selector, value in (fill or {}).items():
        element = form.locator(selector)
        if element.evaluate("e => e.tagName") == "SELECT":
            element.select_option(value)
        elif element.get_attribute("type") == "checkbox":
            element.check()
        else:
            element.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".flash-success")


def test_application_from_form_to_reply(page, live_server, demo):
    base = live_server
    # The citizen.
    page.goto(f"{base}/apply")
    page.select_option("#applicant_type", "person")
    page.fill("#applicant_name", "王小明")
    page.select_option("#id_type", "resident_id")
    page.fill("#id_number", "11010519491231002X")
    page.fill("#phone", "13912345678")
    page.fill("#email", "wang@example.cn")
    page.fill("#description", "2017年度文化市场执法检查结果")
    page.fill("#document_hint", "嘉文广发〔2017〕31号")
    page.select_option("#delivery", "email")
    page.click("form.apply-form button[type=submit]")
    page.wait_for_url(f"{base}/apply/receipt")
    code = page.inner_text("#application-code").strip()
    assert code.startswith("YS")

    # The desk registers and assigns it.
    browser_login(page, base, "auditor")
    page.goto(f"{base}/admin/applications")
    page.click(f"text={code}")
    app_id = page.url.rstrip("/").split("/")[-1]
    _act(page, base, app_id, "register")
    _act(page, base, app_id, "assign", {"select[name=section_id]": "市场科"})
    browser_logout(page)

    # The section drafts the reply.
    browser_login(page, base, "editor")
    _act(page, base, app_id, "draft_reply", {"select[name=outcome]": "disclosed",
                                             "textarea[name=reply_text]": "现将该文件全文通过电子邮件发送给您。"})
    browser_logout(page)

    # The office audits it with the confidentiality review, the leader signs it off.
    browser_login(page, base, "auditor")
    _act(page, base, app_id, "approve", {"input[name=confidentiality_checked]": True,
                                          "textarea[name=comment]": "同意"})
    browser_logout(page)
    browser_login(page, base, "leader")
    _act(page, base, app_id, "approve")
    assert "已答复" in page.inner_text("#application-state")
    browser_logout(page)

    # The citizen reads the reply with the code and the phone number.
    page.goto(f"{base}/apply/status")
    page.fill("#code", code)
    page.fill("#contact", "13912345678")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".letter")
    assert "已答复" in page.inner_text("#application-state")
    letter = page.inner_text(".letter")
    assert "政府信息公开申请答复书" in letter
    assert "现将该文件全文通过电子邮件发送给您" in letter
    assert "行政复议" in letter and "行政诉讼" in letter

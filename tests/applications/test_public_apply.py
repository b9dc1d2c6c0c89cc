"""The public form, the receipt and the status page: anti-spam, rate limits, no enumeration, 4xx on bad input."""
import re


from cms.applications.models import Application
from tests.applications.helpers import payload, to_reply


def _form(client, **overrides):
    page = client.get("/apply")
    assert page.status_code == 200
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    data = {**payload(), "form_token": token, "website": "", **overrides}
    return client.post("/apply", data={k: v for k, v in data.items() if v is not None})


def test_citizen_files_and_gets_a_receipt(client, demo):
    response = _form(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/apply/receipt")
    receipt = client.get("/apply/receipt").get_data(as_text=True)
    application = Application.query.one()
    assert application.code in receipt
    # A printable receipt (回执): what was filed and the expected due date, personal data masked.
    assert "政府信息公开申请回执" in receipt and application.description in receipt and "打印回执" in receipt
    assert "预计最迟答复日期" in receipt and application.applicant_name not in receipt
    assert "print-button.js" in receipt
    assert application.state == "submitted" and application.channel == "online" and not application.is_test
    # The desk hears about it.
    from cms.notifications.models import Notification

    assert Notification.query.filter(Notification.message.contains(application.code)).count() >= 1


def test_bad_input_is_shown_next_to_the_field_and_kept(client, demo):
    response = _form(client, id_number="110105194912310021", description="我想要的信息")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "校验位" in html
    assert "我想要的信息" in html  # nothing typed is lost
    assert Application.query.count() == 0


def test_honeypot_and_forged_or_missing_token_are_refused(client, demo):
    assert _form(client, website="http://spam.example").status_code == 400
    assert client.post("/apply", data=payload()).status_code == 400
    assert _form(client, form_token="forged").status_code == 400
    assert Application.query.count() == 0


def test_minimum_fill_time_when_configured(client, demo, app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_APPLY_MIN_SECONDS", 60)
    response = _form(client)
    assert response.status_code == 400 and "过快" in response.get_data(as_text=True)


def test_csrf_is_required(client, demo, app, monkeypatch):
    monkeypatch.setitem(app.config, "WTF_CSRF_ENABLED", True)
    page = client.get("/apply").get_data(as_text=True)
    assert 'name="csrf_token"' in page
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/apply", data={**payload(), "form_token": token})
    assert response.status_code == 400
    assert Application.query.count() == 0


def test_filing_is_rate_limited(client, demo, app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_APPLY_RATE_LIMIT", "2 per hour")
    assert _form(client).status_code == 302
    assert _form(client, description="x" * 4).status_code == 302
    assert _form(client, description="第三次").status_code == 429
    assert Application.query.count() == 2


def test_status_needs_code_and_contact_and_does_not_tell_which_was_wrong(client, demo):
    _form(client)
    application = Application.query.one()
    ok = client.post("/apply/status", data={"code": application.code.lower(), "contact": "139 1234 5678"})
    assert ok.status_code == 200 and "待登记" in ok.get_data(as_text=True)
    by_mail = client.post("/apply/status", data={"code": application.code, "contact": "WANG@example.cn"})
    assert by_mail.status_code == 200
    wrong_contact = client.post("/apply/status", data={"code": application.code, "contact": "13800000000"})
    unknown_code = client.post("/apply/status", data={"code": "YS2026-AAAAAAAA", "contact": "13912345678"})
    assert wrong_contact.status_code == unknown_code.status_code == 404
    message = "未找到与申请编号和联系方式相符的申请"
    assert message in wrong_contact.get_data(as_text=True) and message in unknown_code.get_data(as_text=True)
    assert "王小明" not in wrong_contact.get_data(as_text=True)
    assert client.post("/apply/status", data={"code": "", "contact": ""}).status_code == 404
    assert client.post("/apply/status", data={"code": "x" * 5000, "contact": "-"}).status_code == 404
    assert client.post("/apply/status", data={"code": "x", "contact": "\x00"}).status_code == 400  # NUL refused


def test_status_by_query_string_too(client, demo):
    _form(client)
    application = Application.query.one()
    ok = client.get(f"/apply/status?code={application.code}&contact=13912345678")
    assert ok.status_code == 200 and application.code in ok.get_data(as_text=True)
    assert client.get(f"/apply/status?code={application.code}&contact=1").status_code == 404
    assert client.get(f"/apply/status?code={application.code}").status_code == 200  # just the form, prefilled


def test_failed_status_lookups_are_rate_limited(client, demo, app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_STATUS_RATE_LIMIT", "3 per hour")
    for _ in range(3):
        assert client.post("/apply/status", data={"code": "YS2026-AAAAAAAA", "contact": "1"}).status_code == 404
    assert client.post("/apply/status", data={"code": "YS2026-AAAAAAAA", "contact": "1"}).status_code == 429


def test_reply_letter_shown_on_the_status_page(client, demo):
    _form(client)
    application = Application.query.one()
    from tests.applications.helpers import step

    step(application, "auditor", "register")
    to_reply(demo, application, result="withheld", reason=1)
    html = client.post("/apply/status", data={"code": application.code, "contact": "13912345678"}).get_data(as_text=True)
    assert "政府信息公开申请答复书" in html
    assert "属于国家秘密" in html
    assert "嘉峪关市人民政府申请行政复议" in html and "60日" in html


def test_test_link_marks_the_application(client, demo, login_as):
    login_as("auditor")
    response = client.post("/admin/applications/test-link")
    assert response.status_code == 302
    link = response.headers["Location"]
    token = re.search(r"test=([^&]+)", link).group(1)
    client.post("/logout")
    page = client.get(link).get_data(as_text=True)
    assert "渠道测试" in page
    form_token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/apply", data={**payload(), "form_token": form_token, "test_token": token})
    assert response.status_code == 302
    assert Application.query.one().is_test


def test_a_made_up_test_token_does_not_mark_the_application(client, demo):
    page = client.get("/apply?test=forged").get_data(as_text=True)
    assert "渠道测试" not in page
    response = _form(client, test_token="forged")
    assert response.status_code == 302
    assert not Application.query.one().is_test


def test_receipt_without_a_filing_goes_back_to_the_form(client, demo):
    assert client.get("/apply/receipt").status_code == 302


def test_made_up_choices_are_field_errors_not_a_lost_form(client, demo):
    response = _form(client, applicant_type="alien", delivery="pigeon", description="保留我")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "保留我" in html and "取值无效" in html


def test_applicant_downloads_the_letter(client, demo):
    import io

    from docx import Document

    from tests.applications.helpers import step

    _form(client)
    application = Application.query.one()
    url = "/apply/status/letter.docx"
    assert client.post(url, data={"code": application.code, "contact": "13912345678"}).status_code == 404  # no reply yet
    step(application, "auditor", "register")
    to_reply(demo, application)
    assert client.post(url, data={"code": application.code, "contact": "13800000000"}).status_code == 404
    response = client.post(url, data={"code": application.code, "contact": "13912345678"})
    assert response.status_code == 200
    assert "政府信息公开申请答复书" in "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)

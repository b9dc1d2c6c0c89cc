"""The applicant's phone or e-mail never travels in a URL (URLs land in access logs, proxies and histories):
the status look-up is a POST on the API and on the public site, and so is the letter download."""
import io
import re
import zipfile

import pytest

from cms.applications.models import Application
from tests.applications.helpers import payload, step, to_reply


@pytest.fixture
def code(client, demo):
    return client.post("/api/v1/applications", json=payload()).get_json()["code"]


def test_api_status_by_post(client, code):
    response = client.post(f"/api/v1/applications/{code}/status", json={"contact": "139 1234 5678"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["code"] == code and data["state"] == "submitted" and data["applicant_type"] == "person"
    assert set(data) >= {"code", "state", "applicant_type", "received_on", "due_on", "extended", "replied_on"}
    assert "id_number" not in data and "phone" not in data and "applicant_name" not in data
    by_mail = client.post(f"/api/v1/applications/{code.lower()}/status", json={"contact": "WANG@example.cn"})
    assert by_mail.status_code == 200 and by_mail.get_json() == data


def test_api_status_refusals(client, code):
    wrong = client.post(f"/api/v1/applications/{code}/status", json={"contact": "13800000000"})
    unknown = client.post("/api/v1/applications/YS2026-ZZZZZZZZ/status", json={"contact": "13912345678"})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.get_json() == unknown.get_json()  # which of the two was wrong is not told
    for body in ({}, {"contact": ""}, {"contact": 13912345678}, {"contact": ["x"]}):
        response = client.post(f"/api/v1/applications/{code}/status", json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["fields"]["contact"]
    response = client.post(f"/api/v1/applications/{code}/status", json={"contact": "13912345678", "x": 1})
    assert response.status_code == 422


def test_api_status_failures_are_rate_limited(client, code, app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_STATUS_RATE_LIMIT", "3 per hour")
    for _ in range(3):
        assert client.post(f"/api/v1/applications/{code}/status", json={"contact": "1"}).status_code == 404
    response = client.post(f"/api/v1/applications/{code}/status", json={"contact": "13912345678"})
    assert response.status_code == 429
    assert response.get_json()["error"]["message"]


def test_api_get_with_the_contact_in_the_query_is_refused(client, code):
    response = client.get(f"/api/v1/applications/{code}?contact=13912345678")
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "contact_in_url" and "/status" in error["message"]
    assert code not in response.get_data(as_text=True)  # no status is answered
    assert client.get(f"/api/v1/applications/{code}").status_code == 400


def test_public_status_page_never_looks_up_by_query_string(client, code):
    response = client.get(f"/apply/status?code={code}&contact=13912345678")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'id="application-state"' not in page  # nothing was looked up
    assert "13912345678" not in page  # and the contact is not echoed back into the page either
    assert f'value="{code}"' in page  # the code is prefilled
    assert 'method="post"' in page


def test_letter_download_from_the_status_page_carries_no_contact_in_any_url(client, demo, code):
    application = Application.query.filter_by(code=code).one()
    step(application, "auditor", "register")
    to_reply(demo, application, result="disclosed")
    page = client.post("/apply/status", data={"code": code, "contact": "13912345678"}).get_data(as_text=True)
    for url in re.findall(r'(?:href|action)="([^"]*)"', page):
        assert "13912345678" not in url and "contact" not in url, url
    form = re.search(r'<form method="post" action="(/apply/status/letter\.docx)"(.*?)</form>', page, re.S)
    assert form, "the letter is downloaded with a POST form"
    fields = dict(re.findall(r'name="(\w+)" value="([^"]*)"', form.group(2)))
    response = client.post(form.group(1), data=fields)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        assert code in archive.read("word/document.xml").decode("utf-8")
    assert client.get(f"/apply/status/letter.docx?code={code}&contact=13912345678").status_code == 405

"""Documents disclosed with a reply: the desk attaches them (same checks as item attachments), the applicant
downloads them through a signed, expiring link from the status page once answered; nobody else can."""
import io
from datetime import date

import pytest

from cms.applications.documents import ApplicationDocument, download_token
from cms.extensions import db
from tests.applications.helpers import Today, registered, to_reply
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"


@pytest.fixture
def today(monkeypatch):
    return Today(monkeypatch, date(2025, 3, 3))


def _upload(client, headers, code, name="公开材料.pdf", data=PDF):
    return client.post(f"/api/v1/applications/{code}/documents", headers=headers,
                       data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")


def _status(client, code, contact="13912345678"):
    return client.post(f"/api/v1/applications/{code}/status", json={"contact": contact})


def _path(url):
    return url[url.index("/apply/documents/"):]


def test_desk_uploads_and_applicant_downloads_after_the_reply(client, demo, today, token_for):
    application = registered(demo, date(2025, 3, 3))
    desk = token_for("auditor")
    response = _upload(client, desk, application.code)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["filename"] == "公开材料.pdf"
    assert client.get(f"/api/v1/applications/{application.code}/documents", headers=desk).get_json()["documents"]
    # Not answered yet: the applicant sees no document, and even a valid link does not work.
    assert _status(client, application.code).get_json()["documents"] == []
    document = ApplicationDocument.query.one()
    early = client.get(f"/apply/documents/{download_token(document)}")
    assert early.status_code == 404
    to_reply(demo, application)
    body = _status(client, application.code).get_json()
    assert [d["filename"] for d in body["documents"]] == ["公开材料.pdf"]
    download = client.get(_path(body["documents"][0]["url"]))
    assert download.status_code == 200 and download.data == PDF
    assert "no-store" in download.headers["Cache-Control"]
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["X-Content-Type-Options"] == "nosniff"


def test_status_page_lists_the_documents_once_answered(client, demo, today, token_for):
    application = registered(demo, date(2025, 3, 3))
    _upload(client, token_for("auditor"), application.code, name="执法检查结果.pdf")
    form = {"code": application.code, "contact": "13912345678"}
    assert "执法检查结果.pdf" not in client.post("/apply/status", data=form).get_data(as_text=True)
    to_reply(demo, application)
    page = client.post("/apply/status", data=form).get_data(as_text=True)
    assert "执法检查结果.pdf" in page and "/apply/documents/" in page
    start = page.index("/apply/documents/")
    url = page[start:page.index('"', start)]
    assert client.get(url).data == PDF
    # The wrong contact shows nothing.
    wrong = client.post("/apply/status", data={**form, "contact": "13800000000"})
    assert wrong.status_code == 404 and "执法检查结果.pdf" not in wrong.get_data(as_text=True)


def test_links_are_signed_and_expire(app, client, demo, today, token_for, monkeypatch):
    application = registered(demo, date(2025, 3, 3))
    _upload(client, token_for("auditor"), application.code)
    to_reply(demo, application)
    document = ApplicationDocument.query.one()
    token = download_token(document)
    assert client.get(f"/apply/documents/{token}").status_code == 200
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(f"/apply/documents/{tampered}").status_code == 404
    assert client.get("/apply/documents/1").status_code == 404
    assert client.get("/apply/documents/" + "x" * 500).status_code == 404
    monkeypatch.setitem(app.config, "CMS_DOCUMENT_LINK_SECONDS", -1)
    assert client.get(f"/apply/documents/{token}").status_code == 404


def test_only_the_desk_uploads_and_downloads_in_the_back_office(client, demo, today, token_for):
    application = registered(demo, date(2025, 3, 3))
    assert _upload(client, token_for("editor"), application.code).status_code in (403, 404)
    assert _upload(client, token_for("leader"), application.code).status_code in (403, 404)
    assert _upload(client, token_for("auditor"), "YS2025-NOPE0000").status_code == 404
    assert client.post(f"/api/v1/applications/{application.code}/documents",
                       data={"file": (io.BytesIO(PDF), "a.pdf")}, content_type="multipart/form-data").status_code == 401
    _upload(client, token_for("auditor"), application.code)
    document = ApplicationDocument.query.one()
    url = f"/admin/applications/{application.id}/documents/{document.id}"
    assert client.get(url).status_code == 302  # anonymous: to the login page
    login(client, "editor")
    assert client.get(url).status_code in (403, 404)
    client.post("/logout")
    login(client, "auditor")
    assert client.get(url).data == PDF


def test_same_sniffing_and_limits_as_item_attachments(app, client, demo, today, token_for, monkeypatch):
    application = registered(demo, date(2025, 3, 3))
    desk = token_for("auditor")
    assert _upload(client, desk, application.code, name="x.exe", data=b"MZ...").status_code == 422
    disguised = _upload(client, desk, application.code, name="伪装.pdf", data=b"<html><script>x</script>")
    assert disguised.status_code == 422 and disguised.get_json()["error"]["fields"] == {"file": "mismatch"}
    assert _upload(client, desk, application.code, name="empty.pdf", data=b"").status_code == 422
    monkeypatch.setitem(app.config, "CMS_MAX_ATTACHMENT_MB", 1)
    big = _upload(client, desk, application.code, name="big.pdf", data=PDF + b"0" * (1024 * 1024 + 10))
    assert big.status_code in (413, 422)
    not_multipart = client.post(f"/api/v1/applications/{application.code}/documents", headers=desk, json={})
    assert not_multipart.status_code == 422
    assert ApplicationDocument.query.count() == 0


def test_desk_screen_upload_control(client, demo, today):
    application = registered(demo, date(2025, 3, 3))
    login(client, "auditor")
    page = client.get(f"/admin/applications/{application.id}").get_data(as_text=True)
    assert 'name="file"' in page and "答复附带的公开材料" in page
    response = client.post(f"/admin/applications/{application.id}/documents",
                           data={"file": (io.BytesIO(PDF), "检查记录.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    assert ApplicationDocument.query.one().filename == "检查记录.pdf"
    bad = client.post(f"/admin/applications/{application.id}/documents",
                      data={"file": (io.BytesIO(b"not a pdf"), "x.pdf")}, content_type="multipart/form-data",
                      follow_redirects=True)
    assert "内容与扩展名不符" in bad.get_data(as_text=True)
    client.post("/logout")
    login(client, "editor")
    assert client.post(f"/admin/applications/{application.id}/documents",
                       data={"file": (io.BytesIO(PDF), "y.pdf")},
                       content_type="multipart/form-data").status_code in (403, 404)
    assert ApplicationDocument.query.count() == 1


def test_reply_mail_lists_the_documents(client, demo, today, token_for, app, monkeypatch):
    sent = []
    monkeypatch.setitem(app.config, "CMS_SMTP_HOST", "smtp.invalid")
    monkeypatch.setattr("cms.notifications.services.send_mail",
                        lambda to, message, link=None: sent.append((to, message)))
    application = registered(demo, date(2025, 3, 3))
    _upload(client, token_for("auditor"), application.code, name="检查结果汇总.pdf")
    db.session.commit()
    to_reply(demo, application)
    replies = [m for to, m in sent if to == "wang@example.cn" and "已答复" in m]
    assert replies and "《检查结果汇总.pdf》" in replies[0]

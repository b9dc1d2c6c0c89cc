"""Attachments: sniffed types, content-addressed storage, visibility, Chinese file names."""
import io
import zipfile
from urllib.parse import quote

import pytest
from docx import Document

from cms.content.attachments import add_attachment, storage_path
from cms.errors import NotAllowed, ValidationError
from tests.conftest import login
from tests.workflow.helpers import draft, publish, user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def docx_bytes(text="附件正文"):
    buffer = io.BytesIO()
    document = Document()
    document.add_paragraph(text)
    document.save(buffer)
    return buffer.getvalue()


def zip_bytes(name):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, "x")
    return buffer.getvalue()


@pytest.mark.parametrize("filename, data, content_type", [
    ("检查方案.pdf", PDF, "application/pdf"),
    ("通知.docx", None, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("统计表.xlsx", zip_bytes("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("公文.ofd", zip_bytes("OFD.xml"), "application/ofd"),
    ("旧表.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "application/vnd.ms-excel"),
    ("照片.png", PNG, "image/png"),
])
def test_accepted_types_are_sniffed_and_stored_by_hash(demo, filename, data, content_type):
    item = draft(demo)
    data = data if data is not None else docx_bytes()
    attachment = add_attachment(item, user("editor"), filename, io.BytesIO(data))
    assert attachment.content_type == content_type
    assert attachment.filename == filename
    with open(storage_path(attachment.sha256), "rb") as fh:
        assert fh.read() == data


@pytest.mark.parametrize("filename, data", [
    ("伪装.pdf", PNG),
    ("脚本.docx", zip_bytes("payload.js")),
    ("程序.exe", b"MZ\x90\x00"),
    ("无扩展名", PDF),
    ("空文件.pdf", b""),
])
def test_refused_types(demo, filename, data):
    with pytest.raises(ValidationError):
        add_attachment(draft(demo), user("editor"), filename, io.BytesIO(data))


def test_size_limit(app, demo):
    app.config["CMS_MAX_ATTACHMENT_MB"] = 1
    try:
        with pytest.raises(ValidationError) as err:
            add_attachment(draft(demo), user("editor"), "大文件.pdf", io.BytesIO(PDF + b"0" * (1024 * 1024 + 1)))
        assert err.value.fields == {"file": "too_large"}
    finally:
        app.config["CMS_MAX_ATTACHMENT_MB"] = 50


def test_only_editors_of_the_section_attach(demo):
    item = draft(demo)
    with pytest.raises(NotAllowed):
        add_attachment(item, user("editor2"), "a.pdf", io.BytesIO(PDF))


def test_public_sees_attachments_of_published_items_only(client, demo):
    item = draft(demo)
    attachment = add_attachment(item, user("editor"), "2017年检查方案.pdf", io.BytesIO(PDF))
    url = f"/attachments/{attachment.id}/{quote(attachment.filename)}"
    assert client.get(url).status_code == 404
    publish(item)
    response = client.get(url)
    assert response.status_code == 200
    assert response.data == PDF
    assert response.headers["Content-Type"] == "application/pdf"
    assert "filename*=UTF-8''2017%E5%B9%B4" in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "2017年检查方案.pdf" in client.get(f"/items/{item.id}").get_data(as_text=True)


def test_upload_through_the_back_office(client, demo):
    item = draft(demo)
    login(client, "editor")
    response = client.post(f"/admin/items/{item.id}/attachments",
                           data={"file": (io.BytesIO(docx_bytes()), "实施方案.docx")},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    page = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert "实施方案.docx" in page
    bad = client.post(f"/admin/items/{item.id}/attachments",
                      data={"file": (io.BytesIO(b"MZ"), "病毒.pdf")}, content_type="multipart/form-data")
    assert bad.status_code == 303
    client.post("/logout")
    login(client, "editor2")
    assert client.post(f"/admin/items/{item.id}/attachments",
                       data={"file": (io.BytesIO(PDF), "a.pdf")}, content_type="multipart/form-data").status_code == 404

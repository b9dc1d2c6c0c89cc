"""Attachment text extraction is bounded (bytes, pages, characters) and never runs on the request path."""
import io
import zipfile

import pytest
from pypdf import PdfWriter

from cms.content.attachments import add_attachment, storage_path
from cms.content.extraction import Caps, extract_attachment, extract_text
from cms.content.models import Attachment
from cms.extensions import db
from tests.content.test_attachments import PNG, docx_bytes
from tests.jobs.helpers import queued_jobs, queued_names, run_queued
from tests.workflow.helpers import draft, user

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def _zip(members):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def bomb_docx(paragraphs=700_000, head="HEADMARKERZQX", tail="TAILMARKERZQX"):
    """A small DOCX whose word/document.xml inflates to ~34 MB of paragraphs (a decompression bomb)."""
    filler = "<w:p><w:r><w:t>政务公开信息</w:t></w:r></w:p>" * paragraphs
    xml = (f'<?xml version="1.0" encoding="UTF-8"?><w:document {W}><w:body>'
           f"<w:p><w:r><w:t>{head}</w:t></w:r></w:p>{filler}<w:p><w:r><w:t>{tail}</w:t></w:r></w:p>"
           "</w:body></w:document>")
    return _zip({"[Content_Types].xml": "<Types/>", "word/document.xml": xml.encode()})


def _write(tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_a_docx_within_the_caps_is_extracted(tmp_path):
    text, status = extract_text(_write(tmp_path, "a.docx", docx_bytes("第一段正文")), "docx", Caps(10**6, 10, 10**5))
    assert (text, status) == ("第一段正文", "done")


def test_the_character_cap_truncates(tmp_path):
    path = _write(tmp_path, "bomb.docx", bomb_docx(paragraphs=20_000))
    text, status = extract_text(path, "docx", Caps(10**8, 10, 1000))
    assert status == "truncated"
    assert len(text) <= 1000 and text.startswith("HEADMARKERZQX") and "TAILMARKERZQX" not in text


def test_the_byte_cap_stops_reading_a_zip_member(tmp_path):
    # Whitespace inflates without adding text: only the byte cap can stop it.
    xml = f'<w:document {W}><w:body><w:p><w:r><w:t>开头</w:t></w:r></w:p>{" " * 5_000_000}</w:body></w:document>'
    path = _write(tmp_path, "spaces.docx", _zip({"word/document.xml": xml}))
    caps = Caps(100_000, 10, 10**6)
    text, status = extract_text(path, "docx", caps)
    assert status == "truncated" and text == "开头"
    assert caps.bytes_read <= 100_000


def test_the_declared_size_alone_flags_truncation(tmp_path):
    xml = f'<w:document {W}><w:body><w:p><w:r><w:t>{"字" * 3000}</w:t></w:r></w:p></w:body></w:document>'
    path = _write(tmp_path, "a.docx", _zip({"word/document.xml": xml}))
    caps = Caps(len(xml.encode()) - 1, 10, 10**6)
    assert extract_text(path, "docx", caps)[1] == "truncated"


def test_xlsx_shared_strings(tmp_path):
    shared = f'<sst {S}><si><t>单位名称</t></si><si><t>公开数量</t></si></sst>'
    sheet = f'<worksheet {S}><sheetData><row><c t="inlineStr"><is><t>行内文本</t></is></c></row></sheetData></worksheet>'
    path = _write(tmp_path, "t.xlsx", _zip({"xl/workbook.xml": "<workbook/>", "xl/sharedStrings.xml": shared,
                                            "xl/worksheets/sheet1.xml": sheet}))
    text, status = extract_text(path, "xlsx", Caps(10**6, 10, 10**5))
    assert status == "done"
    assert text.split() == ["单位名称", "公开数量", "行内文本"]


def test_pdf_page_cap(tmp_path):
    writer = PdfWriter()
    for _ in range(3):
        writer.add_blank_page(width=200, height=200)
    buffer = io.BytesIO()
    writer.write(buffer)
    path = _write(tmp_path, "p.pdf", buffer.getvalue())
    assert extract_text(path, "pdf", Caps(10**6, 2, 10**5))[1] == "truncated"
    assert extract_text(path, "pdf", Caps(10**6, 3, 10**5))[1] == "done"


@pytest.mark.parametrize("kind, data, status", [
    ("docx", _zip({"word/document.xml": "<w:document <<< not xml"}), "failed"),
    ("pdf", b"%PDF-1.4 broken", "failed"),
    (None, PNG, "skipped"),
])
def test_broken_and_other_files(tmp_path, kind, data, status):
    assert extract_text(_write(tmp_path, "f", data), kind, Caps(10**6, 10, 10**5))[1] == status


def test_upload_enqueues_extraction_and_the_same_bytes_are_extracted_once(app, demo, monkeypatch):
    with queued_jobs(app) as jobs:
        item, data = draft(demo), docx_bytes("共享正文")
        first = add_attachment(item, user("editor"), "a.docx", io.BytesIO(data))
        second = add_attachment(item, user("editor"), "b.docx", io.BytesIO(data))
        db.session.commit()
        assert first.sha256 == second.sha256
        assert queued_names(jobs) == ["attachments.extract", "attachments.extract"]
        assert first.extraction_status == second.extraction_status == "pending"
        first_id, second_id = first.id, second.id
        calls = []
        real = extract_text
        monkeypatch.setattr("cms.content.extraction.extract_text", lambda *a: calls.append(a) or real(*a))
        run_queued(jobs)
    db.session.rollback()  # read what the tasks committed
    assert len(calls) == 1
    for attachment_id in (first_id, second_id):
        stored = db.session.get(Attachment, attachment_id)
        assert stored.extraction_status == "done" and stored.extracted_text == "共享正文"


def test_an_image_is_skipped_and_extraction_runs_once(app, demo):
    attachment = add_attachment(draft(demo), user("editor"), "照片.png", io.BytesIO(PNG))
    db.session.commit()  # immediate mode: the task ran after the commit
    db.session.rollback()
    assert db.session.get(Attachment, attachment.id).extraction_status == "skipped"
    assert extract_attachment(attachment.id).extraction_status == "skipped"


def test_web_start_up_neither_extracts_nor_indexes(app, database_url, tmp_path, monkeypatch):
    from cms import create_app

    def forbidden(*args, **kwargs):
        raise AssertionError("start-up must not extract or index")

    monkeypatch.setattr("cms.content.extraction.extract_text", forbidden)
    monkeypatch.setattr("cms.search.service.drain", forbidden)
    create_app({"SQLALCHEMY_DATABASE_URI": database_url, "CMS_DATA_DIR": str(tmp_path), "SECRET_KEY": "x"})


def test_a_decompression_bomb_is_bounded_and_stays_off_the_request_path(app, client, demo, token_for):
    data = bomb_docx()
    assert len(data) < 200_000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.getinfo("word/document.xml").file_size > 30 * 1024 * 1024
    headers = {name: token_for(name) for name in ("editor", "chief", "auditor", "leader")}
    with queued_jobs(app) as jobs:
        item = client.post("/api/v1/items", headers=headers["editor"], json={
            "column": "notices", "type": "notice", "title": "关于附件炸弹的通知", "body_html": "<p>正文</p>",
            "disclosure": "proactive"}).get_json()
        upload = client.post(f"/api/v1/items/{item['id']}/attachments", headers=headers["editor"],
                             data={"file": (io.BytesIO(data), "材料.docx")}, content_type="multipart/form-data")
        assert upload.status_code == 201
        attachment_id = upload.get_json()["id"]
        steps = [("editor", {"name": "submit"}), ("chief", {"name": "approve"}),
                 ("auditor", {"name": "approve", "confidentiality_checked": True}), ("leader", {"name": "approve"})]
        for username, body in steps:
            response = client.post(f"/api/v1/items/{item['id']}/transitions", headers=headers[username], json=body)
            assert response.status_code == 200, response.get_json()
            # Nothing was extracted inside the request: the work waits in the queue.
            stored = db.session.get(Attachment, attachment_id)
            assert stored.extraction_status == "pending" and stored.extracted_text is None
        assert response.get_json()["state"] == "published"
        assert "attachments.extract" in queued_names(jobs) and "search.drain" in queued_names(jobs)
        run_queued(jobs)

    db.session.rollback()
    stored = db.session.get(Attachment, attachment_id)
    assert stored.extraction_status == "truncated"
    assert len(stored.extracted_text) <= app.config["CMS_EXTRACT_MAX_CHARS"]
    assert stored.extracted_text.startswith("HEADMARKERZQX")

    def hits(q):
        return client.get("/api/v1/search", query_string={"q": q}).get_json()["total"]

    assert hits("HEADMARKERZQX") == 1  # the attachment's text within the cap is indexed
    assert hits("TAILMARKERZQX") == 0  # text beyond the cap is not

    client.post("/logout")
    from tests.conftest import login

    login(client, "editor")
    page = client.get(f"/admin/items/{item['id']}").get_data(as_text=True)
    assert "已截断" in page

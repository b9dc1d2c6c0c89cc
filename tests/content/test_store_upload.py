"""The one upload-and-sniff routine shared by item attachments and reply documents: same checks, own noun."""
import io
import os

import pytest

from cms.content.attachments import add_attachment, storage_path, store_upload
from cms.errors import ValidationError
from tests.workflow.helpers import draft, user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32

CASES = [
    ("程序.exe", b"MZ\x90\x00", "type", "不支持的{noun}类型（允许 PDF、DOC/DOCX、XLS/XLSX、OFD、JPG/PNG）"),
    ("空文件.pdf", b"", "empty", "{noun}为空"),
    ("伪装.pdf", PNG, "mismatch", "{noun}内容与扩展名不符"),
]


@pytest.mark.parametrize("noun", ["附件", "文件"])
@pytest.mark.parametrize("filename, data, code, message", CASES)
def test_refusals_name_the_caller_noun(app, noun, filename, data, code, message):
    with pytest.raises(ValidationError) as err:
        store_upload(filename, io.BytesIO(data), noun=noun)
    assert err.value.fields == {"file": code}
    assert err.value.message == message.format(noun=noun)


def test_size_limit_message(app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_MAX_ATTACHMENT_MB", 1)
    with pytest.raises(ValidationError) as err:
        store_upload("大.pdf", io.BytesIO(PDF + b"0" * (1024 * 1024 + 1)), noun="文件")
    assert err.value.fields == {"file": "too_large"}
    assert "文件超过 1 MB" in err.value.message
    # nothing half-written stays in the upload folder
    root = app.config["CMS_UPLOAD_DIR"]
    assert not [n for n in os.listdir(root) if n.startswith(".upload-")]


def test_stored_by_hash_and_deduplicated(app):
    first = store_upload("a\\b/通知.pdf", io.BytesIO(PDF))
    second = store_upload("副本.pdf", io.BytesIO(PDF))
    assert first[0] == "通知.pdf" and first[1] == "application/pdf" and first[2] == len(PDF)
    assert first[3] == second[3]
    with open(storage_path(first[3]), "rb") as fh:
        assert fh.read() == PDF


def test_attachments_keep_their_noun(demo):
    with pytest.raises(ValidationError) as err:
        add_attachment(draft(demo), user("editor"), "伪装.pdf", io.BytesIO(PNG))
    assert "附件内容与扩展名不符" in err.value.message

"""Attachments over the API: upload, list, delete with the screen's sniffing, limits and authorization."""
import io

from cms.content.models import Attachment
from cms.extensions import db
from tests.content.test_attachments import PDF, PNG, docx_bytes

NEW_ITEM = {"column": "notices", "type": "notice", "title": "关于附件接口的通知", "body_html": "<p>正文</p>",
            "disclosure": "proactive"}


def _item(client, headers):
    response = client.post("/api/v1/items", json=NEW_ITEM, headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def _upload(client, headers, item_id, data, filename):
    return client.post(f"/api/v1/items/{item_id}/attachments", headers=headers,
                       data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def test_upload_list_and_delete(client, demo, token_for):
    editor = token_for("editor")
    item_id = _item(client, editor)
    response = _upload(client, editor, item_id, docx_bytes("附件正文"), "实施方案.docx")
    assert response.status_code == 201
    body = response.get_json()
    assert body["filename"] == "实施方案.docx" and body["size"] > 0
    assert body["content_type"] == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert body["id"] == db.session.get(Attachment, body["id"]).id
    second = _upload(client, editor, item_id, PDF, "检查方案.pdf").get_json()

    listed = client.get(f"/api/v1/items/{item_id}/attachments", headers=editor)
    assert listed.status_code == 200
    assert [a["filename"] for a in listed.get_json()["attachments"]] == ["实施方案.docx", "检查方案.pdf"]
    assert client.get(f"/api/v1/items/{item_id}", headers=editor).get_json()["attachments"][1]["id"] == second["id"]

    assert client.delete(f"/api/v1/items/{item_id}/attachments/{second['id']}", headers=editor).status_code == 204
    assert db.session.get(Attachment, second["id"]) is None
    assert client.delete(f"/api/v1/items/{item_id}/attachments/{second['id']}", headers=editor).status_code == 404


def test_bad_input_is_a_clear_4xx(app, client, demo, token_for, monkeypatch):
    editor = token_for("editor")
    item_id = _item(client, editor)
    url = f"/api/v1/items/{item_id}/attachments"

    def code(response):
        return response.status_code, response.get_json()["error"]

    status, error = code(client.post(url, headers=editor, data={"other": "x"}, content_type="multipart/form-data"))
    assert status == 422 and error["fields"] == {"file": "required"}
    status, error = code(client.post(url, headers=editor, json={"file": "x"}))
    assert status == 422 and error["fields"] == {"file": "required"}
    status, error = code(_upload(client, editor, item_id, b"", "空.pdf"))
    assert status == 422 and error["fields"] == {"file": "empty"}
    status, error = code(_upload(client, editor, item_id, b"MZ\x90\x00", "程序.exe"))
    assert status == 422 and error["fields"] == {"file": "type"}
    status, error = code(_upload(client, editor, item_id, PNG, "伪装.pdf"))
    assert status == 422 and error["fields"] == {"file": "mismatch"}
    monkeypatch.setitem(app.config, "CMS_MAX_ATTACHMENT_MB", 1)
    status, error = code(_upload(client, editor, item_id, PDF + b"0" * (1024 * 1024 + 1), "大.pdf"))
    assert status == 422 and error["fields"] == {"file": "too_large"}
    status, error = code(_upload(client, editor, 999999, PDF, "a.pdf"))
    assert status == 404
    assert _upload(client, {}, item_id, PDF, "a.pdf").status_code == 401
    assert client.get("/api/v1/items/999999/attachments", headers=editor).status_code == 404
    assert client.delete(f"/api/v1/items/{item_id}/attachments/999999", headers=editor).status_code == 404
    assert Attachment.query.count() == 0


def test_uploads_larger_than_a_json_body_are_accepted(client, demo, token_for):
    editor = token_for("editor")
    item_id = _item(client, editor)
    response = _upload(client, editor, item_id, PDF + b"0" * (3 * 1024 * 1024), "大文件.pdf")
    assert response.status_code == 201, response.get_json()


def test_same_authorization_as_the_editor_screen(client, demo, token_for):
    editor = token_for("editor")
    item_id = _item(client, editor)
    attachment_id = _upload(client, editor, item_id, PDF, "a.pdf").get_json()["id"]
    # Another section's editor does not see the draft at all; the office auditor sees it but may not edit.
    other = token_for("editor2")
    assert _upload(client, other, item_id, PDF, "b.pdf").status_code == 404
    assert client.delete(f"/api/v1/items/{item_id}/attachments/{attachment_id}", headers=other).status_code == 404
    auditor = token_for("auditor")
    assert client.get(f"/api/v1/items/{item_id}/attachments", headers=auditor).status_code == 200
    assert _upload(client, auditor, item_id, PDF, "b.pdf").status_code == 403
    assert client.delete(f"/api/v1/items/{item_id}/attachments/{attachment_id}", headers=auditor).status_code == 403


def test_no_changes_once_the_item_is_under_review(client, demo, token_for):
    editor = token_for("editor")
    item_id = _item(client, editor)
    attachment_id = _upload(client, editor, item_id, PDF, "a.pdf").get_json()["id"]
    fired = client.post(f"/api/v1/items/{item_id}/transitions", json={"name": "submit"}, headers=editor)
    assert fired.status_code == 200, fired.get_json()
    refused = _upload(client, editor, item_id, PDF, "b.pdf")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"] == "conflict"
    assert client.delete(f"/api/v1/items/{item_id}/attachments/{attachment_id}", headers=editor).status_code == 409
    assert [a.filename for a in Attachment.query.all()] == ["a.pdf"]

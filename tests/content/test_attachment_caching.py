"""Caches never keep what is not public: attachments of drafts, items under review and working copies are
sent with ``Cache-Control: private, no-store``; attachments of published items may be cached publicly."""
import io
from urllib.parse import quote

from cms.content.attachments import add_attachment
from cms.workflow.engine import fire
from tests.conftest import login
from tests.workflow.helpers import draft, publish, user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _directives(response):
    return {part.strip().split("=")[0] for part in response.headers.get("Cache-Control", "").split(",") if part.strip()}


def test_non_public_attachments_are_never_cached(client, demo):
    item = draft(demo)
    attachment = add_attachment(item, user("editor"), "内部草稿.pdf", io.BytesIO(PDF))
    url = f"/admin/attachments/{attachment.id}/{quote(attachment.filename)}"
    login(client, "editor")
    response = client.get(url)
    assert response.status_code == 200 and response.data == PDF
    assert {"private", "no-store"} <= _directives(response) and "public" not in _directives(response)
    fire(item, user("editor"), "submit")  # under review: still not public
    from cms.extensions import db

    db.session.commit()
    response = client.get(url)
    assert {"private", "no-store"} <= _directives(response) and "public" not in _directives(response)


def test_published_attachments_may_be_cached(client, demo):
    item = draft(demo)
    attachment = add_attachment(item, user("editor"), "公开方案.pdf", io.BytesIO(PDF))
    publish(item)
    response = client.get(f"/attachments/{attachment.id}/{quote(attachment.filename)}")
    assert response.status_code == 200
    assert "public" in _directives(response) and "no-store" not in _directives(response)

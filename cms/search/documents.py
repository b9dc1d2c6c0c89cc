"""From an item to the document the index stores: title, body text, attachment text and metadata."""
import logging
import os

from cms.clock import to_local
from cms.content.sanitize import html_to_text
from cms.search.backend import Document

log = logging.getLogger(__name__)
MAX_ATTACHMENT_TEXT = 200_000


def attachment_text(attachment):
    """Text extracted from a PDF or DOCX attachment ('' for other types or unreadable files)."""
    from cms.content.attachments import storage_path

    path = storage_path(attachment.sha256)
    if not os.path.exists(path):
        return ""
    try:
        if attachment.content_type == "application/pdf":
            from pypdf import PdfReader

            reader = PdfReader(path)
            return "\n".join((page.extract_text() or "") for page in reader.pages[:200])[:MAX_ATTACHMENT_TEXT]
        if attachment.filename.lower().endswith(".docx"):
            from docx import Document as Docx

            return "\n".join(p.text for p in Docx(path).paragraphs)[:MAX_ATTACHMENT_TEXT]
    except Exception:  # a broken attachment must not stop the item from being indexed
        log.warning("could not extract text from attachment %s", attachment.id, exc_info=True)
    return ""


def document_for(item) -> Document:
    body = html_to_text(item.body_html)
    extra = [attachment_text(a) for a in item.attachments]
    if item.summary:
        body = item.summary + "\n" + body
    body = "\n".join([body] + [t for t in extra if t])
    published = to_local(item.published_at)
    return Document(
        id=item.id, organization_id=item.organization_id, title=item.title, body=body,
        doc_number=item.doc_number or "", index_no=item.index_no or "", column=item.column.code,
        column_name=item.column.name, type=item.type, section=item.section.code,
        year=item.index_year or published.year, five_public=item.five_public or "",
        published_at=item.published_at,
    )

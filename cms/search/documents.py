"""From an item to the document the index stores: title, body text, attachment text and metadata."""
import logging

from cms.clock import to_local
from cms.content.sanitize import html_to_text
from cms.search.backend import Document

log = logging.getLogger(__name__)


def attachment_text(attachment):
    """The attachment's stored extracted text ('' until the extraction task has run).

    Extraction itself never happens here: it is bounded and runs in a queue task
    (``cms/content/extraction.py``), so indexing and start-up never open attachment files.
    """
    return attachment.extracted_text or ""


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

"""Bounded text extraction from attachments (DOCX, XLSX, PDF) for the search index.

Runs only in a queue task, never on the request path. Every read is capped: bytes decompressed from a
zip member (the declared size and the bytes actually read are both checked), PDF pages, and characters
kept. Text beyond a cap is dropped and the attachment is flagged ``truncated``.
"""
import logging
import os
import zipfile

from flask import current_app
from lxml import etree

from cms.extensions import db

log = logging.getLogger(__name__)

# pending: not extracted yet; done; truncated: a cap was hit (the rest is not indexed);
# failed: unreadable; skipped: a type without extractable text (DOC, XLS, OFD, images).
STATUSES = ("pending", "done", "truncated", "failed", "skipped")
STATUS_LABELS = {"pending": "文本待提取", "done": "文本已提取", "truncated": "文本过长，已截断（超出部分未编入检索）",
                 "failed": "无法提取文本", "skipped": "不提取文本"}

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CHUNK = 64 * 1024


class Caps:
    """The limits of one extraction and what has been used of them."""

    def __init__(self, max_bytes, max_pages, max_chars):
        self.max_bytes, self.max_pages, self.max_chars = max_bytes, max_pages, max_chars
        self.bytes_read = 0
        self.parts = []
        self.chars = 0
        self.truncated = False

    @classmethod
    def from_config(cls, config):
        return cls(config["CMS_EXTRACT_MAX_BYTES"], config["CMS_EXTRACT_MAX_PAGES"], config["CMS_EXTRACT_MAX_CHARS"])

    @property
    def full(self):
        return self.chars >= self.max_chars

    def add(self, text):
        """Keep ``text`` up to the character cap; beyond it, flag the extraction as truncated."""
        if not text:
            return
        room = self.max_chars - self.chars
        if len(text) > room:
            text = text[:max(room, 0)]
            self.truncated = True
        self.parts.append(text)
        self.chars += len(text)

    def text(self):
        return "".join(self.parts).strip()


def _member_chunks(archive, name, caps):
    """The bytes of zip member ``name``, stopping at the byte cap (declared size and bytes read both count)."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        return
    room = caps.max_bytes - caps.bytes_read
    if info.file_size > room:
        caps.truncated = True
    with archive.open(info) as fh:
        while room > 0:
            chunk = fh.read(min(_CHUNK, room))
            if not chunk:
                return
            caps.bytes_read += len(chunk)
            room -= len(chunk)
            yield chunk
        if fh.read(1):
            caps.truncated = True


def _xml_text(chunks, text_tag, block_tags, caps):
    """Collect the text of ``text_tag`` elements from streamed XML, a line break after each block element."""
    parser = etree.XMLPullParser(events=("end",), resolve_entities=False, no_network=True, load_dtd=False,
                                 huge_tree=False)
    try:
        for chunk in chunks:
            parser.feed(chunk)
            for _, element in parser.read_events():
                if element.tag == text_tag:
                    caps.add(element.text or "")
                elif element.tag in block_tags:
                    caps.add("\n")
                    element.clear(keep_tail=False)
                    # Drop finished siblings so memory stays flat however long the document is.
                    parent = element.getparent()
                    while parent is not None and element.getprevious() is not None:
                        del parent[0]
                if caps.full:
                    caps.truncated = True
                    return
        parser.close()
    except etree.XMLSyntaxError:
        if not caps.truncated:  # cut-off XML at the byte cap is expected; otherwise the file is broken
            raise


def _docx(path, caps):
    with zipfile.ZipFile(path) as archive:
        _xml_text(_member_chunks(archive, "word/document.xml", caps), _W + "t", {_W + "p"}, caps)


def _xlsx(path, caps):
    with zipfile.ZipFile(path) as archive:
        _xml_text(_member_chunks(archive, "xl/sharedStrings.xml", caps), _S + "t", {_S + "si"}, caps)
        sheets = sorted(n for n in archive.namelist() if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"))
        for name in sheets:  # inline strings written by some generators
            if caps.full or caps.bytes_read >= caps.max_bytes:
                caps.truncated = caps.truncated or caps.bytes_read >= caps.max_bytes
                break
            _xml_text(_member_chunks(archive, name, caps), _S + "t", {_S + "row"}, caps)


def _pdf(path, caps):
    from pypdf import PdfReader

    reader = PdfReader(path)
    pages = reader.pages
    if len(pages) > caps.max_pages:
        caps.truncated = True
    for index in range(min(len(pages), caps.max_pages)):
        caps.add(pages[index].extract_text() or "")
        caps.add("\n")
        if caps.full:
            caps.truncated = True
            break


def kind_of(content_type, filename):
    """Which extractor applies: 'pdf', 'docx', 'xlsx' or None."""
    if content_type == "application/pdf":
        return "pdf"
    lower = (filename or "").lower()
    if lower.endswith(".docx"):
        return "docx"
    if lower.endswith(".xlsx"):
        return "xlsx"
    return None


def extract_text(path, kind, caps):
    """``(text, status)`` for the file at ``path`` of ``kind``, within ``caps``."""
    extractor = {"pdf": _pdf, "docx": _docx, "xlsx": _xlsx}.get(kind)
    if extractor is None:
        return "", "skipped"
    if not os.path.exists(path):
        return "", "failed"
    try:
        extractor(path, caps)
    except Exception:  # a broken attachment must not stop anything else
        log.warning("could not extract text from %s", path, exc_info=True)
        return caps.text(), "failed"
    return caps.text(), "truncated" if caps.truncated else "done"


def extract_attachment(attachment_id):
    """Extract and store the text of a pending attachment (flushes); returns the attachment or None.

    Files are content-addressed: when the same bytes were extracted for another attachment, that result
    is reused.
    """
    from cms.content.attachments import storage_path
    from cms.content.models import Attachment

    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.extraction_status != "pending":
        return attachment
    twin = Attachment.query.filter(
        Attachment.sha256 == attachment.sha256, Attachment.id != attachment.id,
        Attachment.extraction_status != "pending",
    ).first()
    if twin is not None:
        text, status = twin.extracted_text, twin.extraction_status
    else:
        kind = kind_of(attachment.content_type, attachment.filename)
        text, status = extract_text(storage_path(attachment.sha256), kind, Caps.from_config(current_app.config))
    attachment.extracted_text = text or None
    attachment.extraction_status = status
    db.session.flush()
    if status in ("truncated", "failed"):
        log.warning("attachment %s text extraction: %s", attachment.id, status)
    return attachment

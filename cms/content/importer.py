"""Bulk import of legacy content: one JSON object per line, created as already-published items.

Fields: external_id, column, type, title, body_html, published_at, doc_number?, written_date?, section?,
attachments? (attachments: paths of local files, attached when their type is accepted). Items are created in
publication order so index numbers follow it; re-running skips external_ids already imported.
"""
import json
import os
import re
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from sqlalchemy import insert
from tqdm import tqdm

from cms.accounts.models import Membership, Section, User
from cms.clock import to_local, utcnow
from cms.accounts.services import get_organization
from cms.content.models import Column, Item
from cms.content.sanitize import clean_html
from cms.content.types import ITEM_TYPES
from cms.errors import ValidationError
from cms.extensions import db
from cms.content.index_numbers import format_index_no
from cms.workflow.models import IndexCounter

BATCH = 1000


@dataclass
class ImportReport:
    created: int = 0
    skipped: int = 0
    rejected: list = field(default_factory=list)


def _parse_datetime(value):
    text = str(value).strip().replace("Z", "+00:00")
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        parsed = datetime.combine(date.fromisoformat(text), datetime.min.time())
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def _validate(record, columns, sections, default_section):
    if not isinstance(record, dict):
        raise ValueError("not a JSON object")
    for name in ("external_id", "column", "type", "title", "body_html", "published_at"):
        if record.get(name) in (None, ""):
            raise ValueError(f"missing {name}")
    column = columns.get(record["column"])
    if column is None:
        raise ValueError(f"unknown column {record['column']!r}")
    if record["type"] not in ITEM_TYPES or not column.accepts_type(record["type"]):
        raise ValueError(f"column {column.code} does not accept type {record['type']!r}")
    try:
        published_at = _parse_datetime(record["published_at"])
    except ValueError:
        raise ValueError(f"bad published_at {record['published_at']!r}") from None
    written = None
    if record.get("written_date"):
        try:
            written = date.fromisoformat(str(record["written_date"])[:10])
        except ValueError:
            raise ValueError(f"bad written_date {record['written_date']!r}") from None
    section = sections.get(record.get("section")) if record.get("section") else default_section
    if section is None:
        raise ValueError(f"unknown section {record.get('section')!r}")
    if len(str(record["title"])) > 500:
        raise ValueError("title longer than 500 characters")
    return column, section, published_at, written


def import_file(path, org_code=None, progress=False, batch=BATCH, index=True):
    """Import ``path``; returns an ImportReport. Lines are validated before anything is written.

    Fast and lean: a first pass validates every line and keeps only its byte offset and sort key; the second
    pass reads the lines again in publication order and writes each batch of ``batch`` items with a few
    bulk INSERTs (items with their one-place fingerprints, band keys, history, search outbox) and one
    index-number reservation per year, then commits. Re-running skips external_ids already imported, so an
    interrupted import resumes where it stopped. The search index is brought up to date from the outbox at
    the end (``drain``), unless ``index`` is false (then ``cms search sync`` or the task queue does it).
    """
    org = get_organization(org_code)
    columns = {c.code: c for c in Column.query.filter_by(organization_id=org.id, retired=False)}
    sections = {s.code: s for s in Section.query.filter_by(organization_id=org.id)}
    office = next((s for s in sections.values() if s.kind == "office"), None) or next(iter(sections.values()), None)
    if office is None:
        raise ValidationError("该机关还没有科室，请先创建科室", fields={"section": "missing"})
    importer_user = (User.query.join(Membership).join(Section)
                     .filter(Section.organization_id == org.id, Membership.role == "admin").first()
                     or User.query.join(Membership).join(Section).filter(Section.organization_id == org.id).first())
    if importer_user is None:
        raise ValidationError("该机关还没有用户，请先创建管理员", fields={"user": "missing"})

    report = ImportReport()
    valid = []
    seen = set()
    with open(path, "rb") as fh:
        offset = 0
        for line_no, raw in enumerate(fh, start=1):
            line_offset, offset = offset, offset + len(raw)
            if not raw.strip():
                continue
            try:
                record = json.loads(raw.decode("utf-8"))
                column, section, published_at, written = _validate(record, columns, sections, office)
            except (ValueError, json.JSONDecodeError) as exc:  # UnicodeDecodeError is a ValueError
                report.rejected.append((line_no, str(exc)))
                continue
            external_id = str(record["external_id"])[:200]
            if external_id in seen:
                report.rejected.append((line_no, f"duplicate external_id {external_id!r} in the file"))
                continue
            seen.add(external_id)
            valid.append((published_at, line_no, line_offset, external_id, column.id, section.id, written))
        del seen

        existing = {e for (e,) in db.session.query(Item.external_id).filter(
            Item.organization_id == org.id, Item.external_id.isnot(None))}
        valid.sort(key=lambda row: (row[0], row[1]))  # publication order gives index-number order
        bar = tqdm(total=len(valid), unit="item", desc="import", file=sys.stderr, disable=not progress)
        todo = []
        for entry in valid:
            if entry[3] in existing:
                report.skipped += 1
                bar.update(1)
            else:
                todo.append(entry)
        del valid, existing
        workflows = {c.id: c.workflow for c in columns.values()}
        for start in range(0, len(todo), batch):
            chunk = todo[start:start + batch]
            report.created += _write_batch(fh, chunk, org, importer_user, workflows, report)
            db.session.commit()
            bar.update(len(chunk))
    bar.close()
    if report.created and index:
        from flask import current_app

        if current_app.config.get("CMS_SEARCH_SYNC", True):
            from cms.search.service import drain

            drain()
    return report


# Bodies that are only paragraphs and line breaks without attributes, with well-formed entities, are already
# what the sanitizer would keep: they skip bleach's parse and re-serialization (the bulk of legacy imports).
_PLAIN_HTML = re.compile(r"(?:[^<>&]|&(?:amp|lt|gt|quot|#39|#x27|nbsp);|</?p>|<br\s*/?>)*")
_EMPTY_PARAS = re.compile(r"<p>(\s|&nbsp;|\u00a0)*</p>")


def _clean(html):
    if _PLAIN_HTML.fullmatch(html):
        return _EMPTY_PARAS.sub("", html).strip()
    return clean_html(html)


def _reserve_sequences(organization_id, year, count):
    """Take ``count`` consecutive index-number sequences of ``year``; returns the first one."""
    table = IndexCounter.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    stmt = upsert(table).values(organization_id=organization_id, year=year, last_value=count)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.organization_id, table.c.year], set_={"last_value": table.c.last_value + count},
    ).returning(table.c.last_value)
    return db.session.execute(stmt).scalar_one() - count + 1


def _write_batch(fh, chunk, org, user, workflows, report):
    """Insert one batch of validated lines; returns how many items were created."""
    from cms.content.one_place import fingerprint_rows, insert_near_keys
    from cms.search.models import SearchOutbox
    from cms.workflow.models import WorkflowHistory

    now = utcnow()
    records, rows = [], []
    years = {}
    for published_at, line_no, offset, external_id, column_id, section_id, written in chunk:
        fh.seek(offset)
        record = json.loads(fh.readline().decode("utf-8"))
        year = to_local(published_at).year
        years.setdefault(year, []).append(len(rows))
        records.append((line_no, external_id, record))
        rows.append({
            "organization_id": org.id, "column_id": column_id, "section_id": section_id, "author_id": user.id,
            "last_editor_id": user.id, "external_id": external_id, "type": record["type"],
            "title": str(record["title"]).strip(), "body_html": _clean(record["body_html"]),
            "doc_number": (record.get("doc_number") or None), "written_date": written, "state": "published",
            "workflow": workflows[column_id], "disclosure": "proactive", "validity": "valid",
            "published_at": published_at, "created_at": published_at, "updated_at": published_at,
            "version": 1, "view_count": 0, "normative": False,
        })
    for year, positions in years.items():
        first = _reserve_sequences(org.id, year, len(positions))
        for n, position in enumerate(positions):
            rows[position].update(index_year=year, index_seq=first + n,
                                  index_no=format_index_no(org.code, year, first + n))
    keys = fingerprint_rows(rows)
    table = Item.__table__
    ids = db.session.execute(
        insert(table).returning(table.c.id, sort_by_parameter_order=True), rows,
    ).scalars().all()
    connection = db.session.connection()
    insert_near_keys(connection, [(item_id, k) for item_id, (_, k) in zip(ids, keys)])
    db.session.execute(insert(WorkflowHistory.__table__), [
        {"subject_type": "item", "subject_id": item_id, "transition": "imported", "from_state": None,
         "to_state": "published", "actor_id": user.id, "inputs": {"external_id": external_id}, "at": now}
        for item_id, (_, external_id, _) in zip(ids, records)
    ])
    db.session.execute(insert(SearchOutbox.__table__),
                       [{"item_id": item_id, "op": "upsert", "created_at": now} for item_id in ids])
    for item_id, (line_no, _, record) in zip(ids, records):
        if record.get("attachments"):
            item = db.session.get(Item, item_id)
            for attachment_path in record["attachments"]:
                _attach(item, user, attachment_path, report, line_no)
    return len(ids)


def _attach(item, user, path, report, line_no):
    from cms.content.attachments import store_attachment

    try:
        with open(path, "rb") as fh:
            store_attachment(item, user, os.path.basename(path), fh)
    except (OSError, ValidationError) as exc:
        report.rejected.append((line_no, f"attachment {path}: {getattr(exc, 'message', exc)}"))

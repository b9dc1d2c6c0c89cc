"""Bulk import of legacy content: one JSON object per line, created as already-published items.

Fields: external_id, column, type, title, body_html, published_at, doc_number?, written_date?, section?,
attachments? (attachments: paths of local files, attached when their type is accepted). Items are created in
publication order so index numbers follow it; re-running skips external_ids already imported.
"""
import json
import os
import sys
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

from tqdm import tqdm

from cms.accounts.models import Membership, Section, User
from cms.accounts.services import get_organization
from cms.content.models import Column, Item
from cms.content.sanitize import clean_html
from cms.content.types import ITEM_TYPES
from cms.errors import ValidationError
from cms.extensions import db
from cms.content.index_numbers import assign_index_number

BATCH = 500


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


def import_file(path, org_code=None, progress=False):
    """Import ``path``; returns an ImportReport. Lines are validated before anything is written."""
    from cms.workflow import events
    from cms.workflow.engine import record_history

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
    with open(path, encoding="utf-8") as fh:
        for line_no, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
                column, section, published_at, written = _validate(record, columns, sections, office)
            except (ValueError, json.JSONDecodeError) as exc:
                report.rejected.append((line_no, str(exc)))
                continue
            external_id = str(record["external_id"])[:200]
            if external_id in seen:
                report.rejected.append((line_no, f"duplicate external_id {external_id!r} in the file"))
                continue
            seen.add(external_id)
            valid.append((published_at, line_no, external_id, record, column, section, written))

    existing = {e for (e,) in db.session.query(Item.external_id).filter(
        Item.organization_id == org.id, Item.external_id.isnot(None))}
    valid.sort(key=lambda row: (row[0], row[1]))  # publication order gives index-number order
    bar = tqdm(total=len(valid), unit="item", desc="import", file=sys.stderr, disable=not progress)
    pending = 0
    for published_at, line_no, external_id, record, column, section, written in valid:
        bar.update(1)
        if external_id in existing:
            report.skipped += 1
            continue
        item = Item(
            organization_id=org.id, column_id=column.id, section_id=section.id, author_id=importer_user.id,
            last_editor_id=importer_user.id, external_id=external_id, type=record["type"],
            title=str(record["title"]).strip(), body_html=clean_html(record["body_html"]),
            doc_number=(record.get("doc_number") or None), written_date=written, state="published",
            workflow=column.workflow, disclosure="proactive", validity="valid", published_at=published_at,
            created_at=published_at, updated_at=published_at,
        )
        item.organization = org
        with db.session.no_autoflush:
            assign_index_number(item, published_at)
        db.session.add(item)
        db.session.flush()
        for attachment_path in record.get("attachments") or []:
            _attach(item, importer_user, attachment_path, report, line_no)
        record_history(item, importer_user, "imported", None, "published",
                       inputs={"external_id": external_id})
        events.emit(events.Event(name="imported", subject_type="item", subject_id=item.id, subject=item))
        report.created += 1
        pending += 1
        if pending >= BATCH:
            db.session.commit()
            pending = 0
    db.session.commit()
    bar.close()
    return report


def _attach(item, user, path, report, line_no):
    from cms.content.attachments import store_attachment

    try:
        with open(path, "rb") as fh:
            store_attachment(item, user, os.path.basename(path), fh)
    except (OSError, ValidationError) as exc:
        report.rejected.append((line_no, f"attachment {path}: {getattr(exc, 'message', exc)}"))

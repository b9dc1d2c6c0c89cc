"""Drafting a cleanup list on a screen: finding the documents to list, reading the decisions posted with the form.

The rules stay in ``services.create_cleanup`` (the API's path): this module only finds candidates and turns the
form's rows into the same ``decisions`` list the API takes.
"""
from cms.cleanups.models import OUTCOMES
from cms.content.models import Column, Item
from cms.content.services import MAX_ID
from cms.extensions import db

RESULT_LIMIT = 50
NOT_LISTABLE_TYPES = ("cleanup", "interpretation")


def candidates(organization_ids, column_id=None, doc_number=None, title=None, exclude=(), limit=RESULT_LIMIT):
    """Published originals of the organizations that a cleanup may list (not abolished, not an interpretation
    or a cleanup list), filtered by column, 文号 and title (substrings); newest first."""
    query = (Item.query.filter(Item.organization_id.in_(list(organization_ids) or [-1]),
                               Item.state == "published", Item.working_copy_of_id.is_(None),
                               Item.type.notin_(NOT_LISTABLE_TYPES), Item.validity != "abolished"))
    if column_id:
        query = query.filter(Item.column_id == column_id)
    if doc_number:
        query = query.filter(Item.doc_number.contains(doc_number[:100], autoescape=True))
    if title:
        for word in title.split()[:5]:
            query = query.filter(Item.title.contains(word[:100], autoescape=True))
    if exclude:
        query = query.filter(Item.id.notin_(list(exclude)))
    return query.order_by(Item.published_at.desc(), Item.id.desc()).limit(limit).all()


def columns_of(organization_ids):
    return (Column.query.filter(Column.organization_id.in_(list(organization_ids) or [-1]),
                                Column.retired.is_(False)).order_by(Column.position, Column.id).all())


def _id(raw):
    raw = (raw or "").strip()
    if raw.isdigit() and len(raw) < 11 and 1 <= int(raw) <= MAX_ID:
        return int(raw)
    return None


def rows_from_form(form):
    """The rows shown on the form, in order: ``[{item_id, outcome, replaced_by, replaced_by_raw, note}]``.

    A row takes part in the list when its outcome is set; a replacing number that is not a number is kept as
    typed (``replaced_by_raw``) so the form can show it back, and reported by ``row_errors``.
    """
    rows, seen = [], set()
    for raw in form.getlist("row")[:500]:
        item_id = _id(raw)
        if item_id is None or item_id in seen:
            continue
        seen.add(item_id)
        outcome = form.get(f"outcome_{item_id}", "")
        replaced_raw = (form.get(f"replaced_by_{item_id}") or "").strip()[:20]
        rows.append({"item_id": item_id, "outcome": outcome if outcome in OUTCOMES else "",
                     "replaced_by": _id(replaced_raw), "replaced_by_raw": replaced_raw,
                     "note": (form.get(f"note_{item_id}") or "").strip()})
    return rows


def row_errors(rows):
    """Problems the form can see before the service: ``{item_id: message}``."""
    errors = {}
    for row in rows:
        if not row["outcome"]:
            continue
        if row["replaced_by_raw"] and row["replaced_by"] is None:
            errors[row["item_id"]] = "修订后文件须填写信息编号（正整数）"
        elif len(row["note"]) > 500:
            errors[row["item_id"]] = "说明最多 500 字"
    return errors


def decisions_from_rows(rows):
    """The API's ``decisions`` from the rows that have an outcome (the replacing document only for 修改, as the
    service refuses it elsewhere)."""
    decisions = []
    for row in rows:
        if not row["outcome"]:
            continue
        decision = {"item_id": row["item_id"], "outcome": row["outcome"]}
        if row["outcome"] == "amend" and row["replaced_by"] is not None:
            decision["replaced_by"] = row["replaced_by"]
        if row["note"]:
            decision["note"] = row["note"]
        decisions.append(decision)
    return decisions


def items_by_id(ids):
    rows = Item.query.filter(Item.id.in_(list(ids) or [-1])).all()
    return {i.id: i for i in rows}


def cleanup_lists(organization_ids, limit=200):
    """The cleanup lists of the organizations (originals), newest first."""
    return (Item.query.filter(Item.organization_id.in_(list(organization_ids) or [-1]), Item.type == "cleanup",
                              Item.working_copy_of_id.is_(None))
            .order_by(Item.created_at.desc(), Item.id.desc()).limit(limit).all())


def decision_counts(cleanup_ids):
    from sqlalchemy import func

    from cms.cleanups.models import CleanupDecision

    rows = (db.session.query(CleanupDecision.cleanup_id, func.count(CleanupDecision.id))
            .filter(CleanupDecision.cleanup_id.in_(list(cleanup_ids) or [-1]))
            .group_by(CleanupDecision.cleanup_id).all())
    return dict(rows)

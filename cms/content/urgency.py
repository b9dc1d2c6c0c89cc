"""Urgent review of response items (issue 15): an item linked to an incident with a clock still open is
reviewed in hours, not days. Each of its review stages is due ``CMS_URGENT_STAGE_HOURS`` after it is
entered (1 h by default), and worklists put it first.
"""
from datetime import timedelta

from flask import current_app, has_app_context
from sqlalchemy import case, or_, update
from sqlalchemy.orm.attributes import set_committed_value

from cms.clock import utcnow
from cms.content.models import Item
from cms.extensions import db

DEFAULT_STAGE_HOURS = 1.0


def stage_hours():
    """Hours each review stage of an urgent item may take (the ``CMS_URGENT_STAGE_HOURS`` setting)."""
    value = current_app.config.get("CMS_URGENT_STAGE_HOURS") if has_app_context() else None
    try:
        hours = float(value) if value is not None else DEFAULT_STAGE_HOURS
    except (TypeError, ValueError):
        return DEFAULT_STAGE_HOURS
    return hours if hours > 0 else DEFAULT_STAGE_HOURS


def open_urgent_ids():
    """Ids of the items linked to an incident with a clock not yet met (a handful: one query)."""
    from cms.clocks.models import IncidentClock, IncidentItem

    rows = (db.session.query(IncidentItem.item_id)
            .join(IncidentClock, IncidentClock.incident_id == IncidentItem.incident_id)
            .filter(IncidentClock.met_at.is_(None)).distinct())
    return {item_id for (item_id,) in rows}


def urgent_clause(ids):
    """SQL: the item, or the original it is a working copy of, is one of ``ids``."""
    ids = sorted(ids)
    return or_(Item.id.in_(ids), Item.working_copy_of_id.in_(ids))


def urgent_first(ids):
    """An ORDER BY term putting the urgent items (``ids`` from ``open_urgent_ids``) first, or None."""
    if not ids:
        return None
    return case((urgent_clause(ids), 0), else_=1)


def is_urgent_row(item, ids):
    return item.id in ids or (item.working_copy_of_id is not None and item.working_copy_of_id in ids)


def urgent_stage_due(item, stage):
    """The engine's ``stage_due`` hook: an urgent item's stage is due in hours, whatever the definition says."""
    from cms.clocks.incidents import is_urgent

    if item.id is not None and is_urgent(item):
        return {"hours": stage_hours()}
    return None


def expedite(item, now=None):
    """An item that becomes urgent while it waits in a review stage: its stage is due in hours from now
    (never later than it already was). The due date is bookkeeping, not a decision: the item's version
    stays, so reviewers' open screens stay current."""
    now = now or utcnow()
    due = now + timedelta(hours=stage_hours())
    targets = [item] + Item.query.filter(Item.working_copy_of_id == item.id).all()
    changed = []
    for target in targets:
        if not (target.state or "").startswith("pending_"):
            continue
        if target.stage_due_at is not None and target.stage_due_at <= due:
            continue
        db.session.execute(update(Item).where(Item.id == target.id).values(stage_due_at=due))
        set_committed_value(target, "stage_due_at", due)
        changed.append(target)
    return changed

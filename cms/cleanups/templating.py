"""Template helpers of the decisions in the open: cleanup tables, the replacing document, interpretation
due dates, and who may change a document's validity."""
from dataclasses import dataclass
from datetime import datetime

from cms.clock import utcnow


@dataclass
class DueView:
    due_at: datetime | None
    overdue: bool
    satisfied_at: datetime | None


@dataclass
class DecisionRow:
    number: int
    title: str | None  # None when the document is no longer public
    item_id: int | None
    doc_number: str | None
    outcome: str
    outcome_label: str
    replaced_by_title: str | None
    replaced_by_id: int | None
    note: str | None


def public_replacement(item):
    """The public document that amended ``item``, or None."""
    from cms.content.queries import get_public_item

    if item.validity != "amended" or not item.replaced_by_id:
        return None
    return get_public_item(item.replaced_by_id)


def cleanup_rows(item):
    """The decisions of a cleanup list as the public page shows them (only public documents are named)."""
    from cms.cleanups.models import OUTCOMES
    from cms.cleanups.services import decisions_of

    if item.type != "cleanup":
        return []
    rows = []
    for number, decision in enumerate(decisions_of(item), start=1):
        doc, replacement = decision.item, decision.replaced_by
        visible = doc is not None and doc.is_public
        replacement_visible = replacement is not None and replacement.is_public
        rows.append(DecisionRow(
            number=number, title=doc.title if visible else None, item_id=doc.id if visible else None,
            doc_number=doc.doc_number if visible else None, outcome=decision.outcome,
            outcome_label=OUTCOMES[decision.outcome],
            replaced_by_title=replacement.title if replacement_visible else None,
            replaced_by_id=replacement.id if replacement_visible else None, note=decision.note))
    return rows


def interpretation_due(item):
    from cms.content.interpretations import due_of

    if item.type in ("interpretation", "cleanup") or item.state != "published":
        return None
    due = due_of(item)
    if due is None:
        return None
    overdue = due.satisfied_at is None and (due.overdue_at is not None or (due.due_at is not None and utcnow() > due.due_at))
    return DueView(due_at=due.due_at, overdue=overdue, satisfied_at=due.satisfied_at)


def staff_cleanup_rows(item):
    """The decisions of a cleanup list for its reviewers: ``[(decision, label)]`` with every document named."""
    from cms.cleanups.models import OUTCOMES
    from cms.cleanups.services import decisions_of

    return [(d, OUTCOMES[d.outcome]) for d in decisions_of(item)] if item.type == "cleanup" else []


def video_parts(item):
    """A video interpretation's video and poster attachments (None when missing)."""
    video = next((a for a in item.attachments if (a.content_type or "").startswith("video/")), None)
    poster = next((a for a in item.attachments if (a.content_type or "").startswith("image/")), None)
    return video, poster


def register_template_helpers(app):
    from cms.content.interpretations import FORMS
    from cms.content.validity import can_change_validity

    app.jinja_env.globals.update(public_replacement=public_replacement, cleanup_rows=cleanup_rows,
                                 interpretation_due=interpretation_due, can_change_validity=can_change_validity,
                                 staff_cleanup_rows=staff_cleanup_rows, video_parts=video_parts,
                                 interpretation_forms=FORMS)

"""Why an item came back: the latest return (who, from which stage, when, the comment), shown on top."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func

from cms.extensions import db
from cms.workflow.models import WorkflowHistory


@dataclass(frozen=True)
class ReturnNotice:
    actor_name: str
    stage: str  # the review stage that returned it, as reviewers call it (科室审核, 办公室审核 ...)
    at: datetime
    comment: str

    @property
    def first_line(self):
        return (self.comment or "").strip().splitlines()[0] if (self.comment or "").strip() else ""


def stage_title(state):
    """The review stage a ``pending_*`` state stands for, in Chinese."""
    from cms.workflow.definitions import ITEM_STATES

    label = ITEM_STATES.get(state, state or "")
    return label[1:] if label.startswith("待") else label


def return_notices(items):
    """``{item_id: ReturnNotice}`` for those of ``items`` that are returned (one query for all)."""
    ids = [i.id for i in items if i.state == "returned"]
    if not ids:
        return {}
    latest = (db.session.query(func.max(WorkflowHistory.id))
              .filter(WorkflowHistory.subject_type == "item", WorkflowHistory.subject_id.in_(ids),
                      WorkflowHistory.transition == "return")
              .group_by(WorkflowHistory.subject_id))
    entries = WorkflowHistory.query.filter(WorkflowHistory.id.in_(latest)).all()
    return {
        e.subject_id: ReturnNotice(actor_name=e.actor.name if e.actor else "", stage=stage_title(e.from_state),
                                   at=e.at, comment=e.comment or "")
        for e in entries
    }


def return_notice(item):
    """The latest return of ``item`` while it is returned, else None."""
    return return_notices([item]).get(item.id)

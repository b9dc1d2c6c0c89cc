"""Workflow events: handlers run inside the transaction (e.g. the search outbox) or after commit
(notifications, e-mail, index writes).

``subscribe(name, handler, phase)`` registers a handler for an event name ("transition" fires for every
transition; items also emit "published", "revised", "retracted"). After-commit events are queued on the
session and dropped on rollback.
"""
from dataclasses import dataclass, field

from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from cms.extensions import db

_HANDLERS = {"in_transaction": {}, "after_commit": {}}
_QUEUE_KEY = "cms_after_commit_events"


@dataclass
class Event:
    name: str
    subject_type: str
    subject_id: int
    transition: str | None = None
    from_state: str | None = None
    to_state: str | None = None
    actor_id: int | None = None
    data: dict = field(default_factory=dict)
    subject: object = None  # only set for in-transaction handlers


def subscribe(name, handler, phase="after_commit"):
    """Call ``handler(event)`` for every event called ``name`` in the given phase."""
    if phase not in _HANDLERS:
        raise ValueError(f"unknown phase {phase!r}")
    handlers = _HANDLERS[phase].setdefault(name, [])
    if handler not in handlers:
        handlers.append(handler)


def emit(evt: Event):
    """Run in-transaction handlers now and queue after-commit handlers on the current session."""
    for handler in _HANDLERS["in_transaction"].get(evt.name, []):
        handler(evt)
    if _HANDLERS["after_commit"].get(evt.name):
        queued = Event(**{**evt.__dict__, "subject": None})
        db.session().info.setdefault(_QUEUE_KEY, []).append(queued)


@sa_event.listens_for(Session, "after_commit")
def _run_after_commit(session):
    queued = session.info.pop(_QUEUE_KEY, [])
    for evt in queued:
        for handler in _HANDLERS["after_commit"].get(evt.name, []):
            try:
                handler(evt)
            except Exception:  # an after-commit failure must not undo or break the committed change
                import logging

                logging.getLogger(__name__).exception("after-commit handler failed for %s", evt.name)


@sa_event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session):
    session.info.pop(_QUEUE_KEY, None)

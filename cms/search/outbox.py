"""Workflow events write outbox rows in the same transaction; after the commit a queue task drains it."""
from flask import current_app

from cms.search.service import enqueue
from cms.workflow import events

INDEXED_EVENTS = ("published", "revised", "retracted", "validity_changed", "imported")


def _enqueue(evt):
    if evt.subject_type == "item":
        enqueue(evt.subject_id, "upsert")


def _drain_after_commit(evt):
    # The index write happens in a queue task (immediately in tests); a lost task is repaired by the
    # consumer's periodic drain, since the outbox rows stay until the index has them.
    if current_app.config.get("CMS_SEARCH_SYNC", True):
        from cms.jobs import enqueue

        enqueue("search.drain")


for _name in INDEXED_EVENTS:
    events.subscribe(_name, _enqueue, phase="in_transaction")
    events.subscribe(_name, _drain_after_commit, phase="after_commit")

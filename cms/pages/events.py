"""After a publication, retraction or validity change commits, the queue re-renders the pages it changed."""
from cms.search.outbox import INDEXED_EVENTS
from cms.workflow import events


def _warm_after_commit(evt):
    from flask import current_app

    if evt.subject_type != "item":
        return
    config = current_app.config
    if config["CMS_PAGE_CACHE"] and config["CMS_PAGE_STORE"] and config.get("CMS_PAGE_WARM", True):
        from cms.jobs import enqueue

        enqueue("pages.warm", [evt.subject_id])


for _name in INDEXED_EVENTS:
    events.subscribe(_name, _warm_after_commit, phase="after_commit")

"""Rebuilding the search index aside, without stopping publication or search.

1. A ``search_rebuilds`` row marks the start (time and last outbox id). From then on the outbox drains keep
   the entries they apply to the live index (``applied_at``) instead of deleting them.
2. The published items are read in batches (each batch in its own short read, so SQLite's WAL is never held
   open for the whole run) and the backend writes a new index aside (Whoosh: a sibling folder; PostgreSQL:
   a table of its own). Searches and drains keep using the live index meanwhile.
3. At the swap the backend briefly holds the live index against writes and calls the replay: every outbox
   entry not applied before the start (applied meanwhile, still pending, or newer than the mark) is applied
   to the new index from the items as they are now. Then the new index replaces the live one atomically,
   and the replayed entries are removed.

Publication never waits for the rebuild except for the swap itself (a drain that comes during it waits on the
write lock); an item published or retracted during the rebuild is in the new index when it goes live.
"""
import logging
import os
from datetime import timedelta

from sqlalchemy import func, or_
from sqlalchemy.orm import Session

from cms.clock import utcnow
from cms.errors import Conflict
from cms.extensions import db
from cms.search.models import SearchOutbox, SearchRebuild

log = logging.getLogger(__name__)

# A rebuild not finished after this long is taken for dead (its process crashed): drains stop keeping rows.
STALE_AFTER = timedelta(hours=6)
# Below this many items a second writing process is not worth its start.
PARALLEL_FROM = 2000


def rebuild_procs():
    """``CMS_SEARCH_REBUILD_PROCS`` (default: 2 on a machine with two cores or more)."""
    from flask import current_app

    configured = current_app.config.get("CMS_SEARCH_REBUILD_PROCS")
    if configured:
        return max(1, int(configured))
    return 2 if (os.cpu_count() or 1) >= 2 else 1


def rebuild_running(session):
    """The rebuild in progress, if any (for the drains: keep the rows they apply)."""
    return (session.query(SearchRebuild)
            .filter(SearchRebuild.state == "running", SearchRebuild.started_at > utcnow() - STALE_AFTER)
            .order_by(SearchRebuild.id.desc()).first())


def _start(backend_name):
    with Session(db.engine) as session:
        if rebuild_running(session) is not None:
            raise Conflict("已有一次索引重建正在进行，请等待其完成", fields={"rebuild": "running"})
        mark = session.query(func.max(SearchOutbox.id)).scalar() or 0
        run = SearchRebuild(backend=backend_name, state="running", started_at=utcnow(), outbox_mark=mark)
        session.add(run)
        session.commit()
        return run.id, run.started_at, mark


def _finish(run_id, state, items=None, replayed=None, row_ids=()):
    with Session(db.engine) as session:
        run = session.get(SearchRebuild, run_id)
        run.state, run.finished_at, run.items, run.replayed = state, utcnow(), items, replayed
        if row_ids:
            session.query(SearchOutbox).filter(SearchOutbox.id.in_(list(row_ids))).delete(synchronize_session=False)
        session.commit()


def _published_ids(session):
    from cms.content.models import Item
    from cms.content.queries import public_items

    return [i for (i,) in session.query(Item.id).filter(
        Item.id.in_(public_items().with_entities(Item.id))).order_by(Item.id)]


def rebuild(progress=None, batch=500):
    """Rebuild the configured backend's index aside and swap it in; returns the number of items indexed."""
    from flask import current_app

    from cms.search.service import documents_of, get_backend

    backend_name = current_app.config.get("CMS_SEARCH_BACKEND", "whoosh")
    run_id, started_at, mark = _start(backend_name)
    replayed_rows = []
    replayed_items = [0]

    def replay(target):
        # Under the backend's swap lock: what the outbox says changed since the start, as it is now.
        with Session(db.engine) as session:
            rows = (session.query(SearchOutbox.id, SearchOutbox.item_id)
                    .filter(or_(SearchOutbox.applied_at.is_(None), SearchOutbox.applied_at >= started_at,
                                SearchOutbox.id > mark))
                    .order_by(SearchOutbox.id).all())
            item_ids = sorted({item_id for _, item_id in rows})
            for start in range(0, len(item_ids), batch):
                docs, gone = documents_of(session, item_ids[start:start + batch])
                target.index(docs)
                target.delete(gone)
        replayed_rows.extend(row_id for row_id, _ in rows)
        replayed_items[0] = len(item_ids)

    try:
        with Session(db.engine) as session:
            ids = _published_ids(session)
            session.rollback()

            def batches():
                for start in range(0, len(ids), batch):
                    docs, _gone = documents_of(session, ids[start:start + batch])
                    session.rollback()  # end the read: no snapshot held across batches
                    yield docs
                    if progress:
                        progress(len(docs))

            with Session(db.engine) as write_session:
                procs = rebuild_procs() if len(ids) >= PARALLEL_FROM else 1
                total = get_backend(session=write_session).rebuild(batches(), replay=replay, procs=procs)
    except BaseException:
        _finish(run_id, "failed")
        raise
    _finish(run_id, "done", items=total, replayed=replayed_items[0], row_ids=replayed_rows)
    log.info("search index rebuilt: %d items, %d replayed", total, replayed_items[0])
    return total

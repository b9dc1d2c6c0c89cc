"""Choosing the backend, keeping the index in step through the outbox, and searching."""
import logging

from flask import current_app
from sqlalchemy.orm import Session

from cms.extensions import db
from cms.search.backend import Query, Results
from cms.search.models import SearchOutbox

log = logging.getLogger(__name__)


def get_backend(app=None, session=None):
    """The configured backend: 'whoosh' (embedded, default) or 'postgres'."""
    app = app or current_app._get_current_object()
    name = app.config.get("CMS_SEARCH_BACKEND", "whoosh")
    if name == "postgres":
        from cms.search.postgres_backend import PostgresBackend

        return PostgresBackend(session=session)
    backend = app.extensions.get("cms_search_whoosh")
    if backend is None:
        from cms.search.whoosh_backend import WhooshBackend

        backend = WhooshBackend(app.config["CMS_SEARCH_DIR"])
        app.extensions["cms_search_whoosh"] = backend
    return backend


def enqueue(item_id, op="upsert"):
    """Record that ``item_id`` needs re-indexing, in the current transaction."""
    db.session.add(SearchOutbox(item_id=item_id, op=op))


def drain(limit=2000):
    """Apply pending outbox entries to the index; returns how many items were processed.

    Runs in its own session; an entry is removed only after the index write succeeded, so a crash in
    between is repaired by running it again (writes are idempotent).
    """
    from cms.content.models import Item
    from cms.search.documents import document_for

    processed = 0
    with Session(db.engine) as session:
        while True:
            rows = session.query(SearchOutbox).order_by(SearchOutbox.id).limit(limit).all()
            if not rows:
                break
            item_ids = sorted({r.item_id for r in rows})
            docs, gone = [], []
            for item_id in item_ids:
                item = session.get(Item, item_id)
                if item is not None and item.is_public:
                    docs.append(document_for(item))
                else:
                    gone.append(item_id)
            backend = get_backend(session=session)
            backend.index(docs)
            backend.delete(gone)
            session.query(SearchOutbox).filter(SearchOutbox.id.in_([r.id for r in rows])).delete(
                synchronize_session=False)
            session.commit()
            processed += len(item_ids)
            if len(rows) < limit:
                break
    return processed


def reindex(progress=None, batch=500):
    """Rebuild the index from the published items; ``progress(n)`` is called as items are indexed."""
    from sqlalchemy.orm import selectinload

    from cms.content.models import Attachment, Item
    from cms.content.queries import public_items
    from cms.search.documents import document_for

    with Session(db.engine) as session:
        backend = get_backend(session=session)
        ids = [i for (i,) in session.query(Item.id).filter(
            Item.id.in_(public_items().with_entities(Item.id))).order_by(Item.id)]

        def batches():
            for start in range(0, len(ids), batch):
                chunk = ids[start:start + batch]
                items = session.query(Item).filter(Item.id.in_(chunk)).options(
                    selectinload(Item.attachments).undefer(Attachment.extracted_text),
                    selectinload(Item.column), selectinload(Item.section)).all()
                yield [document_for(i) for i in items]
                if progress:
                    progress(len(items))

        total = backend.rebuild(batches())
        session.query(SearchOutbox).delete()
        session.commit()
    return total


def verify():
    """Compare the published set with the index: (missing from index, not published but indexed)."""
    from cms.content.models import Item
    from cms.content.queries import public_items

    published = {i for (i,) in public_items().with_entities(Item.id)}
    indexed = get_backend().ids()
    return sorted(published - indexed), sorted(indexed - published)


def search(query: Query) -> Results:
    """Search, then keep only items that are public right now (the index may lag a moment behind)."""
    from cms.content.models import Item
    from cms.content.queries import public_items

    from cms.content.sanitize import html_to_text

    results = get_backend().search(query)
    if results.hits:
        ids = [h.id for h in results.hits]
        bodies = dict(public_items().filter(Item.id.in_(ids)).with_entities(Item.id, Item.body_html))
        results.hits = [h for h in results.hits if h.id in bodies]
        for hit in results.hits:
            if not hit.body:
                hit.body = html_to_text(bodies[hit.id])
    return results

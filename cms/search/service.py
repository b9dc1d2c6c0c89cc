"""Choosing the backend, keeping the index in step through the outbox, and searching."""
import logging

from flask import current_app
from sqlalchemy import Integer, bindparam, text
from sqlalchemy.orm import Session

from cms.clock import utcnow
from cms.content.public_sql import PUBLIC_WHERE
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


def documents_of(session, item_ids):
    """``(documents, ids to delete)`` for ``item_ids`` as they are in the database now."""
    from sqlalchemy.orm import selectinload

    from cms.content.models import Attachment, Item
    from cms.search.documents import document_for

    items = {i.id: i for i in session.query(Item).filter(Item.id.in_(list(item_ids))).options(
        selectinload(Item.attachments).undefer(Attachment.extracted_text),
        selectinload(Item.column), selectinload(Item.section))} if item_ids else {}
    docs, gone = [], []
    for item_id in sorted(item_ids):
        item = items.get(item_id)
        if item is not None and item.is_public:
            docs.append(document_for(item))
        else:
            gone.append(item_id)
    return docs, gone


def drain(limit=2000):
    """Apply pending outbox entries to the index; returns how many items were processed.

    Runs in its own session; an entry is removed only after the index write succeeded, so a crash in
    between is repaired by running it again (writes are idempotent). While a rebuild runs, applied entries
    are kept (marked ``applied_at``) for its replay into the new index (``cms.search.rebuild``).
    """
    from cms.search.rebuild import rebuild_running

    processed = 0
    with Session(db.engine) as session:
        while True:
            rows = (session.query(SearchOutbox).filter(SearchOutbox.applied_at.is_(None))
                    .order_by(SearchOutbox.id).limit(limit).all())
            if not rows:
                break
            item_ids = sorted({r.item_id for r in rows})
            docs, gone = documents_of(session, item_ids)
            backend = get_backend(session=session)
            backend.index(docs)
            backend.delete(gone)
            done = session.query(SearchOutbox).filter(SearchOutbox.id.in_([r.id for r in rows]))
            if rebuild_running(session):
                done.update({SearchOutbox.applied_at: utcnow()}, synchronize_session=False)
            else:
                done.delete(synchronize_session=False)
            session.commit()
            processed += len(item_ids)
            if len(rows) < limit:
                break
        leftovers = session.query(SearchOutbox).filter(SearchOutbox.applied_at.isnot(None))
        if session.query(leftovers.exists()).scalar() and not rebuild_running(session):
            # Entries kept for a rebuild that has died since (a finished one removes what it replayed).
            leftovers.delete(synchronize_session=False)
            session.commit()
    return processed


def reindex(progress=None, batch=500):
    """Rebuild the index from the published items, aside, without stopping publication or search
    (``cms.search.rebuild``); ``progress(n)`` is called as items are indexed. Returns the count."""
    from cms.search.rebuild import rebuild

    return rebuild(progress=progress, batch=batch)


def verify():
    """Compare the published set with the index: (missing from index, not published but indexed)."""
    from cms.content.models import Item
    from cms.content.queries import public_items

    published = {i for (i,) in public_items().with_entities(Item.id)}
    indexed = get_backend().ids()
    return sorted(published - indexed), sorted(indexed - published)


def search(query: Query) -> Results:
    """Search, then keep only items that are public right now (the index may lag a moment behind)."""
    from cms.content.sanitize import html_to_text

    results = get_backend().search(query)
    if results.hits:
        rows = public_rows([h.id for h in results.hits])
        results.hits = [h for h in results.hits if h.id in rows]
        for hit in results.hits:
            if not hit.body:
                hit.body = html_to_text(rows[hit.id].body_html)
    return results


_PUBLIC_ROWS = text(
    f"SELECT id, body_html, index_no, doc_number, validity FROM items WHERE id IN :ids AND {PUBLIC_WHERE}"
).bindparams(bindparam("ids", expanding=True)).columns(id=Integer)


def public_rows(ids):
    """``{id: row}`` (body_html, index_no, doc_number, validity) of the items among ``ids`` that are public
    right now: one statement for a page of hits, kept for the request (the page's list fields read it too)."""
    from flask import g, has_app_context

    key = frozenset(ids)
    kept = g.get("search_public_rows") if has_app_context() else None
    if kept is not None and key <= kept[0]:
        return {i: kept[1][i] for i in ids if i in kept[1]}
    rows = {row.id: row for row in db.session.execute(_PUBLIC_ROWS, {"ids": list(ids)})} if ids else {}
    if has_app_context():
        g.search_public_rows = (key, rows)
    return rows

"""Search tables: the durable outbox, and the documents of the PostgreSQL backend."""
from sqlalchemy.dialects.postgresql import TSVECTOR

from cms.clock import utcnow
from cms.extensions import db


class SearchOutbox(db.Model):
    """An index update to do, written in the same transaction as the change that needs it."""

    __tablename__ = "search_outbox"
    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, nullable=False, index=True)
    op = db.Column(db.String(16), nullable=False)  # "upsert" or "delete"
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    __table_args__ = (db.CheckConstraint("op IN ('upsert', 'delete')", name="op"),)
    # Set instead of deleting the row when a drain applies it while a rebuild runs: the rebuild replays
    # what was applied to the old index meanwhile into the new one before the swap (cms.search.rebuild).
    applied_at = db.Column(db.DateTime, nullable=True)


class SearchDocument(db.Model):
    """A published item as the PostgreSQL backend indexes it (tsvector over pre-tokenized text)."""

    __tablename__ = "search_documents"
    item_id = db.Column(db.Integer, primary_key=True, autoincrement=False)
    organization_id = db.Column(db.Integer, nullable=False)
    title = db.Column(db.Text, nullable=False)
    body = db.Column(db.Text, nullable=False)
    doc_number = db.Column(db.String(100), nullable=True)
    index_no = db.Column(db.String(64), nullable=True)
    column = db.Column(db.String(64), nullable=False)
    column_name = db.Column(db.String(200), nullable=False)
    type = db.Column(db.String(32), nullable=False)
    section = db.Column(db.String(64), nullable=False)
    year = db.Column(db.Integer, nullable=False)
    five_public = db.Column(db.String(16), nullable=True)
    published_at = db.Column(db.DateTime, nullable=False, index=True)
    # On SQLite (where this backend is not used) the column is plain text, so one schema serves both.
    tsv = db.Column(TSVECTOR().with_variant(db.Text(), "sqlite"), nullable=False)
    __table_args__ = (db.Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),)


class SearchRebuild(db.Model):
    """A rebuild of the index built aside: while one runs, drains keep the outbox rows they applied."""

    __tablename__ = "search_rebuilds"
    id = db.Column(db.Integer, primary_key=True)
    backend = db.Column(db.String(16), nullable=False)
    state = db.Column(db.String(16), nullable=False, default="running")
    started_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    outbox_mark = db.Column(db.Integer, nullable=False, default=0)  # the last outbox id before the start
    finished_at = db.Column(db.DateTime, nullable=True)
    items = db.Column(db.Integer, nullable=True)
    replayed = db.Column(db.Integer, nullable=True)
    __table_args__ = (db.CheckConstraint("state IN ('running', 'done', 'failed')", name="state"),)

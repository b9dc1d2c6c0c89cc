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

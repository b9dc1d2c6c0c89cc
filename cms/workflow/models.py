"""Workflow tables: the history of every transition and the index-number counters."""
from cms.clock import utcnow
from cms.extensions import db


class WorkflowHistory(db.Model):
    """One fired transition, for any kind of subject (items, applications ...)."""

    __tablename__ = "workflow_history"
    __table_args__ = (db.Index("ix_workflow_history_subject", "subject_type", "subject_id"),)
    id = db.Column(db.Integer, primary_key=True)
    subject_type = db.Column(db.String(32), nullable=False)
    subject_id = db.Column(db.Integer, nullable=False)
    transition = db.Column(db.String(64), nullable=False)
    from_state = db.Column(db.String(32), nullable=True)
    to_state = db.Column(db.String(32), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    comment = db.Column(db.Text, nullable=True)
    inputs = db.Column(db.JSON, nullable=True)
    revision_number = db.Column(db.Integer, nullable=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)

    actor = db.relationship("User")


class IndexCounter(db.Model):
    """The last index-number sequence used per organization and year (gap-free)."""

    __tablename__ = "index_counters"
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), primary_key=True)
    year = db.Column(db.Integer, primary_key=True)
    last_value = db.Column(db.Integer, nullable=False, default=0)

"""Workflow tables: stored definitions, the history of every transition, stage approvals, due reminders
and the index-number counters."""
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
    stage = db.Column(db.String(24), nullable=True)  # the stage the transition was fired in
    on_behalf_of_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)  # 代理审批
    at = db.Column(db.DateTime, nullable=False, default=utcnow)

    actor = db.relationship("User", foreign_keys=[actor_id])
    on_behalf_of = db.relationship("User", foreign_keys=[on_behalf_of_id])


class WorkflowDefinition(db.Model):
    """One version of a stored workflow definition (JSON). Versions are never changed: a subject in flight
    keeps the version it started with, an edit stores the next version."""

    __tablename__ = "workflow_definitions"
    __table_args__ = (db.UniqueConstraint("code", "version"),)
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(40), nullable=False)
    version = db.Column(db.Integer, nullable=False)
    subject_type = db.Column(db.String(32), nullable=False, default="item")
    title = db.Column(db.String(200), nullable=False)
    definition = db.Column(db.JSON, nullable=False)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class StageApproval(db.Model):
    """An approval given in one round of a stage (quorum bookkeeping). ``person_id`` is whoever the
    approval counts for: the delegator when a delegate signed, the actor otherwise; one per round."""

    __tablename__ = "stage_approvals"
    __table_args__ = (
        db.UniqueConstraint("subject_type", "subject_id", "round", "person_id"),
        db.Index("ix_stage_approvals_subject", "subject_type", "subject_id", "round"),
    )
    id = db.Column(db.Integer, primary_key=True)
    subject_type = db.Column(db.String(32), nullable=False)
    subject_id = db.Column(db.Integer, nullable=False)
    stage = db.Column(db.String(24), nullable=False)
    round = db.Column(db.Integer, nullable=False)
    person_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    on_behalf_of_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    section_id = db.Column(db.Integer, db.ForeignKey("sections.id"), nullable=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow)

    actor = db.relationship("User", foreign_keys=[actor_id])
    on_behalf_of = db.relationship("User", foreign_keys=[on_behalf_of_id])


class DueReminder(db.Model):
    """A reminder (``due``) or escalation (``overdue``) sent for one round of a stage: never sent twice."""

    __tablename__ = "due_reminders"
    __table_args__ = (db.UniqueConstraint("subject_type", "subject_id", "round", "kind"),)
    id = db.Column(db.Integer, primary_key=True)
    subject_type = db.Column(db.String(32), nullable=False)
    subject_id = db.Column(db.Integer, nullable=False)
    stage = db.Column(db.String(24), nullable=False)
    round = db.Column(db.Integer, nullable=False)
    kind = db.Column(db.String(16), nullable=False)
    recipients = db.Column(db.JSON, nullable=True)
    sent_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class IndexCounter(db.Model):
    """The last index-number sequence used per organization and year (gap-free)."""

    __tablename__ = "index_counters"
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), primary_key=True)
    year = db.Column(db.Integer, primary_key=True)
    last_value = db.Column(db.Integer, nullable=False, default=0)

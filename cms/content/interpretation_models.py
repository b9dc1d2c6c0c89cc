"""Tables of the policy-interpretation rule (同步组织、同步审签、同步发布): the bureau's setting and the due
dates of interpretations allowed to follow their policy (lag mode)."""
from sqlalchemy import UniqueConstraint

from cms.clock import utcnow
from cms.extensions import db


class InterpretationSetting(db.Model):
    """What needs an interpretation in one organization, and whether it must be signed off with it.

    No row means the default: type ``policy`` and every normative item, synchronous sign-off.
    """

    __tablename__ = "interpretation_settings"
    __table_args__ = (
        db.CheckConstraint("mode IN ('sync', 'lag')", name="mode"),
        db.CheckConstraint("lag_days >= 0", name="lag_days"),
    )
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, unique=True)
    item_types = db.Column(db.JSON, nullable=False, default=list)  # item types that need an interpretation
    include_normative = db.Column(db.Boolean, nullable=False, default=True)  # and every normative item
    mode = db.Column(db.String(8), nullable=False, default="sync")
    lag_days = db.Column(db.Integer, nullable=False, default=0)  # working days allowed in lag mode
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)
    # 1 on the first save, +1 on each change (0 stands for the unsaved default); stale -> 409.
    version = db.Column(db.Integer, nullable=False, server_default="1")
    __mapper_args__ = {"version_id_col": version}


class InterpretationDue(db.Model):
    """A policy published without its interpretation (lag mode): by when the interpretation is due, and
    what the queue's tick has done about it (one reminder, one overdue flag; never twice)."""

    __tablename__ = "interpretation_dues"
    __table_args__ = (UniqueConstraint("policy_id"),)
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    policy_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False)
    due_at = db.Column(db.DateTime, nullable=True)  # None when the calendar year is not entered yet
    remind_at = db.Column(db.DateTime, nullable=True)
    reminded_at = db.Column(db.DateTime, nullable=True)
    overdue_at = db.Column(db.DateTime, nullable=True)  # the overdue flag, set by the tick
    satisfied_at = db.Column(db.DateTime, nullable=True)  # an interpretation was published
    interpretation_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    policy = db.relationship("Item", foreign_keys=[policy_id])

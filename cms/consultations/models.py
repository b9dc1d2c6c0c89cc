"""Tables of the consultations: the period record of an item, the public's comments, the bureau setting."""
from sqlalchemy import CheckConstraint

from cms.clock import utcnow
from cms.extensions import db

KINDS = {"major_decision": "重大行政决策", "normative": "行政规范性文件", "other": "其他"}
COMMENT_STATES = {"pending": "待审核", "published": "已公开", "rejected": "不予公开"}
HANDLINGS = {"adopted": "采纳", "partly": "部分采纳", "not_adopted": "不予采纳", "not_applicable": "不适用"}
DEFAULT_FEEDBACK_WORKING_DAYS = 15


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Consultation(db.Model):
    """The comment period of a ``consultation`` item (one row per item; a working copy has its own row)."""

    __tablename__ = "consultations"
    __table_args__ = (
        CheckConstraint(_in("kind", KINDS), name="kind"),
        CheckConstraint("closes_on >= opens_on", name="period"),
    )
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), primary_key=True, autoincrement=False)
    kind = db.Column(db.String(16), nullable=False)
    opens_on = db.Column(db.Date, nullable=False)
    closes_on = db.Column(db.Date, nullable=False, index=True)
    shortened_reason = db.Column(db.Text, nullable=True)  # shown publicly when the period is shorter
    # Closing: by the queue at the end of closes_on, or early by staff with a public reason.
    closed_at = db.Column(db.DateTime, nullable=True)  # naive UTC
    closed_early_reason = db.Column(db.Text, nullable=True)
    closed_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    # The feedback (意见采纳情况) item, and the day it is due (working days after closing).
    feedback_item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=True, index=True)
    feedback_due_on = db.Column(db.Date, nullable=True)
    version = db.Column(db.Integer, nullable=False, default=1)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    __mapper_args__ = {"version_id_col": version}

    item = db.relationship("Item", foreign_keys=[item_id])
    feedback_item = db.relationship("Item", foreign_keys=[feedback_item_id])
    closed_by = db.relationship("User")


class ConsultationComment(db.Model):
    """An opinion from the public on a consultation; personal data (name, contact) is never public."""

    __tablename__ = "consultation_comments"
    __table_args__ = (
        CheckConstraint(_in("state", COMMENT_STATES), name="state"),
        CheckConstraint("handling IS NULL OR " + _in("handling", HANDLINGS), name="handling"),
        CheckConstraint("handling <> 'not_adopted' OR (handling_reason IS NOT NULL AND handling_reason <> '')",
                        name="not_adopted_reason"),
        CheckConstraint("wants_reply = false OR contact IS NOT NULL", name="reply_contact"),
    )
    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, index=True)
    body = db.Column(db.Text, nullable=False)
    name = db.Column(db.String(100), nullable=True)
    contact = db.Column(db.String(200), nullable=True)
    wants_reply = db.Column(db.Boolean, nullable=False, default=False)
    channel = db.Column(db.String(8), nullable=False, default="web")  # web | api
    state = db.Column(db.String(16), nullable=False, default="pending", index=True)
    moderation_reason = db.Column(db.Text, nullable=True)
    moderated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    moderated_at = db.Column(db.DateTime, nullable=True)
    handling = db.Column(db.String(16), nullable=True)
    handling_reason = db.Column(db.Text, nullable=True)
    theme = db.Column(db.String(50), nullable=True)  # 意见主题, for the counts by theme
    handled_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    handled_at = db.Column(db.DateTime, nullable=True)
    version = db.Column(db.Integer, nullable=False, default=1)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    __mapper_args__ = {"version_id_col": version}

    item = db.relationship("Item")
    moderated_by = db.relationship("User", foreign_keys=[moderated_by_id])
    handled_by = db.relationship("User", foreign_keys=[handled_by_id])


class ConsultationSetting(db.Model):
    """The bureau's setting: working days allowed for the feedback after a consultation closes."""

    __tablename__ = "consultation_settings"
    __table_args__ = (CheckConstraint("feedback_working_days BETWEEN 1 AND 120", name="feedback_days"),)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), primary_key=True,
                                autoincrement=False)
    feedback_working_days = db.Column(db.Integer, nullable=False, default=DEFAULT_FEEDBACK_WORKING_DAYS)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

"""Registers with clocks: incidents (政务舆情), proposals (建议提案), budget details (预决算) and the reminders sent."""
from sqlalchemy import CheckConstraint, UniqueConstraint

from cms.clock import utcnow
from cms.extensions import db

INCIDENT_LEVELS = {"major": "特别重大、重大突发事件", "other": "其他政务舆情"}
CLOCK_KINDS = {"authoritative_info": "发布权威信息", "press_conference": "召开新闻发布会", "response": "回应"}
CLOCK_HOURS = {"major": (("authoritative_info", 5), ("press_conference", 24)), "other": (("response", 48),)}

PROPOSAL_KINDS = {"npc_suggestion": "人大代表建议", "cppcc_proposal": "政协委员提案"}
PROPOSAL_STATES = {"assigned": "办理中", "replying": "答复审核中", "replied": "已答复", "reopened": "重新办理"}
REPLY_CATEGORIES = {"A": "所提问题已经解决或者采纳", "B": "正在解决或者列入计划解决", "C": "因条件限制或其他原因留作参考"}
REPLY_DISCLOSURE = {"full": "全文公开", "summary": "摘要公开", "withheld": "不予公开"}
SATISFACTION = {"satisfied": "满意", "basically_satisfied": "基本满意", "unsatisfied": "不满意"}

BUDGET_KINDS = {"budget": "部门预算", "final_accounts": "部门决算"}
THREE_PUBLIC = {
    "overseas_travel": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行维护费",
    "reception": "公务接待费",
}


def _in(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Incident(db.Model):
    """A public concern (政务舆情) and the response clocks it starts."""

    __tablename__ = "incidents"
    __table_args__ = (CheckConstraint(_in("level", INCIDENT_LEVELS), name="level"),)
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    section_id = db.Column(db.Integer, db.ForeignKey("sections.id"), nullable=False, index=True)
    title = db.Column(db.String(300), nullable=False)
    level = db.Column(db.String(16), nullable=False)
    summary = db.Column(db.Text, nullable=True)
    discovered_at = db.Column(db.DateTime, nullable=False, index=True)  # naive UTC
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    organization = db.relationship("Organization")
    section = db.relationship("Section")
    created_by = db.relationship("User")
    clocks = db.relationship("IncidentClock", back_populates="incident", order_by="IncidentClock.due_at",
                             cascade="all, delete-orphan")

    @property
    def is_open(self):
        return any(c.met_at is None for c in self.clocks)


class IncidentClock(db.Model):
    """One deadline of an incident (e.g. authoritative information within 5 hours) and when it was met."""

    __tablename__ = "incident_clocks"
    __table_args__ = (
        UniqueConstraint("incident_id", "kind"),
        CheckConstraint(_in("kind", CLOCK_KINDS), name="kind"),
    )
    id = db.Column(db.Integer, primary_key=True)
    incident_id = db.Column(db.Integer, db.ForeignKey("incidents.id"), nullable=False, index=True)
    kind = db.Column(db.String(32), nullable=False)
    hours = db.Column(db.Integer, nullable=False)
    due_at = db.Column(db.DateTime, nullable=False, index=True)  # naive UTC
    met_at = db.Column(db.DateTime, nullable=True)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=True)
    note = db.Column(db.Text, nullable=True)
    met_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    incident = db.relationship("Incident", back_populates="clocks")
    item = db.relationship("Item")

    def status(self, now):
        """``open``, ``met``, ``met_late`` or ``overdue`` at ``now`` (naive UTC)."""
        if self.met_at is not None:
            return "met" if self.met_at <= self.due_at else "met_late"
        return "overdue" if now > self.due_at else "open"


class IncidentItem(db.Model):
    """A response item (回应关切) prepared for an incident; while the incident is open the item is urgent."""

    __tablename__ = "incident_items"
    __table_args__ = (UniqueConstraint("incident_id", "item_id"),)
    id = db.Column(db.Integer, primary_key=True)
    incident_id = db.Column(db.Integer, db.ForeignKey("incidents.id"), nullable=False, index=True)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, index=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    incident = db.relationship("Incident")
    item = db.relationship("Item")


class ClockReminder(db.Model):
    """A reminder or escalation already sent: (subject, step) is sent once, never twice."""

    __tablename__ = "clock_reminders"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id", "step"),)
    id = db.Column(db.Integer, primary_key=True)
    subject_type = db.Column(db.String(32), nullable=False)  # incident_clock | proposal | budget
    subject_id = db.Column(db.Integer, nullable=False)
    step = db.Column(db.String(32), nullable=False)  # 50 | 80 | 100 | escalated | due_soon | overdue ...
    recipients = db.Column(db.Integer, nullable=False, default=0)
    sent_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Proposal(db.Model):
    """An NPC deputy's suggestion or a CPPCC member's proposal assigned to the bureau (交办)."""

    __tablename__ = "proposals"
    __table_args__ = (
        UniqueConstraint("organization_id", "session", "number"),
        CheckConstraint(_in("kind", PROPOSAL_KINDS), name="kind"),
        CheckConstraint(_in("state", PROPOSAL_STATES), name="state"),
        CheckConstraint("category IS NULL OR " + _in("category", REPLY_CATEGORIES), name="category"),
        CheckConstraint("disclosure IS NULL OR " + _in("disclosure", REPLY_DISCLOSURE), name="disclosure"),
        CheckConstraint("disclosure IS NULL OR disclosure <> 'withheld' OR "
                        "(withheld_reason IS NOT NULL AND withheld_reason <> '')", name="withheld_reason"),
    )
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)
    session = db.Column(db.String(100), nullable=False)
    number = db.Column(db.String(32), nullable=False)
    title = db.Column(db.String(300), nullable=False)
    proposer = db.Column(db.String(200), nullable=False)
    lead_section_id = db.Column(db.Integer, db.ForeignKey("sections.id"), nullable=False, index=True)
    co_section_ids = db.Column(db.JSON, nullable=False, default=list)
    assigned_on = db.Column(db.Date, nullable=False)
    due_on = db.Column(db.Date, nullable=False)
    co_due_on = db.Column(db.Date, nullable=False)
    state = db.Column(db.String(16), nullable=False, default="assigned")
    category = db.Column(db.String(1), nullable=True)
    reply_html = db.Column(db.Text, nullable=True)
    disclosure = db.Column(db.String(16), nullable=True)
    summary_html = db.Column(db.Text, nullable=True)
    withheld_reason = db.Column(db.Text, nullable=True)
    reply_item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=True)
    replied_on = db.Column(db.Date, nullable=True)
    replied_late = db.Column(db.Boolean, nullable=True)
    satisfaction = db.Column(db.String(32), nullable=True)
    feedback_note = db.Column(db.Text, nullable=True)
    feedback_on = db.Column(db.Date, nullable=True)
    reopened_count = db.Column(db.Integer, nullable=False, default=0)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    version = db.Column(db.Integer, nullable=False, default=1)
    __mapper_args__ = {"version_id_col": version}

    organization = db.relationship("Organization")
    lead_section = db.relationship("Section")
    reply_item = db.relationship("Item")
    opinions = db.relationship("ProposalOpinion", back_populates="proposal", order_by="ProposalOpinion.id",
                               cascade="all, delete-orphan")


class ProposalOpinion(db.Model):
    """A co-handling section's opinion (会办意见), seen by the lead section."""

    __tablename__ = "proposal_opinions"
    id = db.Column(db.Integer, primary_key=True)
    proposal_id = db.Column(db.Integer, db.ForeignKey("proposals.id"), nullable=False, index=True)
    section_id = db.Column(db.Integer, db.ForeignKey("sections.id"), nullable=False)
    body = db.Column(db.Text, nullable=False)
    author_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    proposal = db.relationship("Proposal", back_populates="opinions")
    section = db.relationship("Section")
    author = db.relationship("User")


class BudgetDetail(db.Model):
    """The figures of a budget item (type ``budget``): fiscal year, kind, approval date, 三公经费 in 万元."""

    __tablename__ = "budget_details"
    __table_args__ = (
        CheckConstraint(_in("kind", BUDGET_KINDS), name="kind"),
        CheckConstraint("overseas_travel >= 0 AND vehicle_purchase >= 0 AND vehicle_operation >= 0 "
                        "AND reception >= 0 AND (operating_expenses IS NULL OR operating_expenses >= 0)",
                        name="amounts_not_negative"),
    )
    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, unique=True)
    fiscal_year = db.Column(db.Integer, nullable=False, index=True)
    kind = db.Column(db.String(16), nullable=False)
    approved_on = db.Column(db.Date, nullable=False)
    due_on = db.Column(db.Date, nullable=False)
    overseas_travel = db.Column(db.Numeric(14, 2), nullable=False)
    vehicle_purchase = db.Column(db.Numeric(14, 2), nullable=False)
    vehicle_operation = db.Column(db.Numeric(14, 2), nullable=False)
    reception = db.Column(db.Numeric(14, 2), nullable=False)
    operating_expenses = db.Column(db.Numeric(14, 2), nullable=True)

    item = db.relationship("Item")

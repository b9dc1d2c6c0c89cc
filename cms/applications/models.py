"""Applications for disclosure (依申请公开) and the calendar days entered by administrators."""
from sqlalchemy import CheckConstraint

from cms.applications.types import APPLICANT_TYPES, CHANNELS, DELIVERY, ID_TYPES, RESULTS, STATES
from cms.clock import utcnow
from cms.extensions import db


def _in_list(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class CalendarDay(db.Model):
    """A day whose status overrides the package: a public holiday or an adjusted working day (调休上班日)."""

    __tablename__ = "calendar_days"
    day = db.Column(db.Date, primary_key=True)
    is_workday = db.Column(db.Boolean, nullable=False)
    note = db.Column(db.String(100), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class Application(db.Model):
    """One request for government information, from receipt to the reply.

    Personal data is kept to what the reply needs: the address only when the reply goes by post, and
    no IP address or browser data at all. Screens and exports other than the desk's show it masked.
    """

    __tablename__ = "applications"
    __table_args__ = (
        CheckConstraint(_in_list("state", STATES), name="state"),
        CheckConstraint(_in_list("applicant_type", APPLICANT_TYPES), name="applicant_type"),
        CheckConstraint(_in_list("channel", CHANNELS), name="channel"),
        CheckConstraint(_in_list("delivery", DELIVERY), name="delivery"),
        CheckConstraint(_in_list("id_type", ID_TYPES), name="id_type"),
        CheckConstraint(f"result IS NULL OR {_in_list('result', RESULTS)}", name="result"),
        CheckConstraint("extension_days >= 0 AND extension_days <= 20", name="extension_days"),
        db.Index("ix_applications_org_state", "organization_id", "state"),
        db.UniqueConstraint("organization_id", "letter_no"),
    )
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False)
    code = db.Column(db.String(20), nullable=False, unique=True)
    workflow = db.Column(db.String(32), nullable=False, default="application_desk")
    state = db.Column(db.String(32), nullable=False, default="submitted")
    version = db.Column(db.Integer, nullable=False, default=1)
    is_test = db.Column(db.Boolean, nullable=False, default=False)
    channel = db.Column(db.String(20), nullable=False)

    # The applicant.
    applicant_type = db.Column(db.String(20), nullable=False)
    applicant_name = db.Column(db.String(200), nullable=False)
    contact_person = db.Column(db.String(100), nullable=True)  # organizations: who to contact
    id_type = db.Column(db.String(20), nullable=False)
    id_number = db.Column(db.String(40), nullable=False)
    phone = db.Column(db.String(30), nullable=True)
    email = db.Column(db.String(200), nullable=True)
    address = db.Column(db.String(300), nullable=True)
    delivery = db.Column(db.String(10), nullable=False)

    # What is asked for.
    description = db.Column(db.Text, nullable=False)
    document_hint = db.Column(db.String(500), nullable=True)  # title, 文号 or other clues

    # The clock (statutory working days).
    submitted_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    received_on = db.Column(db.Date, nullable=True)
    clock_start_on = db.Column(db.Date, nullable=True)  # receipt, or the day the supplement arrived
    paused_days = db.Column(db.Integer, nullable=False, default=0)  # consultation time, not counted
    extension_days = db.Column(db.Integer, nullable=False, default=0)
    extended_on = db.Column(db.Date, nullable=True)
    extension_reason = db.Column(db.Text, nullable=True)
    due_on = db.Column(db.Date, nullable=True, index=True)
    deadline_warning = db.Column(db.String(300), nullable=True)

    supplement_requested_on = db.Column(db.Date, nullable=True)
    supplement_due_on = db.Column(db.Date, nullable=True)
    supplement_notice = db.Column(db.Text, nullable=True)
    supplement_received_on = db.Column(db.Date, nullable=True)
    supplement_count = db.Column(db.Integer, nullable=False, default=0)

    consultation_party = db.Column(db.String(20), nullable=True)
    consultation_started_on = db.Column(db.Date, nullable=True)
    consultation_due_on = db.Column(db.Date, nullable=True)

    section_id = db.Column(db.Integer, db.ForeignKey("sections.id"), nullable=True, index=True)
    assigned_on = db.Column(db.Date, nullable=True)

    # The reply.
    result = db.Column(db.String(20), nullable=True)
    result_reason = db.Column(db.Integer, nullable=True)
    reply_text = db.Column(db.Text, nullable=True)
    letter_no = db.Column(db.String(100), nullable=True)  # 答复书文号, assigned at the sign-off
    reply_drafted_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    replied_on = db.Column(db.Date, nullable=True)
    concluded_on = db.Column(db.Date, nullable=True)  # the day a result was reached (reply or closure)

    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)  # staff-entered
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)

    organization = db.relationship("Organization")
    section = db.relationship("Section")
    reply_drafted_by = db.relationship("User", foreign_keys=[reply_drafted_by_id])
    created_by = db.relationship("User", foreign_keys=[created_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def state_label(self):
        return STATES.get(self.state, self.state)

    @property
    def extended(self):
        return self.extension_days > 0

    def __repr__(self):
        return f"<Application {self.code} {self.state}>"


class LetterCounter(db.Model):
    """The last reply-letter number used per organization and year (gap-free, like index numbers)."""

    __tablename__ = "letter_counters"
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), primary_key=True)
    year = db.Column(db.Integer, primary_key=True)
    last_value = db.Column(db.Integer, nullable=False, default=0)

"""Days entered by administrators for years the package does not know yet."""
from cms.clock import utcnow
from cms.extensions import db


class CalendarDay(db.Model):
    """A day whose status overrides the package: a public holiday or an adjusted working day (调休上班日)."""

    __tablename__ = "calendar_days"
    day = db.Column(db.Date, primary_key=True)
    is_workday = db.Column(db.Boolean, nullable=False)
    note = db.Column(db.String(100), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

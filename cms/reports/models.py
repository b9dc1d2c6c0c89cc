"""Records the annual report needs: remedies against application replies, and the report drafts."""
from sqlalchemy import CheckConstraint, UniqueConstraint

from cms.clock import utcnow
from cms.extensions import db

REMEDY_KINDS = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_reconsideration": "行政诉讼（复议后起诉）",
}
REMEDY_OUTCOMES = {"upheld": "结果维持", "corrected": "结果纠正", "other": "其他结果", "pending": "尚未审结"}


def _in_list(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Remedy(db.Model):
    """An administrative reconsideration or lawsuit against a reply (annual report, section 四)."""

    __tablename__ = "application_remedies"
    __table_args__ = (
        CheckConstraint(_in_list("kind", REMEDY_KINDS), name="kind"),
        CheckConstraint(_in_list("outcome", REMEDY_OUTCOMES), name="outcome"),
        CheckConstraint("outcome = 'pending' OR decided_on IS NOT NULL", name="decided_has_date"),
    )
    id = db.Column(db.Integer, primary_key=True)
    application_id = db.Column(db.Integer, db.ForeignKey("applications.id"), nullable=False, index=True)
    kind = db.Column(db.String(40), nullable=False)
    filed_on = db.Column(db.Date, nullable=False)
    outcome = db.Column(db.String(16), nullable=False, default="pending")
    decided_on = db.Column(db.Date, nullable=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    application = db.relationship("Application")


class AnnualReport(db.Model):
    """The draft of one organization's annual report for one year; the text lives in its item (年报栏目)."""

    __tablename__ = "annual_reports"
    __table_args__ = (UniqueConstraint("organization_id", "year"),)
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False)
    year = db.Column(db.Integer, nullable=False)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, unique=True)
    # What the office enters: fees (万元), the texts of sections 一, 五, 六, and 规章 figures.
    inputs = db.Column(db.JSON, nullable=False, default=dict)
    tables = db.Column(db.JSON, nullable=False, default=dict)
    checks = db.Column(db.JSON, nullable=False, default=list)
    built_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    built_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)

    organization = db.relationship("Organization")
    item = db.relationship("Item")

    @property
    def failed_checks(self):
        return [c for c in self.checks or [] if not c.get("passed")]

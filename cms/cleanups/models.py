"""The decisions of a cleanup list, one row per listed document."""
from sqlalchemy import UniqueConstraint

from cms.clock import utcnow
from cms.extensions import db

OUTCOMES = {"keep": "继续有效", "amend": "修改", "repeal": "废止", "expire": "宣布失效"}
# What each outcome makes of the document's validity (cms.content.types.VALIDITY codes).
OUTCOME_VALIDITY = {"keep": "valid", "amend": "amended", "repeal": "abolished", "expire": "expired"}


class CleanupDecision(db.Model):
    __tablename__ = "cleanup_decisions"
    __table_args__ = (
        UniqueConstraint("cleanup_id", "item_id"),
        db.CheckConstraint("outcome IN ('keep', 'amend', 'repeal', 'expire')", name="outcome"),
    )
    id = db.Column(db.Integer, primary_key=True)
    cleanup_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, index=True)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, index=True)
    outcome = db.Column(db.String(8), nullable=False)
    replaced_by_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=True)
    note = db.Column(db.String(500), nullable=True)
    position = db.Column(db.Integer, nullable=False, default=0)
    applied_at = db.Column(db.DateTime, nullable=True)  # set when the cleanup was published
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    item = db.relationship("Item", foreign_keys=[item_id])
    replaced_by = db.relationship("Item", foreign_keys=[replaced_by_id])

"""Content models: the column tree (栏目) of each organization."""
from sqlalchemy import UniqueConstraint

from cms.clock import utcnow
from cms.extensions import db


class Column(db.Model):
    """A column (栏目) of an organization's proactive disclosure catalog."""

    __tablename__ = "columns"
    __table_args__ = (UniqueConstraint("organization_id", "code"),)
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    parent_id = db.Column(db.Integer, db.ForeignKey("columns.id"), nullable=True, index=True)
    code = db.Column(db.String(64), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    positioning = db.Column(db.Text, nullable=True)  # 定位说明
    accepts = db.Column(db.JSON, nullable=False, default=list)  # accepted item types
    workflow = db.Column(db.String(64), nullable=False, default="three_stage")
    position = db.Column(db.Integer, nullable=False, default=0)
    visible = db.Column(db.Boolean, nullable=False, default=True)
    retired = db.Column(db.Boolean, nullable=False, default=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    organization = db.relationship("Organization")
    parent = db.relationship("Column", remote_side=[id], backref="children")

    def accepts_type(self, item_type):
        return item_type in (self.accepts or [])

    def __repr__(self):
        return f"<Column {self.code}>"

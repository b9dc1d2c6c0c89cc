"""Tables of the new media channels."""
from sqlalchemy import UniqueConstraint

from cms.clock import utcnow
from cms.extensions import db

_CHANNEL_CHECK = "channel IN ('website', 'wechat', 'weibo', 'toutiao')"


class ChannelSetting(db.Model):
    """Whether a bureau uses a new media channel (no row: the deployment default, ``CMS_CHANNELS``)."""

    __tablename__ = "channel_settings"
    __table_args__ = (
        UniqueConstraint("organization_id", "channel"),
        db.CheckConstraint("channel IN ('wechat', 'weibo', 'toutiao')", name="channel"),
    )
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    channel = db.Column(db.String(16), nullable=False)
    enabled = db.Column(db.Boolean, nullable=False, default=True)
    updated_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    updated_at = db.Column(db.DateTime, nullable=False, default=utcnow, onupdate=utcnow)


class ItemChannel(db.Model):
    """A new media channel an item also goes to (``website`` is implied and never stored)."""

    __tablename__ = "item_channels"
    __table_args__ = (db.CheckConstraint(_CHANNEL_CHECK, name="channel"),)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), primary_key=True, autoincrement=False)
    channel = db.Column(db.String(16), primary_key=True)


class ChannelPost(db.Model):
    """The record that an item was posted to a channel: who, when, and the post's URL (one per channel)."""

    __tablename__ = "channel_posts"
    __table_args__ = (
        UniqueConstraint("item_id", "channel"),
        db.CheckConstraint(_CHANNEL_CHECK, name="channel"),
    )
    id = db.Column(db.Integer, primary_key=True)
    item_id = db.Column(db.Integer, db.ForeignKey("items.id"), nullable=False, index=True)
    channel = db.Column(db.String(16), nullable=False)
    url = db.Column(db.String(2000), nullable=False)
    posted_at = db.Column(db.DateTime, nullable=False)  # UTC, naive like every timestamp here
    recorded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    recorded_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    adapter = db.Column(db.String(32), nullable=False, default="manual")

    recorded_by = db.relationship("User")

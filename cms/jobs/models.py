"""The queue consumer's heartbeat: written by the consumer every minute, read by ``/healthz``."""
from cms.clock import utcnow
from cms.extensions import db


class JobHeartbeat(db.Model):
    """When a consumer (by name) was last seen running."""

    __tablename__ = "job_heartbeats"
    name = db.Column(db.String(64), primary_key=True)
    beat_at = db.Column(db.DateTime, nullable=False, default=utcnow)

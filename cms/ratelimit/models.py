"""Rate-limit counters kept in the database, so every worker (and every app server) sees the same counts."""
from cms.extensions import db


class RateLimitHit(db.Model):
    """One counted event (a failed login, a filing, a failed status look-up) until it leaves its window."""

    __tablename__ = "rate_limit_hits"
    __table_args__ = (db.Index("ix_rate_limit_hits_limit_key_expires_at", "limit_key", "expires_at"),)
    id = db.Column(db.Integer, primary_key=True)
    limit_key = db.Column(db.String(255), nullable=False)
    # Unix time (seconds) when the event stops counting: no time zone to get wrong on either backend.
    expires_at = db.Column(db.Float, nullable=False, index=True)

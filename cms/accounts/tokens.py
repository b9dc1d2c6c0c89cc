"""API tokens: random bearer tokens, stored only as a SHA-256 hash, tied to the user's session epoch.

A token ends when it expires, when its holder revokes it (``DELETE /api/v1/tokens``), or when the user
logs out everywhere, changes the password or is deactivated (the session epoch moves on).
"""
import hashlib
import secrets
from datetime import timedelta

from cms.clock import utcnow
from cms.extensions import db


class ApiToken(db.Model):
    __tablename__ = "api_tokens"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    token_hash = db.Column(db.String(64), nullable=False, unique=True)
    session_epoch = db.Column(db.Integer, nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False)

    user = db.relationship("User")


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def issue_token(user, hours):
    """Create a token for ``user`` valid for ``hours``; returns (plain token, ApiToken)."""
    token = secrets.token_urlsafe(32)
    record = ApiToken(
        user=user,
        token_hash=_hash(token),
        session_epoch=user.session_epoch,
        expires_at=utcnow() + timedelta(hours=hours),
    )
    db.session.add(record)
    db.session.flush()
    return token, record


def user_for_token(token: str | None):
    """The active user a token belongs to, or None (unknown, expired, or the password changed since)."""
    if not token or len(token) > 200:
        return None
    record = ApiToken.query.filter_by(token_hash=_hash(token)).first()
    if record is None or record.expires_at < utcnow():
        return None
    user = record.user
    if not user.active or user.session_epoch != record.session_epoch:
        return None
    return user


def revoke_token(token: str | None):
    """Delete the token's record; returns the user it belonged to (None when it was unknown)."""
    from cms.accounts.audit import record_audit

    if not token or len(token) > 200:
        return None
    record = ApiToken.query.filter_by(token_hash=_hash(token)).first()
    if record is None:
        return None
    user = record.user
    db.session.delete(record)
    record_audit("token.revoke", user, target=f"user:{user.username}", details={"token": record.id})
    db.session.flush()
    return user

"""Server-side records of browser sessions, so that logging out ends a session for good.

The signed session cookie carries a random session key; the database keeps only its SHA-256 hash. The user
loader accepts a cookie only while its record exists, so a cookie copied before logout is worthless
afterwards, on every worker. "Log out everywhere" deletes all of a user's records and API tokens and bumps
the session epoch (which also ends sessions and tokens issued before this table existed).
"""
import hashlib
import secrets
from datetime import timedelta

from cms.accounts.audit import record_audit
from cms.clock import utcnow
from cms.extensions import db


class UserSession(db.Model):
    __tablename__ = "user_sessions"
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    key_hash = db.Column(db.String(64), nullable=False, unique=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False, index=True)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def start_session(user, hours):
    """Record a new browser session for ``user`` lasting at most ``hours``; returns its key for the cookie.

    Also sweeps the user's expired records, so the table does not grow with sessions nobody logged out of.
    """
    now = utcnow()
    UserSession.query.filter(UserSession.user_id == user.id, UserSession.expires_at < now).delete(
        synchronize_session=False
    )
    key = secrets.token_urlsafe(32)
    db.session.add(UserSession(user_id=user.id, key_hash=_hash(key), expires_at=now + timedelta(hours=hours)))
    db.session.flush()
    return key


def session_is_live(user_id, key) -> bool:
    """True when ``key`` belongs to a recorded, unexpired session of user ``user_id``."""
    if not key or not isinstance(key, str) or len(key) > 200:
        return False
    record = UserSession.query.filter_by(key_hash=_hash(key)).first()
    return record is not None and record.user_id == user_id and record.expires_at > utcnow()


def end_session(key):
    """Forget the session with ``key`` (logout); a copy of its cookie no longer logs anyone in."""
    if key and isinstance(key, str):
        UserSession.query.filter_by(key_hash=_hash(key)).delete(synchronize_session=False)
        db.session.flush()


def log_out_everywhere(user, actor=None):
    """End every browser session and revoke every API token of ``user``."""
    from cms.accounts.tokens import ApiToken

    sessions = UserSession.query.filter_by(user_id=user.id).delete(synchronize_session=False)
    tokens = ApiToken.query.filter_by(user_id=user.id).delete(synchronize_session=False)
    user.session_epoch += 1
    record_audit("logout.everywhere", actor or user, target=f"user:{user.username}",
                 details={"sessions": sessions, "tokens": tokens})
    db.session.flush()
    return sessions, tokens

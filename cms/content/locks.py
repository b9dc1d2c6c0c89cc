"""Edit locks: one person edits an item at a time, and everybody else sees who and since when.

Opening the editor takes the lock; the open editor renews it; saving or leaving releases it; a lock nobody
renews lapses after ``CMS_EDIT_LOCK_SECONDS``. An admin or the chief of the item's section may take it over.
A published item and its working copy share one lock (the live item's id), since an edit of either is an edit
of the same information.
"""
from datetime import timedelta

from flask import current_app
from sqlalchemy.exc import IntegrityError

from cms import clock
from cms.clock import utcnow
from cms.errors import Conflict, Locked, NotAllowed
from cms.extensions import db


class EditLock(db.Model):
    __tablename__ = "edit_locks"
    item_id = db.Column(db.Integer, db.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    acquired_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    expires_at = db.Column(db.DateTime, nullable=False)

    user = db.relationship("User")

    @property
    def holder_name(self):
        return self.user.name if self.user else ""

    def describe(self):
        """"王五 正在编辑，自 10:02" — what others see."""
        since = clock.to_local(self.acquired_at)
        return f"{self.holder_name} 正在编辑，自 {since:%H:%M}" if since else f"{self.holder_name} 正在编辑"

    def to_json(self):
        return {"holder": self.user.username if self.user else None, "holder_name": self.holder_name,
                "acquired_at": self.acquired_at.isoformat() + "Z", "expires_at": self.expires_at.isoformat() + "Z"}


def lock_key(item):
    return item.working_copy_of_id or item.id


def _duration():
    return timedelta(seconds=current_app.config.get("CMS_EDIT_LOCK_SECONDS", 300))


def live_lock(item, now=None):
    """The lock on ``item`` that has not lapsed, or None."""
    lock = db.session.get(EditLock, lock_key(item))
    if lock is None or lock.expires_at <= (now or utcnow()):
        return None
    return lock


def can_take_over(user, item):
    return user.is_admin or user.has_role("section_chief", item.section_id)


def acquire_lock(item, user, take_over=False):
    """Take or renew the lock for ``user``; Conflict (naming the holder) when someone else holds it."""
    now = utcnow()
    lock = db.session.get(EditLock, lock_key(item))
    if lock is not None and lock.user_id != user.id and lock.expires_at > now:
        if not take_over:
            raise Conflict(f"{lock.describe()}，请稍后再编辑", fields={"lock": "held"}, holder=lock.holder_name)
        if not can_take_over(user, item):
            raise NotAllowed("只有系统管理员或本科室负责人可以接管编辑")
    if lock is None:
        lock = EditLock(item_id=lock_key(item), user_id=user.id, acquired_at=now, expires_at=now + _duration())
        db.session.add(lock)
        try:
            db.session.flush()
        except IntegrityError as exc:  # someone took it at the same instant
            db.session.rollback()
            raise Conflict("他人刚刚开始编辑此信息，请刷新后重试", fields={"lock": "held"}) from exc
        return lock
    if lock.user_id != user.id or lock.expires_at <= now:
        lock.user_id, lock.acquired_at = user.id, now
        db.session.expire(lock, ["user"])
    lock.expires_at = now + _duration()
    db.session.flush()
    return lock


def release_lock(item, user):
    """Release ``user``'s lock on ``item`` (nothing to do when they do not hold it)."""
    lock = db.session.get(EditLock, lock_key(item))
    if lock is not None and lock.user_id == user.id:
        db.session.delete(lock)
        db.session.flush()


def check_lock(item, user):
    """Refuse an edit by anyone but the holder while a lock is live (HTTP 423, naming the holder)."""
    lock = live_lock(item)
    if lock is not None and lock.user_id != user.id:
        raise Locked(f"{lock.describe()}，您的修改未保存", fields={"lock": "held"}, holder=lock.holder_name)

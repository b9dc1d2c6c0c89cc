"""Creating, listing and reading notifications; e-mail copies are sent by a queue task after the commit."""
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app, has_app_context
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from cms.clock import utcnow
from cms.extensions import db
from cms.notifications.models import Notification

_MAIL_QUEUE = "cms_mail_queue"
log = logging.getLogger(__name__)


def notify(users, message, link=None):
    """Notify each of ``users`` (in the current transaction); e-mail them after commit if SMTP is set."""
    seen = set()
    for user in users:
        if user is None or user.id in seen or not user.active:
            continue
        seen.add(user.id)
        db.session.add(Notification(user_id=user.id, message=message[:500], link=link))
        if user.email:
            queue_mail(user.email, message, link)
    return len(seen)


def queue_mail(recipient, message, link=None):
    """Send ``message`` to ``recipient`` after the commit, when SMTP is configured (else nothing)."""
    if recipient and has_app_context() and current_app.config.get("CMS_SMTP_HOST"):
        db.session().info.setdefault(_MAIL_QUEUE, []).append((recipient, message, link))
        return True
    return False


def unread_count(user):
    return Notification.query.filter_by(user_id=user.id, read_at=None).count()


def recent(user, limit=100):
    return Notification.query.filter_by(user_id=user.id).order_by(Notification.id.desc()).limit(limit).all()


def mark_read(user, notification_id=None):
    """Mark one (or every) notification of ``user`` as read."""
    query = Notification.query.filter_by(user_id=user.id, read_at=None)
    if notification_id is not None:
        query = query.filter_by(id=notification_id)
    return query.update({"read_at": utcnow()}, synchronize_session=False)


def send_mail(recipient, message, link=None):
    """Send one e-mail now (the queue task ``mail.send`` calls this; never on the request path)."""
    config = current_app.config
    mail = EmailMessage()
    mail["From"] = config["CMS_SMTP_SENDER"]
    mail["To"] = recipient
    mail["Subject"] = "【政务公开】" + message[:60]
    mail.set_content(message + (f"\n\n{link}" if link else ""))
    with smtplib.SMTP(config["CMS_SMTP_HOST"], config["CMS_SMTP_PORT"], timeout=10) as smtp:
        smtp.send_message(mail)


@sa_event.listens_for(Session, "after_commit")
def _flush_mail(session):
    queued = session.info.pop(_MAIL_QUEUE, [])
    if queued and not has_app_context():
        log.warning("%d e-mail(s) dropped: no application context", len(queued))
        return
    for recipient, message, link in queued:
        # A queue task sends it (SMTP can be slow or down); the in-app notification is already committed.
        from cms.jobs import enqueue

        enqueue("mail.send", recipient, message, link)


@sa_event.listens_for(Session, "after_rollback")
def _drop_mail(session):
    session.info.pop(_MAIL_QUEUE, None)

"""The tasks of the queue; domain packages do the work, this module only schedules it.

Task names are stable strings (they are stored in the queue): ``search.drain``, ``attachments.extract``,
``mail.send``, ``pages.warm``, ``applications.remind`` (daily), ``jobs.tick`` (every minute: heartbeat + timed duties).
"""
import logging

from huey import crontab

from cms.consultations.closing import run_duties as run_consultation_duties
from cms.jobs.periodic import register_tick, run_ticks

log = logging.getLogger(__name__)


def drain_search_outbox():
    """Apply the pending search outbox entries to the index (the outbox stays the source of truth)."""
    from cms.search.service import drain

    return drain()


def extract_attachment_text(attachment_id):
    """Extract an attachment's text (bounded) and, when its item is public, queue the item for re-indexing."""
    from cms.content.extraction import extract_attachment
    from cms.jobs.queue import enqueue_after_commit
    from cms.search.service import enqueue as outbox_enqueue

    attachment = extract_attachment(attachment_id)
    if attachment is not None and attachment.item is not None and attachment.item.is_public:
        outbox_enqueue(attachment.item_id, "upsert")
        enqueue_after_commit("search.drain")


def send_mail(recipient, message, link=None):
    """Send one e-mail copy of a notification."""
    from cms.notifications.services import send_mail as deliver

    deliver(recipient, message, link)


def remind_applications():
    """The daily reminder of applications overdue or due soon (``cms applications remind``)."""
    from cms.applications.reminders import send_reminders

    sent = send_reminders()
    log.info("application reminders sent to %d user(s)", len(sent))
    return sent


def tick():
    """Every minute: record the consumer's heartbeat, then run every registered timed duty."""
    from cms.extensions import db
    from cms.jobs.heartbeat import record_heartbeat

    record_heartbeat()
    db.session.commit()
    return run_ticks()


def extract_pending_attachments(limit=20, older_than_seconds=120):
    """Repair lost extraction tasks (and extract attachments stored before the queue existed)."""
    from datetime import timedelta

    from cms.clock import utcnow
    from cms.content.models import Attachment

    cutoff = utcnow() - timedelta(seconds=older_than_seconds)
    ids = [i for (i,) in Attachment.query.filter(
        Attachment.extraction_status == "pending", Attachment.created_at <= cutoff,
    ).order_by(Attachment.id).with_entities(Attachment.id).limit(limit)]
    for attachment_id in ids:
        extract_attachment_text(attachment_id)


def send_stage_due_reminders():
    """Review stages due or overdue: remind the reviewers, escalate to the office head (idempotent)."""
    from cms.workflow.reminders import send_due_reminders

    send_due_reminders()


def send_response_clock_reminders():
    """Incident clocks at 50/80/100 %, proposals and budgets near their due dates (idempotent)."""
    from cms.clocks.reminders import send_clock_reminders

    send_clock_reminders()


register_tick("search.drain_outbox", drain_search_outbox)
register_tick("attachments.extract_pending", extract_pending_attachments)
register_tick("workflow.due_reminders", send_stage_due_reminders)
register_tick("clocks.reminders", send_response_clock_reminders)
register_tick("content.schedule", lambda: __import__("cms.content.scheduling", fromlist=["x"]).run_schedule())
register_tick("interpretations.due", lambda: __import__(  # lag mode: reminders and overdue flags
    "cms.content.interpretations", fromlist=["x"]).send_interpretation_reminders())
register_tick("consultations.close_and_remind", run_consultation_duties)


def warm_pages(item_ids):
    """Render the public pages of ``item_ids`` and of their column neighbours into the page store."""
    from cms.pages.warm import warm_after_publication

    return warm_after_publication(item_ids)


def _reminder_schedule(local_hour):
    # huey runs in UTC; China Standard Time is UTC+8 all year. Monday to Friday (0 is Sunday).
    return crontab(minute="0", hour=str((local_hour - 8) % 24), day_of_week="1-5")


def register_tasks(jobs):
    """Bind every task to ``jobs`` (one app's queue)."""
    jobs.register("search.drain", drain_search_outbox)
    jobs.register("pages.warm", warm_pages)
    jobs.register("attachments.extract", extract_attachment_text)
    jobs.register("mail.send", send_mail, retries=3, retry_delay=60)
    jobs.register("applications.remind", remind_applications,
                  schedule=_reminder_schedule(jobs.app.config.get("CMS_REMINDER_HOUR", 8)))
    jobs.register("jobs.tick", tick, schedule=crontab())

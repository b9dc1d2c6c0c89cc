"""Opening and closing: a consultation takes comments from the start of ``opens_on`` to the end of ``closes_on``
(Beijing time), unless closed early with a public reason. The queue's tick records the closing at the end of
``closes_on`` (idempotently), sets the feedback due date, and reminds the drafting section of the feedback.
"""
import logging
from datetime import timedelta

from cms import clock
from cms.calendar.working_days import UnknownCalendarYear, add_working_days
from cms.clock import to_local
from cms.consultations.access import flush_or_conflict, require_manager
from cms.consultations.models import Consultation
from cms.consultations.periods import end_of
from cms.consultations.settings import feedback_working_days
from cms.content.models import Item
from cms.errors import Conflict, DomainError, NotFound, ValidationError
from cms.extensions import db

log = logging.getLogger(__name__)
STATUS_LABELS = {"upcoming": "未开始", "open": "征集中", "closed": "已结束"}
REMIND_BEFORE = timedelta(days=3)


class ConsultationClosed(DomainError):
    """The consultation takes no comments now (not yet open, ended, or closed early)."""

    status = 409
    code = "consultation_closed"


def _today(now=None):
    return to_local(now).date() if now is not None else clock.local_today()


def status_of(record, now=None):
    """``upcoming``, ``open`` or ``closed`` at ``now`` (naive UTC; default: the current time)."""
    if record.closed_at is not None:
        return "closed"
    today = _today(now)
    if today < record.opens_on:
        return "upcoming"
    if today > record.closes_on:
        return "closed"  # the end of closes_on has passed, whether the tick has recorded it yet or not
    return "open"


def days_left(record, now=None):
    """Whole days after today until ``closes_on`` (0 on the last day); None unless open."""
    if status_of(record, now) != "open":
        return None
    return (record.closes_on - _today(now)).days


def require_open(record, now=None):
    status = status_of(record, now)
    if status == "upcoming":
        raise ConsultationClosed(f"该征集将于 {record.opens_on.isoformat()} 开始，目前尚不能提交意见",
                                 period_status="upcoming", opens_on=record.opens_on.isoformat())
    if status == "closed":
        raise ConsultationClosed("该征集已结束，不再接收意见", period_status="closed",
                                 closes_on=record.closes_on.isoformat())


def feedback_due(organization_id, closed_on):
    """The last day for the feedback: the setting's working days after ``closed_on`` (weekdays for a year
    whose holidays are not known yet, rather than no date at all)."""
    days = feedback_working_days(organization_id)
    try:
        return add_working_days(closed_on, days)
    except UnknownCalendarYear:
        day, remaining = closed_on, days
        while remaining:
            day += timedelta(days=1)
            if day.weekday() < 5:
                remaining -= 1
        return day


def get_consultation(item_id, public=True):
    """The consultation item and its record; NotFound for anything else (and, with ``public``, for an item the
    public may not see)."""
    item = db.session.get(Item, item_id) if isinstance(item_id, int) and 0 < item_id < 2**31 else None
    record = db.session.get(Consultation, item_id) if item is not None else None
    if item is None or record is None or item.type != "consultation" or item.working_copy_of_id is not None \
            or (public and not item.is_public):
        raise NotFound("意见征集不存在或尚未发布")
    return item, record


def close_early(user, item, record, reason, version=None):
    """Close a published, not yet closed consultation now, with a reason shown publicly."""
    require_manager(user, item)
    if not isinstance(reason, str) or not reason.strip():
        raise ValidationError("提前结束须填写理由（将向社会公开）", fields={"reason": "required"})
    if len(reason.strip()) > 1000:
        raise ValidationError("理由过长（最多 1000 字）", fields={"reason": "too_long"})
    if version is not None and version != record.version:
        raise Conflict("该征集已被他人修改，请刷新后重试", fields={"version": "stale"},
                       current_version=record.version)
    if not item.is_public:
        raise Conflict("征集尚未发布，不能结束", fields={"state": item.state})
    if status_of(record) == "closed":
        raise ConsultationClosed("该征集已结束", period_status="closed")
    now = clock.utcnow()
    record.closed_at = now
    record.closed_early_reason = reason.strip()
    record.closed_by_id = user.id
    record.feedback_due_on = feedback_due(item.organization_id, to_local(now).date())
    flush_or_conflict("该征集已被他人修改，请刷新后重试")
    from cms.accounts.audit import record_audit

    record_audit("consultation.close_early", user, target=f"item:{item.id}", details={"reason": reason.strip()})
    return record


def close_due_consultations(now=None):
    """Record the closing of every published consultation whose ``closes_on`` has ended; returns their ids.

    Idempotent: only rows not closed yet are touched, so a second run (or a late one) changes nothing.
    """
    now = now or clock.utcnow()
    today = to_local(now).date()
    rows = (Consultation.query.join(Item, Item.id == Consultation.item_id)
            .filter(Consultation.closed_at.is_(None), Consultation.closes_on < today,
                    Item.state == "published", Item.working_copy_of_id.is_(None))
            .order_by(Consultation.item_id).all())
    closed = []
    for record in rows:
        record.closed_at = end_of(record.closes_on)
        record.feedback_due_on = feedback_due(record.item.organization_id, record.closes_on)
        closed.append(record.item_id)
    db.session.flush()
    if closed:
        log.info("consultations closed: %s", closed)
    return closed


def feedback_published(record):
    item = record.feedback_item
    return item is not None and item.is_public


def is_feedback_overdue(record, today=None):
    """Past the feedback due date with no published feedback (or the feedback published late)."""
    if record.feedback_due_on is None:
        return False
    item = record.feedback_item
    if item is not None and item.is_public and item.published_at is not None:
        return to_local(item.published_at).date() > record.feedback_due_on
    return (today or clock.local_today()) > record.feedback_due_on


def send_feedback_reminders(now=None):
    """Remind the drafting section (and the office once overdue) of feedback due soon or overdue, once each."""
    from cms.clocks import people
    from cms.clocks.models import ClockReminder
    from cms.notifications.services import notify

    today = _today(now)
    rows = (Consultation.query.filter(Consultation.feedback_due_on.isnot(None),
                                      Consultation.closed_at.isnot(None)).all())
    sent = []
    for record in rows:
        if feedback_published(record):
            continue
        item = record.item
        name = f"【意见征集】《{item.title[:60]}》"
        if today > record.feedback_due_on:
            step = f"fb_overdue:{record.feedback_due_on.isoformat()}"
            message = f"{name}意见采纳情况已超过反馈期限（{record.feedback_due_on.isoformat()}），请尽快发布"
            recipients = people.section_staff(item.section_id) + people.office_staff(item.organization_id)
        elif today >= record.feedback_due_on - REMIND_BEFORE:
            step = f"fb_due_soon:{record.feedback_due_on.isoformat()}"
            message = f"{name}意见采纳情况须在{record.feedback_due_on.isoformat()}前发布"
            recipients = people.section_staff(item.section_id)
        else:
            continue
        if ClockReminder.query.filter_by(subject_type="consultation", subject_id=item.id, step=step).first():
            continue
        count = notify(recipients, message, f"/admin/consultations/{item.id}")
        db.session.add(ClockReminder(subject_type="consultation", subject_id=item.id, step=step,
                                     recipients=count))
        sent.append((item.id, step, count))
    db.session.flush()
    return sent


def run_duties():
    """The queue tick's duty: close what has ended, then send the feedback reminders."""
    close_due_consultations()
    send_feedback_reminders()

"""Proactive disclosure timing (art. 26): publish within 20 working days of the information being formed.

The review screen shows this clock from the written date (成文日期), counted in statutory working days like
every other deadline (``cms/calendar/working_days.py``).
"""
from dataclasses import dataclass
from datetime import date

from cms import clock
from cms.calendar.working_days import UnknownCalendarYear, add_working_days

PUBLISH_WITHIN = 20


@dataclass(frozen=True)
class PublishClock:
    due_on: date | None
    status: str  # "overdue" | "today" | "running" | "met" | "late" | "unknown"
    message: str


def publish_clock(item, today=None):
    """The art. 26 clock of ``item``, or None when it has no written date."""
    if item.written_date is None or item.disclosure != "proactive":
        return None
    try:
        due = add_working_days(item.written_date, PUBLISH_WITHIN)
    except UnknownCalendarYear as exc:
        return PublishClock(None, "unknown", exc.message)
    published = clock.to_local(item.published_at).date() if item.published_at else None
    if published is not None:
        if published <= due:
            return PublishClock(due, "met", f"已在时限（{due.isoformat()}）内公开")
        return PublishClock(due, "late", f"超过公开时限（{due.isoformat()}）后公开")
    today = today or clock.local_today()
    if today > due:
        return PublishClock(due, "overdue", f"已超过公开时限 {due.isoformat()}（成文之日起20个工作日）")
    if today == due:
        return PublishClock(due, "today", "今日为公开时限（成文之日起20个工作日）")
    return PublishClock(due, "running", f"应于 {due.isoformat()} 前公开（成文之日起20个工作日）")

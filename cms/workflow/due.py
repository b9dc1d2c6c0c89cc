"""Due clocks of stages: ``{"working_days": n}`` (statutory calendar, due at the end of the n-th working day
after the stage was entered, China Standard Time) or ``{"hours": n}`` (wall clock)."""
import logging
from datetime import datetime, time, timedelta, timezone

from cms.calendar.working_days import UnknownCalendarYear, add_working_days
from cms.clock import CST, to_local

log = logging.getLogger(__name__)


def due_at(spec, entered_at):
    """The naive-UTC instant a stage entered at ``entered_at`` (naive UTC) is due, or None.

    A year whose holidays nobody entered yet gives no due date (logged) rather than a guessed one.
    """
    if not spec:
        return None
    if "hours" in spec:
        return entered_at + timedelta(hours=spec["hours"])
    start = to_local(entered_at).date()
    try:
        day = add_working_days(start, spec["working_days"])
    except UnknownCalendarYear:
        log.warning("no statutory calendar for the due date of a stage entered on %s", start)
        return None
    end = datetime.combine(day, time(23, 59, 59), tzinfo=CST)
    return end.astimezone(timezone.utc).replace(tzinfo=None)


def is_overdue(due, now):
    return due is not None and now > due

"""The statutory clock of an application, in working days (domain.md, "Applications").

The receipt day is not counted; the reply is due on the 20th working day after the clock starts (the
receipt, or the day a requested supplement arrived), plus an approved extension, plus the working days a
consultation took (at most the 15 the consulted party has). While a supplement is awaited the clock stands
still. A deadline in a year the calendar does not know is not guessed: ``due_on`` stays empty and the desk
sees ``deadline_warning``.
"""
from cms import clock
from cms.calendar.working_days import UnknownCalendarYear, add_working_days, working_days_between
from cms.applications.types import CONSULTATION_DAYS, REPLY_DAYS, SUPPLEMENT_REQUEST_WITHIN


def presumed_receipt(submitted_on):
    """An online application counts as received when the desk registers it, at the latest the next working day."""
    return add_working_days(submitted_on, 1)


def online_receipt(submitted_on, registered_on):
    try:
        latest = presumed_receipt(submitted_on)
    except UnknownCalendarYear:
        return registered_on
    return min(registered_on, latest)


def recompute(application):
    """Set ``due_on`` (or ``deadline_warning``) from the application's clock fields."""
    a = application
    if a.state in ("replied", "closed"):
        return
    a.deadline_warning = None
    if a.state == "supplement_requested":
        a.due_on = None  # the clock restarts when the supplement arrives
        return
    try:
        start = a.clock_start_on or presumed_receipt(to_local_date(a.submitted_at))
        a.due_on = add_working_days(start, REPLY_DAYS + a.extension_days + a.paused_days)
    except UnknownCalendarYear as exc:
        a.due_on = None
        a.deadline_warning = exc.message


def to_local_date(moment):
    return clock.to_local(moment).date()


def supplement_request_deadline(application):
    """The last day on which the office may ask for a supplement (7 working days after the clock started)."""
    start = application.clock_start_on or application.received_on
    return add_working_days(start, SUPPLEMENT_REQUEST_WITHIN)


def consultation_pause(application, ended_on):
    """Working days of a consultation that do not count against the reply period (at most 15)."""
    spent = working_days_between(application.consultation_started_on, ended_on)
    return min(spent, CONSULTATION_DAYS)


def soon_horizon(today=None):
    """The last day that is "due within 3 working days" of ``today`` (None when the calendar cannot say)."""
    try:
        return add_working_days(today or clock.local_today(), 3)
    except UnknownCalendarYear:
        return None


def urgency(application, today=None, horizon=False):
    """``overdue`` | ``today`` | ``soon`` (within 3 working days) | ``ok`` | ``unknown`` | None (not running).

    Lists pass ``horizon=soon_horizon(today)`` once, so classifying a row needs no query.
    """
    a = application
    if a.state in ("replied", "closed", "supplement_requested", "consulting"):
        return None  # not running: finished, or waiting for the applicant or the consulted party
    if a.due_on is None:
        return "unknown"
    today = today or clock.local_today()
    if a.due_on < today:
        return "overdue"
    if a.due_on == today:
        return "today"
    if horizon is False:
        horizon = soon_horizon(today)
    if horizon is None:
        return "unknown"
    return "soon" if a.due_on <= horizon else "ok"

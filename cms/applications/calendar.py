"""Moved to ``cms.calendar.working_days`` (the calendar is shared by content, applications and workflows)."""
from cms.calendar.working_days import (  # noqa: F401
    UnknownCalendarYear,
    add_working_days,
    is_workday,
    working_days_between,
)

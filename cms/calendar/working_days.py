"""Statutory working days (工作日): weekdays that are not public holidays, plus adjusted working weekends.

The ``chinese-calendar`` package knows the State Council's holiday arrangements for the years it was
released with; administrators add days for later years (``CalendarDay``), and those rows take precedence.
A year that neither knows raises ``UnknownCalendarYear`` so the desk is warned instead of guessing.
"""
from datetime import date, timedelta

import chinese_calendar

from cms.calendar.models import CalendarDay
from cms.errors import DomainError


class UnknownCalendarYear(DomainError):
    status = 422
    code = "unknown_calendar_year"


def _overrides(start, end):
    rows = CalendarDay.query.filter(CalendarDay.day >= start, CalendarDay.day <= end).all()
    return {row.day: row.is_workday for row in rows}


def _years_with_overrides():
    from sqlalchemy import extract

    from cms.extensions import db

    return {int(y) for (y,) in db.session.query(extract("year", CalendarDay.day)).distinct() if y is not None}


def is_workday(day: date, overrides=None, known_years=None) -> bool:
    """True when ``day`` is a statutory working day."""
    overrides = _overrides(day, day) if overrides is None else overrides
    if day in overrides:
        return overrides[day]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        known_years = _years_with_overrides() if known_years is None else known_years
        if day.year in known_years:
            # The administrator entered this year's holidays and adjusted days; the rest follow the week.
            return day.weekday() < 5
        raise UnknownCalendarYear(
            f"{day.year} 年的节假日安排尚未录入，请在“工作日历”中补充后再计算期限",
            fields={"year": day.year},
        ) from None


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (the start day itself is not counted)."""
    if count < 0:
        raise ValueError("count must not be negative")
    horizon = start + timedelta(days=count * 3 + 60)
    overrides = _overrides(start, horizon)
    known_years = _years_with_overrides()
    day, remaining = start, count
    while remaining > 0:
        day += timedelta(days=1)
        if is_workday(day, overrides, known_years):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not after ``start``)."""
    if end <= start:
        return 0
    overrides = _overrides(start, end)
    known_years = _years_with_overrides()
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_workday(day, overrides, known_years):
            count += 1
    return count

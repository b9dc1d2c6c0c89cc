"""Statutory working days across real holidays and adjusted working weekends, and unknown years."""
from datetime import date

import pytest

from cms.calendar.working_days import UnknownCalendarYear, add_working_days, is_workday, working_days_between
from cms.applications.models import CalendarDay
from cms.extensions import db


def test_spring_festival_2025_is_skipped_and_the_adjusted_saturday_counts():
    # 2025 Spring Festival: 28 Jan – 4 Feb off; Sunday 26 Jan and Saturday 8 Feb are working days (调休).
    assert is_workday(date(2025, 1, 26)) and is_workday(date(2025, 2, 8))
    assert not is_workday(date(2025, 1, 28)) and not is_workday(date(2025, 2, 4))
    # Received Friday 24 Jan: working days after it are 26 Jan (Sun), 27 Jan, then 5, 6, 7, 8 (Sat) Feb ...
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 1, 26)
    assert add_working_days(date(2025, 1, 24), 2) == date(2025, 1, 27)
    assert add_working_days(date(2025, 1, 24), 3) == date(2025, 2, 5)
    assert add_working_days(date(2025, 1, 24), 6) == date(2025, 2, 8)


def test_twenty_working_days_over_national_day_2025():
    # 1–8 Oct 2025 off; Sunday 28 Sep and Saturday 11 Oct are working days.
    # After Fri 26 Sep: 28 (Sun, 调休), 29, 30 Sep = 3; 9, 10, 11 (Sat, 调休) Oct = 6; 13–17 = 11;
    # 20–24 = 16; 27, 28, 29, 30 Oct = 20.
    due = add_working_days(date(2025, 9, 26), 20)
    assert due == date(2025, 10, 30)
    assert working_days_between(date(2025, 9, 26), due) == 20


def test_the_receipt_day_is_not_counted():
    assert add_working_days(date(2025, 3, 3), 1) == date(2025, 3, 4)  # Monday -> Tuesday
    assert add_working_days(date(2025, 3, 7), 1) == date(2025, 3, 10)  # Friday -> Monday
    assert add_working_days(date(2025, 3, 7), 0) == date(2025, 3, 7)


def test_an_unknown_year_warns_instead_of_guessing(app):
    with pytest.raises(UnknownCalendarYear) as err:
        add_working_days(date(2026, 12, 20), 20)
    assert "2027" in err.value.message


def test_days_entered_by_an_administrator_extend_the_calendar(app):
    db.session.add_all([
        CalendarDay(day=date(2027, 1, 1), is_workday=False, note="元旦"),
        CalendarDay(day=date(2027, 1, 9), is_workday=True, note="调休上班"),
    ])
    db.session.flush()
    assert not is_workday(date(2027, 1, 1))
    assert is_workday(date(2027, 1, 9))  # a Saturday
    assert is_workday(date(2027, 1, 4))  # an ordinary Monday of a year the administrator entered
    # 31 Dec 2026 (Thu) + 1 working day: 1 Jan 2027 is a holiday -> Monday 4 Jan.
    assert add_working_days(date(2026, 12, 31), 1) == date(2027, 1, 4)

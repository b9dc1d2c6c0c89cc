"""The statutory clock across real holidays, 调休 working weekends, supplementation, consultation, extension
and a year the calendar does not know."""
from datetime import date

import pytest

from cms.applications.models import Application, CalendarDay
from cms.errors import ConditionFailed, NotAllowed
from cms.extensions import db
from tests.applications.helpers import Today, payload, registered, section, step, user


@pytest.fixture
def today(monkeypatch):
    return Today(monkeypatch, date(2025, 1, 20))


def test_reply_due_twenty_working_days_across_spring_festival(demo, today):
    # Received Mon 2025-01-20: Sun 01-26 is a working day, 01-28..02-04 are holidays, Sat 02-08 works.
    application = registered(demo, date(2025, 1, 20))
    assert application.received_on == date(2025, 1, 20)
    assert application.due_on == date(2025, 2, 21)


def test_reply_due_across_national_day(demo, today):
    today.set(date(2025, 9, 22))
    application = registered(demo, date(2025, 9, 22))
    # Sun 09-28 works, 10-01..10-08 off, Sat 10-11 works.
    assert application.due_on == date(2025, 10, 24)


def test_online_application_received_at_the_latest_on_the_next_working_day(demo, today, client):
    from cms.applications.services import submit_online

    application = submit_online(demo, payload())
    application.submitted_at = __import__("datetime").datetime(2025, 9, 26, 4, 0)  # Fri 12:00 in Beijing
    db.session.commit()
    today.set(date(2025, 9, 30))  # the desk registers it on Tuesday
    step(application, "auditor", "register")
    # The next working day after Friday 09-26 is the adjusted working Sunday 09-28.
    assert application.received_on == date(2025, 9, 28)
    assert application.state == "registered"


def test_online_application_registered_the_same_day(demo, today):
    from cms.applications.services import submit_online

    application = submit_online(demo, payload())
    application.submitted_at = __import__("datetime").datetime(2025, 1, 20, 2, 0)
    db.session.commit()
    step(application, "auditor", "register")
    assert application.received_on == date(2025, 1, 20)
    assert application.due_on == date(2025, 2, 21)


def test_supplement_stops_the_clock_and_restarts_it_from_the_supplement(demo, today):
    today.set(date(2025, 3, 3))
    application = registered(demo, date(2025, 3, 3))
    today.set(date(2025, 3, 5))
    step(application, "auditor", "request_supplement", comment="请写明所需文件的名称或文号。", period=10)
    assert application.state == "supplement_requested"
    assert application.due_on is None
    assert application.supplement_due_on == date(2025, 3, 19)
    today.set(date(2025, 3, 20))
    step(application, "auditor", "receive_supplement", received_on="2025-03-17")
    assert application.state == "registered"
    assert application.clock_start_on == date(2025, 3, 17)
    assert application.due_on == date(2025, 4, 15)  # 20 working days after 03-17 (Qingming 04-04..06 off)


def test_supplement_must_be_asked_within_seven_working_days(demo, today):
    application = registered(demo, date(2025, 1, 20))
    today.set(date(2025, 2, 6))  # 01-21..24, 01-26, 01-27, 02-05 are the 7 working days → last day 02-05
    with pytest.raises(ConditionFailed, match="7个工作日"):
        step(application, "auditor", "request_supplement", comment="补充说明")
    db.session.rollback()
    today.set(date(2025, 2, 5))
    step(application, "auditor", "request_supplement", comment="补充说明")
    assert application.state == "supplement_requested"


def test_no_supplement_in_time_closes_as_abandoned(demo, today):
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "request_supplement", comment="请补充文号", period=5)
    assert application.supplement_due_on == date(2025, 1, 26)  # the adjusted working Sunday counts
    with pytest.raises(ConditionFailed, match="尚未届满"):
        step(application, "auditor", "abandon")
    db.session.rollback()
    today.set(date(2025, 2, 10))
    step(application, "auditor", "abandon")
    assert application.state == "closed"
    assert (application.result, application.result_reason) == ("other", 1)
    assert application.concluded_on == date(2025, 2, 10)


def test_consultation_time_does_not_count(demo, today):
    application = registered(demo, date(2025, 1, 20))
    assert application.due_on == date(2025, 2, 21)
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    today.set(date(2025, 2, 10))
    step(application, "editor", "consult", party="third_party", comment="涉及第三方商业信息，征求其意见")
    assert application.consultation_due_on == date(2025, 3, 3)  # 15 working days
    today.set(date(2025, 2, 17))  # five working days later
    step(application, "editor", "end_consultation")
    assert application.paused_days == 5
    assert application.due_on == date(2025, 2, 28)


def test_consultation_pause_is_at_most_fifteen_working_days(demo, today):
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    step(application, "auditor", "consult", party="agency", comment="征求市文旅局意见")
    today.set(date(2025, 4, 30))
    step(application, "auditor", "end_consultation")
    assert application.paused_days == 15


def test_one_extension_of_at_most_twenty_days_by_the_head_of_the_office(demo, today):
    application = registered(demo, date(2025, 1, 20))
    with pytest.raises(NotAllowed):
        step(application, "auditor", "extend", days=20, comment="需要调取档案")
    db.session.rollback()
    with pytest.raises(ConditionFailed, match="1–20"):
        step(application, "officehead", "extend", days=21, comment="需要调取档案")
    db.session.rollback()
    with pytest.raises(ConditionFailed, match="意见"):
        step(application, "officehead", "extend", days=10)
    db.session.rollback()
    step(application, "officehead", "extend", days=20, comment="需要调取档案")
    assert application.extension_days == 20
    assert application.due_on == date(2025, 3, 21)
    assert application.state == "registered"
    with pytest.raises(ConditionFailed, match="只能延长一次"):
        step(application, "officehead", "extend", days=5, comment="再次延长")
    db.session.rollback()
    # The applicant is told: the status JSON says "extended" and the auditor sees it in the history.
    from cms.workflow.engine import history_of

    assert [h.transition for h in history_of(application)][-1] == "extend"


def test_no_extension_after_the_deadline(demo, today):
    application = registered(demo, date(2025, 1, 20))
    today.set(date(2025, 2, 24))
    with pytest.raises(ConditionFailed, match="已届满"):
        step(application, "officehead", "extend", days=20, comment="迟到的延期")


def test_unknown_calendar_year_warns_instead_of_guessing(demo, today):
    today.set(date(2026, 12, 21))
    application = registered(demo, date(2026, 12, 21))  # 20 working days later is in 2027
    assert application.due_on is None
    assert "2027" in application.deadline_warning
    # The administrator enters 2027's arrangements (here: New Year's Day); the deadline becomes computable.
    db.session.add(CalendarDay(day=date(2027, 1, 1), is_workday=False, note="元旦"))
    db.session.commit()
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    from cms.applications import deadlines

    deadlines.recompute(application)
    assert application.deadline_warning is None
    assert application.due_on == date(2027, 1, 19)


def test_dashboard_groups_overdue_today_and_soon(demo, today):
    from cms.applications.desk import dashboard

    today.set(date(2025, 2, 10))
    late = registered(demo, date(2025, 1, 2))  # due 2025-02-06
    due_today = registered(demo, date(2025, 1, 20))  # due 02-21
    soon = registered(demo, date(2025, 1, 23))  # due 02-26
    later = registered(demo, date(2025, 2, 10))
    today.set(date(2025, 2, 21))
    groups = dashboard(user("auditor"))
    assert [a.id for a in groups["overdue"]] == [late.id]
    assert [a.id for a in groups["today"]] == [due_today.id]
    assert [a.id for a in groups["soon"]] == [soon.id]
    assert later.id not in {a.id for g in groups.values() for a in g}
    # A section sees only what it was assigned.
    assert dashboard(user("editor"))["overdue"] == []
    assert Application.query.count() == 4

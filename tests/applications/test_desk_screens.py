"""The back-office screens: dashboard, staff entry, case screen, letters, statistics, export, calendar."""
import io
from datetime import date

import pytest

from cms.applications.models import Application, CalendarDay
from cms.extensions import db
from tests.applications.helpers import RESIDENT_ID, Today, payload, registered, section, step, to_reply, user


@pytest.fixture
def today(monkeypatch):
    return Today(monkeypatch, date(2025, 2, 21))


def test_desk_enters_a_letter_and_processes_it_on_screen(client, demo, login_as, today):
    login_as("auditor")
    form = {**payload(), "channel": "registered_mail", "received_on": "2025-01-20"}
    response = client.post("/admin/applications/new", data=form)
    assert response.status_code == 302
    application = Application.query.one()
    assert application.due_on == date(2025, 2, 21)
    page = client.get(f"/admin/applications/{application.id}").get_data(as_text=True)
    assert RESIDENT_ID in page and "13912345678" in page  # the desk sees everything
    assert "今日到期" in page
    market = section(demo, "market").id
    response = client.post(f"/admin/applications/{application.id}/transitions",
                           data={"name": "assign", "section_id": market, "version": application.version})
    assert response.status_code == 302
    assert db.session.get(Application, application.id).state == "assigned"


def test_staff_entry_bad_input_is_422_and_kept(client, demo, login_as, today):
    login_as("auditor")
    response = client.post("/admin/applications/new", data={**payload(id_number="123"), "channel": "fax",
                                                           "received_on": "2025-01-20"})
    assert response.status_code == 422
    assert "123" in response.get_data(as_text=True)
    assert Application.query.count() == 0


def test_sections_see_masked_data_and_only_their_own(client, demo, login_as, today):
    application = registered(demo, date(2025, 1, 20))
    login_as("editor")
    assert client.get(f"/admin/applications/{application.id}").status_code == 404
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    page = client.get(f"/admin/applications/{application.id}").get_data(as_text=True)
    assert RESIDENT_ID not in page and "13912345678" not in page and "王小明" not in page
    assert "11**************2X" in page and "139****5678" in page and "王*明" in page
    listing = client.get("/admin/applications").get_data(as_text=True)
    assert application.code in listing and "王小明" not in listing
    assert client.get("/admin/applications/new").status_code == 403
    assert client.get("/admin/applications/statistics").status_code == 403
    assert client.get("/admin/calendar").status_code == 403


def test_dashboard_marks_overdue_in_red(client, demo, login_as, today):
    registered(demo, date(2025, 1, 2))
    login_as("auditor")
    html = client.get("/admin/applications").get_data(as_text=True)
    assert "due-overdue-row" in html and "已超期（1）" in html


def test_transition_errors_are_shown_not_500(client, demo, login_as, today):
    application = registered(demo, date(2025, 1, 20))
    login_as("auditor")
    url = f"/admin/applications/{application.id}/transitions"
    v = application.version
    assert client.post(url, data={"name": "assign", "section_id": "abc", "version": v}).status_code in (400, 422)
    assert client.post(url, data={"name": "extend", "days": "20", "version": v}).status_code == 403
    response = client.post(url, data={"name": "request_supplement", "comment": "", "version": v})
    assert response.status_code == 422 and "意见" in response.get_data(as_text=True)
    assert client.post(url, data={"name": "nonsense", "version": v}).status_code == 422
    assert client.post(url, data={"name": "close", "version": v}).status_code == 409
    assert client.post(url, data={"name": "assign", "section_id": "1"}).status_code == 400  # no version
    assert client.post(url, data={"name": "assign", "section_id": "1", "version": "x"}).status_code == 400


def test_reply_letter_html_and_docx(client, demo, login_as, today):
    from docx import Document

    application = registered(demo, date(2025, 1, 20))
    to_reply(demo, application, result="unavailable", reason=1)
    login_as("auditor")
    html = client.get(f"/admin/applications/{application.id}/letter").get_data(as_text=True)
    assert "本机关不掌握相关政府信息" in html and "6个月内" in html and "嘉峪关市人民法院" in html
    response = client.get(f"/admin/applications/{application.id}/letter.docx")
    assert response.status_code == 200
    assert response.mimetype.endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.data)).paragraphs)
    assert "政府信息公开申请答复书" in text and application.code in text
    assert "第三十六条第（四）项" in text
    assert "自收到本答复之日起60日内向嘉峪关市人民政府申请行政复议" in text
    assert "2025年2月21日" in text


def test_letter_remedy_depends_on_the_result(demo, today, app):
    from cms.applications.letters import remedy_text

    application = registered(demo, date(2025, 1, 20))
    application.result = "withheld"
    assert "行政复议决定" in remedy_text(application) and "6个月" not in remedy_text(application)
    application.result = "disclosed"
    assert "6个月内" in remedy_text(application)
    demo.reconsideration_organ, demo.court = None, None
    assert "本级人民政府" in remedy_text(application)


def test_statistics_screen_excludes_tests(client, demo, login_as, today):
    registered(demo, date(2025, 1, 20))
    from cms.applications.services import register_by_staff

    register_by_staff(user("auditor"), demo, payload(channel="in_person", received_on="2025-01-21"), is_test=True)
    db.session.commit()
    login_as("auditor")
    html = client.get("/admin/applications/statistics?year=2025").get_data(as_text=True)
    assert 'data-row="new"' in html
    from cms.applications.statistics import annual_statistics

    new = next(r for r in annual_statistics(demo.id, 2025)["rows"] if r["key"] == "new")
    assert new["counts"]["total"] == 1


def test_export_is_masked(client, demo, login_as, today):
    registered(demo, date(2025, 1, 20))
    login_as("auditor")
    response = client.get("/admin/applications/export.csv")
    text = response.data.decode("utf-8-sig")
    assert "王*明" in text and RESIDENT_ID not in text and "13912345678" not in text


def test_calendar_screen_adds_and_removes_days(client, demo, login_as, today):
    login_as("auditor")
    page = client.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert "2027" in page
    response = client.post("/admin/calendar", data={"day": "2027-02-06", "kind": "workday", "note": "春节调休"})
    assert response.status_code == 302
    row = db.session.get(CalendarDay, date(2027, 2, 6))
    assert row.is_workday
    assert client.post("/admin/calendar", data={"day": "not a day", "kind": "holiday"}).status_code == 422
    assert client.post("/admin/calendar/2027-02-06/delete").status_code == 302
    assert db.session.get(CalendarDay, date(2027, 2, 6)) is None
    assert client.post("/admin/calendar/garbage/delete").status_code == 404


def test_remind_command(app, demo, today):
    registered(demo, date(2025, 1, 2))  # overdue
    registered(demo, date(2025, 2, 20))  # far from due
    result = app.test_cli_runner().invoke(args=["cms", "applications", "remind"])
    assert result.exit_code == 0, result.output
    assert "1 application(s) need attention" in result.output
    assert "auditor" in result.output
    from cms.notifications.models import Notification

    messages = [n.message for n in Notification.query.filter_by(user_id=user("auditor").id)]
    assert any("超期 1 件" in m for m in messages)
    assert {n.user.username for n in Notification.query.filter(Notification.message.contains("依申请公开提醒"))} == {
        "auditor", "officehead"}
    # Running it again the same day does not pile up the same unread reminder.
    before = Notification.query.count()
    app.test_cli_runner().invoke(args=["cms", "applications", "remind"])
    assert Notification.query.count() == before


def test_staff_entry_with_a_bad_date_is_422(client, demo, login_as, today):
    login_as("auditor")
    response = client.post("/admin/applications/new", data={**payload(), "channel": "fax", "received_on": "31/02/2025"})
    assert response.status_code == 422
    assert Application.query.count() == 0


def test_desk_corrects_applicant_details(client, demo, login_as, today):
    from cms.accounts.models import AuditLog

    application = registered(demo, date(2025, 1, 20))
    login_as("auditor")
    page = client.get(f"/admin/applications/{application.id}/edit")
    assert page.status_code == 200 and "13912345678" in page.get_data(as_text=True)
    form = {**payload(phone="13700001111"), "version": application.version}
    assert client.post(f"/admin/applications/{application.id}/edit", data=form).status_code == 302
    application = db.session.get(Application, application.id)
    assert application.phone == "13700001111"
    entry = AuditLog.query.filter_by(action="application.correct").one()
    assert entry.details == {"fields": ["phone"]} and "13700001111" not in str(entry.details)
    # A stale form, bad input and a replied application are refused with 4xx.
    assert client.post(f"/admin/applications/{application.id}/edit", data=form).status_code == 409
    bad = {**payload(id_number="123"), "version": application.version}
    assert client.post(f"/admin/applications/{application.id}/edit", data=bad).status_code == 422
    to_reply(demo, application)
    ok = {**payload(), "version": db.session.get(Application, application.id).version}
    assert client.post(f"/admin/applications/{application.id}/edit", data=ok).status_code == 409


def test_sections_cannot_correct(client, demo, login_as, today):
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    login_as("editor")
    assert client.get(f"/admin/applications/{application.id}/edit").status_code == 403
    assert client.post(f"/admin/applications/{application.id}/edit", data=payload()).status_code == 403

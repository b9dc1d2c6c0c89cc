"""Reminders at 50 / 80 / 100 % of each clock, escalation once overdue, never sent twice."""
from datetime import date, datetime, timedelta

from click.testing import CliRunner

from cms.accounts.models import User
from cms.clocks.incidents import create_incident
from cms.clocks.models import ClockReminder
from cms.clocks.reminders import send_clock_reminders
from cms.extensions import db
from cms.notifications.models import Notification


def _user(name):
    return User.query.filter_by(username=name).one()


def _messages(username):
    """The clock notices ``username`` received (demo items leave "published" notices of their own)."""
    return [n.message for n in Notification.query.filter_by(user_id=_user(username).id).order_by(Notification.id)
            if n.message.startswith("【")]


def _incident(level="major", discovered_at="2026-11-30T22:00:00+08:00"):
    incident = create_incident(_user("auditor"), {"title": "网传剧院停演退票纠纷", "level": level,
                                                  "discovered_at": discovered_at, "section": "market"})
    db.session.commit()
    return incident


def test_reminders_at_50_and_80_percent_go_to_the_section_and_the_office_once(demo):
    _incident()  # discovered 2026-11-30 14:00 UTC; 5 h clock due 19:00 UTC, 24 h clock due 12-01 14:00 UTC
    assert send_clock_reminders(datetime(2026, 11, 30, 16, 0)) == []  # 40 % of 5 h
    sent = send_clock_reminders(datetime(2026, 11, 30, 16, 30))  # 50 % of 5 h
    assert [s[2] for s in sent] == ["50"]
    for username in ("editor", "chief", "auditor", "officehead"):
        assert any("发布权威信息（5小时）时限已过50%" in m for m in _messages(username)), username
    assert _messages("editor2") == [] and _messages("leader") == []
    assert send_clock_reminders(datetime(2026, 11, 30, 16, 40)) == []  # recorded: never twice
    sent = send_clock_reminders(datetime(2026, 11, 30, 18, 0))  # 80 % of 5 h
    assert [s[2] for s in sent] == ["80"]
    assert "截止 2026-12-01 03:00（北京时间）" in _messages("chief")[-1]


def test_overdue_clock_escalates_to_the_office_head_the_leader_and_the_director(demo):
    incident = _incident()
    db.session.commit()
    sent = send_clock_reminders(datetime(2026, 11, 30, 20, 0))  # 6 hours after discovery
    steps = sorted((s[2], s[3]) for s in sent)
    # The 5 h clock: 100 % to section and office (editor, chief, auditor, officehead) and the escalation to the
    # office head and the leader in charge; the 24 h clock is at 25 %: nothing yet.
    assert steps == [("100", 4), ("escalated", 2)]
    escalation = _messages("leader")[-1]
    assert escalation.startswith("【舆情回应超时】《网传剧院停演退票纠纷》发布权威信息已超过5小时时限")
    assert "承办科室：市场科" in escalation
    assert any("舆情回应超时" in m for m in _messages("officehead"))
    assert not any("超时" in m for m in _messages("editor"))
    # The 50 % and 80 % steps the tick never saw are recorded as passed, not sent late.
    recorded = {r.step for r in ClockReminder.query.filter_by(subject_type="incident_clock")}
    assert recorded == {"50", "80", "100", "escalated"}
    assert send_clock_reminders(datetime(2026, 11, 30, 21, 0)) == []
    assert incident.clocks[0].status(datetime(2026, 11, 30, 21, 0)) == "overdue"


def test_met_clocks_are_not_reminded(demo):
    incident = _incident(level="other")
    incident.clocks[0].met_at = datetime(2026, 11, 30, 15, 0)
    db.session.commit()
    assert send_clock_reminders(datetime(2026, 12, 3, 0, 0)) == []


def test_proposal_and_budget_deadlines_are_reminded_once(demo, client, token_for, monkeypatch):
    monkeypatch.setattr("cms.clock.local_today", lambda: date(2026, 11, 20))
    created = client.post("/api/v1/proposals", headers=token_for("auditor"), json={
        "kind": "npc_suggestion", "session": "市十届人大五次会议", "number": "31", "title": "关于加强非遗保护的建议",
        "proposer": "王代表", "lead_section": "market", "assigned_on": "2026-08-20"})
    assert created.status_code == 201, created.get_json()
    sent = send_clock_reminders(datetime(2026, 11, 10, 2, 0))  # due 2026-11-20: within 15 days
    assert [(s[0], s[2]) for s in sent] == [("proposal", "due_soon:2026-11-20")]
    sent = send_clock_reminders(datetime(2026, 11, 21, 2, 0))
    assert [(s[0], s[2]) for s in sent] == [("proposal", "overdue:2026-11-20")]
    assert any("已超过办理期限" in m for m in _messages("leader"))
    assert send_clock_reminders(datetime(2026, 11, 22, 2, 0)) == []


def test_cli_sends_the_reminders(app, demo):
    _incident(discovered_at=(datetime.utcnow() - timedelta(hours=3)).isoformat() + "Z")
    result = CliRunner().invoke(app.cli, ["cms", "clocks", "remind"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) sent." in result.output
    db.session.expire_all()
    assert ClockReminder.query.count() == 1

"""Due-date reminders: to the reviewers at the due time, to the office head once overdue, never twice."""
from datetime import timedelta

from click.testing import CliRunner

from cms.notifications.models import Notification
from cms.workflow.engine import fire
from cms.workflow.models import DueReminder
from cms.workflow.reminders import send_due_reminders
from tests.workflow.helpers import user
from tests.workflow.stage_helpers import OFFICE, define, delegate, item_in, person, stage


def _messages(username):
    return [n.message for n in Notification.query.filter_by(user_id=user(username).id).order_by(Notification.id)]


def test_reminder_at_due_time_then_escalation_and_never_twice(demo):
    define("quick", [stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all",
                           due={"hours": 4}), OFFICE])
    deputy = person("deputy", [("museum", "editor")])
    delegate(user("chief2"), deputy)
    item = item_in(demo, "quick", title="会签提醒测试")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")  # chief2 still has to countersign
    due_at = item.stage_due_at
    assert send_due_reminders(now=due_at - timedelta(minutes=5)) == []
    sent = send_due_reminders(now=due_at)
    assert sent == [("item", item.id, "due", ["chief2", "deputy"])]
    assert any("会签提醒测试" in m and "办理期限" in m for m in _messages("chief2"))
    assert not any("办理期限" in m for m in _messages("chief"))  # already approved
    later = send_due_reminders(now=due_at + timedelta(minutes=1))
    assert later == [("item", item.id, "overdue", ["officehead"])]
    assert any(m.startswith("督办") for m in _messages("officehead"))
    assert send_due_reminders(now=due_at + timedelta(hours=5)) == []  # recorded: not sent twice
    assert DueReminder.query.count() == 2


def test_a_new_round_gets_its_own_reminders_and_the_cli_sends_them(app, demo):
    define("quick", [stage("section", "section_chief", due={"hours": 1}), OFFICE])
    item = item_in(demo, "quick", title="退回后重新计时")
    fire(item, user("editor"), "submit")
    first_round = item.stage_round
    fire(item, user("chief"), "return", comment="请修改")
    fire(item, user("editor"), "submit")
    assert item.stage_round == first_round + 1
    item.stage_due_at = item.stage_due_at - timedelta(hours=2)  # overdue now
    from cms.extensions import db

    db.session.commit()
    result = CliRunner().invoke(app.cli, ["cms", "workflow", "remind"], catch_exceptions=False)
    assert "2 reminder(s) sent." in result.output
    assert DueReminder.query.filter_by(round=item.stage_round).count() == 2
    again = CliRunner().invoke(app.cli, ["cms", "workflow", "remind"], catch_exceptions=False)
    assert "0 reminder(s) sent." in again.output

"""Lag mode: the policy may go first; its interpretation is due within N working days, with one reminder
to the drafting section and an overdue flag escalated to the office head (by the queue's tick)."""
from datetime import timedelta

from cms.calendar.working_days import add_working_days
from cms.clock import to_local
from cms.content.interpretation_models import InterpretationDue
from cms.content.interpretations import send_interpretation_reminders
from cms.extensions import db
from cms.jobs.periodic import registered_ticks
from cms.notifications.models import Notification
from tests.interpretations.helpers import interpretation_draft, policy_draft, sign_off, to_final_stage
from tests.workflow.helpers import user


def _messages(username):
    return [n.message for n in Notification.query.filter_by(user_id=user(username).id)]


def test_lag_mode_publishes_the_policy_and_tracks_the_interpretation(client, demo, token_for, login_as):
    response = client.put("/api/v1/interpretation-setting", headers=token_for("auditor"),
                          json={"mode": "lag", "lag_days": 3})
    assert response.status_code == 200
    assert response.get_json() == {"item_types": ["policy"], "include_normative": True, "mode": "lag", "lag_days": 3,
                                   "version": 1}
    policy = to_final_stage(policy_draft(demo))
    sign_off(policy)
    assert policy.state == "published"

    due = InterpretationDue.query.filter_by(policy_id=policy.id).one()
    expected_day = add_working_days(to_local(policy.published_at).date(), 3)
    assert to_local(due.due_at).date() == expected_day
    body = client.get(f"/api/v1/items/{policy.id}", headers=token_for("editor")).get_json()
    assert body["interpretation_due"]["overdue"] is False and body["interpreted_by"] == []

    assert "interpretations.due" in registered_ticks()
    from cms.jobs.periodic import run_ticks

    assert run_ticks()["interpretations.due"] == "ok"  # nothing due yet: nothing sent
    assert db.session.get(InterpretationDue, due.id).reminded_at is None
    assert send_interpretation_reminders(now=due.remind_at - timedelta(minutes=1)) == []
    assert send_interpretation_reminders(now=due.remind_at) == [(policy.id, "reminder")]
    assert any("政策解读应于" in m for m in _messages("editor"))
    assert send_interpretation_reminders(now=due.due_at) == []  # reminded once; not yet overdue
    assert send_interpretation_reminders(now=due.due_at + timedelta(seconds=1)) == [(policy.id, "overdue")]
    assert send_interpretation_reminders(now=due.due_at + timedelta(days=3)) == []
    db.session.commit()
    assert any(m.startswith("督办") for m in _messages("officehead"))
    body = client.get(f"/api/v1/items/{policy.id}", headers=token_for("editor")).get_json()
    assert body["interpretation_due"]["overdue"] is True
    login_as("editor")
    assert "已逾期" in client.get(f"/admin/items/{policy.id}").get_data(as_text=True)

    # The interpretation follows on its own; the due date is settled and the flag goes down.
    interp = to_final_stage(interpretation_draft(demo, policy, interpretation_form="expert"))
    sign_off(interp)
    assert interp.state == "published"
    body = client.get(f"/api/v1/items/{policy.id}", headers=token_for("editor")).get_json()
    assert body["interpreted_by"] == [interp.id]
    assert body["interpretation_due"]["overdue"] is False
    assert body["interpretation_due"]["interpretation"] == interp.id


def test_lag_mode_without_days_and_bad_settings_are_refused(client, demo, token_for):
    office = token_for("auditor")
    for payload, field in (({"mode": "lag"}, "lag_days"), ({"mode": "later"}, "mode"),
                           ({"lag_days": -1}, "lag_days"), ({"lag_days": 61}, "lag_days"),
                           ({"item_types": ["nothing"]}, "item_types"), ({"item_types": ["interpretation"]}, "item_types"),
                           ({"item_types": "policy"}, "item_types"), ({"include_normative": "yes"}, "include_normative"),
                           ({"colour": "red"}, "colour")):
        response = client.put("/api/v1/interpretation-setting", headers=office, json=payload)
        assert response.status_code == 422, payload
        assert field in response.get_json()["error"]["fields"]
    assert client.put("/api/v1/interpretation-setting", headers=token_for("editor"),
                      json={"mode": "sync"}).status_code == 403
    assert client.get("/api/v1/interpretation-setting", headers=office).get_json()["mode"] == "sync"

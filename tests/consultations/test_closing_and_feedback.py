"""Closing by the queue's tick at the end of closes_on (idempotent) and early with a public reason; the feedback
item with its counts, reviewed and published like any item, linked from the consultation page; the feedback
due date, reminder and overdue flag."""
from datetime import date, timedelta

from cms.clocks.models import ClockReminder
from cms.consultations.closing import close_due_consultations, is_feedback_overdue, send_feedback_reminders
from cms.consultations.feedback import counts
from cms.consultations.records import record_of
from cms.consultations.settings import set_feedback_working_days
from cms.content.models import Item
from cms.extensions import db
from cms.jobs.periodic import registered_ticks, run_ticks
from cms.notifications.models import Notification
from tests.consultations.helpers import comment, period, published_consultation
from tests.workflow.helpers import publish, user


def _ended(client, token_for, title="已到期的意见征集公告"):
    """A consultation whose period ended yesterday, commented on while it was open."""
    item = published_consultation(client, token_for, title=title)
    ids = [comment(client, item.id, body=f"意见{i}：建议增加夜间巡查。", name="李四").get_json()["id"]
           for i in range(4)]
    record = record_of(item)
    record.opens_on, record.closes_on = date.today() - timedelta(days=40), date.today() - timedelta(days=2)
    db.session.commit()
    return item, ids


def test_the_queue_tick_closes_ended_consultations_once(client, demo, token_for):
    assert "consultations.close_and_remind" in registered_ticks()
    item, _ids = _ended(client, token_for)
    open_item = published_consultation(client, token_for, title="仍在征集中的公告")
    assert run_ticks()["consultations.close_and_remind"] == "ok"
    record = record_of(item)
    assert record.closed_at is not None and record.closed_early_reason is None
    assert record.feedback_due_on is not None and record.feedback_due_on > record.closes_on
    assert record_of(open_item).closed_at is None
    closed_at, version = record.closed_at, record.version
    assert close_due_consultations() == []  # idempotent: nothing left to close
    db.session.commit()
    assert (record_of(item).closed_at, record_of(item).version) == (closed_at, version)
    assert comment(client, item.id).status_code == 409


def test_closing_early_shows_the_reason_and_stops_comments(client, demo, token_for):
    item = published_consultation(client, token_for)
    headers = token_for("chief")
    assert client.post(f"/api/v1/consultations/{item.id}/close", headers=headers, json={}).status_code == 422
    assert client.post(f"/api/v1/consultations/{item.id}/close", headers=headers,
                       json={"reason": "  "}).status_code == 422
    assert client.post(f"/api/v1/consultations/{item.id}/close", headers=headers,
                       json={"reason": "上位法修订", "version": 99}).status_code == 409
    assert client.post(f"/api/v1/consultations/{item.id}/close", headers=token_for("editor2"),
                       json={"reason": "上位法修订"}).status_code == 403
    response = client.post(f"/api/v1/consultations/{item.id}/close", headers=headers,
                           json={"reason": "上位法已修订，本草案需重新起草", "version": 1})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "closed"
    assert response.get_json()["closed_early_reason"] == "上位法已修订，本草案需重新起草"
    again = client.post(f"/api/v1/consultations/{item.id}/close", headers=headers, json={"reason": "再次"})
    assert again.status_code == 409 and again.get_json()["error"]["code"] == "consultation_closed"
    assert comment(client, item.id).status_code == 409
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "上位法已修订，本草案需重新起草" in page and "提交意见</button>" not in page
    listing = client.get("/consultations").get_data(as_text=True)
    assert "上位法已修订，本草案需重新起草" in listing and "意见采纳情况整理中" in listing


def test_feedback_counts_and_the_published_feedback_is_linked(client, demo, token_for):
    item, ids = _ended(client, token_for)
    chief, editor = token_for("chief"), token_for("editor")
    for cid in ids[:3]:
        client.post(f"/api/v1/comments/{cid}/transitions", headers=chief, json={"name": "publish"})
    client.post(f"/api/v1/comments/{ids[3]}/transitions", headers=chief, json={"name": "reject", "reason": "广告"})
    client.patch(f"/api/v1/comments/{ids[0]}", headers=editor, json={"handling": "adopted", "theme": "巡查"})
    client.patch(f"/api/v1/comments/{ids[1]}", headers=editor, json={"handling": "partly", "reason": "部分采纳"})
    client.patch(f"/api/v1/comments/{ids[2]}", headers=editor,
                 json={"handling": "not_adopted", "reason": "超出本办法调整范围", "theme": "巡查"})
    # Still open in the books until the tick or the early close: the feedback waits for the closing.
    record = record_of(item)
    record.closes_on = date.today() + timedelta(days=1)
    db.session.commit()
    early = client.post(f"/api/v1/consultations/{item.id}/feedback", headers=editor)
    assert early.status_code == 409
    record = record_of(item)
    record.closes_on = date.today() - timedelta(days=2)
    db.session.commit()
    figures = counts(item.id)
    assert {k: figures[k] for k in ("received", "published", "rejected", "adopted", "partly", "not_adopted",
                                    "unhandled")} == {"received": 4, "published": 3, "rejected": 1, "adopted": 1,
                                                      "partly": 1, "not_adopted": 1, "unhandled": 0}
    assert figures["not_adopted_reasons"][0]["reason"] == "超出本办法调整范围"
    assert figures["by_theme"]["巡查"] == {"received": 2, "adopted": 1, "not_adopted": 1}
    assert client.post(f"/api/v1/consultations/{item.id}/feedback", headers=token_for("auditor")).status_code == 403
    response = client.post(f"/api/v1/consultations/{item.id}/feedback", headers=editor)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()["item"]
    assert body["type"] == "consultation_feedback" and body["column"] == "consultations"
    assert body["state"] == "draft"
    assert "共收到意见4条" in body["body_html"] and "采纳1条" in body["body_html"]
    assert "超出本办法调整范围" in body["body_html"] and "李四" not in body["body_html"]
    assert client.post(f"/api/v1/consultations/{item.id}/feedback", headers=editor).status_code == 409
    # Not linked publicly before it is published.
    assert "查看意见采纳情况" not in client.get(f"/items/{item.id}").get_data(as_text=True)
    feedback = db.session.get(Item, body["id"])
    publish(feedback)
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert f'href="/items/{feedback.id}"' in page and "查看意见采纳情况" in page
    back = client.get(f"/items/{feedback.id}").get_data(as_text=True)
    assert f'href="/items/{item.id}"' in back
    listing = client.get("/consultations").get_data(as_text=True)
    assert f'href="/items/{feedback.id}"' in listing
    assert is_feedback_overdue(record_of(item)) is False


def test_feedback_reminder_and_overdue_flag_once(client, demo, token_for):
    item, _ids = _ended(client, token_for)
    set_feedback_working_days(item.organization_id, 2, user("admin"))
    db.session.commit()
    close_due_consultations()
    db.session.commit()
    record = record_of(item)
    assert record.feedback_due_on is not None
    record.feedback_due_on = date.today() - timedelta(days=1)
    db.session.commit()
    assert is_feedback_overdue(record) is True
    sent = send_feedback_reminders()
    db.session.commit()
    assert len(sent) == 1 and sent[0][1].startswith("fb_overdue")
    assert send_feedback_reminders() == []
    assert ClockReminder.query.filter_by(subject_type="consultation").count() == 1
    assert Notification.query.filter(Notification.message.contains("意见采纳情况已超过反馈期限")).count() >= 1
    listing = client.get("/api/v1/consultations", headers=token_for("chief")).get_json()
    assert listing["consultations"][0]["feedback_overdue"] is True


def test_feedback_due_date_follows_the_setting_in_working_days(client, demo, token_for):
    item, _ids = _ended(client, token_for)
    record = record_of(item)
    record.closes_on = date(2026, 9, 25)  # a Friday before the National Day holiday
    record.opens_on = date(2026, 8, 1)
    db.session.commit()
    close_due_consultations()
    db.session.commit()
    # 15 working days after 25 Sep 2026: 28-30 Sep, 8-9 Oct (10 Oct a working Saturday), 12-16, 19-22 Oct.
    assert record_of(item).feedback_due_on == date(2026, 10, 22)


def test_settings_route_checks_role_and_range(client, demo, token_for):
    assert client.get("/api/v1/consultation-settings", headers=token_for("editor")).get_json()[
        "feedback_working_days"] == 15
    assert client.put("/api/v1/consultation-settings", headers=token_for("editor"),
                      json={"feedback_working_days": 10}).status_code == 403
    assert client.put("/api/v1/consultation-settings", headers=token_for("auditor"),
                      json={"feedback_working_days": 0}).status_code == 422
    assert client.put("/api/v1/consultation-settings", headers=token_for("auditor"),
                      json={"feedback_working_days": "10"}).status_code == 422
    ok = client.put("/api/v1/consultation-settings", headers=token_for("auditor"), json={"feedback_working_days": 10})
    assert ok.status_code == 200 and ok.get_json()["feedback_working_days"] == 10


def test_export_has_every_comment_for_the_drafting_section(client, demo, token_for):
    from io import BytesIO

    from openpyxl import load_workbook

    item, _ids = _ended(client, token_for)
    assert client.get(f"/api/v1/consultations/{item.id}/export", headers=token_for("editor2")).status_code == 403
    response = client.get(f"/api/v1/consultations/{item.id}/export", headers=token_for("chief"))
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.data)).active
    rows = list(sheet.iter_rows(min_row=3, values_only=True))
    assert len(rows) == 4 and rows[0][3] == "李四" and "夜间巡查" in rows[0][6]
    assert client.get("/api/v1/consultations/999999/export", headers=token_for("chief")).status_code == 404

"""The assessment counts 意见采纳情况 published within their working days, per drafting section."""
from datetime import date, timedelta

from cms.clock import local_today
from cms.consultations.assessment import feedback_on_time
from cms.consultations.closing import close_due_consultations
from cms.consultations.records import record_of
from cms.content.models import Item
from cms.extensions import db
from cms.reports.assessment import assessment
from cms.reports.assessment_metrics import registered_metrics
from tests.consultations.helpers import published_consultation
from tests.workflow.helpers import publish


def _closed(client, token_for, title):
    item = published_consultation(client, token_for, title=title)
    record = record_of(item)
    record.opens_on, record.closes_on = date.today() - timedelta(days=40), date.today() - timedelta(days=2)
    db.session.commit()
    close_due_consultations()
    db.session.commit()
    return item


def test_feedback_on_time_late_and_not_yet_due(client, demo, token_for):
    assert "consultation_feedback" in [m.code for m in registered_metrics()]
    on_time = _closed(client, token_for, "按时反馈的征求意见公告")
    late = _closed(client, token_for, "逾期未反馈的征求意见公告")
    running = _closed(client, token_for, "尚在反馈期内的征求意见公告")
    response = client.post(f"/api/v1/consultations/{on_time.id}/feedback", headers=token_for("editor"))
    assert response.status_code == 201, response.get_json()
    publish(db.session.get(Item, response.get_json()["item"]["id"]))
    today = local_today()  # deadlines are local (China Standard Time) dates, as the assessment reads them
    record_of(on_time).feedback_due_on = today
    record_of(late).feedback_due_on = today - timedelta(days=3)
    record_of(running).feedback_due_on = today + timedelta(days=5)
    db.session.commit()

    figures = feedback_on_time(demo.id, today - timedelta(days=30), today + timedelta(days=30))
    assert list(figures) == [on_time.section_id]
    bucket = figures[on_time.section_id]
    assert (bucket["total"], bucket["on_time"]) == (2, 1)
    assert len(bucket["late"]) == 1 and "逾期未反馈的征求意见公告" in bucket["late"][0] and "尚未公开" in bucket["late"][0]

    data = assessment(demo.id, today - timedelta(days=30), today + timedelta(days=30))
    row = next(s for s in data["sections"] if s["code"] == on_time.section.code)
    assert row["metrics"]["consultation_feedback"] == {"total": 2, "on_time": 1}

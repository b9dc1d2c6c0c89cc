"""Extending a consultation's period: the office moves closes_on later, a consultation the queue closed is open
again for comments, the close duty runs again on the new date (once), and the item's history says so."""
from datetime import date, timedelta

from cms.clock import local_today
from cms.consultations.closing import close_due_consultations, status_of
from cms.consultations.periods import end_of
from cms.consultations.records import record_of
from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import history_of
from tests.conftest import login
from tests.consultations.helpers import comment, period, published_consultation
from tests.workflow.helpers import publish


def _closed_by_the_queue(client, token_for, title="已由系统结束的意见征集公告"):
    item = published_consultation(client, token_for, title=title)
    record = record_of(item)
    record.opens_on, record.closes_on = local_today() - timedelta(days=40), local_today() - timedelta(days=2)
    db.session.commit()
    assert close_due_consultations() == [item.id]
    db.session.commit()
    assert status_of(record_of(item)) == "closed" and comment(client, item.id).status_code == 409
    return item


def _extend(client, headers, item, **body):
    return client.post(f"/api/v1/consultations/{item.id}/extend", headers=headers, json=body)


def test_office_extension_reopens_and_the_queue_closes_again_once(client, demo, token_for):
    item = _closed_by_the_queue(client, token_for)
    new_date = local_today() + timedelta(days=10)
    version = record_of(item).version
    response = _extend(client, token_for("auditor"), item, closes_on=new_date.isoformat(),
                       reason="应社会各界要求延长征集期限", version=version)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["status"] == "open" and body["closes_on"] == new_date.isoformat()
    assert body["closed_at"] is None and body["feedback_due_on"] is None
    assert comment(client, item.id).status_code == 201
    # The history of the item records the change (old and new dates, the note).
    entry = [h for h in history_of(item) if h.transition == "consultation_extend"][-1]
    assert entry.inputs == {"closes_on_before": (local_today() - timedelta(days=2)).isoformat(),
                            "closes_on": new_date.isoformat(), "reopened": True}
    assert "应社会各界要求延长征集期限" in entry.comment and "重新开放" in entry.comment
    history = client.get(f"/api/v1/items/{item.id}/history", headers=token_for("auditor"))
    assert history.status_code == 200 and "延长征求意见期限" in history.get_data(as_text=True)
    # The duty does nothing before the end of the new date, closes it once after, and stays idempotent.
    assert close_due_consultations(now=end_of(new_date) - timedelta(minutes=1)) == []
    after = end_of(new_date) + timedelta(minutes=1)
    assert close_due_consultations(now=after) == [item.id]
    assert close_due_consultations(now=after + timedelta(days=1)) == []
    db.session.commit()
    record = record_of(item)
    assert record.closed_at == end_of(new_date) and record.feedback_due_on > new_date


def test_extending_an_open_consultation_does_not_reopen_anything(client, demo, token_for):
    item = published_consultation(client, token_for, title="仍在征集中的公告")
    old = record_of(item).closes_on
    response = _extend(client, token_for("auditor"), item, closes_on=(old + timedelta(days=5)).isoformat())
    assert response.status_code == 200 and response.get_json()["status"] == "open"
    entry = [h for h in history_of(item) if h.transition == "consultation_extend"][-1]
    assert entry.inputs["reopened"] is False


def test_refusals(client, demo, token_for):
    item = _closed_by_the_queue(client, token_for)
    office = token_for("auditor")
    future = (local_today() + timedelta(days=5)).isoformat()
    assert _extend(client, token_for("chief"), item, closes_on=future).status_code == 403
    assert _extend(client, token_for("editor"), item, closes_on=future).status_code == 403
    stale = _extend(client, office, item, closes_on=future, version=record_of(item).version + 5)
    assert stale.status_code == 409 and stale.get_json()["error"]["fields"] == {"version": "stale"}
    earlier = _extend(client, office, item, closes_on=(local_today() - timedelta(days=3)).isoformat())
    assert earlier.status_code == 422 and earlier.get_json()["error"]["fields"] == {"closes_on": "not_later"}
    past = _extend(client, office, item, closes_on=(local_today() - timedelta(days=1)).isoformat())
    assert past.status_code == 422 and past.get_json()["error"]["fields"] == {"closes_on": "past"}
    too_long = _extend(client, office, item, closes_on=(local_today() + timedelta(days=400)).isoformat())
    assert too_long.status_code == 422 and too_long.get_json()["error"]["fields"] == {"closes_on": "too_long"}
    for bad in ({"closes_on": "明天"}, {"closes_on": 20261201}, {}, {"closes_on": future, "x": 1},
                {"closes_on": future, "reason": "长" * 1001}):
        response = _extend(client, office, item, **bad)
        assert response.status_code == 422, bad
        assert response.get_json()["error"]["message"]
    missing = client.post("/api/v1/consultations/999999/extend", headers=office, json={"closes_on": future})
    assert missing.status_code == 404
    assert _extend(client, None, item, closes_on=future).status_code == 401
    assert record_of(item).closed_at is not None and status_of(record_of(item)) == "closed"


def test_early_closing_and_a_drafted_feedback_are_not_undone(client, demo, token_for):
    early = published_consultation(client, token_for, title="提前结束的意见征集公告")
    assert client.post(f"/api/v1/consultations/{early.id}/close", headers=token_for("chief"),
                       json={"reason": "上位法已修订"}).status_code == 200
    future = (local_today() + timedelta(days=60)).isoformat()
    refused = _extend(client, token_for("auditor"), early, closes_on=future)
    assert refused.status_code == 409 and "提前结束" in refused.get_json()["error"]["message"]
    item = _closed_by_the_queue(client, token_for)
    assert client.post(f"/api/v1/consultations/{item.id}/feedback", headers=token_for("editor")).status_code == 201
    refused = _extend(client, token_for("auditor"), item, closes_on=future)
    assert refused.status_code == 409 and "意见采纳情况" in refused.get_json()["error"]["message"]


def test_a_signed_off_revision_with_a_later_date_reopens_too(client, demo, token_for):
    item = _closed_by_the_queue(client, token_for)
    new_period = period(start_offset=-40, days=60)
    response = client.patch(f"/api/v1/items/{item.id}", headers=token_for("editor"),
                            json={"version": item.version, "consultation": new_period})
    assert response.status_code == 200, response.get_json()
    copy = Item.query.filter_by(working_copy_of_id=item.id).one()
    publish(copy)
    db.session.expire_all()
    record = record_of(db.session.get(Item, item.id))
    assert record.closes_on == date.fromisoformat(new_period["closes_on"])
    assert status_of(record) == "open" and record.closed_at is None
    assert comment(client, item.id).status_code == 201
    assert any(h.transition == "consultation_extend" for h in history_of(db.session.get(Item, item.id)))


def test_screen_extends_with_csrf_and_only_for_the_office(app, client, demo, token_for):
    item = _closed_by_the_queue(client, token_for)
    future = (local_today() + timedelta(days=7)).isoformat()
    login(client, "chief")
    page = client.get(f"/admin/consultations/{item.id}").get_data(as_text=True)
    assert 'id="extend-form"' not in page
    refused = client.post(f"/admin/consultations/{item.id}/extend",
                          data={"closes_on": future, "version": str(record_of(item).version)})
    assert refused.status_code == 403 and "只有办公室可以延长征集期限" in refused.get_data(as_text=True)
    client.post("/logout")
    login(client, "auditor")
    page = client.get(f"/admin/consultations/{item.id}").get_data(as_text=True)
    assert 'id="extend-form"' in page and "延长征集期限（重新开放征集）" in page
    stale = client.post(f"/admin/consultations/{item.id}/extend", data={"closes_on": future, "version": "99"})
    assert stale.status_code == 409
    bad = client.post(f"/admin/consultations/{item.id}/extend",
                      data={"closes_on": "2026-13-40", "version": str(record_of(item).version)})
    assert bad.status_code == 422 and "不是有效的日期" in bad.get_data(as_text=True)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        no_csrf = client.post(f"/admin/consultations/{item.id}/extend",
                              data={"closes_on": future, "version": str(record_of(item).version)})
        assert no_csrf.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    ok = client.post(f"/admin/consultations/{item.id}/extend", follow_redirects=True,
                     data={"closes_on": future, "reason": "补充听取意见", "version": str(record_of(item).version)})
    assert ok.status_code == 200
    text = ok.get_data(as_text=True)
    assert f"征集期限已延长至 {future}，征集已重新开放。" in text and "征集中" in text
    assert status_of(record_of(item)) == "open"

"""The period rules on POST/PATCH /items: major decisions at least 30 days, normative documents at least
7 working days, a shorter period only with a reason (shown publicly); otherwise 422 naming the rule."""
from datetime import date

import pytest

from cms.consultations.periods import end_of, is_shortened, period_working_days
from cms.consultations.records import record_of
from cms.content.models import Item
from cms.extensions import db
from tests.consultations.helpers import create, period


def test_a_major_decision_with_30_days_is_accepted_and_returned(client, demo, token_for):
    response = create(client, token_for("editor"), period(days=30))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["consultation"]
    assert data["kind"] == "major_decision" and data["shortened_reason"] is None
    assert data["status"] == "open"
    assert record_of(db.session.get(Item, response.get_json()["id"])).closes_on.isoformat() == data["closes_on"]


def test_a_major_decision_with_29_days_needs_a_reason(client, demo, token_for):
    response = create(client, token_for("editor"), period(days=29))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["fields"] == {"consultation.shortened_reason": "required_for_short_period"}
    assert "不少于30日" in error["message"] and error["rule"] == "major_decision"
    assert Item.query.filter_by(type="consultation").count() == 0
    accepted = create(client, token_for("editor"), period(days=10, shortened_reason="防汛形势紧迫，须在汛期前出台"))
    assert accepted.status_code == 201, accepted.get_json()
    assert accepted.get_json()["consultation"]["shortened_reason"] == "防汛形势紧迫，须在汛期前出台"


def test_normative_documents_count_working_days():
    # 2026-09-28 (Mon) .. 2026-10-09 (Fri): the National Day holiday leaves 5 working days (28-30 Sep, 8-9 Oct).
    assert period_working_days(date(2026, 9, 28), date(2026, 10, 9)) == 5
    assert is_shortened("normative", date(2026, 9, 28), date(2026, 10, 9))
    # Seven working days: Mon 2 Mar to Tue 10 Mar 2026.
    assert period_working_days(date(2026, 3, 2), date(2026, 3, 10)) == 7
    assert not is_shortened("normative", date(2026, 3, 2), date(2026, 3, 10))
    assert is_shortened("normative", date(2026, 3, 2), date(2026, 3, 9))
    assert not is_shortened("other", date(2026, 3, 2), date(2026, 3, 2))


def test_normative_period_over_a_holiday_is_refused_without_reason(client, demo, token_for):
    body = {"kind": "normative", "opens_on": "2026-09-28", "closes_on": "2026-10-09"}
    response = create(client, token_for("editor"), body)
    assert response.status_code == 422
    assert "7个工作日" in response.get_json()["error"]["message"]
    ok = create(client, token_for("editor"), {"kind": "normative", "opens_on": "2026-03-02", "closes_on": "2026-03-10"})
    assert ok.status_code == 201, ok.get_json()


def test_the_period_ends_at_the_end_of_the_day_in_beijing():
    assert end_of(date(2026, 3, 10)).isoformat() == "2026-03-10T16:00:00"


@pytest.mark.parametrize("consultation, field", [
    ({"kind": "lottery", "opens_on": "2026-03-02", "closes_on": "2026-04-30"}, "consultation.kind"),
    ({"kind": "other", "opens_on": "2026-13-02", "closes_on": "2026-04-30"}, "consultation.opens_on"),
    ({"kind": "other", "opens_on": "2026-03-02"}, "consultation.closes_on"),
    ({"kind": "other", "opens_on": "2026-03-02", "closes_on": "2026-03-01"}, "consultation.closes_on"),
    ({"kind": "other", "opens_on": "2026-03-02", "closes_on": "2028-03-01"}, "consultation.closes_on"),
    ({"kind": "other", "opens_on": "2026-03-02", "closes_on": "2026-03-05", "votes": 3}, "consultation.votes"),
    ({"kind": "other", "opens_on": 20260302, "closes_on": "2026-03-05"}, "consultation.opens_on"),
    ({"kind": "other", "opens_on": "2026-03-02", "closes_on": "2026-03-05", "shortened_reason": 7},
     "consultation.shortened_reason"),
])
def test_bad_periods_are_422_naming_the_field(client, demo, token_for, consultation, field):
    response = create(client, token_for("editor"), consultation)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_consultation_object_must_be_an_object_and_only_on_consultation_items(client, demo, token_for):
    headers = token_for("editor")
    assert create(client, headers, "2026-03-02").status_code == 422
    response = client.post("/api/v1/items", headers=headers, json={
        "column": "notices", "type": "notice", "title": "关于举办文化市场培训班的通知",
        "consultation": {"kind": "other", "opens_on": "2026-03-02", "closes_on": "2026-03-05"}})
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"consultation": "not_a_consultation"}


def test_patch_changes_the_period_with_the_same_rules(client, demo, token_for):
    headers = token_for("editor")
    created = create(client, headers).get_json()
    short = client.patch(f"/api/v1/items/{created['id']}", headers=headers, json={
        "version": created["version"], "consultation": period(days=5)})
    assert short.status_code == 422
    patched = client.patch(f"/api/v1/items/{created['id']}", headers=headers, json={
        "version": created["version"], "consultation": period(days=45)})
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["consultation"]["closes_on"] == period(days=45)["closes_on"]


def test_a_revision_of_a_published_consultation_carries_and_writes_back_its_period(client, demo, token_for):
    from tests.consultations.helpers import published_consultation
    from tests.workflow.helpers import publish

    item = published_consultation(client, token_for)
    longer = period(days=60)
    response = client.patch(f"/api/v1/items/{item.id}", headers=token_for("editor"), json={
        "version": item.version, "consultation": longer})
    assert response.status_code == 200, response.get_json()
    copy_id = response.get_json()["id"]
    assert copy_id != item.id and response.get_json()["consultation"]["closes_on"] == longer["closes_on"]
    assert record_of(item).closes_on.isoformat() != longer["closes_on"]  # the live period until sign-off
    publish(db.session.get(Item, copy_id))
    db.session.expire_all()
    assert record_of(db.session.get(Item, item.id)).closes_on.isoformat() == longer["closes_on"]
    assert db.session.get(Item, copy_id) is None or db.session.get(Item, copy_id).state != "draft"


def test_a_consultation_without_its_period_cannot_be_submitted(client, demo, token_for):
    headers = token_for("editor")
    response = client.post("/api/v1/items", headers=headers, json={
        "column": "consultations", "type": "consultation", "title": "未填写期限的征求意见公告",
        "body_html": "<p>现就《未填写期限的办法》公开征求意见。</p>"})
    assert response.status_code == 201, response.get_json()
    item = response.get_json()
    refused = client.post(f"/api/v1/items/{item['id']}/transitions", headers=headers,
                          json={"name": "submit", "version": item["version"]})
    assert refused.status_code == 422
    assert "征求意见期限" in refused.get_json()["error"]["message"]
    patched = client.patch(f"/api/v1/items/{item['id']}", headers=headers,
                           json={"version": item["version"], "consultation": period()})
    assert patched.status_code == 200, patched.get_json()
    accepted = client.post(f"/api/v1/items/{item['id']}/transitions", headers=headers,
                           json={"name": "submit", "version": patched.get_json()["version"]})
    assert accepted.status_code == 200, accepted.get_json()

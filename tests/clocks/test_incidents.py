"""Responses to public concerns: 5 h / 24 h / 48 h wall-clock clocks, milestones, statuses, urgency, access."""
from datetime import datetime, timedelta

import pytest

from cms import clock
from cms.clocks.incidents import is_urgent, timeliness
from cms.clocks.models import Incident
from cms.extensions import db
from tests.workflow.helpers import draft, publish

MAJOR = {"title": "某景区游客踩踏事件网络舆情", "level": "major", "section": "market",
         "discovered_at": "2026-09-30T22:30:00+08:00", "summary": "网传国庆前夜景区拥挤"}


def _beijing(dt):
    return clock.to_local(dt).replace(tzinfo=None).isoformat(timespec="seconds")


def test_major_incident_clocks_run_through_midnight_and_the_national_day_holiday(client, demo, token_for):
    response = client.post("/api/v1/incidents", json=MAJOR, headers=token_for("auditor"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["discovered_at"] == "2026-09-30T22:30:00+08:00"
    clocks = {c["kind"]: c for c in body["clocks"]}
    # Wall-clock hours: the night and the 1 October holiday count.
    assert clocks["authoritative_info"]["due_at"] == "2026-10-01T03:30:00+08:00"
    assert clocks["press_conference"]["due_at"] == "2026-10-01T22:30:00+08:00"
    assert clocks["authoritative_info"]["hours"] == 5
    # Stored as naive UTC, like every other timestamp.
    incident = db.session.get(Incident, body["id"])
    assert incident.discovered_at == datetime(2026, 9, 30, 14, 30)


def test_other_concern_has_one_48_hour_clock_and_naive_times_are_beijing_time(client, demo, token_for):
    payload = {**MAJOR, "level": "other", "discovered_at": "2026-09-29T20:00:00"}
    body = client.post("/api/v1/incidents", json=payload, headers=token_for("officehead")).get_json()
    assert [(c["kind"], c["due_at"]) for c in body["clocks"]] == [("response", "2026-10-01T20:00:00+08:00")]
    utc = client.post("/api/v1/incidents", json={**payload, "discovered_at": "2026-09-29T12:00:00Z"},
                      headers=token_for("leader")).get_json()
    assert utc["discovered_at"] == "2026-09-29T20:00:00+08:00"


def test_incident_discovered_six_hours_ago_without_milestone_is_overdue(client, demo, token_for):
    headers = token_for("auditor")
    six_hours_ago = clock.to_local(clock.utcnow() - timedelta(hours=6)).isoformat()
    created = client.post("/api/v1/incidents", json={**MAJOR, "discovered_at": six_hours_ago}, headers=headers)
    incident_id = created.get_json()["id"]
    body = client.get(f"/api/v1/incidents/{incident_id}", headers=headers).get_json()
    statuses = {c["kind"]: c["status"] for c in body["clocks"]}
    assert statuses == {"authoritative_info": "overdue", "press_conference": "open"}
    listed = client.get("/api/v1/incidents?state=open", headers=headers).get_json()["incidents"]
    assert [i["id"] for i in listed] == [incident_id]


def test_milestones_meet_clocks_on_time_or_late_and_close_the_incident(client, demo, token_for):
    headers = token_for("auditor")
    item = draft(demo, column="responses", title="关于景区游客踩踏事件的情况通报", type="response")
    publish(item)
    incident_id = client.post("/api/v1/incidents", json=MAJOR, headers=headers).get_json()["id"]
    on_time = client.post(f"/api/v1/incidents/{incident_id}/milestones", headers=headers,
                          json={"kind": "authoritative_info", "at": "2026-10-01T02:10:00+08:00", "item_id": item.id})
    assert on_time.status_code == 201, on_time.get_json()
    late = client.post(f"/api/v1/incidents/{incident_id}/milestones", headers=token_for("chief"),
                       json={"kind": "press_conference", "at": "2026-10-02T09:00:00", "note": "新闻发布会"})
    assert late.status_code == 201, late.get_json()
    clocks = {c["kind"]: c for c in late.get_json()["clocks"]}
    assert clocks["authoritative_info"]["status"] == "met"
    assert clocks["authoritative_info"]["item_id"] == item.id
    assert clocks["press_conference"]["status"] == "met_late"
    assert late.get_json()["open"] is False
    assert client.get("/api/v1/incidents?state=open", headers=headers).get_json()["incidents"] == []
    again = client.post(f"/api/v1/incidents/{incident_id}/milestones", headers=headers,
                        json={"kind": "press_conference", "at": "2026-10-02T10:00:00"})
    assert again.status_code == 409
    rates = timeliness({demo.id}, 2026)
    assert (rates["major"]["on_time"], rates["major"]["total"], rates["major"]["rate"]) == (1, 2, 50.0)


def test_a_response_item_linked_to_an_open_incident_is_urgent(client, demo, token_for):
    auditor = token_for("auditor")
    item = draft(demo, column="responses", title="关于网传景区拥挤的回应", type="response")
    db.session.commit()
    editor = token_for("editor")
    assert client.get(f"/api/v1/items/{item.id}", headers=editor).get_json()["urgent"] is False
    incident_id = client.post("/api/v1/incidents", json={**MAJOR, "level": "other"}, headers=auditor).get_json()["id"]
    linked = client.post(f"/api/v1/incidents/{incident_id}/items", json={"item_id": item.id}, headers=auditor)
    assert linked.status_code == 201
    assert client.get(f"/api/v1/items/{item.id}", headers=editor).get_json()["urgent"] is True
    assert is_urgent(item)
    client.post(f"/api/v1/incidents/{incident_id}/milestones", headers=auditor,
                json={"kind": "response", "at": "2026-10-01T09:00:00"})
    assert client.get(f"/api/v1/items/{item.id}", headers=editor).get_json()["urgent"] is False


@pytest.mark.parametrize("username", ["editor", "chief", "editor2", "admin"])
def test_only_the_office_leaders_and_the_director_register_incidents(client, demo, token_for, username):
    response = client.post("/api/v1/incidents", json=MAJOR, headers=token_for(username))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "forbidden"


def test_milestones_need_the_office_or_the_responsible_section_chief(client, demo, token_for):
    incident_id = client.post("/api/v1/incidents", json=MAJOR, headers=token_for("auditor")).get_json()["id"]
    for username in ("editor", "chief2"):
        response = client.post(f"/api/v1/incidents/{incident_id}/milestones", headers=token_for(username),
                               json={"kind": "authoritative_info", "at": "2026-10-01T01:00:00"})
        assert response.status_code == 403, username


@pytest.mark.parametrize("payload, field", [
    ({}, "title"),
    ({**MAJOR, "level": "huge"}, "level"),
    ({**MAJOR, "discovered_at": "yesterday"}, "discovered_at"),
    ({**MAJOR, "discovered_at": "2026-09-30"}, "discovered_at"),
    ({**MAJOR, "discovered_at": 1700000000}, "discovered_at"),
    ({**MAJOR, "discovered_at": "2099-01-01T00:00:00+08:00"}, "discovered_at"),
    ({**MAJOR, "section": "nowhere"}, "section"),
    ({**MAJOR, "title": ["x"]}, "title"),
    ({**MAJOR, "colour": "red"}, "colour"),
])
def test_bad_incident_input_is_a_clear_422(client, demo, token_for, payload, field):
    response = client.post("/api/v1/incidents", json=payload, headers=token_for("auditor"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_bad_milestone_and_query_input_is_a_clear_4xx(client, demo, token_for):
    headers = token_for("auditor")
    other = client.post("/api/v1/incidents", json={**MAJOR, "level": "other"}, headers=headers).get_json()["id"]
    draft_item = draft(demo, column="responses", title="尚未发布的回应", type="response")
    db.session.commit()
    url = f"/api/v1/incidents/{other}/milestones"
    cases = [
        ({"kind": "press_conference", "at": "2026-10-01T01:00:00"}, "kind"),  # not a clock of this incident
        ({"kind": "speech", "at": "2026-10-01T01:00:00"}, "kind"),
        ({"kind": "response", "at": "soon"}, "at"),
        ({"kind": "response", "at": "2026-09-01T01:00:00"}, "at"),  # before discovery
        ({"kind": "response", "at": "2026-10-01T01:00:00", "item_id": draft_item.id}, "item_id"),
        ({"kind": "response", "at": "2026-10-01T01:00:00", "item_id": "7"}, "item_id"),
        ({"kind": "response", "at": "2026-10-01T01:00:00", "item_id": 999999}, "item_id"),
    ]
    for payload, field in cases:
        response = client.post(url, json=payload, headers=headers)
        assert response.status_code == 422, (payload, response.get_json())
        assert field in response.get_json()["error"]["fields"], payload
    assert client.post(url, data="{not json", headers={**headers, "Content-Type": "application/json"}).status_code == 400
    assert client.post("/api/v1/incidents/999999/milestones", json={}, headers=headers).status_code == 404
    assert client.get("/api/v1/incidents/999999", headers=headers).status_code == 404
    assert client.get("/api/v1/incidents?state=bogus", headers=headers).status_code == 422
    assert client.post(f"/api/v1/incidents/{other}/items", json={"item_id": "x"}, headers=headers).status_code == 422
    assert client.post(f"/api/v1/incidents/{other}/items", json={}, headers=headers).status_code == 422

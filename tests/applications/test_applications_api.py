"""The applications API: public filing and status, the desk's list, transitions, reply and statistics."""
import pytest

from cms.applications.models import Application
from tests.applications.helpers import RESIDENT_ID, payload


def _file(client, **overrides):
    return client.post("/api/v1/applications", json=payload(**overrides))


def test_public_filing_returns_the_code(client, demo):
    response = _file(client)
    assert response.status_code == 201
    code = response.get_json()["code"]
    assert set(response.get_json()) == {"code"}
    application = Application.query.one()
    assert application.code == code and application.channel == "online"


@pytest.mark.parametrize("body,status", [
    (b"not json", 400),
    (b"[1, 2]", 400),
    (b"{}", 422),
    (b'{"applicant_type": "person"}', 422),
    (b'{"applicant_type": 5, "applicant_name": [], "description": {}}', 422),
])
def test_bad_bodies_are_4xx(client, demo, body, status):
    response = client.post("/api/v1/applications", data=body, content_type="application/json")
    assert response.status_code == status
    assert response.get_json()["error"]["message"]
    assert Application.query.count() == 0


def test_invalid_fields_are_named(client, demo):
    response = _file(client, id_number="110105194912310021", email="x")
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert fields["id_number"] == "invalid" and fields["email"] == "invalid"
    assert "校验位" in response.get_json()["error"]["message"]


def test_unknown_fields_and_staff_only_fields_are_refused_for_the_public(client, demo):
    assert _file(client, received_on="2020-01-01").status_code == 422
    assert _file(client, test=True).status_code == 422
    assert _file(client, favourite_colour="red").status_code == 422


def test_status_by_code_and_contact(client, demo):
    code = _file(client).get_json()["code"]
    response = client.post(f"/api/v1/applications/{code}/status", json={"contact": "13912345678"})
    assert response.status_code == 200
    data = response.get_json()
    assert data["code"] == code and data["state"] == "submitted" and data["applicant_type"] == "person"
    assert data["extended"] is False and data["replied_on"] is None
    assert "id_number" not in data and "phone" not in data
    assert client.post(f"/api/v1/applications/{code}/status", json={"contact": "13800000000"}).status_code == 404
    assert client.post("/api/v1/applications/YS2026-ZZZZZZZZ/status",
                       json={"contact": "13912345678"}).status_code == 404
    assert client.post(f"/api/v1/applications/{code}/status", json={}).status_code == 422
    assert client.get(f"/api/v1/applications/{code}").status_code == 400  # GET is the staff view only now


def test_desk_registers_a_letter_with_its_receipt_date(client, demo, token_for):
    headers = token_for("auditor")
    response = client.post("/api/v1/applications", headers=headers,
                           json=payload(channel="registered_mail", received_on="2025-01-20"))
    assert response.status_code == 201
    application = Application.query.one()
    assert application.state == "registered" and str(application.received_on) == "2025-01-20"
    assert str(application.due_on) == "2025-02-21"
    assert client.post("/api/v1/applications", headers=headers,
                       json=payload(channel="in_person", received_on="2999-01-01")).status_code == 422
    assert client.post("/api/v1/applications", headers=headers,
                       json=payload(channel="in_person", received_on="yesterday")).status_code == 422
    editor = token_for("editor")
    assert client.post("/api/v1/applications", headers=editor,
                       json=payload(channel="in_person", received_on="2025-01-20")).status_code == 403
    bad_token = {"Authorization": "Bearer nope"}
    assert client.post("/api/v1/applications", headers=bad_token, json=payload()).status_code == 401


def test_staff_endpoints_need_a_token(client, demo):
    assert client.get("/api/v1/applications").status_code == 401
    assert client.post("/api/v1/applications/X/transitions", json={"name": "register"}).status_code == 401
    assert client.post("/api/v1/applications/X/reply", json={}).status_code == 401
    assert client.get("/api/v1/applications/statistics").status_code == 401


def test_whole_desk_path_over_the_api_with_masking(client, demo, token_for):
    code = _file(client).get_json()["code"]
    desk, editor, leader = token_for("auditor"), token_for("editor"), token_for("leader")

    def fire(headers, name, **inputs):
        return client.post(f"/api/v1/applications/{code}/transitions", headers=headers, json={"name": name, **inputs})

    assert fire(desk, "register").status_code == 200
    # Sections see nothing until the application is assigned to them.
    assert client.get(f"/api/v1/applications/{code}", headers=editor).status_code == 404
    assert fire(desk, "assign", section="nowhere").status_code == 422
    response = fire(desk, "assign", section="market")
    assert response.status_code == 200 and response.get_json()["section"] == "market"
    full = response.get_json()
    assert full["id_number"] == RESIDENT_ID and full["personal_data"] == "full"

    listed = client.get("/api/v1/applications", headers=editor).get_json()
    assert listed["total"] == 1
    masked = listed["results"][0]
    assert masked["personal_data"] == "masked"
    assert masked["id_number"] == "11**************2X" and masked["phone"] == "139****5678"
    assert masked["applicant_name"] == "王*明"
    assert "draft_reply" in masked["available_transitions"]

    reply = client.post(f"/api/v1/applications/{code}/reply", headers=editor,
                        json={"result": "withheld", "text": "该信息不予公开。"})
    assert reply.status_code == 422 and "result_reason" in reply.get_json()["error"]["fields"]
    assert client.post(f"/api/v1/applications/{code}/reply", headers=editor,
                       json={"result": "withheld", "result_reason": "4", "text": "x"}).status_code == 422
    reply = client.post(f"/api/v1/applications/{code}/reply", headers=editor,
                        json={"result": "withheld", "result_reason": 4, "text": "涉及第三方商业秘密，第三方不同意公开。"})
    assert reply.status_code == 200 and reply.get_json()["state"] == "pending_office"

    assert fire(desk, "approve").status_code == 422  # the confidentiality review is required
    assert fire(leader, "approve").status_code == 403
    assert fire(desk, "approve", confidentiality_checked=True).status_code == 200
    stale = client.post(f"/api/v1/applications/{code}/transitions", headers=leader,
                        json={"name": "approve", "version": 1})
    assert stale.status_code == 409
    done = fire(leader, "approve")
    assert done.status_code == 200 and done.get_json()["state"] == "replied"

    status = client.post(f"/api/v1/applications/{code}/status", json={"contact": "wang@example.cn"}).get_json()
    assert status["state"] == "replied"
    assert status["result"] == "withheld" and status["result_reason"] == 4
    assert status["replied_on"] is not None

    staff_view = client.get(f"/api/v1/applications/{code}", headers=desk).get_json()
    assert [h["transition"] for h in staff_view["history"]] == [
        "submit", "register", "assign", "draft_reply", "approve", "approve"]


def test_transition_input_types_are_checked(client, demo, token_for):
    code = _file(client).get_json()["code"]
    desk = token_for("auditor")
    url = f"/api/v1/applications/{code}/transitions"
    assert client.post(url, headers=desk, json={"name": 5}).status_code == 422
    assert client.post(url, headers=desk, json={"name": "register", "days": "many"}).status_code == 422
    assert client.post(url, headers=desk, json={"name": "register", "bogus": 1}).status_code == 422
    assert client.post(url, headers=desk, json={"name": "teleport"}).status_code == 422
    assert client.post(url, headers=desk, json={"name": "close"}).status_code == 409
    assert client.post(url, headers=desk, data="{", content_type="application/json").status_code == 400


def test_list_filters(client, demo, token_for):
    _file(client)
    desk = token_for("auditor")
    assert client.get("/api/v1/applications?state=open", headers=desk).get_json()["total"] == 1
    assert client.get("/api/v1/applications?state=closed", headers=desk).get_json()["total"] == 0
    assert client.get("/api/v1/applications?state=bogus", headers=desk).status_code == 422
    assert client.get("/api/v1/applications?page=-3", headers=desk).status_code == 422


def test_statistics_endpoint(client, demo, token_for):
    _file(client)
    desk = token_for("auditor")
    data = client.get("/api/v1/applications/statistics", headers=desk).get_json()
    new = next(r for r in data["rows"] if r["key"] == "new")
    assert new["counts"]["person"] == 1 and new["counts"]["total"] == 1
    assert client.get("/api/v1/applications/statistics?year=abc", headers=desk).status_code == 422
    assert client.get("/api/v1/applications/statistics", headers=token_for("editor")).status_code == 403


def test_staff_receipt_date_must_be_a_date(client, demo, token_for):
    desk = token_for("auditor")
    response = client.post("/api/v1/applications", headers=desk, json=payload(channel="fax", received_on=20250120))
    assert response.status_code == 422 and response.get_json()["error"]["fields"]["received_on"] == "wrong_type"
    response = client.post("/api/v1/applications", headers=desk, json=payload(channel="fax"))
    assert response.status_code == 201  # no date given: received today

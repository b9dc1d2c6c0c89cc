"""Bad input on every new API route is a clear 4xx in the API's error format, never a 500."""
import pytest

from tests.consultations.helpers import published_consultation


@pytest.fixture
def consultation(client, demo, token_for):
    return published_consultation(client, token_for)


def _error(response, status):
    assert response.status_code == status, (response.status_code, response.get_data(as_text=True)[:300])
    error = response.get_json()["error"]
    assert error["code"] and error["message"]
    return error


def test_unknown_consultations_are_404_on_every_route(client, consultation, token_for):
    headers = token_for("chief")
    for method, url in (("get", "/api/v1/consultations/999999"), ("get", "/api/v1/consultations/999999/comments"),
                        ("post", "/api/v1/consultations/999999/close"), ("get", "/api/v1/consultations/999999/export"),
                        ("post", "/api/v1/consultations/999999/feedback"),
                        ("get", "/api/v1/consultations/2147483648"),
                        ("patch", "/api/v1/comments/2147483648")):
        _error(getattr(client, method)(url, headers=headers, json={"reason": "x", "handling": "adopted"}), 404)


def test_malformed_json_is_400(client, consultation, token_for):
    headers = token_for("chief")
    for method, url in (("post", f"/api/v1/consultations/{consultation.id}/comments"),
                        ("post", f"/api/v1/consultations/{consultation.id}/close"),
                        ("put", "/api/v1/consultation-settings")):
        _error(getattr(client, method)(url, headers=headers, data='{"reason": ', content_type="application/json"), 400)
        _error(getattr(client, method)(url, headers=headers, json=[1, 2]), 400)


def test_wrong_types_and_unknown_fields_are_422(client, consultation, token_for):
    headers = token_for("chief")
    close = f"/api/v1/consultations/{consultation.id}/close"
    assert _error(client.post(close, headers=headers, json={"reason": 5}), 422)["fields"] == {"reason": "wrong_type"}
    _error(client.post(close, headers=headers, json={"reason": "好", "version": "1"}), 422)
    _error(client.post(close, headers=headers, json={"reason": "好" * 1001}), 422)
    _error(client.put("/api/v1/consultation-settings", headers=token_for("auditor"),
                      json={"feedback_working_days": 5, "x": 1}), 422)
    _error(client.put("/api/v1/consultation-settings", headers=token_for("auditor"),
                      json={"feedback_working_days": True}), 422)
    _error(client.post(f"/api/v1/consultations/{consultation.id}/comments", json={"body": "意见\u0000"}), 422)


def test_feedback_on_an_open_consultation_is_409(client, consultation, token_for):
    _error(client.post(f"/api/v1/consultations/{consultation.id}/feedback", headers=token_for("editor")), 409)


def test_staff_routes_need_a_token_and_the_organization(client, consultation, token_for):
    from cms.accounts.services import add_membership
    from tests.factories import make_org, make_section, make_user

    for method, url in (("get", f"/api/v1/consultations/{consultation.id}"), ("get", "/api/v1/consultations"),
                        ("get", f"/api/v1/consultations/{consultation.id}/comments"),
                        ("post", f"/api/v1/consultations/{consultation.id}/close"),
                        ("post", "/api/v1/comments/1/transitions"), ("patch", "/api/v1/comments/1"),
                        ("get", "/api/v1/consultation-settings")):
        _error(getattr(client, method)(url, json={}), 401)
    other_org = make_org("另一局")
    stranger = make_user("stranger", password="Stranger-pass-2026")
    add_membership(stranger, make_section(other_org), "office_auditor")
    from cms.extensions import db

    db.session.commit()
    headers = token_for("stranger", password="Stranger-pass-2026")
    _error(client.get(f"/api/v1/consultations/{consultation.id}", headers=headers), 404)
    _error(client.post(f"/api/v1/consultations/{consultation.id}/close", headers=headers, json={"reason": "x"}), 404)
    assert client.get("/api/v1/consultations", headers=headers).get_json() == {"consultations": []}

"""Hostile input on every application surface: always a 4xx with a message (or a normal page), never a 500."""
import random


from tests.applications.helpers import payload

VALUES = [None, "", " ", 0, -1, 10**12, 3.5, True, [], {}, ["person"], {"$gt": ""}, "x" * 20000, "\x00\x1b",
          "😀" * 50, "<script>alert(1)</script>", "' OR 1=1 --", "2025-02-30", "../../etc/passwd", "YS2026-"]
FIELDS = ["applicant_type", "applicant_name", "name", "contact_person", "id_type", "id_number", "phone", "email",
          "address", "delivery", "description", "document_hint", "channel", "received_on", "test", "organization"]


def test_public_api_never_500(client, demo, app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_APPLY_RATE_LIMIT", "10000 per hour")
    rng = random.Random(7)
    for _ in range(150):
        body = payload()
        for field in rng.sample(FIELDS, rng.randint(1, 4)):
            body[field] = rng.choice(VALUES)
        response = client.post("/api/v1/applications", json=body)
        assert response.status_code in (201, 400, 422), (body, response.get_json())
        if response.status_code != 201:
            assert response.get_json()["error"]["message"]


def test_staff_api_and_transitions_never_500(client, demo, token_for, app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_APPLY_RATE_LIMIT", "10000 per hour")
    desk = token_for("auditor")
    rng = random.Random(11)
    for _ in range(60):
        body = payload(channel="in_person")
        for field in rng.sample(FIELDS, rng.randint(1, 3)):
            body[field] = rng.choice(VALUES)
        response = client.post("/api/v1/applications", json=body, headers=desk)
        assert response.status_code in (201, 400, 403, 422), (body, response.get_json())
    code = client.post("/api/v1/applications", json=payload(channel="in_person"), headers=desk).get_json()["code"]
    names = ["register", "assign", "request_supplement", "receive_supplement", "abandon", "consult",
             "end_consultation", "draft_reply", "approve", "return", "extend", "withdraw", "close", "bogus"]
    inputs = ["comment", "section", "period", "received_on", "party", "result", "result_reason", "text", "days",
              "confidentiality_checked", "version"]
    for _ in range(150):
        body = {"name": rng.choice(names + VALUES[:6])}
        for field in rng.sample(inputs, rng.randint(0, 3)):
            body[field] = rng.choice(VALUES + ["market", "third_party", "withheld", 4, 20, "2025-01-20"])
        response = client.post(f"/api/v1/applications/{code}/transitions", json=body, headers=desk)
        assert response.status_code in (200, 400, 403, 404, 409, 422), (body, response.get_json())
    for weird in ["", "x" * 300, "%00", "YS2026-%F0%9F%98%80", "..%2F.."]:
        assert client.get(f"/api/v1/applications/{weird}?contact=1").status_code in (400, 404, 405, 422)


def test_public_form_and_status_never_500(client, demo, app, monkeypatch):
    import re

    monkeypatch.setitem(app.config, "CMS_APPLY_RATE_LIMIT", "10000 per hour")
    monkeypatch.setitem(app.config, "CMS_STATUS_RATE_LIMIT", "10000 per hour")
    rng = random.Random(5)
    strings = [v for v in VALUES if isinstance(v, str)]
    for _ in range(40):
        page = client.get("/apply").get_data(as_text=True)
        token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
        body = {**payload(), "form_token": token}
        for field in rng.sample(FIELDS, rng.randint(1, 4)):
            body[field] = rng.choice(strings)
        assert client.post("/apply", data=body).status_code in (302, 400, 422)
        assert client.post("/apply/status", data={"code": rng.choice(strings),
                                                  "contact": rng.choice(strings)}).status_code in (200, 400, 404)


def test_nul_characters_are_refused_everywhere(client, demo, token_for):
    desk = token_for("auditor")
    response = client.post("/api/v1/applications", json=payload(applicant_name="王\x00"))
    assert response.status_code == 422 and "NUL" in response.get_json()["error"]["message"]
    response = client.post("/api/v1/applications/X/transitions", headers=desk, json={"name": "x", "comment": "\x00"})
    assert response.status_code == 422
    page = client.post("/apply/status", data={"code": "\x00", "contact": "1"})
    assert page.status_code == 400 and "NUL" in page.get_data(as_text=True)
    assert client.get("/search?q=%00").status_code == 200  # search cleans its own query
    assert client.get("/api/v1/applications/YS%00?contact=1").status_code == 400

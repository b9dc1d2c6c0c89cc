"""Hostile input to the workflow and delegation endpoints is a clear 4xx, never a 500."""
import pytest

BODIES = [
    [], "x", 5, {"code": 5}, {"code": "x" * 500, "title": "t", "stages": []},
    {"code": "ok_code", "title": ["t"], "stages": {"a": 1}},
    {"code": "ok_code", "title": "t", "stages": [1, None, "s", []]},
    {"code": "ok_code", "title": "t", "on_return": ["resume"], "stages": [
        {"code": ["a"], "title": 7, "role": {"r": 1}, "scope": [1], "sections": "office", "quorum": True,
         "due": {"hours": "48"}, "confidentiality": "yes", "extra": 1}]},
    {"code": "ok_code", "title": "t", "stages": [{"code": "a", "title": "甲", "role": "section_chief",
                                                 "scope": "sections", "sections": [1, None], "quorum": -1,
                                                 "due": {"working_days": 10 ** 12}}]},
]


@pytest.mark.parametrize("body", BODIES)
def test_workflow_endpoints_refuse_garbage(client, demo, token_for, body):
    admin = token_for("admin")
    for method, url in (("post", "/api/v1/workflows"), ("put", "/api/v1/workflows/three_stage")):
        response = getattr(client, method)(url, json=body, headers=admin)
        assert 400 <= response.status_code < 500, (method, body, response.get_json())
        assert response.get_json()["error"]["code"]


@pytest.mark.parametrize("body", [
    {"to": 5, "starts_at": "x", "ends_at": "y"},
    {"to": "chief", "starts_at": "0001-01-01T00:00:00", "ends_at": "9999-12-31T23:59:59-12:00"},
    {"to": "chief", "starts_at": "2026-01-01T00:00:00", "ends_at": "2026-02-01T00:00:00", "roles": [1, None]},
    {"to": "nobody", "starts_at": "2026-01-01", "ends_at": "2026-01-02", "from": "ghost"},
    {"to": "leader", "starts_at": "2026-01-01", "ends_at": "2026-01-02"},
    {"to": "chief", "starts_at": "2026-01-01", "ends_at": "2026-01-02", "surprise": True},
])
def test_delegation_endpoint_refuses_garbage(client, demo, token_for, body):
    response = client.post("/api/v1/delegations", json=body, headers=token_for("leader"))
    assert 400 <= response.status_code < 500, (body, response.get_json())


def test_column_patch_refuses_garbage(client, demo, token_for):
    admin = token_for("admin")
    for body in ({"workflow": 5}, {"workflow": None}, {"workflow": "three_stage", "name": "x"}, []):
        assert 400 <= client.patch("/api/v1/columns/notices", json=body, headers=admin).status_code < 500
    assert client.patch("/api/v1/columns/nothing", json={"workflow": "three_stage"}, headers=admin).status_code == 404

"""Counters are shared by every worker in the embedded mode too (the database holds them).

Two app instances against the same database stand for two gunicorn workers.
"""
import re

import pytest

from cms import clock, create_app
from cms.applications.models import Application
from tests.applications.helpers import payload


@pytest.fixture
def workers(database_url, tmp_path):
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CMS_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "test-secret",
        "CMS_PASSWORD_HASH_FAST": True,
        "WTF_CSRF_ENABLED": False,
        "CMS_PAGE_CACHE": False,
        "CMS_BUFFER_VIEW_COUNTS": False,
        "CMS_REDIS_URL": None,
    }
    apps = [create_app(dict(config)), create_app(dict(config))]
    yield apps
    from cms.extensions import db

    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()


def _form(client, **overrides):
    page = client.get("/apply")
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return client.post("/apply", data={**payload(**overrides), "form_token": token, "website": ""})


def test_login_lockout_is_shared_by_two_workers(demo, workers):
    first, second = (w.test_client() for w in workers)
    bad = {"username": "editor", "password": "wrong-password"}
    for client in (first, second, first, second, first):  # 5 failures, spread over both workers
        assert client.post("/login", data=bad).status_code == 401
    assert second.post("/login", data=bad).status_code == 429  # the 6th, from either worker
    assert first.post("/login", data={"username": "editor", "password": "demo12345"}).status_code == 429
    token = second.post("/api/v1/tokens", json={"username": "editor", "password": "demo12345"})
    assert token.status_code == 429  # the API token endpoint counts the same failures


def test_token_failures_and_form_failures_share_one_lockout(demo, workers):
    first, second = (w.test_client() for w in workers)
    for _ in range(3):
        assert first.post("/api/v1/tokens", json={"username": "chief", "password": "x-x-x-x"}).status_code == 401
    for _ in range(2):
        assert second.post("/login", data={"username": "chief", "password": "x-x-x-x"}).status_code == 401
    assert first.post("/login", data={"username": "chief", "password": "demo12345"}).status_code == 429


def test_form_and_api_share_one_filing_budget_across_workers(demo, workers, app):
    assert app.config["CMS_APPLY_RATE_LIMIT"] == "30 per hour"
    first, second = (w.test_client() for w in workers)
    for n in range(30):
        if n % 2:
            response = second.post("/api/v1/applications", json=payload(description=f"第{n}件"))
            assert response.status_code == 201, response.get_json()
        else:
            assert _form(first, description=f"第{n}件").status_code == 302
    assert Application.query.count() == 30
    assert _form(first, description="第31件").status_code == 429
    refused = second.post("/api/v1/applications", json=payload(description="第31件"))
    assert refused.status_code == 429 and refused.get_json()["error"]["code"] == "too_many_requests"
    assert "Retry-After" in refused.headers
    assert _form(second, description="第31件").status_code == 429
    assert Application.query.count() == 30


def test_refused_filings_do_not_use_up_the_budget(client, demo, app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_APPLY_RATE_LIMIT", "2 per hour")
    for _ in range(5):
        assert client.post("/api/v1/applications", json=payload(id_number="bad")).status_code == 422
    assert client.post("/api/v1/applications", json=payload()).status_code == 201
    assert _form(client).status_code == 302
    assert client.post("/api/v1/applications", json=payload()).status_code == 429


def test_failed_status_lookups_share_one_budget_across_form_api_and_workers(demo, workers, app, monkeypatch):
    for w in workers:
        monkeypatch.setitem(w.config, "CMS_STATUS_RATE_LIMIT", "4 per hour")
    first, second = (w.test_client() for w in workers)
    assert first.post("/apply/status", data={"code": "YS2026-AAAAAAAA", "contact": "1"}).status_code == 404
    assert second.get("/api/v1/applications/YS2026-AAAAAAAA?contact=1").status_code == 404
    assert first.get("/api/v1/applications/YS2026-AAAAAAAA?contact=1").status_code == 404
    assert second.post("/apply/status", data={"code": "YS2026-AAAAAAAA", "contact": "1"}).status_code == 404
    assert first.get("/api/v1/applications/YS2026-AAAAAAAA?contact=1").status_code == 429
    assert second.post("/apply/status", data={"code": "YS2026-AAAAAAAA", "contact": "1"}).status_code == 429


def test_a_desk_token_registering_letters_is_not_limited_as_the_public_is(client, demo, token_for):
    desk = token_for("auditor")
    received = clock.local_today().isoformat()
    for n in range(40):
        response = client.post("/api/v1/applications", headers=desk,
                               json=payload(channel="registered_mail", received_on=received, description=f"来信{n}"))
        assert response.status_code == 201, (n, response.get_json())
    assert Application.query.count() == 40
    # The public's budget from the same address is untouched by the desk's work.
    assert client.post("/api/v1/applications", json=payload()).status_code == 201

"""Redis down: login, tokens, filing and status look-up still answer (the database counts meanwhile)."""
import logging
import re

import pytest

from cms import create_app
from cms.applications.models import Application
from tests.applications.helpers import payload

UNREACHABLE = "redis://127.0.0.1:1/0"


@pytest.fixture
def no_redis(database_url, tmp_path):
    application = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "CMS_DATA_DIR": str(tmp_path),
        "SECRET_KEY": "test-secret",
        "CMS_PASSWORD_HASH_FAST": True,
        "WTF_CSRF_ENABLED": False,
        "CMS_PAGE_CACHE": False,
        "CMS_BUFFER_VIEW_COUNTS": False,
        "CMS_REDIS_URL": UNREACHABLE,
    })
    yield application
    from cms.extensions import db

    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def test_login_works_and_is_still_throttled(demo, no_redis, caplog):
    client = no_redis.test_client()
    with caplog.at_level(logging.WARNING):
        assert client.post("/login", data={"username": "editor", "password": "demo12345"}).status_code == 302
    assert any("Redis" in r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING)
    other = no_redis.test_client()
    for _ in range(5):
        assert other.post("/login", data={"username": "chief", "password": "wrong-one"}).status_code == 401
    assert other.post("/login", data={"username": "chief", "password": "demo12345"}).status_code == 429


def test_tokens_are_issued_and_failures_counted(demo, no_redis):
    client = no_redis.test_client()
    response = client.post("/api/v1/tokens", json={"username": "editor", "password": "demo12345"})
    assert response.status_code == 201
    headers = {"Authorization": f"Bearer {response.get_json()['token']}"}
    assert client.get("/api/v1/applications", headers=headers).status_code == 200
    for _ in range(5):
        assert client.post("/api/v1/tokens", json={"username": "chief", "password": "nope-x"}).status_code == 401
    assert client.post("/api/v1/tokens", json={"username": "chief", "password": "demo12345"}).status_code == 429


def test_filing_by_form_and_api(demo, no_redis, monkeypatch):
    monkeypatch.setitem(no_redis.config, "CMS_APPLY_RATE_LIMIT", "2 per hour")
    client = no_redis.test_client()
    assert client.post("/api/v1/applications", json=payload()).status_code == 201
    page = client.get("/apply").get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', page).group(1)
    assert client.post("/apply", data={**payload(), "form_token": token, "website": ""}).status_code == 302
    assert client.post("/api/v1/applications", json=payload()).status_code == 429  # the limit still holds
    assert Application.query.count() == 2


def test_status_lookup_by_form_and_api(demo, no_redis):
    client = no_redis.test_client()
    code = client.post("/api/v1/applications", json=payload()).get_json()["code"]
    assert client.get(f"/api/v1/applications/{code}?contact=13912345678").status_code == 200
    assert client.get(f"/api/v1/applications/{code}?contact=1").status_code == 404
    assert client.post("/apply/status", data={"code": code, "contact": "13912345678"}).status_code == 200
    assert client.post("/apply/status", data={"code": code, "contact": "1"}).status_code == 404

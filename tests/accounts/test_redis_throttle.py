"""With CMS_REDIS_URL the login throttle and the public budgets count in Redis, so several workers agree.

Test runs that share one Redis database and reset it disturb each other: give each concurrent run its own
database with ``CMS_TEST_REDIS_URL`` (default ``redis://127.0.0.1:6379/15``).
"""
import os
import uuid

import pytest

from cms import create_app
from cms.ratelimit import counter_storage
from cms.ratelimit.models import RateLimitHit
from cms.ratelimit.storage import FailoverStorage


def _redis_up(url):
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
        return True
    except Exception:
        return False


def test_failed_logins_are_counted_in_redis_across_app_instances(tmp_path, database_url):
    url = os.environ.get("CMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not _redis_up(url):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {url}")
        pytest.skip("Redis is not running")
    config = {"SQLALCHEMY_DATABASE_URI": database_url, "CMS_DATA_DIR": str(tmp_path), "SECRET_KEY": "x",
              "CMS_REDIS_URL": url, "TESTING": True}
    first, second = create_app(config), create_app(config)
    assert isinstance(counter_storage(first), FailoverStorage)
    username = f"user-{uuid.uuid4().hex}"
    a = first.extensions["cms_login_throttle"]
    b = second.extensions["cms_login_throttle"]
    for _ in range(first.config["CMS_LOGIN_MAX_FAILURES"]):
        a.failed("10.0.0.1", username)
    assert b.blocked("10.0.0.1", username)  # the other "worker" sees the same count
    assert not counter_storage(first).primary_down
    assert RateLimitHit.query.count() == 0  # counted in Redis, not in the database
    b.succeeded("10.0.0.1", username)
    assert not a.blocked("10.0.0.1", username)


def test_two_workers_share_the_filing_budget_and_the_lockout_in_redis(tmp_path, database_url, demo, monkeypatch):
    url = os.environ.get("CMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    if not _redis_up(url):
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {url}")
        pytest.skip("Redis is not running")
    from tests.applications.helpers import payload

    config = {"SQLALCHEMY_DATABASE_URI": database_url, "CMS_DATA_DIR": str(tmp_path), "SECRET_KEY": "x",
              "CMS_REDIS_URL": url, "TESTING": True, "WTF_CSRF_ENABLED": False, "CMS_PASSWORD_HASH_FAST": True,
              "CMS_APPLY_RATE_LIMIT": "3 per hour"}
    apps = [create_app(dict(config)), create_app(dict(config))]
    # A client address of its own: Redis is shared with other test runs, and nothing here resets it.
    address = f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    first, second = (a.test_client() for a in apps)
    for client in (first, second):
        client.environ_base["REMOTE_ADDR"] = address
    assert first.post("/api/v1/applications", json=payload()).status_code == 201
    assert second.post("/api/v1/applications", json=payload()).status_code == 201
    assert first.post("/api/v1/applications", json=payload()).status_code == 201
    assert second.post("/api/v1/applications", json=payload()).status_code == 429
    for client in (first, second, first, second, first):
        assert client.post("/login", data={"username": "editor", "password": "wrong-one"}).status_code == 401
    assert second.post("/login", data={"username": "editor", "password": "demo12345"}).status_code == 429
    assert RateLimitHit.query.count() == 0  # all of it counted in Redis
    from cms.extensions import db

    for application in apps:
        with application.app_context():
            db.session.remove()
            db.engine.dispose()

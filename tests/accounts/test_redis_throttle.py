"""With CMS_REDIS_URL the login throttle and rate limiter share Redis, so several workers agree."""
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

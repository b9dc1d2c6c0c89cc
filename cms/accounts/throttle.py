"""Throttle for failed logins, per client IP and username (browser login and API tokens alike).

The failures are counted in the shared counter storage (``cms.ratelimit``: the database, or Redis), so
every worker sees the same count and the lockout bites at the configured attempt.
"""
import time

from flask import current_app
from limits import RateLimitItemPerSecond
from limits.strategies import MovingWindowRateLimiter


class LoginThrottle:
    """Counts failed logins in a moving window; after ``max_failures`` further attempts get 429."""

    def __init__(self, storage, max_failures, window_seconds):
        self.limiter = MovingWindowRateLimiter(storage)
        self.item = RateLimitItemPerSecond(max_failures, window_seconds)

    @staticmethod
    def _key(ip, username):
        return f"{ip or '-'}|{(username or '').strip().lower()[:64]}"

    def blocked(self, ip, username):
        """True when this IP + username has used up its failures."""
        return not self.limiter.test(self.item, "login", self._key(ip, username))

    def failed(self, ip, username):
        """Count one failure (after the request's own changes are committed: see ``cms.ratelimit.storage``)."""
        self.limiter.hit(self.item, "login", self._key(ip, username))

    def succeeded(self, ip, username):
        """Forget the failures after a successful login."""
        self.limiter.clear(self.item, "login", self._key(ip, username))

    def retry_after(self, ip, username):
        """Seconds until the next attempt is allowed (a ceiling)."""
        stats = self.limiter.get_window_stats(self.item, "login", self._key(ip, username))
        return max(1, int(stats.reset_time - time.time()) + 1)


def init_throttle(app):
    from cms.ratelimit import counter_storage

    app.extensions["cms_login_throttle"] = LoginThrottle(
        counter_storage(app),
        app.config["CMS_LOGIN_MAX_FAILURES"],
        app.config["CMS_LOGIN_WINDOW_SECONDS"],
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions["cms_login_throttle"]

"""Throttle for failed logins, per client IP and username (browser login and API tokens alike)."""
from flask import current_app
from limits import RateLimitItemPerSecond
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter


class LoginThrottle:
    """Counts failed logins in a moving window; after ``max_failures`` further attempts get 429."""

    def __init__(self, storage_uri, max_failures, window_seconds):
        self.limiter = MovingWindowRateLimiter(storage_from_string(storage_uri))
        self.item = RateLimitItemPerSecond(max_failures, window_seconds)

    @staticmethod
    def _key(ip, username):
        return f"{ip or '-'}|{(username or '').strip().lower()[:64]}"

    def blocked(self, ip, username):
        """True when this IP + username has used up its failures."""
        return not self.limiter.test(self.item, "login", self._key(ip, username))

    def failed(self, ip, username):
        """Count one failure."""
        self.limiter.hit(self.item, "login", self._key(ip, username))

    def succeeded(self, ip, username):
        """Forget the failures after a successful login."""
        self.limiter.clear(self.item, "login", self._key(ip, username))

    def retry_after(self, ip, username):
        """Seconds until the next attempt is allowed (a ceiling)."""
        stats = self.limiter.get_window_stats(self.item, "login", self._key(ip, username))
        import time

        return max(1, int(stats.reset_time - time.time()) + 1)


def init_throttle(app):
    app.extensions["cms_login_throttle"] = LoginThrottle(
        app.config["RATELIMIT_STORAGE_URI"],
        app.config["CMS_LOGIN_MAX_FAILURES"],
        app.config["CMS_LOGIN_WINDOW_SECONDS"],
    )


def login_throttle() -> LoginThrottle:
    return current_app.extensions["cms_login_throttle"]

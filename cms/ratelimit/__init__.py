"""Rate limits whose counters every worker shares: the login throttle and the public budgets.

Counters live in Redis when ``CMS_REDIS_URL`` is set (the database counts while Redis cannot be reached)
and in the database otherwise, so several workers (or app servers) never keep counts of their own.
"""
from functools import wraps

from flask import after_this_request, current_app, request
from limits import parse
from limits.strategies import MovingWindowRateLimiter
from werkzeug.exceptions import TooManyRequests

from cms.extensions import db
from cms.ratelimit.storage import DatabaseStorage, FailoverStorage

# Redis answers in milliseconds; waiting longer than this means it is not there.
REDIS_TIMEOUT_SECONDS = 1.0


def build_storage(app):
    """The counter storage for ``app``: Redis with the database as fallback, or the database alone."""
    with app.app_context():
        database = DatabaseStorage(db.engine)
    url = app.config.get("CMS_REDIS_URL")
    if not url:
        return database
    from limits.storage import RedisStorage

    redis = RedisStorage(url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS)
    return FailoverStorage(redis, database)


def init_counters(app):
    app.extensions["cms_counters"] = build_storage(app)


def counter_storage(app=None):
    """The current app's shared counter storage (a ``limits`` storage with moving-window support)."""
    return (app or current_app).extensions["cms_counters"]


def client_address():
    return request.remote_addr or "-"


class Budget:
    """A number of events per client address and period, read from a setting such as ``"30 per hour"``.

    One budget may guard several routes (the form and the API): they draw on the same counter.
    """

    def __init__(self, name, setting, message):
        self.name, self.setting, self.message = name, setting, message

    def _parts(self):
        return MovingWindowRateLimiter(counter_storage()), parse(current_app.config[self.setting])

    def allows(self, key):
        """True when ``key`` has something left to spend."""
        limiter, item = self._parts()
        return limiter.test(item, self.name, key)

    def spend(self, key):
        limiter, item = self._parts()
        limiter.hit(item, self.name, key)

    def retry_after(self, key):
        """Seconds until ``key`` may try again (a ceiling)."""
        import time

        limiter, item = self._parts()
        return max(1, int(limiter.get_window_stats(item, self.name, key).reset_time - time.time()) + 1)

    def limit(self, spend_when, exempt_when=None, methods=None):
        """Decorate a view: refuse with 429 when the caller's budget is used up; spend one unit when
        ``spend_when(response)`` holds (only what succeeds, or only what fails, counts)."""

        def decorator(view):
            @wraps(view)
            def wrapped(*args, **kwargs):
                if (methods and request.method not in methods) or (exempt_when and exempt_when()):
                    return view(*args, **kwargs)
                key = client_address()
                if not self.allows(key):
                    raise TooManyRequests(self.message, retry_after=self.retry_after(key))

                @after_this_request
                def _count(response):
                    # Sees the final response, also one made by an error handler (API errors are raised).
                    # By now the view has committed or rolled back, so counting cannot wait on its lock.
                    if spend_when(response):
                        self.spend(key)
                    return response

                return view(*args, **kwargs)

            return wrapped

        return decorator


# Filings by the public, through the form and the API together (successful filings count).
APPLY_BUDGET = Budget("apply", "CMS_APPLY_RATE_LIMIT", "提交申请过于频繁，请稍后再试。")
# Failed status look-ups (form, API and the reply-letter download together), against guessing codes.
STATUS_BUDGET = Budget("status", "CMS_STATUS_RATE_LIMIT", "查询失败次数过多，请稍后再试。")

"""Counter storages for the ``limits`` strategies: the database (embedded mode, and Redis's stand-in when
Redis is down) and a fail-over wrapper around Redis.

The database storage runs on its own connections, never in the request's transaction: a count survives the
request's rollback, and the request's own changes are not committed by it. On SQLite a write here waits for
the request's write lock, so callers count only after the request has committed (or wrote nothing).
"""
import hashlib
import logging
import random
import threading
import time

import sqlalchemy as sa
from limits.storage import Storage
from limits.storage.base import MovingWindowSupport

from cms.ratelimit.models import RateLimitHit

log = logging.getLogger("cms.ratelimit")
hits = RateLimitHit.__table__

# Out of this many counted events, one also sweeps every expired row (keeps the table small).
PRUNE_ONE_IN = 50


class DatabaseStorage(Storage, MovingWindowSupport):
    """Moving-window (and fixed-window) counters in the ``rate_limit_hits`` table."""

    def __init__(self, engine):
        super().__init__()
        self.engine = engine

    @property
    def base_exceptions(self):
        return sa.exc.SQLAlchemyError

    # -- helpers --------------------------------------------------------------------------------------------

    def _serialize(self, conn, key):
        """Make concurrent acquisitions of one key take turns (PostgreSQL; SQLite writers always do)."""
        if conn.dialect.name == "postgresql":
            lock_id = int.from_bytes(hashlib.sha256(key.encode("utf-8")).digest()[:8], "big", signed=True)
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(:id)"), {"id": lock_id})

    def _live(self, key, now):
        return sa.and_(hits.c.limit_key == key, hits.c.expires_at > now)

    def _stats(self, key, now):
        with self.engine.connect() as conn:
            return conn.execute(
                sa.select(sa.func.count(), sa.func.min(hits.c.expires_at)).where(self._live(key, now))
            ).one()

    def _maybe_prune(self, now):
        if random.randrange(PRUNE_ONE_IN) == 0:
            with self.engine.begin() as conn:
                conn.execute(hits.delete().where(hits.c.expires_at <= now))

    # -- moving window --------------------------------------------------------------------------------------

    def acquire_entry(self, key, limit, expiry, amount=1):
        if amount > limit:
            return False
        now = time.time()
        with self.engine.begin() as conn:
            self._serialize(conn, key)
            # A write first: on SQLite it takes the write lock, so the count below cannot go stale.
            conn.execute(hits.delete().where(hits.c.limit_key == key, hits.c.expires_at <= now))
            count = conn.scalar(sa.select(sa.func.count()).where(self._live(key, now)))
            if count + amount > limit:
                return False
            conn.execute(hits.insert(), [{"limit_key": key, "expires_at": now + expiry}] * amount)
        self._maybe_prune(now)
        return True

    def get_moving_window(self, key, limit, expiry):
        now = time.time()
        count, first_expiry = self._stats(key, now)
        if not count:
            return now, 0
        return first_expiry - expiry, count

    # -- fixed window (the ``limits`` base interface) --------------------------------------------------------

    def incr(self, key, expiry, amount=1):
        now = time.time()
        with self.engine.begin() as conn:
            self._serialize(conn, key)
            conn.execute(hits.delete().where(hits.c.limit_key == key, hits.c.expires_at <= now))
            window_end = conn.scalar(sa.select(sa.func.min(hits.c.expires_at)).where(self._live(key, now)))
            conn.execute(hits.insert(), [{"limit_key": key, "expires_at": window_end or now + expiry}] * amount)
            return conn.scalar(sa.select(sa.func.count()).where(self._live(key, now)))

    def get(self, key):
        return self._stats(key, time.time())[0]

    def get_expiry(self, key):
        now = time.time()
        count, first_expiry = self._stats(key, now)
        return first_expiry if count else now

    def check(self):
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except sa.exc.SQLAlchemyError:
            return False

    def reset(self):
        with self.engine.begin() as conn:
            return conn.execute(hits.delete()).rowcount

    def clear(self, key):
        with self.engine.begin() as conn:
            conn.execute(hits.delete().where(hits.c.limit_key == key))


class FailoverStorage(Storage, MovingWindowSupport):
    """Redis first; while Redis cannot be reached, the database counts (with a warning in the log).

    After a failure Redis is left alone for ``retry_seconds`` so that requests do not each wait for a
    connection that will not come.
    """

    def __init__(self, primary, fallback, retry_seconds=30, name="Redis"):
        super().__init__()
        self.primary, self.fallback = primary, fallback
        self.retry_seconds = retry_seconds
        self.name = name
        self._down_until = None
        self._lock = threading.Lock()

    @property
    def base_exceptions(self):
        return self.fallback.base_exceptions

    @property
    def primary_down(self):
        """True while the fallback is counting (Redis failed less than ``retry_seconds`` ago)."""
        return self._down_until is not None

    def _call(self, method, *args, **kwargs):
        down_until = self._down_until
        if down_until is None or time.monotonic() >= down_until:
            try:
                result = getattr(self.primary, method)(*args, **kwargs)
            except (self.primary.base_exceptions, OSError) as exc:
                with self._lock:
                    self._down_until = time.monotonic() + self.retry_seconds
                log.warning("%s is unreachable (%s); counting rate limits in the database for the next %s s",
                            self.name, exc, self.retry_seconds)
            else:
                if down_until is not None:
                    with self._lock:
                        self._down_until = None
                    log.warning("%s is reachable again; rate limits are counted there", self.name)
                return result
        return getattr(self.fallback, method)(*args, **kwargs)

    def acquire_entry(self, key, limit, expiry, amount=1):
        return self._call("acquire_entry", key, limit, expiry, amount=amount)

    def get_moving_window(self, key, limit, expiry):
        return self._call("get_moving_window", key, limit, expiry)

    def incr(self, key, expiry, amount=1):
        return self._call("incr", key, expiry, amount=amount)

    def get(self, key):
        return self._call("get", key)

    def get_expiry(self, key):
        return self._call("get_expiry", key)

    def check(self):
        """Healthy when Redis answers (the fallback keeps requests working, but the deployment is degraded)."""
        try:
            return bool(self.primary.check())
        except Exception:  # noqa: BLE001 - a health probe answers, it does not raise
            return False

    def reset(self):
        try:
            self.primary.reset()
        except (self.primary.base_exceptions, OSError):
            pass
        return self.fallback.reset()

    def clear(self, key):
        try:
            self.primary.clear(key)
        except (self.primary.base_exceptions, OSError):
            pass
        self.fallback.clear(key)

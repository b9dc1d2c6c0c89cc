"""View counts, buffered in memory and written in batches so a page view is not a database write."""
import threading
import time

from sqlalchemy import bindparam, update

from cms.content.models import Item
from cms.extensions import db

FLUSH_SECONDS = 5.0
FLUSH_PENDING = 500

_table = Item.__table__
_ADD_VIEWS = (
    update(_table)
    .where(_table.c.id == bindparam("item_id"))
    .values(view_count=_table.c.view_count + bindparam("views"), updated_at=_table.c.updated_at)
)


class ViewCounter:
    """Per-process buffer of item views; ``flush`` adds them to ``items.view_count`` (one executemany)."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: dict[int, int] = {}
        self._last_flush = time.monotonic()

    def hit(self, item_id):
        with self._lock:
            self._pending[item_id] = self._pending.get(item_id, 0) + 1

    def pending(self, item_id):
        with self._lock:
            return self._pending.get(item_id, 0)

    def due(self):
        with self._lock:
            return bool(self._pending) and (
                time.monotonic() - self._last_flush >= FLUSH_SECONDS or sum(self._pending.values()) >= FLUSH_PENDING
            )

    def flush(self):
        """Write the buffered views (in its own short transaction)."""
        with self._lock:
            pending, self._pending = self._pending, {}
            self._last_flush = time.monotonic()
        if not pending:
            return 0
        try:
            # One statement shape for every flush (executemany), so the engine compiles it once: a CASE over the
            # pending ids was a new statement each time, and the compiled-statement cache kept hundreds of them
            # (a worker grew by megabytes a minute under load). updated_at is kept: a view is not a change of the
            # item (page caches validate on it).
            db.session.execute(_ADD_VIEWS, [{"item_id": i, "views": n} for i, n in pending.items()])
            db.session.commit()
        except Exception:  # a busy database must not lose the counts: put them back for the next flush
            db.session.rollback()
            with self._lock:
                for item_id, count in pending.items():
                    self._pending[item_id] = self._pending.get(item_id, 0) + count
            return 0
        return sum(pending.values())


counter = ViewCounter()

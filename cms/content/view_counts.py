"""View counts, buffered in memory and written in batches so a page view is not a database write."""
import threading
import time

from sqlalchemy import case, update

from cms.content.models import Item
from cms.extensions import db

FLUSH_SECONDS = 5.0
FLUSH_PENDING = 500


class ViewCounter:
    """Per-process buffer of item views; ``flush`` adds them to ``items.view_count`` in one UPDATE."""

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
        table = Item.__table__
        try:
            db.session.execute(
                update(table)
                .where(table.c.id.in_(list(pending)))
                # Keep updated_at: a view is not a change of the item (page caches validate on it).
                .values(view_count=table.c.view_count + case(pending, value=table.c.id, else_=0),
                        updated_at=table.c.updated_at)
            )
            db.session.commit()
        except Exception:  # a busy database must not lose the counts: put them back for the next flush
            db.session.rollback()
            with self._lock:
                for item_id, count in pending.items():
                    self._pending[item_id] = self._pending.get(item_id, 0) + count
            return 0
        return sum(pending.values())


counter = ViewCounter()

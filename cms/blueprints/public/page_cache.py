"""An in-process cache of rendered public pages, validated against the row they show.

A published page is cached until it changes: the key carries the item's version and update time, so an
edit, a revision sign-off, a retraction or a validity change makes the next request render afresh. A short
time-to-live also refreshes what the page shows from other rows (related items, the view count).
"""
import threading
import time
from collections import OrderedDict

TTL_SECONDS = 60
MAX_ENTRIES = 2000


class PageCache:
    def __init__(self, max_entries=MAX_ENTRIES, ttl=TTL_SECONDS):
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.ttl = ttl

    def get(self, key, validator):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_validator, rendered_at, html = entry
            if stored_validator != validator or time.monotonic() - rendered_at > self.ttl:
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return html

    def put(self, key, validator, html):
        with self._lock:
            self._entries[key] = (validator, time.monotonic(), html)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self):
        with self._lock:
            self._entries.clear()


# Each worker keeps its most visited pages; the shared page store (cms/pages/store.py) holds the rest, so a
# worker's own share stays small (a worker's memory target is 150 MB).
item_pages = PageCache(max_entries=1000)
column_pages = PageCache(max_entries=1000, ttl=30)

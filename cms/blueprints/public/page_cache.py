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
# About 2 bytes a character in memory (CJK text): 4 million characters is about 8 MB per cache.
MAX_CHARS = 4_000_000


class PageCache:
    """Rendered pages by key, each with its validator; bounded by entries and by characters held."""

    def __init__(self, max_entries=MAX_ENTRIES, ttl=TTL_SECONDS, max_chars=MAX_CHARS):
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()
        self.max_entries = max_entries
        self.max_chars = max_chars
        self.ttl = ttl
        self._chars = 0

    def get(self, key, validator):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            stored_validator, rendered_at, html = entry
            if stored_validator != validator or time.monotonic() - rendered_at > self.ttl:
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return html

    def put(self, key, validator, html):
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (validator, time.monotonic(), html)
            self._chars += len(html)
            while self._entries and (len(self._entries) > self.max_entries or self._chars > self.max_chars):
                self._drop(next(iter(self._entries)))

    def _drop(self, key):
        _, _, html = self._entries.pop(key)
        self._chars -= len(html)

    def clear(self):
        with self._lock:
            self._entries.clear()
            self._chars = 0


# Each worker keeps its most visited pages; the shared page store (cms/pages/store.py) holds the rest, so a
# worker's own share stays small (a worker's memory target is 150 MB).
item_pages = PageCache(max_entries=1000, max_chars=1_500_000)
column_pages = PageCache(max_entries=1000, ttl=30, max_chars=2_500_000)
search_pages = PageCache(max_entries=300, ttl=60, max_chars=1_500_000)


def may_keep_page():
    """Whether the page of this request may be kept: the cache is on and the page carries no flashed message
    (a message is for this visitor only)."""
    from flask import current_app, session

    return bool(current_app.config["CMS_PAGE_CACHE"]) and not session.get("_flashes")


def kept_page(cache, key, validator, shared_key=None):
    """The kept page for ``key`` if rendered for ``validator``: from this worker's ``cache``, else from the
    shared page store (under ``shared_key``, default ``key``), which then also fills this worker's cache."""
    from cms.pages.store import page_store

    html = cache.get(key, validator)
    if html is None:
        html = page_store().get(key if shared_key is None else shared_key, validator)
        if html is not None:
            cache.put(key, validator, html)
    return html

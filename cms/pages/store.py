"""The shared page store: rendered pages as compressed files under ``<data folder>/page-store``.

Every worker of a host reads and writes the same files, so a page rendered by one worker is served by all,
and the store survives restarts. Each file starts with a header line holding the digest of the validator
the page was rendered for and the time it was rendered; a page is served only while its validator is
unchanged and it is younger than the store's time-to-live (the backstop for what validators do not cover,
such as a renamed column). Writes go to a temporary file renamed into place, so a reader never sees half a
page. A store that cannot be read or written (disk full, permissions) is skipped: the page is rendered.
"""
import hashlib
import logging
import os
import shutil
import tempfile
import time
import zlib
from pathlib import Path

log = logging.getLogger(__name__)


def _digest(value):
    return hashlib.sha1(repr(value).encode("utf-8")).hexdigest()


class FilePageStore:
    def __init__(self, root, ttl_seconds):
        self.root = Path(root)
        self.ttl = ttl_seconds

    def _path(self, key):
        name = _digest(key)
        return self.root / name[:2] / f"{name}.page"

    def get(self, key, validator):
        """The page stored for ``key`` if it was rendered for ``validator`` and is still fresh, else None."""
        try:
            with open(self._path(key), "rb") as fh:
                data = fh.read()
        except OSError:
            return None
        header, _, body = data.partition(b"\n")
        try:
            stored_digest, rendered_at = header.decode("ascii").split(" ")
            if stored_digest != _digest(validator) or time.time() - float(rendered_at) > self.ttl:
                return None
            return zlib.decompress(body).decode("utf-8")
        except (ValueError, UnicodeDecodeError, zlib.error):
            return None

    def put(self, key, validator, html):
        path = self._path(key)
        data = f"{_digest(validator)} {time.time():.0f}\n".encode("ascii") + zlib.compress(html.encode("utf-8"), 1)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except OSError as exc:  # a full or read-only disk costs a render, never the page
            log.warning("page store: cannot write %s: %s", path, exc)
            try:
                os.unlink(tmp)
            except (OSError, UnboundLocalError):
                pass

    def clear(self):
        """Remove every stored page; returns how many there were."""
        count = 0
        if self.root.exists():
            count = sum(1 for _ in self.root.glob("*/*.page"))
            shutil.rmtree(self.root, ignore_errors=True)
        return count

    def count(self):
        return sum(1 for _ in self.root.glob("*/*.page")) if self.root.exists() else 0


class NullPageStore:
    """The store when it is switched off (``CMS_PAGE_STORE=0``): nothing kept."""

    def get(self, key, validator):
        return None

    def put(self, key, validator, html):
        pass

    def clear(self):
        return 0

    def count(self):
        return 0


def page_store():
    """The page store of the current app."""
    from flask import current_app

    config = current_app.config
    if not (config["CMS_PAGE_CACHE"] and config["CMS_PAGE_STORE"]):
        return _NULL
    store = current_app.extensions.get("cms_page_store")
    if store is None:
        store = FilePageStore(config["CMS_PAGE_STORE_DIR"], config["CMS_PAGE_STORE_TTL"])
        current_app.extensions["cms_page_store"] = store
    return store


_NULL = NullPageStore()

"""Settings from ``CMS_*`` environment variables, with safe defaults for the embedded mode."""
import os
import secrets
from pathlib import Path


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _host_list(value):
    """``"a.gov.cn, b.gov.cn"`` or a list -> ``["a.gov.cn", "b.gov.cn"]``."""
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip().lower() for item in items if item and item.strip()]


def _load_or_create_secret(data_dir: Path) -> str:
    """Read the secret key from the data folder, generating it on first start (never in the repo)."""
    path = data_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL so two workers starting together agree on one key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Return the configuration mapping for an app whose instance folder is ``instance_path``."""
    overrides = dict(overrides or {})
    data_dir = Path(overrides.get("CMS_DATA_DIR") or os.environ.get("CMS_DATA_DIR") or instance_path)
    data_dir = data_dir.resolve()
    database_url = overrides.get("SQLALCHEMY_DATABASE_URI") or os.environ.get("CMS_DATABASE_URL")
    if not database_url:
        database_url = f"sqlite:///{data_dir / 'cms.sqlite3'}"
    secret = overrides.get("SECRET_KEY") or os.environ.get("CMS_SECRET_KEY")
    if not secret:
        secret = _load_or_create_secret(data_dir)
    redis_url = overrides.get("CMS_REDIS_URL", os.environ.get("CMS_REDIS_URL") or None)

    engine_options = {"pool_pre_ping": True}
    if database_url.startswith("sqlite"):
        # Several threads (tests, the dev server) share one file; wait instead of failing on a lock.
        engine_options = {"connect_args": {"timeout": 30, "check_same_thread": False}}

    config = {
        "SECRET_KEY": secret,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "CMS_DATA_DIR": str(data_dir),
        "CMS_UPLOAD_DIR": str(data_dir / "uploads"),
        "CMS_SEARCH_DIR": str(data_dir / "search-index"),
        "CMS_SEARCH_BACKEND": os.environ.get("CMS_SEARCH_BACKEND", "whoosh"),
        "CMS_SEARCH_REBUILD_PROCS": int(os.environ.get("CMS_SEARCH_REBUILD_PROCS", "0")),  # 0: 2 when 2+ cores
        "CMS_REDIS_URL": redis_url,
        "CMS_MAX_ATTACHMENT_MB": int(os.environ.get("CMS_MAX_ATTACHMENT_MB", "50")),
        "CMS_DOCUMENT_LINK_SECONDS": int(os.environ.get("CMS_DOCUMENT_LINK_SECONDS", "3600")),
        "CMS_PREVIEW_DAYS": int(os.environ.get("CMS_PREVIEW_DAYS", "7")),  # life of a signed preview link
        # An editor's lock on an item lapses after this many seconds without renewal (the open editor renews it).
        "CMS_EDIT_LOCK_SECONDS": int(os.environ.get("CMS_EDIT_LOCK_SECONDS", "300")),
        "CMS_LOGIN_MAX_FAILURES": int(os.environ.get("CMS_LOGIN_MAX_FAILURES", "5")),
        "CMS_LOGIN_WINDOW_SECONDS": int(os.environ.get("CMS_LOGIN_WINDOW_SECONDS", "900")),
        "CMS_API_TOKEN_HOURS": int(os.environ.get("CMS_API_TOKEN_HOURS", "12")),
        # A browser session ends at logout, or at the latest this many hours after the login.
        "CMS_SESSION_HOURS": int(os.environ.get("CMS_SESSION_HOURS", "12")),
        "CMS_PASSWORD_HASH_FAST": _env_bool("CMS_PASSWORD_HASH_FAST"),
        # Public item pages are cached in process until the item changes (and at most 60 s).
        "CMS_PAGE_CACHE": _env_bool("CMS_PAGE_CACHE", True),
        # Rendered item pages are also kept on disk, shared by the workers of a host (cms/pages/store.py),
        # until what they show changes; the time-to-live is the backstop (a renamed column, say).
        "CMS_PAGE_STORE": _env_bool("CMS_PAGE_STORE", True),
        "CMS_PAGE_STORE_DIR": os.environ.get("CMS_PAGE_STORE_DIR") or str(data_dir / "page-store"),
        "CMS_PAGE_STORE_TTL": int(os.environ.get("CMS_PAGE_STORE_TTL", "86400")),
        # After a publication the queue renders the new page and its neighbours' into the store.
        "CMS_PAGE_WARM": _env_bool("CMS_PAGE_WARM", True),
        # View counts are buffered in memory and written every few seconds.
        "CMS_BUFFER_VIEW_COUNTS": _env_bool("CMS_BUFFER_VIEW_COUNTS", True),
        # The task queue (huey): SQLite file in the data folder, or Redis when CMS_REDIS_URL is set.
        # Immediate mode runs every task at once in the caller (tests, debugging).
        "CMS_QUEUE_IMMEDIATE": _env_bool("CMS_QUEUE_IMMEDIATE"),
        "CMS_QUEUE_FILE": os.environ.get("CMS_QUEUE_FILE") or str(data_dir / "queue.sqlite3"),
        "CMS_QUEUE_WORKERS": int(os.environ.get("CMS_QUEUE_WORKERS", "2")),
        # /healthz reports the queue down when the consumer's heartbeat is older than this.
        "CMS_QUEUE_STALE_SECONDS": int(os.environ.get("CMS_QUEUE_STALE_SECONDS", "300")),
        # Local (China Standard Time) hour of the daily application reminder, Monday to Friday.
        "CMS_REMINDER_HOUR": int(os.environ.get("CMS_REMINDER_HOUR", "8")),
        # Hours each review stage of an urgent item (a response to an open incident) may take.
        "CMS_URGENT_STAGE_HOURS": float(os.environ.get("CMS_URGENT_STAGE_HOURS", "1")),
        # Attachment text extraction caps (decompression bombs): bytes read from a zip member or file,
        # PDF pages, characters kept. Text beyond a cap is not indexed and the attachment is flagged.
        "CMS_EXTRACT_MAX_BYTES": int(os.environ.get("CMS_EXTRACT_MAX_BYTES", str(20 * 1024 * 1024))),
        "CMS_EXTRACT_MAX_PAGES": int(os.environ.get("CMS_EXTRACT_MAX_PAGES", "200")),
        "CMS_EXTRACT_MAX_CHARS": int(os.environ.get("CMS_EXTRACT_MAX_CHARS", "200000")),
        "CMS_SMTP_HOST": os.environ.get("CMS_SMTP_HOST") or None,
        "CMS_SMTP_PORT": int(os.environ.get("CMS_SMTP_PORT", "25")),
        "CMS_SMTP_SENDER": os.environ.get("CMS_SMTP_SENDER", "noreply@localhost"),
        # The public application form: optionally the least seconds between showing and sending it (off by
        # default: browser autofill lets real people send a form in a second), the rate limit of filings
        # (successful ones count) and of failed status look-ups per client address.
        "CMS_APPLY_MIN_SECONDS": int(os.environ.get("CMS_APPLY_MIN_SECONDS", "0")),
        "CMS_APPLY_RATE_LIMIT": os.environ.get("CMS_APPLY_RATE_LIMIT", "30 per hour"),
        "CMS_STATUS_RATE_LIMIT": os.environ.get("CMS_STATUS_RATE_LIMIT", "30 per hour"),
        # Comments from the public on consultations (form and API together; successful ones count).
        "CMS_COMMENT_RATE_LIMIT": os.environ.get("CMS_COMMENT_RATE_LIMIT", "30 per hour"),
        # Absolute URLs (feeds, sitemap, robots.txt) are built from this, never from the request's Host header.
        # New media channels enabled where a bureau has not decided, and the posting adapter (cms/channels/).
        "CMS_CHANNELS": os.environ.get("CMS_CHANNELS", "wechat,weibo,toutiao"),
        "CMS_CHANNEL_ADAPTER": os.environ.get("CMS_CHANNEL_ADAPTER") or None,
        "CMS_SITE_URL": (overrides.get("CMS_SITE_URL") or os.environ.get("CMS_SITE_URL")
                         or "http://127.0.0.1:5000").rstrip("/"),
        # Requests for any other host get 400 (Flask's TRUSTED_HOSTS; a leading dot allows subdomains).
        "TRUSTED_HOSTS": _host_list(overrides.get("CMS_TRUSTED_HOSTS")
                                    or os.environ.get("CMS_TRUSTED_HOSTS") or "127.0.0.1,localhost"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("CMS_SECURE_COOKIES"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
        # Request bodies above this size get 413; attachments set their own, larger limit.
        "MAX_CONTENT_LENGTH": (int(os.environ.get("CMS_MAX_ATTACHMENT_MB", "50")) + 1) * 1024 * 1024,
        "JSON_AS_ASCII": False,
    }
    config.update(overrides)
    return config

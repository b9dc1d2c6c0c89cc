"""Settings from ``CMS_*`` environment variables, with safe defaults for the embedded mode."""
import os
import secrets
from pathlib import Path


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


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
        "CMS_REDIS_URL": redis_url,
        "CMS_MAX_ATTACHMENT_MB": int(os.environ.get("CMS_MAX_ATTACHMENT_MB", "50")),
        # An editor's lock on an item lapses after this many seconds without renewal (the open editor renews it).
        "CMS_EDIT_LOCK_SECONDS": int(os.environ.get("CMS_EDIT_LOCK_SECONDS", "300")),
        "CMS_LOGIN_MAX_FAILURES": int(os.environ.get("CMS_LOGIN_MAX_FAILURES", "5")),
        "CMS_LOGIN_WINDOW_SECONDS": int(os.environ.get("CMS_LOGIN_WINDOW_SECONDS", "900")),
        "CMS_API_TOKEN_HOURS": int(os.environ.get("CMS_API_TOKEN_HOURS", "12")),
        "CMS_PASSWORD_HASH_FAST": _env_bool("CMS_PASSWORD_HASH_FAST"),
        # Public item pages are cached in process until the item changes (and at most 60 s).
        "CMS_PAGE_CACHE": _env_bool("CMS_PAGE_CACHE", True),
        # View counts are buffered in memory and written every few seconds.
        "CMS_BUFFER_VIEW_COUNTS": _env_bool("CMS_BUFFER_VIEW_COUNTS", True),
        "CMS_SMTP_HOST": os.environ.get("CMS_SMTP_HOST") or None,
        "CMS_SMTP_PORT": int(os.environ.get("CMS_SMTP_PORT", "25")),
        "CMS_SMTP_SENDER": os.environ.get("CMS_SMTP_SENDER", "noreply@localhost"),
        # The public application form: optionally the least seconds between showing and sending it (off by
        # default: browser autofill lets real people send a form in a second), the rate limit of filings
        # (successful ones count) and of failed status look-ups per client address.
        "CMS_APPLY_MIN_SECONDS": int(os.environ.get("CMS_APPLY_MIN_SECONDS", "0")),
        "CMS_APPLY_RATE_LIMIT": os.environ.get("CMS_APPLY_RATE_LIMIT", "30 per hour"),
        "CMS_STATUS_RATE_LIMIT": os.environ.get("CMS_STATUS_RATE_LIMIT", "30 per hour"),
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

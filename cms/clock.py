"""Small helpers shared by every model module.

Timestamps are stored as naive UTC on every backend (SQLite has no time zones); pages show them in
China Standard Time through ``to_local``.
"""
from datetime import datetime, timedelta, timezone

CST = timezone(timedelta(hours=8), "Asia/Shanghai")


def utcnow() -> datetime:
    """Current time as naive UTC (column default: pass the callable, never its value)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def to_local(value: datetime | None) -> datetime | None:
    """Convert a stored naive-UTC timestamp to China Standard Time for display."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=timezone.utc)
    return value.astimezone(CST)


def local_today():
    """Today's date in China Standard Time (deadlines and index-number years follow local dates)."""
    return datetime.now(CST).date()

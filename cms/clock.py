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


_CST_OFFSET = CST.utcoffset(None)


def local_date_text(value: datetime | None) -> str:
    """The China Standard Time date of a stored naive-UTC timestamp as ``YYYY-MM-DD`` ("" for None): what
    ``to_local(value).strftime("%Y-%m-%d")`` gives, for a fraction of its cost (China Standard Time is a fixed
    +8 hours, with no daylight saving time); list pages format one or two dates a row."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        return to_local(value).strftime("%Y-%m-%d")
    local = value + _CST_OFFSET
    if local.year < 1000:  # isoformat pads the year to four digits, strftime does not
        return local.strftime("%Y-%m-%d")
    return local.date().isoformat()


def local_today():
    """Today's date in China Standard Time (deadlines and index-number years follow local dates)."""
    return datetime.now(CST).date()

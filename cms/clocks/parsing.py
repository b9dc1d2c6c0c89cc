"""Input rules shared by the clock services: Beijing-time date-times, dates, bounded strings."""
from datetime import date, datetime, timezone

from cms.clock import CST
from cms.errors import ValidationError


def parse_datetime(value, field):
    """An ISO 8601 date-time (offset optional: Beijing time when absent) as naive UTC."""
    if not isinstance(value, str) or "T" not in value.upper() and " " not in value.strip():
        raise ValidationError(f"{field} 应为 ISO 8601 日期时间，如 2026-12-01T08:30:00+08:00",
                              fields={field: "invalid_datetime"})
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValidationError(f"{field} 不是有效的日期时间：{value}", fields={field: "invalid_datetime"}) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CST)
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def parse_date(value, field):
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        raise ValidationError(f"{field} 应为日期 YYYY-MM-DD", fields={field: "invalid_date"})
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError(f"{field} 不是有效的日期：{value}", fields={field: "invalid_date"}) from None


def text(value, field, limit, required=True):
    """A stripped string of at most ``limit`` characters (None when optional and empty)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValidationError(f"缺少字段：{field}", fields={field: "required"})
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{field} 应为字符串", fields={field: "wrong_type"})
    value = value.strip()
    if len(value) > limit:
        raise ValidationError(f"{field} 过长（最多 {limit} 字）", fields={field: "too_long"})
    return value


def choice(value, field, choices):
    if not isinstance(value, str) or value not in choices:
        raise ValidationError(f"{field} 取值无效，可选：{', '.join(choices)}", fields={field: "invalid"})
    return value


def check_unknown(data, allowed):
    unknown = set(data) - set(allowed)
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})

"""The period rules (征求意见期限): major administrative decisions at least 30 days (《重大行政决策程序暂行条例》),
normative documents at least 7 working days (国办发〔2018〕37号); a shorter period needs a stated reason,
which the public page shows.

A period runs from the start of ``opens_on`` to the end of ``closes_on`` (Beijing time), both days counted.
"""
from datetime import date, datetime, time, timedelta, timezone

from cms.calendar.working_days import working_days_between
from cms.clock import CST
from cms.clocks import parsing
from cms.consultations.models import KINDS
from cms.errors import ValidationError

MIN_DAYS = {"major_decision": 30}
MIN_WORKING_DAYS = {"normative": 7}
FIELDS = ("kind", "opens_on", "closes_on", "shortened_reason")
RULES = {
    "major_decision": "重大行政决策征求意见期限一般不少于30日",
    "normative": "行政规范性文件征求意见期限一般不少于7个工作日",
}


def period_days(opens_on: date, closes_on: date) -> int:
    """Calendar days of the period, both ends counted."""
    return (closes_on - opens_on).days + 1


def period_working_days(opens_on: date, closes_on: date) -> int:
    """Working days of the period, both ends counted."""
    return working_days_between(opens_on - timedelta(days=1), closes_on)


def is_shortened(kind, opens_on, closes_on):
    """True when the period is shorter than the rule of ``kind`` asks."""
    if kind in MIN_DAYS:
        return period_days(opens_on, closes_on) < MIN_DAYS[kind]
    if kind in MIN_WORKING_DAYS:
        return period_working_days(opens_on, closes_on) < MIN_WORKING_DAYS[kind]
    return False


def clean_consultation(data):
    """Validate the ``consultation`` object of an item: ``{kind, opens_on, closes_on, shortened_reason?}``.

    Returns the column values; 422 naming the field (and the rule, for a period too short without a reason).
    """
    if not isinstance(data, dict):
        raise ValidationError("consultation 应为对象", fields={"consultation": "wrong_type"})
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise ValidationError(f"consultation 中有未知字段：{', '.join(sorted(unknown))}",
                              fields={f"consultation.{n}": "unknown" for n in unknown})
    kind = data.get("kind")
    if not isinstance(kind, str) or kind not in KINDS:
        raise ValidationError("consultation.kind 取值无效，可选：major_decision, normative, other",
                              fields={"consultation.kind": "invalid"})
    opens_on = parsing.parse_date(data.get("opens_on"), "consultation.opens_on")
    closes_on = parsing.parse_date(data.get("closes_on"), "consultation.closes_on")
    if closes_on < opens_on:
        raise ValidationError("征求意见截止日期不能早于开始日期", fields={"consultation.closes_on": "before_opens_on"})
    if closes_on - opens_on > timedelta(days=366):
        raise ValidationError("征求意见期限不能超过一年", fields={"consultation.closes_on": "too_long"})
    reason = parsing.text(data.get("shortened_reason"), "consultation.shortened_reason", 1000, required=False)
    if is_shortened(kind, opens_on, closes_on) and not reason:
        raise ValidationError(
            f"{RULES[kind]}；期限较短的，须填写缩短期限的理由（shortened_reason），理由将向社会公开",
            fields={"consultation.shortened_reason": "required_for_short_period"}, rule=kind)
    if not is_shortened(kind, opens_on, closes_on):
        reason = None  # a reason for a period that is not shortened would mislead the public
    return {"kind": kind, "opens_on": opens_on, "closes_on": closes_on, "shortened_reason": reason}


def end_of(day: date) -> datetime:
    """The end of ``day`` in Beijing time, as naive UTC (the instant the next day starts)."""
    start_next = datetime.combine(day + timedelta(days=1), time(), tzinfo=CST)
    return start_next.astimezone(timezone.utc).replace(tzinfo=None)


def start_of(day: date) -> datetime:
    """The start of ``day`` in Beijing time, as naive UTC."""
    return datetime.combine(day, time(), tzinfo=CST).astimezone(timezone.utc).replace(tzinfo=None)

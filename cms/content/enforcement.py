"""The enforcement register (双公示): licensing, penalty and coercion decisions published as items.

An item of type ``enforcement`` carries ``enforcement = {kind, decision_no, decided_on, party, party_type,
party_id?, summary}``. The decision is published within 7 working days of ``decided_on`` (``due_on``); a natural
person's name and ID number are masked on public pages (张*, 身份证 6…4).
"""
from dataclasses import dataclass
from datetime import date

from cms import clock
from cms.errors import ValidationError

KINDS = {"license": "行政许可", "penalty": "行政处罚", "coercion": "行政强制"}
PARTY_TYPES = {"person": "自然人", "organization": "法人或其他组织"}
PUBLISH_WITHIN = 7
FIELDS = ("kind", "decision_no", "decided_on", "party", "party_type", "party_id", "summary")
LIMITS = {"decision_no": 100, "party": 200, "party_id": 40, "summary": 2000}


def clean_enforcement(value):
    """Validate the enforcement record given as a dict; returns the stored JSON (with ``due_on``) or None."""
    if value in (None, {}):
        return None
    if not isinstance(value, dict):
        raise ValidationError("执法公示信息应为对象", fields={"enforcement": "must_be_object"})
    errors = {}
    unknown = set(value) - set(FIELDS) - {"due_on"}
    for name in unknown:
        errors[f"enforcement.{name}"] = "unknown"
    out = {}
    for name in FIELDS:
        raw = value.get(name)
        if raw is not None and not isinstance(raw, str) and not isinstance(raw, date):
            errors[f"enforcement.{name}"] = "must_be_string"
            continue
        raw = raw.strip() if isinstance(raw, str) else raw
        if name == "party_id" and not raw:
            out[name] = None
            continue
        if not raw:
            errors[f"enforcement.{name}"] = "required"
            continue
        if name == "kind" and raw not in KINDS or name == "party_type" and raw not in PARTY_TYPES:
            errors[f"enforcement.{name}"] = "invalid"
            continue
        if name == "decided_on":
            try:
                raw = raw if isinstance(raw, date) else date.fromisoformat(raw)
            except ValueError:
                errors[f"enforcement.{name}"] = "invalid_date"
                continue
            if raw > clock.local_today():
                errors[f"enforcement.{name}"] = "in_future"
                continue
            raw = raw.isoformat()
        if name in LIMITS and len(raw) > LIMITS[name]:
            errors[f"enforcement.{name}"] = "too_long"
            continue
        out[name] = raw
    if errors:
        labels = {"kind": "决定类别", "decision_no": "决定文号", "decided_on": "决定日期", "party": "相对人",
                  "party_type": "相对人类型", "party_id": "证件号码", "summary": "决定内容摘要"}
        names = "、".join(labels.get(k.split(".", 1)[1], k) for k in errors)
        raise ValidationError(f"执法公示信息有误：{names}", fields=errors)
    out["due_on"] = _due_on(date.fromisoformat(out["decided_on"]))
    return out


def _due_on(decided_on):
    from cms.applications.calendar import UnknownCalendarYear, add_working_days

    try:
        return add_working_days(decided_on, PUBLISH_WITHIN).isoformat()
    except UnknownCalendarYear:
        return None  # shown as unknown until the year's holidays are entered


def mask_person_name(name):
    """张三 → 张*, 欧阳娜娜 → 欧***."""
    return (name[0] + "*" * (len(name) - 1)) if name else ""


def mask_id_number(number):
    """An ID number shown as its first 6 and last 4 characters (110105********002X)."""
    if not number:
        return ""
    if len(number) <= 10:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


@dataclass(frozen=True)
class EnforcementView:
    kind: str
    kind_label: str
    decision_no: str
    decided_on: date
    party: str
    party_type_label: str
    party_id: str
    summary: str
    due_on: date | None
    status: str  # "met" | "late" | "running" | "overdue" | "unknown"


def enforcement_status(record, published_at=None, today=None):
    """``met``/``late`` once published, ``running``/``overdue`` before, ``unknown`` without a due date."""
    due = date.fromisoformat(record["due_on"]) if record.get("due_on") else None
    if due is None:
        return "unknown"
    if published_at is not None:
        return "met" if clock.to_local(published_at).date() <= due else "late"
    return "overdue" if (today or clock.local_today()) > due else "running"


def public_view(item):
    """The record as shown on the public page: a natural person's name and ID masked."""
    record = item.enforcement
    if not record:
        return None
    person = record.get("party_type") == "person"
    return EnforcementView(
        kind=record["kind"], kind_label=KINDS.get(record["kind"], ""), decision_no=record["decision_no"],
        decided_on=date.fromisoformat(record["decided_on"]),
        party=mask_person_name(record["party"]) if person else record["party"],
        party_type_label=PARTY_TYPES.get(record["party_type"], ""),
        party_id=mask_id_number(record.get("party_id")) if person else (record.get("party_id") or ""),
        summary=record["summary"],
        due_on=date.fromisoformat(record["due_on"]) if record.get("due_on") else None,
        status=enforcement_status(record, item.published_at),
    )


def is_late(item, today=None):
    """True when the decision was (or still is not) published after its due date."""
    return bool(item.enforcement) and enforcement_status(item.enforcement, item.published_at, today) in (
        "late", "overdue")


def remind_unpublished(today=None):
    """Remind the author and the section's chief of unpublished decisions due within 2 days or overdue.

    Once per user, item and day (the message names the day). Returns the number of notifications sent.
    """
    from cms.accounts.models import Membership
    from cms.content.models import Item
    from cms.notifications.models import Notification
    from cms.notifications.services import notify

    today = today or clock.local_today()
    sent = 0
    items = Item.query.filter(Item.type == "enforcement", Item.working_copy_of_id.is_(None),
                              Item.state.notin_(("published", "retracted")), Item.enforcement.isnot(None)).all()
    for item in items:
        due = item.enforcement.get("due_on")
        if not due or (date.fromisoformat(due) - today).days > 2:
            continue
        overdue = date.fromisoformat(due) < today
        message = (f"{today.isoformat()}：执法决定《{item.title}》应于{due}前公示（决定之日起7个工作日）"
                   + ("，已逾期。" if overdue else "，请尽快提交审核。"))
        users = [item.author] + [m.user for m in Membership.query.filter_by(section_id=item.section_id,
                                                                             role="section_chief")]
        already = {n.user_id for n in Notification.query.filter_by(message=message)}
        sent += notify([u for u in users if u.id not in already], message, link=f"/admin/items/{item.id}")
    return sent

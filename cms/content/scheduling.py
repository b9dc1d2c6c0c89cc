"""Scheduled publication and expiry of items.

An item may carry ``publish_at`` (goes live then, not before) and ``expires_at`` (its validity becomes
``expired`` — 失效 — then). Both are stored as naive UTC like every timestamp; input is ISO 8601 with an
offset, or Beijing time when it has none.

- At the final sign-off (the ``publish`` effect, whatever workflow — built-in or stored — led there) an
  original whose ``publish_at`` is still ahead lands in state ``scheduled`` instead of ``published``: no
  index number, nothing public (every public surface shows ``published`` rows only).
- ``publish_due_items`` (a timed duty of the queue, every minute) fires the system transition
  ``publish_scheduled`` on due items: the same effect as publishing (index number, search outbox, page cache
  through ``updated_at``), with ``published_at`` = the scheduled time. Idempotent: the engine's compare-and-swap
  lets one run win, and a published item is no longer ``scheduled``.
- ``expire_due_items`` marks published items past ``expires_at`` expired (and re-marks a revision that
  brought ``valid`` back).
- ``retract`` of a scheduled item (office auditor or leader, with a comment) cancels the schedule: the item
  goes back to ``draft`` (its sign-off was for that date; a new date needs a new review) and ``publish_at``
  is cleared.
"""
from datetime import datetime, timezone

from cms.clock import CST, to_local, utcnow
from cms.errors import Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.workflow.engine import EffectResult

SCHEDULE_FIELDS = ("publish_at", "expires_at")
LABELS = {"publish_at": "定时发布时间", "expires_at": "失效时间"}
SCHEDULABLE_STATES = ("draft", "returned")


class SystemActor:
    """The queue acting on its own (scheduled publication): no person, no roles, not a login."""

    id = None
    username = "system"
    name = "系统（定时任务）"
    is_authenticated = True
    is_system = True
    memberships = ()


SYSTEM = SystemActor()


# ---------------------------------------------------------------- parsing and display

def parse_instant(value, field):
    """An ISO 8601 date-time (offset optional: Beijing time when absent) as naive UTC; None for empty."""
    if value is None or value == "":
        return None
    label = LABELS.get(field, field)
    if not isinstance(value, str) or len(value) > 40:
        raise ValidationError(f"{label}格式应为 ISO 8601 日期时间，如 2026-12-01T09:00:00+08:00",
                              fields={field: "invalid_datetime"})
    text = value.strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00") if text.endswith("Z") else text)
    except ValueError:
        raise ValidationError(f"{label}格式应为 ISO 8601 日期时间，如 2026-12-01T09:00:00+08:00",
                              fields={field: "invalid_datetime"}) from None
    if len(text) <= 10:  # a bare date is not a moment
        raise ValidationError(f"{label}须包含时刻，如 2026-12-01T09:00", fields={field: "invalid_datetime"})
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=CST)
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def instant_json(value):
    return value.isoformat() + "Z" if value else None


def local_text(value):
    """``2026-12-01 09:00`` in Beijing time, for lists and pages."""
    return to_local(value).strftime("%Y-%m-%d %H:%M") if value else ""


def local_input(value):
    """The value of a ``datetime-local`` input (Beijing time)."""
    return to_local(value).strftime("%Y-%m-%dT%H:%M") if value else ""


# ---------------------------------------------------------------- setting the schedule

def _may_decide_live(user, item):
    """Office auditors and leaders (the retract guard) manage the schedule of signed-off items."""
    from cms.workflow.guards import get_guard

    allowed, _ = get_guard("office_auditor_or_leader").check(user, item, {"_at": utcnow()})
    return allowed


def _check_rules(item, publish_at, expires_at, changed):
    now = utcnow()
    if "publish_at" in changed and publish_at is not None and publish_at <= now:
        raise ValidationError("定时发布时间不能早于当前时间", fields={"publish_at": "in_past"})
    if expires_at is not None and ("expires_at" in changed or "publish_at" in changed):
        if "expires_at" in changed and expires_at <= now:
            raise ValidationError("失效时间不能早于当前时间", fields={"expires_at": "in_past"})
        if publish_at is not None and expires_at <= publish_at:
            raise ValidationError("失效时间必须晚于定时发布时间", fields={"expires_at": "before_publish_at"})


def set_schedule(item, user, version, **values):
    """Set or clear ``publish_at`` / ``expires_at`` (given as ISO strings or None) of ``item``.

    Who and when: the author or a section editor while the item is a draft or returned; an office auditor
    or leader reschedules a ``scheduled`` item; on a published item only the expiry changes (its editors,
    office auditors, leaders). Working copies carry no schedule (their original does). Stale ``version``
    → Conflict; a time in the past or an expiry not after the publication → ValidationError (422).
    """
    from cms.content.locks import check_lock
    from cms.content.services import can_edit
    from cms.workflow.engine import record_history

    unknown = set(values) - set(SCHEDULE_FIELDS)
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationError("版本号无效，请刷新后再编辑", fields={"version": "invalid"}) from None
    if version != item.version:
        raise Conflict("该信息已被他人修改，请刷新后再编辑", fields={"version": "stale"}, current_version=item.version)
    parsed = {name: parse_instant(value, name) for name, value in values.items()}
    if item.working_copy_of_id is not None:
        raise ValidationError("修订稿随审定发布，不能单独设定发布或失效时间；失效时间请在已发布的信息上设定",
                              fields={name: "working_copy" for name in parsed})
    if item.state in SCHEDULABLE_STATES:
        if not can_edit(user, item):
            raise NotAllowed("您无权修改此信息")
    elif item.state == "scheduled":
        if not _may_decide_live(user, item):
            raise NotAllowed("只有办公室审核人员或分管领导可以调整已审定信息的发布时间")
        if "publish_at" in parsed and parsed["publish_at"] is None:
            raise ValidationError("如需取消定时发布，请使用“撤回”", fields={"publish_at": "required"})
    elif item.state == "published":
        if "publish_at" in parsed:
            raise ValidationError("信息已发布，不能再设定发布时间", fields={"publish_at": "already_published"})
        if not (can_edit(user, item) or _may_decide_live(user, item)):
            raise NotAllowed("您无权修改此信息")
    elif item.state.startswith("pending_"):
        raise Conflict("信息正在审核中，请先撤回或等待退回后再修改", fields={"state": item.state})
    else:
        raise Conflict("当前状态下不能设定发布或失效时间", fields={"state": item.state})
    check_lock(item, user)
    publish_at = parsed.get("publish_at", item.publish_at)
    expires_at = parsed.get("expires_at", item.expires_at)
    changed = {name for name, value in parsed.items() if value != getattr(item, name)}
    if not changed:
        return item
    _check_rules(item, publish_at, expires_at, changed)
    before = item.state
    for name in changed:
        setattr(item, name, parsed[name])
    db.session.flush()
    record_history(item, user, "schedule", before, item.state,
                   inputs={name: instant_json(getattr(item, name)) for name in SCHEDULE_FIELDS})
    db.session.flush()
    return item


# ---------------------------------------------------------------- the workflow hooks

def defer_publication(item):
    """Called by the ``publish`` effect: an original signed off before its ``publish_at`` waits as
    ``scheduled`` (an EffectResult telling the engine so); None when it publishes now."""
    if item.working_copy_of_id is not None or item.publish_at is None or item.publish_at <= utcnow():
        return None
    item.state = "scheduled"
    item.published_at = None
    return EffectResult(emit=("scheduled",), state="scheduled")


def publication_time(item, ctx):
    """``published_at`` of a first publication: the scheduled time when the queue publishes a due item."""
    if ctx.get("scheduled_for") and item.publish_at is not None:
        return item.publish_at
    return utcnow()


def unschedule(user, item, ctx):
    """Effect of retracting a scheduled item: back to draft, schedule cleared."""
    item.publish_at = None
    return EffectResult(emit=("unscheduled",))


# ---------------------------------------------------------------- the timed duties

def due_for_publication(now=None):
    from cms.content.models import Item

    now = now or utcnow()
    return (Item.query.filter(Item.state == "scheduled", Item.publish_at <= now)
            .order_by(Item.publish_at, Item.id).limit(200).all())


def publish_due_items():
    """Publish every scheduled item whose time has come; returns the ids published. Each item commits on
    its own: one failure (logged) does not hold back the others."""
    import logging

    from cms.content.models import Item
    from cms.workflow.engine import fire

    published = []
    for item_id in [i.id for i in due_for_publication()]:
        item = db.session.get(Item, item_id)
        if item is None or item.state != "scheduled":
            continue
        try:
            fire(item, SYSTEM, "publish_scheduled", scheduled_for=instant_json(item.publish_at))
            db.session.commit()
            published.append(item_id)
        except Conflict:
            db.session.rollback()  # another run published it meanwhile
        except Exception:
            db.session.rollback()
            logging.getLogger(__name__).exception("scheduled publication of item %s failed", item_id)
    return published  # the "published" events queued the search outbox and its drain


def expire_due_items():
    """Published items past their ``expires_at`` become expired (失效); returns the ids changed."""
    from cms.content.models import Item
    from cms.content.services import record_revision
    from cms.workflow import events

    now = utcnow()
    changed = []
    rows = (Item.query.filter(Item.state == "published", Item.working_copy_of_id.is_(None),
                              Item.expires_at.isnot(None), Item.expires_at <= now, Item.validity == "valid")
            .order_by(Item.id).limit(500).all())
    for item in rows:
        item.validity = "expired"
        item.validity_changed_on = to_local(item.expires_at).date()
        record_revision(item, SYSTEM, note="到达失效时间，自动标记为失效")
        db.session.flush()
        events.emit(events.Event(name="validity_changed", subject_type="item", subject_id=item.id, subject=item))
        changed.append(item.id)
    db.session.commit()
    return changed


def run_schedule():
    """The timed duty: publish what is due, then expire what is past (in that order)."""
    return publish_due_items(), expire_due_items()

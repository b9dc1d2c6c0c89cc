"""Extending a consultation's period (延长征求意见期限), also after the queue has closed it.

The period rules (periods.py) set minimums and ask a reason only for a *shorter* period; nothing asks a reason
for a longer one, so the office's note is optional here and goes into the item's history with the old and new
dates. A consultation the queue closed at the end of ``closes_on`` is open again when the new date is today or
later: its closing and feedback due date are cleared, so the queue's close duty (idempotent) closes it again
at the end of the new date. Two closings are not undone: one closed early by staff (a public decision with a
public reason) and one whose feedback (意见采纳情况) has been drafted or published — the figures there would
no longer count every comment.
"""
from cms import clock
from cms.consultations.access import flush_or_conflict, is_office
from cms.consultations.periods import is_shortened, period_days
from cms.errors import Conflict, NotAllowed, ValidationError

MAX_PERIOD_DAYS = 367  # as clean_consultation: closes_on - opens_on at most 366 days


def can_extend(user, item):
    """The office of the consultation's organization extends its period."""
    return user is not None and getattr(user, "is_authenticated", True) and is_office(user, item.organization_id)


def reopen_blocker(record):
    """Why a closed ``record`` cannot be reopened (Chinese), or None."""
    if record.closed_early_reason:
        return "该征集已提前结束（理由已公开），不能通过延期重新开放"
    if record.feedback_item_id is not None:
        return "已起草或发布意见采纳情况，不能再延长征集期限"
    return None


def _reopen(record):
    record.closed_at = None
    record.closed_by_id = None
    record.feedback_due_on = None


def extend_period(user, item, record, closes_on, reason=None, version=None):
    """Move ``closes_on`` of a published consultation later (today or after); reopens one the queue closed.

    403 for anyone but the office; 409 for a stale ``version``, an unpublished item, an early closing or an
    existing feedback; 422 for a date that is not later, in the past, or makes the period longer than a year.
    """
    from cms.accounts.audit import record_audit
    from cms.clocks import parsing
    from cms.consultations.closing import status_of
    from cms.workflow.engine import record_history

    if not can_extend(user, item):
        raise NotAllowed("只有办公室可以延长征集期限")
    closes_on = parsing.parse_date(closes_on, "closes_on")
    reason = parsing.text(reason, "reason", 1000, required=False)
    if version is not None and version != record.version:
        raise Conflict("该征集已被他人修改，请刷新后重试", fields={"version": "stale"},
                       current_version=record.version)
    if not item.is_public or item.working_copy_of_id is not None:
        raise Conflict("征集尚未发布，请在信息编辑中修改期限", fields={"state": item.state})
    before_status = status_of(record)
    if before_status == "closed":
        blocker = reopen_blocker(record)
        if blocker:
            raise Conflict(blocker, fields={"consultation": "not_reopenable"})
    today = clock.local_today()
    if closes_on <= record.closes_on:
        raise ValidationError(f"新的截止日期须晚于原截止日期（{record.closes_on.isoformat()}）",
                              fields={"closes_on": "not_later"})
    if closes_on < today:
        raise ValidationError("新的截止日期不能早于今天", fields={"closes_on": "past"})
    if period_days(record.opens_on, closes_on) > MAX_PERIOD_DAYS:
        raise ValidationError("征求意见期限不能超过一年", fields={"closes_on": "too_long"})
    previous = record.closes_on
    record.closes_on = closes_on
    if not is_shortened(record.kind, record.opens_on, closes_on):
        record.shortened_reason = None  # the period now meets the rule: no shortening to explain
    reopened = record.closed_at is not None
    if reopened:
        _reopen(record)
    flush_or_conflict("该征集已被他人修改，请刷新后重试")
    text = f"征求意见截止日期由 {previous.isoformat()} 延长至 {closes_on.isoformat()}"
    if reopened:
        text += "，征集重新开放"
    if reason:
        text += f"。说明：{reason}"
    inputs = {"closes_on_before": previous.isoformat(), "closes_on": closes_on.isoformat(), "reopened": reopened}
    record_history(item, user, "consultation_extend", item.state, item.state, comment=text[:2000], inputs=inputs)
    record_audit("consultation.extend", user, target=f"item:{item.id}", details={**inputs, "reason": reason})
    flush_or_conflict("该征集已被他人修改，请刷新后重试")
    return record


def reopen_after_revision(item, record, previous_closes_on, user=None):
    """A signed-off revision moved ``closes_on`` of a consultation the queue had closed: open it again when the
    new date is today or later and nothing blocks it (see the module docstring). Returns True if reopened."""
    from cms.workflow.engine import record_history

    if record.closed_at is None or record.closes_on <= previous_closes_on:
        return False
    if record.closes_on < clock.local_today() or reopen_blocker(record):
        return False
    _reopen(record)
    record_history(item, user, "consultation_extend", item.state, item.state,
                   comment=f"修订稿将征求意见截止日期由 {previous_closes_on.isoformat()} 延长至 "
                           f"{record.closes_on.isoformat()}，征集重新开放",
                   inputs={"closes_on_before": previous_closes_on.isoformat(),
                           "closes_on": record.closes_on.isoformat(), "reopened": True})
    return True

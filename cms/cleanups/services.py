"""Cleanup lists (政策性文件清理结果): create one with its decisions, check them again at the final sign-off,
and apply them when the list is published (the ``apply_cleanup`` effect, same transaction).
"""
from cms.cleanups.models import OUTCOME_VALIDITY, OUTCOMES, CleanupDecision
from cms.clock import to_local
from cms.content.catalog import get_column
from cms.content.models import Item
from cms.content.services import MAX_ID, create_item
from cms.content.validity import apply_validity, check_replacement, is_published_original
from cms.errors import ConditionFailed, ValidationError
from cms.extensions import db
from cms.workflow.conditions import condition
from cms.workflow.engine import effect

MAX_DECISIONS = 500
MAX_NOTE = 500
COLUMN = "policies"


def _is_id(value):
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def _shape_errors(decisions):
    """Malformed decisions (before any look-up): ``{"decisions[i].field": code}``."""
    errors = {}
    if not isinstance(decisions, list) or not decisions:
        return {"decisions": "required"}
    if len(decisions) > MAX_DECISIONS:
        return {"decisions": "too_many"}
    for index, decision in enumerate(decisions):
        key = f"decisions[{index}]"
        if not isinstance(decision, dict):
            errors[key] = "invalid"
            continue
        for name in sorted(set(decision) - {"item_id", "outcome", "replaced_by", "note"}):
            errors[f"{key}.{name}"] = "unknown"
        if not _is_id(decision.get("item_id")):
            errors[f"{key}.item_id"] = "invalid"
        if decision.get("outcome") not in OUTCOMES:
            errors[f"{key}.outcome"] = "invalid"
        replaced_by = decision.get("replaced_by")
        if replaced_by is not None and not _is_id(replaced_by):
            errors[f"{key}.replaced_by"] = "invalid"
        note = decision.get("note")
        if note is not None and (not isinstance(note, str) or len(note) > MAX_NOTE):
            errors[f"{key}.note"] = "invalid"
    return errors


def decision_problems(organization_id, decisions, cleanup_id=None):
    """What is wrong with well-formed ``decisions``: ``{reason: [item ids]}`` (empty when all is well).

    Reasons: ``duplicate``, ``other_organization`` (or no such item), ``not_published``, ``already_repealed``,
    ``replaced_by_required``, ``replaced_by_invalid``, ``not_a_document`` (an interpretation or cleanup list).
    """
    problems = {}

    def add(reason, item_id):
        problems.setdefault(reason, [])
        if item_id not in problems[reason]:
            problems[reason].append(item_id)

    seen = set()
    for decision in decisions:
        item_id = decision["item_id"]
        if item_id in seen:
            add("duplicate", item_id)
            continue
        seen.add(item_id)
        item = db.session.get(Item, item_id)
        if item is None or item.organization_id != organization_id:
            add("other_organization", item_id)
            continue
        if item.id == cleanup_id or item.type in ("cleanup", "interpretation"):
            add("not_a_document", item_id)
            continue
        if not is_published_original(item):
            add("not_published", item_id)
            continue
        if item.validity == "abolished":
            add("already_repealed", item_id)
            continue
        replaced_by = decision.get("replaced_by")
        if decision["outcome"] == "amend":
            if replaced_by is None:
                add("replaced_by_required", item_id)
            elif check_replacement(item, replaced_by) is None:
                add("replaced_by_invalid", item_id)
        elif replaced_by is not None:
            add("replaced_by_invalid", item_id)
    return problems


PROBLEM_LABELS = {
    "duplicate": "重复列出", "other_organization": "不是本机关的文件", "not_a_document": "不是政策文件",
    "not_published": "未发布", "already_repealed": "已废止", "replaced_by_required": "“修改”须指明已发布的修订后文件",
    "replaced_by_invalid": "修订后文件无效（须为本机关已发布的文件，且仅用于“修改”）",
}


def _problem_message(problems):
    return "清理决定有误：" + "；".join(
        f"{PROBLEM_LABELS[reason]}（信息编号 {', '.join(str(i) for i in ids)}）" for reason, ids in problems.items())


def create_cleanup(user, organization_id, title, decisions, body_html=None, section=None):
    """Draft a cleanup list (an item of type ``cleanup`` in the column ``policies``) with its decisions.

    ValidationError (422) names the offending fields or item ids. The list is then reviewed like any item.
    """
    if not isinstance(title, str) or not title.strip():
        raise ValidationError("标题不能为空", fields={"title": "required"})
    errors = _shape_errors(decisions)
    if errors:
        raise ValidationError("清理决定格式有误：" + "、".join(sorted(errors)), fields=errors)
    problems = decision_problems(organization_id, decisions)
    if problems:
        raise ValidationError(_problem_message(problems), fields={"decisions": "invalid"}, items=problems)
    column = get_column(organization_id, COLUMN)
    if column is None or not column.accepts_type("cleanup"):
        raise ValidationError("“政策文件”栏目不接受清理结果，请管理员调整栏目设置", fields={"column": "not_accepted"})
    item = create_item(user, column, section=section, type="cleanup", title=title,
                       body_html=body_html or "", normative=False)
    for position, decision in enumerate(decisions):
        db.session.add(CleanupDecision(cleanup_id=item.id, item_id=decision["item_id"], outcome=decision["outcome"],
                                       replaced_by_id=decision.get("replaced_by"),
                                       note=(decision.get("note") or "").strip() or None, position=position))
    db.session.flush()
    return item


def decisions_of(cleanup):
    """The decisions of a cleanup list, in their order."""
    return (CleanupDecision.query.filter_by(cleanup_id=cleanup.id)
            .order_by(CleanupDecision.position, CleanupDecision.id).all())


def decision_to_json(decision):
    return {"item_id": decision.item_id, "outcome": decision.outcome, "replaced_by": decision.replaced_by_id,
            "note": decision.note, "applied_at": decision.applied_at.isoformat() + "Z" if decision.applied_at else None}


def _as_dicts(decisions):
    return [{"item_id": d.item_id, "outcome": d.outcome, "replaced_by": d.replaced_by_id} for d in decisions]


@condition("cleanup_decisions_valid")
def _cleanup_decisions_valid(user, item, ctx):
    """At the final sign-off the listed documents are checked again (one may have been retracted since)."""
    if item.type != "cleanup" or item.working_copy_of_id is not None:
        return
    decisions = decisions_of(item)
    if not decisions:
        raise ConditionFailed("清理结果没有任何清理决定", fields={"decisions": "required"})
    problems = decision_problems(item.organization_id, _as_dicts(decisions), cleanup_id=item.id)
    if problems:
        raise ConditionFailed(_problem_message(problems), fields={"decisions": "invalid"}, items=problems)


@effect("apply_cleanup")
def _apply_cleanup(user, item, ctx):
    """The published list changes each listed document's validity, dated the day of publication."""
    if item.type != "cleanup" or item.working_copy_of_id is not None or item.published_at is None:
        return None
    day = to_local(item.published_at).date()
    for decision in decisions_of(item):
        if decision.applied_at is not None:
            continue
        replacement = db.session.get(Item, decision.replaced_by_id) if decision.replaced_by_id else None
        apply_validity(decision.item, user, OUTCOME_VALIDITY[decision.outcome], replaced_by=replacement,
                       note=decision.note, changed_on=day, cleanup=item)
        decision.applied_at = item.published_at
    return None

"""Items as a workflow subject: the envelope around review stages, the built-in definitions, the item's
own guards, conditions and effects (publication, retraction), and the item worklist query.

The engine (``cms/workflow``) knows no item; this module teaches it.
"""
from sqlalchemy import case, or_
from sqlalchemy.orm import joinedload

from cms.accounts import permissions
from cms.clock import utcnow
from cms.content.index_numbers import assign_index_number
from cms.content.models import Item, is_review_state
from cms.content.services import EDITABLE_FIELDS, copy_attachments, current_revision_number, record_revision
from cms.errors import ConditionFailed
from cms.extensions import db
from cms.workflow.conditions import condition, get_condition
from cms.workflow.definitions import (
    Envelope,
    Transition,
    register_builtin_definition,
    register_envelope,
)
from cms.workflow.engine import EffectResult, SubjectType, effect, register_subject_type
from cms.workflow.guards import guard
from cms.workflow.models import WorkflowHistory

register_subject_type(
    SubjectType(
        name="item",
        model=Item,
        workflow_of=lambda item: item.workflow,
        revision_of=current_revision_number,
        excluded_of=lambda item: {i for i in (item.author_id, item.last_editor_id) if i is not None},
        stage_due=lambda item, stage: _urgent_stage_due(item, stage),
    )
)

def _urgent_stage_due(item, stage):
    from cms.content.urgency import urgent_stage_due

    return urgent_stage_due(item, stage)


# --- the built-in definitions (same state names as the first, Python-defined form) -----------------------

THREE_STAGE = register_builtin_definition({
    "code": "three_stage",
    "title": "三级审核（科室审核 → 办公室审核 → 分管领导审定）",
    "on_return": "restart",
    "stages": [
        {"code": "section", "title": "科室审核", "role": "section_chief", "scope": "item_section", "quorum": "any"},
        {"code": "office", "title": "办公室审核", "role": "office_auditor", "scope": "organization",
         "quorum": "any", "confidentiality": True},
        {"code": "leader", "title": "分管领导审定", "role": "leader", "scope": "item_section", "quorum": "any"},
    ],
})

TWO_STAGE = register_builtin_definition({
    "code": "two_stage",
    "title": "二级审核（办公室审核 → 分管领导审定）",
    "on_return": "restart",
    "stages": [
        {"code": "office", "title": "办公室审核", "role": "office_auditor", "scope": "organization",
         "quorum": "any", "confidentiality": True},
        {"code": "leader", "title": "分管领导审定", "role": "leader", "scope": "item_section", "quorum": "any"},
    ],
})


# --- guards ------------------------------------------------------------------------------------------------


@guard("author")
def _author(user, item, ctx):
    if item.author_id == user.id:
        return True, ""
    return False, "只有作者本人可以执行此操作"


@guard("author_or_section_editor")
def _author_or_section_editor(user, item, ctx):
    if item.author_id == user.id or any(m.role == "editor" and m.section_id == item.section_id
                                        for m in user.memberships):
        return True, ""
    return False, "只有作者或本科室编辑可以提交"


def _retract_scope(user, model):
    return or_(permissions.scope_filter(user, "office_auditor", "organization", (), model),
               permissions.scope_filter(user, "leader", "item_section", (), model))


@guard("office_auditor_or_leader", scope=_retract_scope)
def _office_auditor_or_leader(user, item, ctx):
    for role, scope in (("office_auditor", "organization"), ("leader", "item_section")):
        grant = permissions.holds(user, role, permissions.Scope.of(item, scope), ctx.get("_at"))
        if grant is not None:
            ctx["_grant"] = grant
            return True, ""
    return False, "只有办公室审核人员或分管领导可以撤下已发布信息"


# --- conditions --------------------------------------------------------------------------------------------


@condition("proactive_only")
def _proactive_only(user, item, ctx):
    if item.disclosure != "proactive":
        raise ConditionFailed(
            "只有公开属性为“主动公开”的信息可以发布", fields={"disclosure": "not_publishable"}
        )


@condition("column_accepts_type")
def _column_accepts_type(user, item, ctx):
    column = item.column
    if column is None or column.retired:
        raise ConditionFailed("所选栏目不存在或已停用", fields={"column": "invalid"})
    if not column.accepts_type(item.type):
        raise ConditionFailed(
            f"栏目“{column.name}”不接受此类信息", fields={"type": "not_accepted"}
        )


@condition("one_place_clear")
def _one_place_clear(user, item, ctx):
    from cms.content import one_place

    # Stored fingerprints only (computed when the body was saved); a same-column near-duplicate only warns.
    conflicts = one_place.check(item).conflicts
    if conflicts:
        # Title and id only of items the caller may read (issue 10, defect 9).
        described = [one_place.describe(c, user) for c in conflicts]
        raise ConditionFailed(
            one_place.refusal_message(described[0]),
            fields={"one_place": "conflict"},
            conflicts=[{k: v for k, v in d.items() if k in ("id", "column", "title", "state", "rule")}
                       for d in described],
        )


@condition("separation_of_duties")
def _separation_of_duties(user, item, ctx):
    """Nobody reviews what they wrote or last edited (nor for someone who did), and nobody approves two
    stages of one item."""
    grant = ctx.get("_grant")
    people = grant.people_ids if grant is not None else {user.id}
    if people & {item.author_id, item.last_editor_id}:
        raise ConditionFailed("不能审核自己撰写或最后修改的信息", fields={"actor": "separation_of_duties"})
    get_condition("stage_separation_of_duties")(user, item, ctx)


# --- effects -----------------------------------------------------------------------------------------------


@effect("publish")
def _publish(user, item, ctx):
    """First publication: date and index number. Revision sign-off: the working copy replaces the live text.
    Signed off before its ``publish_at``: the item waits as ``scheduled`` (cms/content/scheduling.py)."""
    if item.working_copy_of_id is None:
        from cms.content.scheduling import defer_publication, publication_time

        deferred = defer_publication(item)
        if deferred is not None:
            return deferred
        published_at = publication_time(item, ctx)
        assign_index_number(item, published_at)
        item.published_at = published_at
        return EffectResult(emit=("published",))
    original = item.working_copy_of
    for name in EDITABLE_FIELDS:
        if name != "column_id":
            setattr(original, name, getattr(item, name))
    original.last_editor_id = item.last_editor_id
    for attachment in list(original.attachments):
        db.session.delete(attachment)
    db.session.flush()
    copy_attachments(item, original)
    db.session.refresh(original)
    record_revision(original, user, note="修订稿审定发布")
    # The working copy's review history becomes part of the original's history; the copy goes away.
    WorkflowHistory.query.filter_by(subject_type="item", subject_id=item.id).update(
        {"subject_id": original.id}, synchronize_session=False
    )
    return EffectResult(emit=("revised",), history_subject=original, emit_subject=original, delete_after=item)


@effect("retract")
def _retract(user, item, ctx):
    return EffectResult(emit=("retracted",))


@effect("unschedule")
def _unschedule(user, item, ctx):
    from cms.content.scheduling import unschedule

    return unschedule(user, item, ctx)


@guard("system_clock")
def _system_clock(user, item, ctx):
    """Only the queue's own actor (cms.content.scheduling.SYSTEM) publishes scheduled items."""
    if getattr(user, "is_system", False):
        return True, ""
    return False, "定时发布由系统在预定时间自动执行"


register_envelope("item", Envelope(
    states={"draft": "草稿", "published": "已发布", "returned": "已退回", "retracted": "已撤回发布",
            "scheduled": "定时发布"},
    initial="draft",
    entry=Transition("submit", "提交审核", ("draft", "returned"), "", guard="author_or_section_editor",
                     conditions=("column_accepts_type", "one_place_clear", "interpretation_rules",
                                 "consultation_period_set")),
    withdraw=Transition("withdraw", "撤回草稿", (), "draft", guard="author"),
    returned="returned",
    done="published",
    approve_conditions=("separation_of_duties",),
    confidentiality_conditions=("confidentiality_checked",),
    # annual_report_checks_pass is registered by cms/reports/annual.py (a no-op for other item types).
    # interpretation_* by cms/content/interpretations.py, cleanup_* by cms/cleanups/services.py.
    done_conditions=("proactive_only", "column_accepts_type", "one_place_clear", "annual_report_checks_pass",
                     "interpretation_in_sync", "cleanup_decisions_valid"),
    done_effects=("publish", "publish_interpretations", "apply_cleanup"),
    extra=(Transition("retract", "撤下已发布信息", ("published",), "retracted", guard="office_auditor_or_leader",
                      conditions=("comment_required",), effects=("retract",)),
           # A scheduled item: retracting cancels the schedule and sends it back to draft (scheduling.py).
           Transition("retract", "撤回定时发布", ("scheduled",), "draft", guard="office_auditor_or_leader",
                      conditions=("comment_required",), effects=("unschedule",)),
           Transition("publish_scheduled", "定时发布", ("scheduled",), "published", guard="system_clock",
                      effects=("publish",))),
    publishes=True,
))


# --- worklists ---------------------------------------------------------------------------------------------


def item_worklist_query(user, urgent_ids=None):
    """Items waiting for ``user``'s review: urgent ones first (responses to an open incident), then due
    first (soonest, then those without a due date), oldest first; never their own (separation of duties).

    ``urgent_ids``: the result of ``cms.content.urgency.open_urgent_ids`` when the caller has it already."""
    from cms.content.urgency import open_urgent_ids, urgent_first
    from cms.workflow.worklist import worklist_filter

    urgent = urgent_first(open_urgent_ids() if urgent_ids is None else urgent_ids)
    order = ([urgent] if urgent is not None else []) + [
        case((Item.stage_due_at.is_(None), 1), else_=0), Item.stage_due_at, Item.updated_at, Item.id]
    return (
        Item.query.filter(worklist_filter(user, Item))
        .filter(Item.author_id != user.id)
        .filter(or_(Item.last_editor_id.is_(None), Item.last_editor_id != user.id))
        .order_by(*order)
    )


def item_worklist_by_stage(user):
    """``{state: [items]}`` for the dashboard, built-in stages first."""
    items = item_worklist_query(user).options(joinedload(Item.column), joinedload(Item.section)).all()
    stages = {"pending_section": [], "pending_office": [], "pending_leader": []}
    for item in items:
        stages.setdefault(item.state, []).append(item)
    return stages


def my_items(user, state):
    """Items authored by ``user`` in ``state`` (drafts, returned ...), newest first."""
    return Item.query.filter_by(author_id=user.id, state=state).order_by(Item.updated_at.desc()).all()


def item_state_labels():
    """Labels of every item state: the fixed ones and the stages of every stored definition."""
    from cms.workflow.definitions import ITEM_STATES
    from cms.workflow.models import WorkflowDefinition
    from cms.workflow.store import builtin_definitions

    labels = dict(ITEM_STATES)
    definitions = list(builtin_definitions().values()) + [
        d for (d,) in db.session.query(WorkflowDefinition.definition).filter_by(subject_type="item")]
    for definition in definitions:
        for stage in definition.get("stages", ()):
            labels.setdefault(f"pending_{stage['code']}", f"待{stage['title']}")
    return labels


def state_label(item):
    """The Chinese label of the item's state (stage states come from its workflow)."""
    from cms.workflow.engine import workflow_for

    try:
        return workflow_for(item).states.get(item.state, item.state)
    except KeyError:
        return item.state


__all__ = ["item_worklist_query", "item_worklist_by_stage", "my_items", "state_label", "is_review_state"]

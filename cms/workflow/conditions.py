"""Named conditions checked after the guard: ``(user, subject, ctx) -> None`` or raise ConditionFailed.

Generic conditions live here; subject types register their own (``cms/content/workflow.py``,
``cms/applications/workflow.py``).
"""
from cms.errors import ConditionFailed

_CONDITIONS = {}


def condition(name):
    """Register the decorated function as the condition ``name``."""

    def register(func):
        _CONDITIONS[name] = func
        return func

    return register


def get_condition(name):
    return _CONDITIONS[name]


def condition_exists(name):
    return name in _CONDITIONS


@condition("comment_required")
def _comment_required(user, item, ctx):
    if not (ctx.get("comment") or "").strip():
        raise ConditionFailed("请填写意见（退回和撤下必须说明理由）", fields={"comment": "required"})


@condition("confidentiality_checked")
def _confidentiality_checked(user, item, ctx):
    if ctx.get("confidentiality_checked") is not True:
        raise ConditionFailed(
            "办公室审核须先完成保密审查：请勾选“已完成保密审查”",
            fields={"confidentiality_checked": "required"},
        )


@condition("stage_separation_of_duties")
def _stage_separation_of_duties(user, subject, ctx):
    """Nobody approves two stages of one subject in one pass (since the review last started from its first
    stage); an approval on someone's behalf counts for both people."""
    from cms.workflow.models import WorkflowHistory

    grant = ctx.get("_grant")
    people = grant.people_ids if grant is not None else {user.id}
    stage = ctx.get("_stage")
    first_state = ctx.get("_first_state")
    entries = (
        WorkflowHistory.query.filter_by(subject_type=ctx["subject_type"], subject_id=subject.id)
        .order_by(WorkflowHistory.id.desc())
        .all()
    )
    for entry in entries:
        if entry.transition == "submit" and (first_state is None or entry.to_state == first_state):
            break
        entry_stage = entry.stage or (entry.from_state or "").removeprefix("pending_")
        if entry.transition != "approve" or entry_stage == stage:
            continue
        if {entry.actor_id, entry.on_behalf_of_id} & people:
            raise ConditionFailed("同一人对同一版本只能审核一个环节", fields={"actor": "separation_of_duties"})

"""Named conditions checked after the guard: ``(user, subject, ctx) -> None`` or raise ConditionFailed."""
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


@condition("comment_required")
def _comment_required(user, item, ctx):
    if not (ctx.get("comment") or "").strip():
        raise ConditionFailed("请填写意见（退回和撤下必须说明理由）", fields={"comment": "required"})


@condition("confidentiality_checked")
def _confidentiality_checked(user, item, ctx):
    if ctx.get("confidentiality_checked") is not True:
        raise ConditionFailed(
            "办公室审核须先完成保密审查（confidentiality_checked=true）",
            fields={"confidentiality_checked": "required"},
        )


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
    from cms.workflow.models import WorkflowHistory

    if user.id in (item.author_id, item.last_editor_id):
        raise ConditionFailed("不能审核自己撰写或最后修改的信息", fields={"actor": "separation_of_duties"})
    # One person approves at most one stage of the same revision (since the last submission).
    entries = (
        WorkflowHistory.query.filter_by(subject_type=ctx["subject_type"], subject_id=item.id)
        .order_by(WorkflowHistory.id.desc())
        .all()
    )
    for entry in entries:
        if entry.transition == "submit":
            break
        if entry.transition == "approve" and entry.actor_id == user.id:
            raise ConditionFailed(
                "同一人对同一版本只能审核一个环节", fields={"actor": "separation_of_duties"}
            )

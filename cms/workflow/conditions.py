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
            "办公室审核须先完成保密审查：请勾选“已完成保密审查”",
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

    conflicts = one_place.find_conflicts(item)
    if conflicts:
        first = conflicts[0]
        raise ConditionFailed(
            f"同一信息已在栏目“{first.column.name}”中发布或待审：《{first.title}》（编号 {first.id}），"
            "不能在不同栏目重复发布；如需在其他栏目展示，请使用引用。",
            fields={"one_place": "conflict"},
            conflicts=[{"id": c.id, "column": c.column.code, "title": c.title} for c in conflicts],
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

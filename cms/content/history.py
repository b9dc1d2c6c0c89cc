"""The item history as people read it: the transition's Chinese title, the stage's title (custom stages
too, from the stored definition the item follows), who acted for whom, and the 保密审查 ticks."""
from cms.content.checklist import labelled

# Entries that are not transitions of a stage workflow, or whose title depends on the entry.
FIXED_TITLES = {
    "create": "创建草稿",
    "checkout": "创建修订稿",
    "import": "导入",
    "edit": "修改",
    "submit": "提交审核",
    "withdraw": "撤回草稿",
    "return": "退回修改",
    "retract": "撤下已发布信息",
    "publish": "发布",
    "consultation_extend": "延长征求意见期限",
}


def _stage_titles():
    """Stage code → title over every definition (built-in and stored), for entries of an older version."""
    from cms.extensions import db
    from cms.workflow.models import WorkflowDefinition
    from cms.workflow.store import builtin_definitions

    titles = {}
    definitions = list(builtin_definitions().values()) + [
        d for (d,) in db.session.query(WorkflowDefinition.definition).filter_by(subject_type="item")]
    for definition in definitions:
        for stage in definition.get("stages", ()):
            titles.setdefault(stage["code"], stage["title"])
    return titles


def _workflow(item):
    from cms.workflow.engine import workflow_for

    try:
        return workflow_for(item)
    except (KeyError, LookupError):
        return None


def describe(item, entries):
    """One dict per history entry (oldest first): ``entry, title, stage, stage_title, checklist,
    on_behalf_of, quorum``."""
    workflow = _workflow(item)
    fallback = None
    rows = []
    for entry in entries:
        inputs = entry.inputs or {}
        stage = workflow.stage(entry.stage) if workflow is not None and entry.stage else None
        if entry.stage and stage is None and fallback is None:
            fallback = _stage_titles()
        stage_title = stage.title if stage is not None else (fallback or {}).get(entry.stage, entry.stage)
        title = _title(workflow, entry, inputs, stage_title)
        rows.append({
            "entry": entry,
            "title": title,
            "stage": entry.stage,
            "stage_title": stage_title,
            "checklist": labelled(inputs.get("checklist")),
            "on_behalf_of": entry.on_behalf_of,
            "quorum": inputs.get("quorum"),
        })
    return rows


def _title(workflow, entry, inputs, stage_title):
    name = entry.transition
    if name == "approve":
        if inputs.get("quorum"):
            return f"会签同意（{inputs['quorum']}）"
        if workflow is not None:
            for transition in workflow.transitions:
                if transition.name == "approve" and transition.stage == entry.stage:
                    return transition.title
        return f"{stage_title}通过" if stage_title else "审核通过"
    if name == "return" and inputs.get("to_stage"):
        target = workflow.stage(inputs["to_stage"]) if workflow is not None else None
        return f"退回至{target.title if target else inputs['to_stage']}"
    if name in FIXED_TITLES:
        return FIXED_TITLES[name]
    if workflow is not None:
        for transition in workflow.transitions:
            if transition.name == name:
                return transition.title
    return name


def to_json(row):
    """The API form of one described entry."""
    entry = row["entry"]
    return {
        "transition": entry.transition,
        "title": row["title"],
        "from": entry.from_state,
        "to": entry.to_state,
        "actor": entry.actor.username if entry.actor else None,
        "actor_name": entry.actor.name if entry.actor else None,
        "at": entry.at.isoformat() + "Z",
        "comment": entry.comment,
        "stage": entry.stage,
        "stage_title": row["stage_title"],
        "on_behalf_of": entry.on_behalf_of.username if entry.on_behalf_of else None,
        "checklist": row["checklist"],
    }

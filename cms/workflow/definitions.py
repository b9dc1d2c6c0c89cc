"""Workflow definitions as data (in the spirit of Plone's DCWorkflow).

A workflow lists its states and transitions. A transition names its source states, its target, the
guard (who, in which scope) and the conditions that must hold; the engine interprets them. Worklists are
derived from the transitions flagged ``worklist=True``.
"""
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Transition:
    name: str
    title: str
    sources: tuple
    target: str
    guard: str
    conditions: tuple = ()
    effects: tuple = ()
    worklist: bool = False  # items in the source states wait for whoever passes the guard


@dataclass(frozen=True)
class Workflow:
    name: str
    title: str
    states: dict  # code -> Chinese label
    initial: str
    transitions: tuple = field(default_factory=tuple)

    def transitions_from(self, state):
        return [t for t in self.transitions if state in t.sources]

    def find(self, name, state):
        """The transition called ``name`` that leaves ``state``, or None."""
        for transition in self.transitions:
            if transition.name == name and state in transition.sources:
                return transition
        return None

    def names(self):
        return {t.name for t in self.transitions}


_REGISTRY: dict[str, Workflow] = {}


def register_workflow(workflow: Workflow) -> Workflow:
    """Make ``workflow`` available by name (columns and subjects refer to it)."""
    _REGISTRY[workflow.name] = workflow
    return workflow


def get_workflow(name: str) -> Workflow:
    try:
        return _REGISTRY[name]
    except KeyError:
        raise KeyError(f"unknown workflow {name!r}") from None


def workflow_names():
    return sorted(_REGISTRY)


ITEM_STATES = {
    "draft": "草稿",
    "pending_section": "待科室审核",
    "pending_office": "待办公室审核",
    "pending_leader": "待分管领导审定",
    "published": "已发布",
    "returned": "已退回",
    "retracted": "已撤回发布",
}

_SUBMIT_CONDITIONS = ("column_accepts_type", "one_place_clear")
_SIGN_OFF_CONDITIONS = ("separation_of_duties", "proactive_only", "column_accepts_type", "one_place_clear",
                        # Registered by cms/reports/annual.py; a no-op for every item type but annual_report.
                        "annual_report_checks_pass")

def _submit(target):
    return Transition("submit", "提交审核", ("draft", "returned"), target,
                      guard="author_or_section_editor", conditions=_SUBMIT_CONDITIONS)


# The office audit, the leader's sign-off and retraction are the same in both item workflows.
_OFFICE_AND_LEADER = (
    Transition("approve", "办公室审核通过", ("pending_office",), "pending_leader",
               guard="office_auditor", conditions=("separation_of_duties", "confidentiality_checked"),
               worklist=True),
    Transition("approve", "审定发布", ("pending_leader",), "published",
               guard="leader_in_charge", conditions=_SIGN_OFF_CONDITIONS, effects=("publish",),
               worklist=True),
    Transition("return", "退回修改", ("pending_office",), "returned",
               guard="office_auditor", conditions=("comment_required",)),
    Transition("return", "退回修改", ("pending_leader",), "returned",
               guard="leader_in_charge", conditions=("comment_required",)),
    Transition("retract", "撤下已发布信息", ("published",), "retracted",
               guard="office_auditor_or_leader", conditions=("comment_required",), effects=("retract",)),
)

THREE_STAGE = register_workflow(
    Workflow(
        name="three_stage",
        title="三级审核（科室审核 → 办公室审核 → 分管领导审定）",
        states=ITEM_STATES,
        initial="draft",
        transitions=(
            _submit("pending_section"),
            Transition("approve", "科室审核通过", ("pending_section",), "pending_office",
                       guard="section_chief", conditions=("separation_of_duties",), worklist=True),
            Transition("return", "退回修改", ("pending_section",), "returned",
                       guard="section_chief", conditions=("comment_required",)),
            Transition("withdraw", "撤回草稿", ("pending_section",), "draft", guard="author"),
            *_OFFICE_AND_LEADER,
        ),
    )
)

TWO_STAGE = register_workflow(
    Workflow(
        name="two_stage",
        title="二级审核（办公室审核 → 分管领导审定）",
        states=ITEM_STATES,
        initial="draft",
        transitions=(
            _submit("pending_office"),
            Transition("withdraw", "撤回草稿", ("pending_office",), "draft", guard="author"),
            *_OFFICE_AND_LEADER,
        ),
    )
)

ITEM_WORKFLOWS = {"three_stage": THREE_STAGE.title, "two_stage": TWO_STAGE.title}

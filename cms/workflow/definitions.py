"""Workflow definitions as data (in the spirit of Plone's DCWorkflow).

A workflow lists its states and transitions. A transition names its source states, its target, the
guard (who, in which scope) and the conditions that must hold; the engine interprets them. Worklists are
derived from the transitions flagged ``worklist=True``.

Two kinds of workflows exist:

- *stage workflows*, stored as JSON rows (``cms.workflow.store``) and compiled here: ordered stages
  ``{code, title, role, scope, sections, quorum, due, confidentiality}`` become the states ``pending_<code>``
  and the transitions approve / return / return-to-stage, wrapped in the subject type's *envelope* (how a
  subject enters the review, what happens after the last stage, and the subject's other transitions);
- workflows written in Python and registered with ``register_workflow`` (the request desk).
"""
from dataclasses import dataclass, field, replace


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
    stage: str | None = None  # the stage this transition reviews (approvals are recorded per round)
    to_stage: bool = False  # a ``return`` that also accepts ``to_stage`` (an earlier stage)
    resume: bool = False  # enters the stage that returned the subject when the workflow resumes


@dataclass(frozen=True)
class Stage:
    code: str
    title: str
    role: str
    scope: str = "item_section"
    sections: tuple = ()
    quorum: object = "any"  # "any", "all" or an int
    due: dict | None = None  # {"working_days": n} or {"hours": n}
    confidentiality: bool = False

    @property
    def state(self):
        return f"pending_{self.code}"

    def to_json(self):
        data = {"code": self.code, "title": self.title, "role": self.role, "scope": self.scope}
        if self.sections:
            data["sections"] = list(self.sections)
        data["quorum"] = self.quorum
        if self.due:
            data["due"] = dict(self.due)
        if self.confidentiality:
            data["confidentiality"] = True
        return data


@dataclass(frozen=True)
class Workflow:
    name: str
    title: str
    states: dict  # code -> Chinese label
    initial: str
    transitions: tuple = field(default_factory=tuple)
    stages: tuple = ()  # Stage, in order (stage workflows only)
    on_return: str = "restart"
    version: int | None = None

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

    def stage(self, code):
        for stage in self.stages:
            if stage.code == code:
                return stage
        return None

    def stage_for_state(self, state):
        for stage in self.stages:
            if stage.state == state:
                return stage
        return None

    def stage_index(self, code):
        for index, stage in enumerate(self.stages):
            if stage.code == code:
                return index
        return -1


@dataclass(frozen=True)
class Envelope:
    """What a subject type puts around the stages of its stage workflows.

    ``entry`` enters the first stage (its target is filled in), ``withdraw`` leaves the first stage back
    to ``initial``; the last stage's approval goes to ``done`` with ``done_conditions`` and ``done_effects``;
    a return goes to ``returned``; ``extra`` are further transitions (retraction ...). ``publishes`` says
    that ``done`` makes the subject public, so a confidentiality stage is required.
    """

    states: dict
    initial: str
    entry: Transition
    returned: str
    done: str
    withdraw: Transition | None = None
    approve_conditions: tuple = ()
    confidentiality_conditions: tuple = ()
    done_conditions: tuple = ()
    done_effects: tuple = ()
    return_conditions: tuple = ("comment_required",)
    extra: tuple = ()
    publishes: bool = False


_REGISTRY: dict[str, Workflow] = {}
_ENVELOPES: dict[str, Envelope] = {}
_BUILTINS: dict[str, dict] = {}  # code -> definition JSON (version 1 when no row is stored)


def register_workflow(workflow: Workflow) -> Workflow:
    """Make a Python-defined ``workflow`` available by name (columns and subjects refer to it)."""
    _REGISTRY[workflow.name] = workflow
    return workflow


def register_envelope(subject_type: str, envelope: Envelope):
    """Say how stage workflows of ``subject_type`` begin and end."""
    _ENVELOPES[subject_type] = envelope
    return envelope


def envelope_of(subject_type):
    try:
        return _ENVELOPES[subject_type]
    except KeyError:
        raise KeyError(f"no stage workflows for subject type {subject_type!r}") from None


def register_builtin_definition(data: dict):
    """A stage workflow shipped with the code; stored rows of the same code take precedence."""
    _BUILTINS[data["code"]] = data
    return data


def builtin_definitions():
    return dict(_BUILTINS)


def get_workflow(name: str, version: int | None = None) -> Workflow:
    """The workflow ``name`` (a pinned ``version`` of a stored one, the latest when None)."""
    if name in _REGISTRY:
        return _REGISTRY[name]
    from cms.workflow import store

    return store.compiled(name, version)


def workflow_names():
    return sorted(_REGISTRY)


def _approve_title(stage, last):
    return "审定发布" if last else f"{stage.title}通过"


def role_guard_name(role, scope, sections=(), once=False):
    """The name of the parametric role guard (registered on first use, see cms.workflow.guards)."""
    from cms.workflow.guards import role_guard

    return role_guard(role, scope, tuple(sections), once).name


def compile_stages(code, title, stages, on_return, envelope, version=None):
    """States and transitions of a stage workflow."""
    stages = tuple(stages)
    states = dict(envelope.states)
    for stage in stages:
        states[stage.state] = f"待{stage.title}"
    first = stages[0]
    transitions = [replace(envelope.entry, target=first.state, resume=True)]
    for index, stage in enumerate(stages):
        last = index == len(stages) - 1
        conditions = tuple(envelope.approve_conditions)
        if stage.confidentiality:
            conditions += tuple(envelope.confidentiality_conditions)
        if last:
            conditions += tuple(c for c in envelope.done_conditions if c not in conditions)
        transitions.append(Transition(
            "approve", _approve_title(stage, last), (stage.state,),
            envelope.done if last else stages[index + 1].state,
            guard=role_guard_name(stage.role, stage.scope, stage.sections, once=True),
            conditions=conditions, effects=tuple(envelope.done_effects) if last else (),
            worklist=True, stage=stage.code,
        ))
        transitions.append(Transition(
            "return", "退回修改", (stage.state,), envelope.returned,
            guard=role_guard_name(stage.role, stage.scope, stage.sections),
            conditions=tuple(envelope.return_conditions), stage=stage.code, to_stage=index > 0,
        ))
        if index == 0 and envelope.withdraw is not None:
            transitions.append(replace(envelope.withdraw, sources=(first.state,)))
    transitions.extend(envelope.extra)
    return Workflow(name=code, title=title, states=states, initial=envelope.initial,
                    transitions=tuple(transitions), stages=stages, on_return=on_return, version=version)


def stages_from_json(data):
    return tuple(
        Stage(code=s["code"], title=s["title"], role=s["role"], scope=s.get("scope", "item_section"),
              sections=tuple(s.get("sections") or ()), quorum=s.get("quorum", "any"), due=s.get("due"),
              confidentiality=bool(s.get("confidentiality")))
        for s in data["stages"]
    )


def compile_definition(data, subject_type="item", version=None):
    """Compile a (validated) definition JSON into a Workflow."""
    return compile_stages(data["code"], data["title"], stages_from_json(data), data.get("on_return", "restart"),
                          envelope_of(subject_type), version=version)


# Labels of the states of the built-in item workflows (pages of other stage workflows use the compiled
# workflow's own ``states``).
ITEM_STATES = {
    "draft": "草稿",
    "pending_section": "待科室审核",
    "pending_office": "待办公室审核",
    "pending_leader": "待分管领导审定",
    "scheduled": "定时发布",
    "published": "已发布",
    "returned": "已退回",
    "retracted": "已撤回发布",
}

"""Chinese labels of states, stages and transitions from the stored definitions (audit log, history).

A record names a workflow ``code`` and ``version`` when it can: its labels then come from exactly the
definition the subject followed. Older records name only state codes: their labels come from every stored
definition of items (the first title seen for a ``pending_<code>`` state). Memoized per request.
"""
from flask import g, has_app_context


def _memo():
    return g.setdefault("_cms_workflow_labels", {}) if has_app_context() else {}


def workflow_of(code, version=None):
    """The compiled workflow ``code`` at ``version`` (latest when None), or None when unknown."""
    from cms.workflow.definitions import get_workflow

    if not isinstance(code, str):
        return None
    if not isinstance(version, int) or isinstance(version, bool):
        version = None
    memo = _memo()
    key = ("workflow", code, version)
    if key not in memo:
        try:
            memo[key] = get_workflow(code, version)
        except (KeyError, LookupError):
            memo[key] = None
    return memo[key]


def any_state_labels():
    """Labels of every item state, custom stages of every stored definition included."""
    memo = _memo()
    if "states" not in memo:
        from cms.content.workflow import item_state_labels

        memo["states"] = item_state_labels()
    return memo["states"]


def any_stage_titles():
    """``{stage code: title}`` over every stored item definition (first title seen)."""
    memo = _memo()
    if "stages" not in memo:
        labels = {}
        for state, label in any_state_labels().items():
            if state.startswith("pending_") and label.startswith("待"):
                labels.setdefault(state[len("pending_"):], label[1:])
        memo["stages"] = labels
    return memo["stages"]


def state_label(state, code=None, version=None):
    workflow = workflow_of(code, version) if code else None
    if workflow is not None and state in workflow.states:
        return workflow.states[state]
    return any_state_labels().get(state, state)


def stage_title(stage, code=None, version=None):
    workflow = workflow_of(code, version) if code else None
    found = workflow.stage(stage) if workflow is not None and workflow.stages else None
    if found is not None:
        return found.title
    return any_stage_titles().get(stage, stage)


def transition_title(name, from_state=None, code=None, version=None):
    """The definition's title of the transition ``name`` leaving ``from_state`` (e.g. “相关科室会签通过”),
    or None when the definition is not known."""
    workflow = workflow_of(code, version) if code else None
    if workflow is None:
        return None
    found = workflow.find(name, from_state) if from_state else None
    if found is None:
        found = next((t for t in workflow.transitions if t.name == name), None)
    return found.title if found is not None else None

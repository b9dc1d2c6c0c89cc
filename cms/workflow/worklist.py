"""Worklists ("what waits for me"), derived from the workflow definitions' guards and scopes.

The same definitions drive the buttons (``available_transitions``), so the worklist and the buttons
cannot disagree. Subject-specific queries live with their subject (``cms/content/workflow.py``).

For stage workflows the filter groups the worklist transitions of every stored version by guard: one
clause per guard, ``(workflow, workflow_version, state) IN (...) AND <the guard's scope>``, so twenty
workflows cost a handful of clauses, not one per stage.
"""
from sqlalchemy import and_, false, or_, tuple_
from sqlalchemy.sql.elements import False_

from cms.accounts import permissions
from cms.workflow.definitions import get_workflow
from cms.workflow.guards import get_guard


def _python_clauses(user, model, workflow_names):
    clauses = []
    for name in workflow_names:
        workflow = get_workflow(name)
        for transition in workflow.transitions:
            if not transition.worklist:
                continue
            guard = get_guard(transition.guard)
            if guard.scope is None:
                continue
            clauses.append(and_(model.workflow == workflow.name, model.state.in_(transition.sources),
                                guard.scope(user, model)))
    return clauses


def _stage_clauses(user, model, subject_type):
    from cms.workflow.store import all_compiled

    by_guard = {}
    for (code, version), workflow in all_compiled(subject_type).items():
        for transition in workflow.transitions:
            if transition.worklist:
                for state in transition.sources:
                    by_guard.setdefault(transition.guard, []).append((code, version, state))
    clauses = []
    for guard_name, triples in sorted(by_guard.items()):
        guard = get_guard(guard_name)
        if guard.scope is None:
            continue
        scope = guard.scope(user, model)
        if isinstance(scope, False_):
            continue
        # The plain ``state IN`` lets the database walk an index that leads with the state (ix_items_worklist)
        # instead of every row of the organization; the triple then picks the pinned versions.
        states = sorted({state for _code, _version, state in triples})
        clauses.append(and_(model.state.in_(states),
                            tuple_(model.workflow, model.workflow_version, model.state).in_(triples), scope))
    return clauses


def worklist_filter(user, model, workflow_names=None, subject_type="item"):
    """A SQL filter over ``model`` selecting the subjects waiting for ``user``'s action.

    ``workflow_names``: Python-registered workflows to consider; by default every stored stage workflow
    version of ``subject_type`` (a subject in a stage always has its pinned ``workflow_version``).
    """
    with permissions.memoized():
        if workflow_names is not None:
            clauses = _python_clauses(user, model, workflow_names)
        else:
            clauses = _stage_clauses(user, model, subject_type)
    return or_(*clauses) if clauses else false()

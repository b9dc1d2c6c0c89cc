"""Worklists ("what waits for me"), derived from the workflow definitions' guards and scopes.

The same definitions drive the buttons (``available_transitions``), so the worklist and the buttons
cannot disagree. Subject-specific queries live with their subject (``cms/content/workflow.py``).
"""
from sqlalchemy import and_, false, or_

from cms.accounts import permissions
from cms.extensions import db
from cms.workflow.definitions import get_workflow
from cms.workflow.guards import get_guard


def _in_flight(model):
    """``(workflow, version)`` pairs of the subjects waiting in a stage (``pending_<code>`` states)."""
    return (
        db.session.query(model.workflow, model.workflow_version)
        .filter(model.state.like("pending\\_%", escape="\\"))
        .distinct()
        .all()
    )


def worklist_filter(user, model, workflow_names=None):
    """A SQL filter over ``model`` selecting the subjects waiting for ``user``'s action.

    ``workflow_names``: the (Python-registered) workflows to consider; by default every stage workflow
    version that has subjects in flight.
    """
    pairs = [(name, None) for name in workflow_names] if workflow_names is not None else _in_flight(model)
    clauses = []
    with permissions.memoized():
        for name, version in pairs:
            try:
                workflow = get_workflow(name, version)
            except KeyError:
                continue
            for transition in workflow.transitions:
                if not transition.worklist:
                    continue
                guard = get_guard(transition.guard)
                if guard.scope is None:
                    continue
                clause = [model.workflow == workflow.name, model.state.in_(transition.sources),
                          guard.scope(user, model)]
                if workflow_names is None:
                    clause.append(model.workflow_version == version if version is not None
                                  else model.workflow_version.is_(None))
                clauses.append(and_(*clause))
    return or_(*clauses) if clauses else false()

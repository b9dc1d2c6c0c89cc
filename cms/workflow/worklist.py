"""Worklists ("what waits for me"), derived from the workflow definitions' guards and scopes.

The same definitions drive the buttons (``available_transitions``), so the worklist and the buttons
cannot disagree.
"""
from sqlalchemy import and_, false, or_

from cms.workflow.definitions import get_workflow
from cms.workflow.guards import get_guard


def worklist_filter(user, model, workflow_names):
    """A SQL filter over ``model`` selecting the subjects waiting for ``user``'s action."""
    clauses = []
    for workflow_name in workflow_names:
        workflow = get_workflow(workflow_name)
        for transition in workflow.transitions:
            if not transition.worklist:
                continue
            guard = get_guard(transition.guard)
            if guard.scope is None:
                continue
            clauses.append(
                and_(
                    model.workflow == workflow.name,
                    model.state.in_(transition.sources),
                    guard.scope(user, model),
                )
            )
    return or_(*clauses) if clauses else false()


def item_worklist_query(user):
    """Items waiting for ``user``'s review, oldest first (separation of duties: not their own)."""
    from cms.content.models import Item
    from cms.workflow.definitions import ITEM_WORKFLOWS

    return (
        Item.query.filter(worklist_filter(user, Item, ITEM_WORKFLOWS))
        .filter(Item.author_id != user.id)
        .filter(or_(Item.last_editor_id.is_(None), Item.last_editor_id != user.id))
        .order_by(Item.updated_at, Item.id)
    )


def item_worklist_by_stage(user):
    """``{state: [items]}`` for the dashboard, in stage order."""
    from sqlalchemy.orm import joinedload

    from cms.content.models import Item

    items = item_worklist_query(user).options(joinedload(Item.column), joinedload(Item.section)).all()
    stages = {"pending_section": [], "pending_office": [], "pending_leader": []}
    for item in items:
        stages.setdefault(item.state, []).append(item)
    return stages


def my_items(user, state):
    """Items authored by ``user`` in ``state`` (drafts, returned ...), newest first."""
    from cms.content.models import Item

    return Item.query.filter_by(author_id=user.id, state=state).order_by(Item.updated_at.desc()).all()

"""The back office's search box: items by title, 文号 or 索引号 among the items the user may see."""
from sqlalchemy import or_

from cms.content.item_filters import list_scope
from cms.content.models import Item
from cms.content.services import can_view
from cms.extensions import db

LIMIT = 50


def search_items(user, q):
    """Items matching ``q`` the user may see, newest first (at most ``LIMIT``)."""
    q = (q or "").strip()[:100]
    if not q:
        return []
    from cms.workflow.models import WorkflowHistory

    acted = db.session.query(WorkflowHistory.subject_id).filter(
        WorkflowHistory.subject_type == "item",
        or_(WorkflowHistory.actor_id == user.id, WorkflowHistory.on_behalf_of_id == user.id))
    org_ids = list(user.organization_ids or [-1])
    public = db.and_(Item.state == "published", Item.working_copy_of_id.is_(None), Item.disclosure == "proactive",
                     Item.organization_id.in_(org_ids))
    like = or_(Item.title.contains(q), Item.doc_number.contains(q), Item.index_no.contains(q))
    rows = (Item.query.filter(like, or_(list_scope(user), public, Item.id.in_(acted)))
            .order_by(Item.updated_at.desc(), Item.id.desc()).limit(LIMIT).all())
    return [item for item in rows if can_view(user, item)]

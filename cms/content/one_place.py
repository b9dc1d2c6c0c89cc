"""The one-place rule (避免同类信息在不同栏目发布): find items that are the same information.

Contract used by the workflow engine: ``find_conflicts(item) -> list[Item]`` returns the items of the
same organization, published or pending review, that are the same information as ``item``.
(First cut: same 文号. The column issue completes it with normalized body, near-duplicates and
title + written date.)
"""
from cms.content.models import Item

PENDING_OR_PUBLISHED = ("pending_section", "pending_office", "pending_leader", "published")


def find_conflicts(item):
    """Items that already carry the same information as ``item`` (excluding itself and its original)."""
    if not item.doc_number:
        return []
    exclude = {i for i in (item.id, item.working_copy_of_id) if i is not None}
    query = Item.query.filter(
        Item.organization_id == item.organization_id,
        Item.doc_number == item.doc_number,
        Item.state.in_(PENDING_OR_PUBLISHED),
    )
    return [other for other in query if other.id not in exclude and other.working_copy_of_id not in exclude]

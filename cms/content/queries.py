"""Read-side queries for public surfaces: only what the public may see, in one place."""
from cms.content.models import Item
from cms.extensions import db


def public_items():
    """Items visible to anonymous visitors: published originals with proactive disclosure.

    Listings show each item's column, so it is loaded in the same query.
    """
    from sqlalchemy.orm import joinedload

    return Item.query.options(joinedload(Item.column)).filter(
        Item.state == "published",
        Item.working_copy_of_id.is_(None),
        Item.disclosure == "proactive",
    )


def public_items_in_column(column):
    """Public items of ``column``: its own items and the items it cross-references (引用)."""
    from sqlalchemy import or_

    from cms.content.models import ColumnReference

    # Resolve the (few) references first: an IN over a subquery would keep the listing index unused.
    referenced = [i for (i,) in db.session.query(ColumnReference.item_id).filter_by(column_id=column.id)]
    query = public_items().filter(Item.organization_id == column.organization_id)
    if referenced:
        return query.filter(or_(Item.column_id == column.id, Item.id.in_(referenced)))
    return query.filter(Item.column_id == column.id)


def content_generation(organization_id):
    """Changes whenever any item of the organization changes (validator for cached listings)."""
    from sqlalchemy import func

    return db.session.query(func.max(Item.updated_at)).filter(Item.organization_id == organization_id).scalar()


def latest_public_items(org, column_codes=None, limit=8):
    """Newest public items of ``org`` (optionally only in the given columns)."""
    from cms.content.models import Column

    query = public_items().filter(Item.organization_id == org.id)
    if column_codes:
        query = query.join(Column, Item.column_id == Column.id).filter(Column.code.in_(column_codes))
    return query.order_by(Item.published_at.desc(), Item.id.desc()).limit(limit).all()


def get_public_item(item_id):
    """The public item ``item_id`` or None."""
    return public_items().filter(Item.id == item_id).first()


def related_public_items(item):
    """Public items linked to ``item``: the policy an interpretation interprets, a policy's interpretations."""
    related = []
    if item.interprets_id:
        policy = get_public_item(item.interprets_id)
        if policy is not None:
            related.append(policy)
    related += public_items().filter(Item.interprets_id == item.id).order_by(Item.published_at).all()
    return related

"""Read-side queries for public surfaces: only what the public may see, in one place."""
from sqlalchemy import update

from cms.content.models import Item
from cms.extensions import db


def public_items():
    """Items visible to anonymous visitors: published originals with proactive disclosure."""
    return Item.query.filter(
        Item.state == "published",
        Item.working_copy_of_id.is_(None),
        Item.disclosure == "proactive",
    )


def public_items_in_column(column):
    """Public items of ``column``: its own items and the items it cross-references (引用)."""
    from sqlalchemy import or_, select

    from cms.content.models import ColumnReference

    referenced = select(ColumnReference.item_id).where(ColumnReference.column_id == column.id)
    return public_items().filter(or_(Item.column_id == column.id, Item.id.in_(referenced)))


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


def count_view(item_id):
    """Increment the view count with one UPDATE (no ORM load, no version bump)."""
    db.session.execute(update(Item.__table__).where(Item.__table__.c.id == item_id)
                       .values(view_count=Item.__table__.c.view_count + 1))

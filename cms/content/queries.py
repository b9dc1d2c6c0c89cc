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


def get_public_item(item_id):
    """The public item ``item_id`` or None."""
    return public_items().filter(Item.id == item_id).first()


def count_view(item_id):
    """Increment the view count with one UPDATE (no ORM load, no version bump)."""
    db.session.execute(update(Item.__table__).where(Item.__table__.c.id == item_id)
                       .values(view_count=Item.__table__.c.view_count + 1))

"""Public item pages: the metadata block, the body, attachments and the view count."""
from flask import abort, render_template

from cms.blueprints.public import bp
from cms.content.queries import count_view, get_public_item
from cms.content.types import FIVE_PUBLIC, ITEM_TYPES, VALIDITY
from cms.extensions import db


def _load(item_id):
    item = get_public_item(item_id)
    if item is None:
        abort(404)
    return item


@bp.get("/items/<int:item_id>")
def item_detail(item_id):
    item = _load(item_id)
    count_view(item.id)
    db.session.commit()
    return render_template(
        "public/item_detail.html", item=item, validity_labels=VALIDITY, type_labels=ITEM_TYPES,
        five_public_labels=FIVE_PUBLIC, print_view=False,
    )


@bp.get("/items/<int:item_id>/print")
def item_print(item_id):
    item = _load(item_id)
    return render_template(
        "public/item_detail.html", item=item, validity_labels=VALIDITY, type_labels=ITEM_TYPES,
        five_public_labels=FIVE_PUBLIC, print_view=True,
    )

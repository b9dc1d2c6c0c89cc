"""Public item pages: the metadata block, the body, attachments, related items and the view count."""
from flask import abort, current_app, render_template

from cms.blueprints.public import bp
from cms.blueprints.public.page_cache import item_pages
from cms.content.models import Item
from cms.content.queries import get_public_item, public_items, related_public_items
from cms.content.types import FIVE_PUBLIC, ITEM_TYPES, VALIDITY
from cms.content.view_counts import counter
from cms.site import service as site_settings
from cms.clocks.budgets import public_budget_view


def _render(item, print_view):
    return render_template(
        "public/item_detail.html", item=item, validity_labels=VALIDITY, type_labels=ITEM_TYPES,
        five_public_labels=FIVE_PUBLIC, print_view=print_view, related=related_public_items(item),
        pending_views=counter.pending(item.id), budget=public_budget_view(item),
    )


def _page(item_id, print_view):
    # A cheap validator query: the page is valid while the item's version and update time are unchanged.
    row = public_items().filter(Item.id == item_id).with_entities(Item.version, Item.updated_at).first()
    if row is None:
        abort(404)
    key, validator = (item_id, print_view), (row.version, row.updated_at, site_settings.version())
    use_cache = current_app.config["CMS_PAGE_CACHE"]
    html = item_pages.get(key, validator) if use_cache else None
    if html is None:
        item = get_public_item(item_id)
        if item is None:
            abort(404)
        html = _render(item, print_view)
        if use_cache:
            item_pages.put(key, validator, html)
    return html


@bp.get("/items/<int:item_id>")
def item_detail(item_id):
    html = _page(item_id, print_view=False)
    counter.hit(item_id)
    if counter.due() or not current_app.config["CMS_BUFFER_VIEW_COUNTS"]:
        counter.flush()
    return html


@bp.get("/items/<int:item_id>/print")
def item_print(item_id):
    return _page(item_id, print_view=True)

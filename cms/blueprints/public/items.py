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
    from flask import url_for

    from cms.blueprints.public.feeds import site_url
    from cms.clock import to_local, utcnow
    from cms.content.listing import column_neighbours
    from cms.site.qr import qr_svg

    related = related_public_items(item)
    page_url = site_url(url_for("public.item_detail", item_id=item.id))
    newer, older = column_neighbours(item)
    return render_template(
        "public/item_print.html" if print_view else "public/item_detail.html",
        item=item, validity_labels=VALIDITY, type_labels=ITEM_TYPES,
        five_public_labels=FIVE_PUBLIC, print_view=bool(print_view), related=related,
        policy=next((r for r in related if r.id == item.interprets_id), None),
        interpretations=[r for r in related if r.interprets_id == item.id],
        pending_views=counter.pending(item.id), budget=public_budget_view(item),
        page_url=page_url, qr=qr_svg(page_url), newer=newer, older=older,
        print_date=to_local(utcnow()).strftime("%Y-%m-%d"), open_dialog=print_view == "dialog",
    )


def _page(item_id, print_view):
    # A cheap validator query: the page is valid while the item's version and update time are unchanged.
    row = public_items().filter(Item.id == item_id).with_entities(Item.version, Item.updated_at, Item.type).first()
    if row is None:
        abort(404)
    key = (item_id, print_view)
    validator = (row.version, row.updated_at, site_settings.version(), _today() if print_view else None)
    # A consultation's page carries a comment form (a per-session CSRF token) and live comments: never cached.
    use_cache = current_app.config["CMS_PAGE_CACHE"] and row.type != "consultation"
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
    # The print dialog opens only on request (?print=1); the page itself is a clean A4 document.
    from flask import request

    return _page(item_id, print_view="dialog" if request.args.get("print") == "1" else "page")


def _today():
    from cms.clock import to_local, utcnow

    return to_local(utcnow()).date()

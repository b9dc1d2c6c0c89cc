"""Public item pages: the metadata block, the body, attachments, related items and the view count."""
from collections import namedtuple

from flask import abort, current_app, render_template
from sqlalchemy.orm.attributes import set_committed_value

from cms.blueprints.public import bp
from cms.blueprints.public.page_cache import item_pages, kept_page, may_keep_page
from cms.content.public_state import public_item_for_page
from cms.content.queries import related_public_items
from cms.content.types import FIVE_PUBLIC, ITEM_TYPES, VALIDITY
from cms.content.view_counts import counter
from cms.clocks.budgets import public_budget_view
from cms.pages.store import page_store
from cms.site import service as site_settings
from cms.pages.validators import item_page_state


VIEW_COUNT_MARK = "<!--cms:view-count-->"
Neighbour = namedtuple("Neighbour", "id title")


def _render(item, print_view, state):
    from flask import url_for

    from cms.blueprints.public.feeds import site_url
    from cms.clock import to_local, utcnow
    from cms.site.qr import qr_svg

    site_settings.current(known_version=state.site_version or 0)  # read in the page's state statement
    if not state.attachment_count:  # known from the state statement: no lookup for an empty list
        set_committed_value(item, "attachments", [])
    related = related_public_items(item, interpretations=state.interpretations_updated_at is not None)
    page_url = site_url(url_for("public.item_detail", item_id=item.id))
    # The neighbours' titles came with the page's state statement (public items, from the listing index).
    newer = Neighbour(state.newer_id, state.newer_title) if state.newer_id else None
    older = Neighbour(state.older_id, state.older_title) if state.older_id else None
    return render_template(
        "public/item_print.html" if print_view else "public/item_detail.html",
        item=item, validity_labels=VALIDITY, type_labels=ITEM_TYPES,
        five_public_labels=FIVE_PUBLIC, print_view=bool(print_view), related=related,
        policy=next((r for r in related if r.id == item.interprets_id), None),
        interpretations=[r for r in related if r.interprets_id == item.id],
        view_count_mark=VIEW_COUNT_MARK, budget=public_budget_view(item),
        page_url=page_url, qr=qr_svg(page_url), newer=newer, older=older,
        print_date=to_local(utcnow()).strftime("%Y-%m-%d"), open_dialog=print_view == "dialog",
    )


def render_and_keep(item_id):
    """Render the public page of ``item_id`` into both caches unless kept for its state; 1 if rendered
    (the queue's and ``cms pages warm``'s entry)."""
    state = item_page_state(item_id)
    if state is None or state.type == "consultation":
        return 0
    key, validator = (item_id, False), state.validator
    if page_store().get(key, validator) is not None:
        return 0
    _render_fresh(item_id, False, state, key, validator, keep=True)
    return 1


def _render_fresh(item_id, print_view, state, key, validator, keep):
    item = public_item_for_page(item_id)
    if item is None:
        abort(404)
    html = _render(item, print_view, state)
    if keep:
        item_pages.put(key, validator, html)
        page_store().put(key, validator, html)
    return html


def _page(item_id, print_view):
    """The page of public item ``item_id``: from this worker's cache, else the shared page store, else
    rendered (and kept in both). One indexed statement decides whether a kept page is still right."""
    state = item_page_state(item_id)
    if state is None:
        abort(404)
    key = (item_id, print_view)
    validator = state.validator + ((_today(),) if print_view else ())
    # A consultation's page carries a comment form (a per-session CSRF token) and live comments: never kept.
    keep = may_keep_page() and state.type != "consultation"
    html = kept_page(item_pages, key, validator) if keep else None
    if html is None:
        html = _render_fresh(item_id, print_view, state, key, validator, keep)
    # The view count changes with every visit: filled in here, not kept in the page.
    return html.replace(VIEW_COUNT_MARK, str(state.view_count + counter.pending(item_id)), 1)


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

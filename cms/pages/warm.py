"""Rendering public item pages ahead of visitors, into the shared page store.

``warm_items(ids)`` renders each public item page that the store does not already hold for its current
state, the way a visitor's request would (same function, a request context for the site's address). After
a publication the task queue warms the published item and its neighbours in the column, whose 上一条/下一条
changed; ``flask --app wsgi cms pages warm`` warms the whole catalog (after a deployment or a restore).
"""
from flask import current_app

from cms.extensions import db


def _public_item_ids():
    from cms.content.models import Item
    from cms.content.queries import _public_filter

    return _public_filter(db.session.query(Item.id))


def public_item_count():
    return _public_item_ids().count()


def public_item_ids(after_id=0, limit=1000):
    from cms.content.models import Item

    return [i for (i,) in _public_item_ids().filter(Item.id > after_id).order_by(Item.id).limit(limit)]


def warm_items(ids):
    """Render the pages of the public items among ``ids`` not yet kept for their state; returns how many
    were rendered (a page already kept, a consultation's page or an item no longer public is skipped)."""
    from werkzeug.exceptions import NotFound

    from cms.blueprints.public.items import render_and_keep

    app = current_app._get_current_object()
    if not (app.config["CMS_PAGE_CACHE"] and app.config["CMS_PAGE_STORE"]):
        return 0
    rendered = 0
    for item_id in ids:
        with app.test_request_context(f"/items/{item_id}", base_url=app.config["CMS_SITE_URL"]):
            try:
                rendered += render_and_keep(item_id)
            except NotFound:
                continue
    return rendered


def warm_after_publication(item_ids):
    """The queue's duty after items were published, retracted or changed: their pages and their neighbours'."""
    from cms.pages.validators import item_page_state

    ids = set(item_ids)
    for item_id in item_ids:
        state = item_page_state(item_id)
        if state is not None:
            ids.update(i for i in (state.newer_id, state.older_id) if i)
    return warm_items(sorted(ids))

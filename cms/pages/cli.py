"""CLI: ``cms pages warm`` renders every public item page into the shared page store; ``cms pages clear``."""
import sys

import click
from flask import current_app
from flask.cli import AppGroup
from tqdm import tqdm

from cms.cli import cms_group, fail

pages_group = AppGroup("pages", help="Rendered public pages kept in the shared page store.")
cms_group.add_command(pages_group)


@pages_group.command("warm")
@click.option("--batch", default=500, show_default=True, help="items read per query")
def warm_cmd(batch):
    """Render every public item page not yet kept for its current state (idempotent, resumable)."""
    from cms.content.models import Item
    from cms.content.queries import _public_filter
    from cms.extensions import db
    from cms.pages.warm import public_item_ids, warm_items

    if batch < 1:
        fail("--batch must be at least 1")
    config = current_app.config
    if not (config["CMS_PAGE_CACHE"] and config["CMS_PAGE_STORE"]):
        fail("the page store is switched off (CMS_PAGE_CACHE / CMS_PAGE_STORE)")
    total = _public_filter(db.session.query(Item.id)).count()
    rendered, last = 0, 0
    with tqdm(total=total, unit="page", desc="warm", file=sys.stderr) as bar:
        while True:
            ids = public_item_ids(after_id=last, limit=batch)
            if not ids:
                break
            rendered += warm_items(ids)
            last = ids[-1]
            bar.update(len(ids))
    click.echo(f"Public item pages: {total}, rendered {rendered}, already kept {total - rendered}")


@pages_group.command("clear")
def clear_cmd():
    """Remove every page kept in the store (they are rendered again on demand)."""
    from cms.pages.store import page_store

    click.echo(f"Removed {page_store().clear()} kept pages")

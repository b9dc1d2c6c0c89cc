"""CLI: ``cms one-place refresh`` recomputes the one-place fingerprints and band keys of every item."""
import sys

import click
from flask.cli import AppGroup
from tqdm import tqdm

from cms.cli import cms_group

one_place_group = AppGroup("one-place", help="One-place rule fingerprints.")
cms_group.add_command(one_place_group)


@one_place_group.command("refresh")
@click.option("--batch", default=1000, show_default=True, help="items per transaction")
def refresh_cmd(batch):
    """Recompute every item's fingerprints (after changing their parameters, or for rows written by SQL)."""
    from sqlalchemy import delete, select, update

    from cms.content.models import Item, ItemNearKey
    from cms.content.one_place import BODY_FIELDS, fingerprints, insert_near_keys
    from cms.extensions import db

    table = Item.__table__
    total = db.session.query(Item.id).count()
    bar = tqdm(total=total, unit="item", desc="one-place", file=sys.stderr)
    last = 0
    while True:
        rows = db.session.execute(select(table.c.id, table.c.title, table.c.body_html, table.c.doc_number)
                                  .where(table.c.id > last).order_by(table.c.id).limit(batch)).all()
        if not rows:
            break
        ids = [r.id for r in rows]
        connection = db.session.connection()
        connection.execute(delete(ItemNearKey.__table__).where(ItemNearKey.__table__.c.item_id.in_(ids)))
        pairs = []
        for row in rows:
            values = fingerprints(row.title, row.body_html, row.doc_number)
            pairs.append((row.id, values.pop("keys")))
            # A plain UPDATE: the item's version (its optimistic lock) stays as it is.
            connection.execute(update(table).where(table.c.id == row.id).values(
                **{k: values[k] for k in ("doc_number_key", "title_key", *BODY_FIELDS)}))
        insert_near_keys(connection, pairs)
        db.session.commit()
        bar.update(len(rows))
        last = ids[-1]
    bar.close()
    click.echo(f"Fingerprinted {total} item(s)")

"""CLI: ``cms search sync|reindex|verify`` and ``cms import FILE.jsonl``."""
import sys

import click
from flask.cli import AppGroup
from tqdm import tqdm

from cms.cli import cms_group, fail

search_group = AppGroup("search", help="Search index: sync the outbox, rebuild, verify.")
cms_group.add_command(search_group)


@search_group.command("sync")
def sync_cmd():
    """Apply pending index updates (the outbox) — repairs a crash between commit and index write."""
    from cms.search.service import drain

    count = drain()
    click.echo(f"Synced {count} item(s)")


@search_group.command("reindex")
def reindex_cmd():
    """Rebuild the whole index from the published items (built aside: search and publication go on)."""
    from cms.content.models import Item
    from cms.content.queries import public_items
    from cms.search.service import reindex

    from cms.errors import DomainError

    total = public_items().with_entities(Item.id).count()
    try:
        with tqdm(total=total, unit="item", desc="reindex", file=sys.stderr) as bar:
            count = reindex(progress=bar.update)
    except DomainError as exc:
        fail(exc.message)
    click.echo(f"Indexed {count} published item(s)")


@search_group.command("verify")
def verify_cmd():
    """Compare the published items with the index; exit 1 and list differences when they disagree."""
    from cms.search.service import verify

    missing, extra = verify()
    if not missing and not extra:
        click.echo("Index matches the published items")
        return
    if missing:
        click.echo(f"Missing from the index ({len(missing)}): {', '.join(map(str, missing[:100]))}")
    if extra:
        click.echo(f"Indexed but not published ({len(extra)}): {', '.join(map(str, extra[:100]))}")
    sys.exit(1)


@cms_group.command("import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--org", "org_code", default=None, help="organization code (when several exist)")
@click.option("--no-index", is_flag=True, help="leave the search index to `cms search sync` (the outbox)")
def import_cmd(path, org_code, no_index):
    """Import legacy items (JSON lines) as already published; idempotent by external_id."""
    from cms.content.importer import import_file
    from cms.errors import DomainError

    try:
        report = import_file(path, org_code=org_code, progress=True, index=not no_index)
    except (OSError, DomainError) as exc:
        fail(getattr(exc, "message", None) or str(exc))
    click.echo(f"Imported {report.created}, unchanged {report.skipped}, rejected {len(report.rejected)}")
    for line_no, reason in report.rejected[:200]:
        click.echo(f"line {line_no}: {reason}", err=True)
    if report.rejected:
        sys.exit(1)

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
@click.option("--jobs", default=1, show_default=True, help="processes rendering in parallel")
@click.option("--part", default=None, hidden=True, help="K/N: only items whose id modulo N is K")
def warm_cmd(batch, jobs, part):
    """Render every public item page not yet kept for its current state (idempotent, resumable)."""
    from cms.extensions import db
    from cms.pages.warm import public_item_count, public_item_ids, warm_items

    if batch < 1:
        fail("--batch must be at least 1")
    if not 1 <= jobs <= 32:
        fail("--jobs must be between 1 and 32")
    share = None
    if part is not None:
        try:
            k, n = (int(x) for x in part.split("/"))
            assert 0 <= k < n
        except (ValueError, AssertionError):
            fail("--part must be K/N with 0 <= K < N")
        share = (k, n)
    config = current_app.config
    if not (config["CMS_PAGE_CACHE"] and config["CMS_PAGE_STORE"]):
        fail("the page store is switched off (CMS_PAGE_CACHE / CMS_PAGE_STORE)")
    if jobs > 1:
        return _warm_in_processes(jobs, batch)
    total = public_item_count()
    rendered, seen, last = 0, 0, 0
    with tqdm(total=total, unit="page", desc="warm", file=sys.stderr, disable=share is not None) as bar:
        while True:
            ids = public_item_ids(after_id=last, limit=batch)
            if not ids:
                break
            last = ids[-1]
            if share is not None:
                ids = [i for i in ids if i % share[1] == share[0]]
            rendered += warm_items(ids)
            seen += len(ids)
            db.session.expunge_all()
            bar.update(len(ids))
    click.echo(f"Public item pages: {seen}, rendered {rendered}, "
               f"already kept or never kept (consultations) {seen - rendered}")


def _warm_in_processes(jobs, batch):
    """``jobs`` child processes, each rendering the items whose id modulo ``jobs`` is its number."""
    import re
    import subprocess

    children = [subprocess.Popen([sys.executable, "-m", "flask", "--app", "wsgi", "cms", "pages", "warm",
                                  "--batch", str(batch), "--part", f"{k}/{jobs}"],
                                 stdout=subprocess.PIPE, text=True) for k in range(jobs)]
    seen = rendered = 0
    failed = False
    for child in children:
        out, _ = child.communicate()
        match = re.search(r"pages: (\d+), rendered (\d+)", out or "")
        if child.returncode != 0 or not match:
            failed = True
            continue
        seen += int(match.group(1))
        rendered += int(match.group(2))
    if failed:
        fail("a warming process failed; run the command again (it resumes)")
    click.echo(f"Public item pages: {seen}, rendered {rendered}, "
               f"already kept or never kept (consultations) {seen - rendered}")


@pages_group.command("clear")
def clear_cmd():
    """Remove every page kept in the store (they are rendered again on demand)."""
    from cms.pages.store import page_store

    click.echo(f"Removed {page_store().clear()} kept pages")

"""``flask --app wsgi cms jobs ...``: run the queue consumer, run the timed duties once, show the queue."""
import logging

import click
from flask import current_app

from cms.cli import cms_group, fail
from cms.extensions import db


@cms_group.group("jobs")
def jobs_group():
    """The task queue (huey): consumer, timed duties, status."""


@jobs_group.command("worker")
@click.option("--workers", type=click.IntRange(1, 32), default=None,
              help="worker threads (default CMS_QUEUE_WORKERS, 2)")
def worker_cmd(workers):
    """Run the queue consumer (tasks, the one-minute tick, the daily reminder) until stopped."""
    from cms.jobs.heartbeat import record_heartbeat
    from cms.jobs.queue import get_jobs

    jobs = get_jobs()
    if jobs.huey.immediate:
        fail("CMS_QUEUE_IMMEDIATE is set: tasks run in the caller, there is nothing to consume")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    record_heartbeat()
    db.session.commit()
    db.session.remove()
    jobs.enqueue("search.drain")  # what was committed while no consumer ran
    consumer = jobs.huey.create_consumer(
        workers=workers or current_app.config["CMS_QUEUE_WORKERS"], worker_type="thread", periodic=True)
    click.echo(f"Queue consumer started ({consumer.workers} worker threads); Ctrl-C stops it.")
    consumer.run()


@jobs_group.command("tick")
def tick_cmd():
    """Run every timed duty once (what the consumer does every minute)."""
    from cms.jobs.periodic import run_ticks

    outcome = run_ticks()
    for name, status in sorted(outcome.items()):
        click.echo(f"  {name}: {status}")
    if any(status != "ok" for status in outcome.values()):
        raise SystemExit(1)


@jobs_group.command("status")
def status_cmd():
    """Show the queue's storage, pending tasks and the consumer's last heartbeat."""
    from cms.jobs.heartbeat import last_heartbeat
    from cms.jobs.queue import get_jobs

    huey = get_jobs().huey
    click.echo(f"storage: {huey.storage.__class__.__name__}{' (immediate)' if huey.immediate else ''}")
    click.echo(f"pending tasks: {huey.pending_count()}")
    seen = last_heartbeat()
    click.echo(f"consumer last seen: {seen.isoformat() + 'Z' if seen else 'never'}")

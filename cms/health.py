"""Health of the site's dependencies for ``/healthz``: database, search index, Redis, task queue."""
import logging

from flask import current_app
from sqlalchemy import text

from cms.clock import utcnow
from cms.extensions import db

log = logging.getLogger(__name__)


def _database():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


def _search_index():
    from cms.search.models import SearchOutbox
    from cms.search.service import get_backend

    documents = get_backend().count()
    pending = SearchOutbox.query.filter(SearchOutbox.applied_at.is_(None)).count()  # applied: kept for a rebuild
    return {"status": "ok", "documents": documents, "pending_updates": pending}


def _redis(url):
    import redis

    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {"status": "ok"}


def _task_queue():
    from cms.jobs.heartbeat import last_heartbeat
    from cms.jobs.queue import get_jobs

    config = current_app.config
    huey = get_jobs().huey
    if huey.immediate:
        return {"status": "ok", "mode": "immediate"}
    pending = huey.pending_count()  # raises when the queue's storage cannot be reached
    seen = last_heartbeat()
    report = {"pending": pending, "consumer_seen_at": seen.isoformat() + "Z" if seen else None,
              "stale_after_seconds": config["CMS_QUEUE_STALE_SECONDS"]}
    if seen is None:
        # A new installation whose consumer has not started yet, with nothing waiting, is not failing: the
        # check turns red as soon as work waits for a consumer that never came (or one stops beating).
        if pending == 0:
            return {"status": "ok", "note": "queue consumer not seen yet; nothing is waiting", **report}
        return {"status": "down", "reason": "queue consumer never seen (start: flask --app wsgi cms jobs worker)",
                **report}
    age = (utcnow() - seen).total_seconds()
    report["consumer_age_seconds"] = int(age)
    if age > config["CMS_QUEUE_STALE_SECONDS"]:
        return {"status": "down", "reason": f"queue consumer not seen for {int(age)} s", **report}
    return {"status": "ok", **report}


def check_health():
    """``(healthy, report)``: every dependency with its status; one failing check does not hide the others."""
    checks = [("database", _database), ("search_index", _search_index)]
    redis_url = current_app.config.get("CMS_REDIS_URL")
    if redis_url:
        checks.append(("redis", lambda: _redis(redis_url)))
    checks.append(("task_queue", _task_queue))
    report = {}
    for name, check in checks:
        try:
            report[name] = check()
        except Exception as exc:  # any failure of a dependency means unhealthy, never a 500
            db.session.rollback()
            log.warning("health check %s failed: %s", name, exc)
            report[name] = {"status": "down", "reason": exc.__class__.__name__}
    healthy = all(entry["status"] == "ok" for entry in report.values())
    return healthy, {"status": "ok" if healthy else "error", **report}

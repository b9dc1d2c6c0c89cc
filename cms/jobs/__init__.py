"""The task queue: slow or fallible work (index updates, attachment text extraction, e-mail, reminders,
timed duties) runs in a huey consumer, never on the request path.

- ``queue.py``: builds the huey instance from the configuration (SQLite file in ``CMS_DATA_DIR`` by default,
  Redis when ``CMS_REDIS_URL`` is set; immediate mode for tests) and binds tasks to the app.
- ``tasks.py``: the tasks and the periodic ones (the one-minute tick, the daily application reminder).
- ``periodic.py``: ``register_tick(name, func)``, the registry of idempotent timed duties run every minute.
- ``models.py``: the consumer's heartbeat, read by ``/healthz``.
"""
from cms.jobs.queue import enqueue, enqueue_after_commit, init_jobs  # noqa: F401
from cms.jobs.periodic import register_tick  # noqa: F401

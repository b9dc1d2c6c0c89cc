"""The huey instance of an app, and enqueueing tasks by name (now, or after the current commit)."""
import logging

from flask import current_app, has_app_context
from huey import RedisHuey, SqliteHuey
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from cms.extensions import db

EXTENSION = "cms_jobs"
_AFTER_COMMIT = "cms_jobs_after_commit"
log = logging.getLogger(__name__)


def build_huey(config):
    """A huey instance for ``config``: Redis when ``CMS_REDIS_URL`` is set, else a SQLite file.

    In immediate mode (tests) huey keeps its queue in memory and runs each task when it is enqueued.
    """
    options = {"results": False, "utc": True, "immediate": bool(config.get("CMS_QUEUE_IMMEDIATE"))}
    if config.get("CMS_REDIS_URL"):
        import redis

        # A short connect timeout: an unreachable Redis must not hang the request that enqueues.
        pool = redis.ConnectionPool.from_url(config["CMS_REDIS_URL"], socket_connect_timeout=2)
        return RedisHuey("cms", connection_pool=pool, **options)
    return SqliteHuey("cms", filename=config["CMS_QUEUE_FILE"], **options)


class Jobs:
    """The app's huey instance and its tasks by name; every task runs in an app context, one transaction."""

    def __init__(self, app, huey):
        self.app = app
        self.huey = huey
        self.tasks = {}

    def register(self, name, func, schedule=None, **settings):
        """Bind ``func`` as the task ``name`` (periodic when ``schedule``, a huey crontab, is given)."""
        app = self.app

        def run(*args, **kwargs):
            # A fresh app context gives the task its own session, also in immediate mode inside a request.
            with app.app_context():
                try:
                    result = func(*args, **kwargs)
                    db.session.commit()
                except BaseException:
                    db.session.rollback()
                    raise
                return result

        run.__name__ = name.replace(".", "_")
        run.__doc__ = func.__doc__
        if schedule is not None:
            wrapper = self.huey.periodic_task(schedule, name=name, **settings)(run)
        else:
            wrapper = self.huey.task(name=name, **settings)(run)
        self.tasks[name] = wrapper
        return wrapper

    def enqueue(self, name, *args):
        """Put task ``name`` on the queue; False (and a warning) when the queue cannot be reached."""
        try:
            self.tasks[name](*args)
            return True
        except Exception:  # a broken queue must not break the caller; periodic duties repair what is lost
            log.warning("could not enqueue task %s", name, exc_info=True)
            return False


def init_jobs(app, huey=None):
    """Create the app's queue (or use ``huey``) and register the tasks on it."""
    from cms.jobs.tasks import register_tasks

    jobs = Jobs(app, huey or build_huey(app.config))
    register_tasks(jobs)
    app.extensions[EXTENSION] = jobs
    return jobs


def get_jobs(app=None):
    """The ``Jobs`` of ``app`` (default: the current app)."""
    return (app or current_app).extensions[EXTENSION]


def enqueue(name, *args):
    """Enqueue task ``name`` now (call it only after a commit: the task reads committed rows)."""
    return get_jobs().enqueue(name, *args)


def enqueue_after_commit(name, *args):
    """Enqueue task ``name`` when the current transaction commits (dropped on rollback)."""
    pending = db.session().info.setdefault(_AFTER_COMMIT, [])
    if (name, args) not in pending:
        pending.append((name, args))


@sa_event.listens_for(Session, "after_commit")
def _enqueue_committed(session):
    pending = session.info.pop(_AFTER_COMMIT, [])
    if not pending:
        return
    if not has_app_context():
        log.warning("tasks %s dropped: no application context", [name for name, _ in pending])
        return
    for name, args in pending:
        enqueue(name, *args)


@sa_event.listens_for(Session, "after_rollback")
def _drop_on_rollback(session):
    session.info.pop(_AFTER_COMMIT, None)

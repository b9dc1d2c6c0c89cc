"""Running the queue for real in a test: tasks are enqueued (not run) until ``run_queued`` executes them."""
from contextlib import contextmanager

from huey import MemoryHuey

from cms.jobs.queue import EXTENSION, init_jobs


@contextmanager
def queued_jobs(app, huey=None):
    """Swap the app's immediate-mode queue for a real one (memory by default) for the block."""
    original = app.extensions[EXTENSION]
    jobs = init_jobs(app, huey=huey or MemoryHuey("cms-test", results=False, utc=True))
    try:
        yield jobs
    finally:
        app.extensions[EXTENSION] = original


def queued_names(jobs):
    """The names of the tasks waiting in ``jobs``' queue (without taking them)."""
    return [jobs.huey.deserialize_task(data).name for data in jobs.huey.storage.enqueued_items()]


def run_queued(jobs):
    """Execute the waiting tasks (and any they enqueue) like a consumer; returns their names in order."""
    names = []
    while True:
        task = jobs.huey.dequeue()
        if task is None:
            return names
        names.append(task.name)
        jobs.huey.execute(task)

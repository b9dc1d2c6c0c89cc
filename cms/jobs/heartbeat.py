"""Recording and reading the consumer's heartbeat."""
from sqlalchemy.exc import IntegrityError

from cms.clock import utcnow
from cms.extensions import db
from cms.jobs.models import JobHeartbeat

CONSUMER = "consumer"


def record_heartbeat(name=CONSUMER):
    """Note that the consumer ``name`` is alive now (flushes; the caller commits; call it first in a transaction)."""
    now = utcnow()
    updated = JobHeartbeat.query.filter_by(name=name).update({"beat_at": now}, synchronize_session=False)
    if not updated:
        try:
            db.session.add(JobHeartbeat(name=name, beat_at=now))
            db.session.flush()
        except IntegrityError:  # another consumer inserted it first: theirs is as good
            db.session.rollback()
    return now


def last_heartbeat(name=CONSUMER):
    """When the consumer ``name`` was last seen (naive UTC), or None."""
    row = db.session.get(JobHeartbeat, name)
    return row.beat_at if row is not None else None

"""Timed duties: ``register_tick(name, func)`` adds an idempotent duty run every minute by the consumer.

Packages register their duties at import time (stage due dates, consultations closing, scheduled
publication ...). Each duty runs in its own transaction: a failure is logged and rolled back and does not
stop the others. A duty must be idempotent (it may run late, twice, or after a missed minute).
"""
import logging

from cms.extensions import db

log = logging.getLogger(__name__)
_TICKS = {}


def register_tick(name, func):
    """Run ``func()`` (in an app context, its own transaction) every minute; registering again replaces."""
    _TICKS[name] = func


def registered_ticks():
    """The registered duties, ``{name: func}``."""
    return dict(_TICKS)


def run_ticks():
    """Run every duty once; returns ``{name: "ok" | "error"}``."""
    outcome = {}
    for name, func in list(_TICKS.items()):
        try:
            func()
            db.session.commit()
            outcome[name] = "ok"
        except Exception:
            db.session.rollback()
            log.exception("periodic duty %s failed", name)
            outcome[name] = "error"
    return outcome

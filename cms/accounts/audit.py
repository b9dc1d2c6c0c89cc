"""The append-only audit log."""
from flask import has_request_context, request
from sqlalchemy import event

from cms.accounts.models import AuditLog
from cms.extensions import db


def client_ip():
    """The client address of the current request, if any."""
    if not has_request_context():
        return None
    return request.remote_addr


def record_audit(action, actor=None, target=None, details=None, actor_name=None):
    """Append an audit entry in the current transaction (committed with the change it records)."""
    entry = AuditLog(
        action=action,
        actor_id=getattr(actor, "id", None),
        actor_name=actor_name or getattr(actor, "username", None),
        target=str(target) if target is not None else None,
        ip=client_ip(),
        details=details or None,
    )
    db.session.add(entry)
    return entry


@event.listens_for(AuditLog, "before_update")
def _refuse_update(mapper, connection, target):
    raise RuntimeError("the audit log is append-only")


@event.listens_for(AuditLog, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise RuntimeError("the audit log is append-only")

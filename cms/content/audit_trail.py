"""Every workflow transition of an item is in the audit log (who, what, from which state to which)."""
from cms.accounts.audit import record_audit
from cms.accounts.models import User
from cms.extensions import db
from cms.workflow import events


def _record_transition(evt):
    if evt.subject_type != "item":
        return
    actor = db.session.get(User, evt.actor_id) if evt.actor_id else None
    details = {"from": evt.from_state, "to": evt.to_state}
    comment = (evt.data or {}).get("comment")
    if comment:
        details["comment"] = comment[:500]
    record_audit(f"item.{evt.transition}", actor, target=f"item:{evt.subject_id}", details=details)


events.subscribe("transition", _record_transition, phase="in_transaction")

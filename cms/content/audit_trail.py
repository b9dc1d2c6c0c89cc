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
    _name_definition(evt, details)
    comment = (evt.data or {}).get("comment")
    if comment:
        details["comment"] = comment[:500]
    on_behalf_of = (evt.data or {}).get("on_behalf_of")
    if on_behalf_of:
        delegator = db.session.get(User, on_behalf_of)
        details["on_behalf_of"] = delegator.username if delegator else on_behalf_of
    record_audit(f"item.{evt.transition}", actor, target=f"item:{evt.subject_id}", details=details)


def _name_definition(evt, details):
    """The workflow and version the item follows, so the log shows the definition's own stage titles."""
    subject = evt.subject
    if subject is not None and getattr(subject, "workflow", None):
        details["workflow"] = subject.workflow
        if getattr(subject, "workflow_version", None) is not None:
            details["version"] = subject.workflow_version
    stage = (evt.data or {}).get("stage")
    if stage:
        details["stage"] = stage


def _record_stage_approval(evt):
    """An approval that does not yet meet its stage's quorum (会签) is in the log too."""
    if evt.subject_type != "item":
        return
    actor = db.session.get(User, evt.actor_id) if evt.actor_id else None
    data = evt.data or {}
    details = {"from": evt.from_state, "to": evt.to_state}
    _name_definition(evt, details)
    details["quorum"] = f"{data.get('have')}/{data.get('need')}"
    on_behalf_of = data.get("on_behalf_of")
    if on_behalf_of:
        delegator = db.session.get(User, on_behalf_of)
        details["on_behalf_of"] = delegator.username if delegator else on_behalf_of
    record_audit("item.approve", actor, target=f"item:{evt.subject_id}", details=details)


events.subscribe("transition", _record_transition, phase="in_transaction")
events.subscribe("stage_approved", _record_stage_approval, phase="in_transaction")

"""The period record of a consultation item: set through the item API and the editor, kept across working
copies (a revision of a published consultation carries the record, and its sign-off writes it back)."""
from cms.accounts.models import User
from cms.consultations.models import Consultation
from cms.content.models import Item
from cms.errors import ConditionFailed, ValidationError
from cms.extensions import db
from cms.workflow import events
from cms.workflow.conditions import condition

COPIED = ("kind", "opens_on", "closes_on", "shortened_reason")


def record_of(item):
    """The consultation record of ``item`` (None for other items)."""
    if item is None or item.id is None:
        return None
    return db.session.get(Consultation, item.id)


def save_consultation(item, values, original=None):
    """Attach (or replace) the period of a consultation item; ``original`` is the edited item when ``item`` is
    its new working copy (the copy starts with the original's record)."""
    if original is not None and item.working_copy_of_id == original.id:
        copy_to_working_copy(original, item)
    if values is None:
        return record_of(item)
    if item.type != "consultation":
        raise ValidationError("只有“意见征集”类信息可以填写征求意见期限",
                              fields={"consultation": "not_a_consultation"})
    record = record_of(item)
    if record is None:
        record = Consultation(item_id=item.id)
        db.session.add(record)
    elif record.closed_at is not None and item.working_copy_of_id is None and item.state == "published":
        raise ValidationError("征集已结束，不能再修改期限", fields={"consultation": "closed"})
    for name, value in values.items():
        setattr(record, name, value)
    db.session.flush()
    return record


def copy_to_working_copy(original, copy):
    source = record_of(original)
    if source is None or record_of(copy) is not None:
        return None
    record = Consultation(item_id=copy.id, **{name: getattr(source, name) for name in COPIED})
    db.session.add(record)
    db.session.flush()
    return record


def to_json(record):
    from cms.consultations.closing import status_of

    if record is None:
        return None
    return {
        "kind": record.kind,
        "opens_on": record.opens_on.isoformat(),
        "closes_on": record.closes_on.isoformat(),
        "shortened_reason": record.shortened_reason,
        "status": status_of(record),
        "closed_at": record.closed_at.isoformat() + "Z" if record.closed_at else None,
        "closed_early_reason": record.closed_early_reason,
        "feedback_item_id": record.feedback_item_id,
        "feedback_due_on": record.feedback_due_on.isoformat() if record.feedback_due_on else None,
        "version": record.version,
    }


def _on_revised(evt):
    """A revision of a published consultation was signed off: its period replaces the original's."""
    original = evt.subject
    if evt.subject_type != "item" or original is None or original.type != "consultation":
        return
    for copy in Item.query.filter_by(working_copy_of_id=original.id).all():
        copied = record_of(copy)
        if copied is None:
            continue
        target = record_of(original)
        if target is None:
            target = Consultation(item_id=original.id)
            db.session.add(target)
        previous_closes_on = target.closes_on
        for name in COPIED:
            setattr(target, name, getattr(copied, name))
        db.session.delete(copied)
        if previous_closes_on is not None:
            from cms.consultations.extension import reopen_after_revision

            actor = db.session.get(User, evt.actor_id) if evt.actor_id else None
            reopen_after_revision(original, target, previous_closes_on, actor)
    db.session.flush()


def _drop_with_item(mapper, connection, target):
    # A working copy deleted after sign-off (or discarded) must not be blocked by its record.
    connection.execute(Consultation.__table__.delete().where(Consultation.item_id == target.id))
    # A deleted feedback draft frees the consultation for a new one.
    connection.execute(Consultation.__table__.update().where(Consultation.feedback_item_id == target.id)
                       .values(feedback_item_id=None))


events.subscribe("revised", _on_revised, phase="in_transaction")
db.event.listen(Item, "before_delete", _drop_with_item)


@condition("consultation_period_set")
def _consultation_period_set(user, item, ctx):
    """On submit: a consultation goes to review only with its comment period (征求意见期限)."""
    if item.type != "consultation":
        return
    source = item if record_of(item) is not None else None
    if source is None and item.working_copy_of_id is not None:
        source = db.session.get(Item, item.working_copy_of_id)
    if record_of(source) is None:
        raise ConditionFailed("意见征集须填写征求意见期限（开始日期、截止日期）后才能提交审核",
                              fields={"consultation": "required"})

"""Items as workflow subjects: the publish and retract effects and the events they emit."""
from cms.clock import utcnow
from cms.content.models import Item
from cms.content.services import EDITABLE_FIELDS, copy_attachments, current_revision_number, record_revision
from cms.extensions import db
from cms.workflow.engine import SubjectType, effect, register_subject_type
from cms.workflow.index_numbers import assign_index_number
from cms.workflow.models import WorkflowHistory

register_subject_type(
    SubjectType(
        name="item",
        model=Item,
        workflow_of=lambda item: item.workflow,
        revision_of=current_revision_number,
    )
)


@effect("publish")
def _publish(user, item, ctx):
    """First publication: date and index number. Revision sign-off: the working copy replaces the live text."""
    if item.working_copy_of_id is None:
        published_at = utcnow()
        assign_index_number(item, published_at)
        item.published_at = published_at
        ctx.setdefault("_emit", []).append("published")
        return
    original = item.working_copy_of
    for name in EDITABLE_FIELDS:
        if name != "column_id":
            setattr(original, name, getattr(item, name))
    original.last_editor_id = item.last_editor_id
    for attachment in list(original.attachments):
        db.session.delete(attachment)
    db.session.flush()
    copy_attachments(item, original)
    db.session.refresh(original)
    record_revision(original, user, note="修订稿审定发布")
    # The working copy's review history becomes part of the original's history; the copy goes away.
    WorkflowHistory.query.filter_by(subject_type="item", subject_id=item.id).update(
        {"subject_id": original.id}, synchronize_session=False
    )
    ctx["_history_subject"] = original
    ctx["_emit_subject"] = original
    ctx["_emit_subject_id"] = original.id
    ctx.setdefault("_emit", []).append("revised")
    ctx["_delete_after"] = item


@effect("retract")
def _retract(user, item, ctx):
    ctx.setdefault("_emit", []).append("retracted")

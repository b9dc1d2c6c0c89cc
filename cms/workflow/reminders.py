"""Due-date reminders of review stages: to the stage's reviewers at the due time, and to the office head
once the stage is overdue (escalation). Idempotent: what was sent is recorded (``DueReminder``, one per
subject, stage round and kind) and never sent twice, so the task queue's periodic tick or the CLI
(``flask --app wsgi cms workflow remind``) may call ``send_due_reminders`` as often as they like.
"""
from datetime import timedelta

from sqlalchemy.exc import IntegrityError

from cms.accounts import permissions
from cms.clock import to_local, utcnow
from cms.extensions import db
from cms.workflow.engine import _SUBJECT_TYPES, stage_reviewers, workflow_for
from cms.workflow.models import DueReminder


def _due_subjects(now, horizon):
    for stype in list(_SUBJECT_TYPES.values()):
        model = stype.model
        if not hasattr(model, "stage_due_at"):
            continue
        query = (model.query.filter(model.stage_due_at.isnot(None), model.stage_due_at <= horizon,
                                    model.state.like("pending\\_%", escape="\\"))
                 .order_by(model.stage_due_at, model.id))
        for subject in query:
            yield stype, subject


def _record(stype, subject, stage, kind, recipients):
    """Claim the (subject, round, kind) reminder; False when it was already sent."""
    exists = DueReminder.query.filter_by(subject_type=stype.name, subject_id=subject.id,
                                         round=subject.stage_round, kind=kind).first()
    if exists is not None:
        return False
    try:
        with db.session.begin_nested():
            db.session.add(DueReminder(subject_type=stype.name, subject_id=subject.id, stage=stage.code,
                                       round=subject.stage_round, kind=kind,
                                       recipients=sorted(u.username for u in recipients)))
            db.session.flush()
    except IntegrityError:  # another worker sent it a moment ago
        return False
    return True


def send_due_reminders(now=None, remind_before=timedelta(0), escalate_after=timedelta(0)):
    """Send what is due at ``now`` (naive UTC): ``[(subject_type, subject_id, kind, [usernames])]``.

    ``due``: to the stage's reviewers who have not approved yet (and their delegates), from
    ``due_at - remind_before``; ``overdue``: to the office head, from ``due_at + escalate_after``.
    Flushes; the caller (CLI, task) commits.
    """
    from cms.notifications.services import notify

    now = now or utcnow()
    sent = []
    for stype, subject in list(_due_subjects(now, now + remind_before)):
        workflow = workflow_for(subject)
        stage = workflow.stage_for_state(subject.state)
        if stage is None:
            continue
        title = getattr(subject, "title", None) or f"{stype.name} {subject.id}"
        due_text = to_local(subject.stage_due_at).strftime("%Y-%m-%d %H:%M")
        link = f"/admin/items/{subject.id}" if stype.name == "item" else None
        reviewers = stage_reviewers(subject, now)
        if _record(stype, subject, stage, "due", reviewers):
            notify(reviewers, f"《{title[:80]}》{stage.title}环节办理期限为 {due_text}，请及时审核", link)
            sent.append((stype.name, subject.id, "due", sorted(u.username for u in reviewers)))
        if now >= subject.stage_due_at + escalate_after and now > subject.stage_due_at:
            heads = permissions.office_heads(subject.organization_id)
            if _record(stype, subject, stage, "overdue", heads):
                notify(heads, f"督办：《{title[:80]}》{stage.title}环节已超过办理期限（{due_text}）", link)
                sent.append((stype.name, subject.id, "overdue", sorted(u.username for u in heads)))
    return sent

"""The bureau's consultation setting: working days allowed for the feedback after closing (default 15)."""
from cms.consultations.models import DEFAULT_FEEDBACK_WORKING_DAYS, ConsultationSetting
from cms.errors import ValidationError
from cms.extensions import db


def feedback_working_days(organization_id):
    row = db.session.get(ConsultationSetting, organization_id)
    return row.feedback_working_days if row is not None else DEFAULT_FEEDBACK_WORKING_DAYS


def set_feedback_working_days(organization_id, days, actor):
    """Change the setting (the office or an administrator); 1 to 120 working days."""
    from cms.accounts.audit import record_audit

    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 120:
        raise ValidationError("反馈期限应为 1–120 个工作日", fields={"feedback_working_days": "invalid"})
    row = db.session.get(ConsultationSetting, organization_id)
    if row is None:
        row = ConsultationSetting(organization_id=organization_id)
        db.session.add(row)
    old = row.feedback_working_days
    row.feedback_working_days = days
    db.session.flush()
    record_audit("consultation.settings", actor, target=f"org:{organization_id}",
                 details={"feedback_working_days": [old, days]})
    return row

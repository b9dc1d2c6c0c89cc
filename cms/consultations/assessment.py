"""The consultations' figure in the assessment (考核): 意见采纳情况 published within the allowed working days.

A consultation counts in the period in which its feedback fell due (``feedback_due_on``): on time when the
feedback item was published on or before that day (Beijing time); late when it was published later or is still
unpublished once the day has passed. A feedback not yet due and not yet published is not counted.
"""
from cms import clock
from cms.reports.assessment_metrics import Metric, register_metric


def feedback_on_time(organization_id, start, end):
    from cms.consultations.models import Consultation
    from cms.content.models import Item

    rows = (Consultation.query.join(Item, Item.id == Consultation.item_id)
            .filter(Item.organization_id == organization_id, Consultation.feedback_due_on.isnot(None),
                    Consultation.feedback_due_on >= start, Consultation.feedback_due_on <= end)
            .with_entities(Item.section_id, Item.title, Consultation.feedback_due_on, Consultation.feedback_item_id)
            .order_by(Consultation.feedback_due_on, Consultation.item_id).all())
    feedback_ids = [row.feedback_item_id for row in rows if row.feedback_item_id]
    published = {}
    if feedback_ids:
        published = dict(Item.query.filter(Item.id.in_(feedback_ids), Item.published_at.isnot(None))
                         .with_entities(Item.id, Item.published_at).all())
    today = clock.local_today()
    out = {}
    for section_id, title, due_on, feedback_id in rows:
        published_at = published.get(feedback_id)
        published_on = clock.to_local(published_at).date() if published_at is not None else None
        if published_on is None and today <= due_on:
            continue  # still within its time
        bucket = out.setdefault(section_id, {"total": 0, "on_time": 0, "late": []})
        bucket["total"] += 1
        if published_on is not None and published_on <= due_on:
            bucket["on_time"] += 1
        else:
            done = f"公开于 {published_on.isoformat()}" if published_on else "尚未公开"
            bucket["late"].append(f"意见征集《{title}》意见采纳情况（时限 {due_on.isoformat()}，{done}）")
    return out


METRIC = register_metric(Metric(code="consultation_feedback", title="意见采纳情况按时公开",
                                total_label="到期反馈数", on_time_label="按时公开数", collect=feedback_on_time))

"""What the public pages show of consultations: the list (open first, with days left; closed ones with their
feedback), and the box on a consultation's (or a feedback's) item page."""
from cms.consultations.closing import STATUS_LABELS, days_left, feedback_published, status_of
from cms.consultations.comments import comments_of, public_name
from cms.consultations.feedback import consultation_of_feedback
from cms.consultations.models import HANDLINGS, KINDS, Consultation
from cms.content.models import Item
from cms.extensions import db


def _entry(item, record):
    status = status_of(record)
    feedback = record.feedback_item if feedback_published(record) else None
    return {"item": item, "record": record, "status": status, "status_label": STATUS_LABELS[status],
            "days_left": days_left(record), "kind_label": KINDS[record.kind], "feedback": feedback}


def public_consultations(organization):
    """Public consultations of ``organization``: open ones first (closing soonest first), then upcoming ones,
    then closed ones (latest first)."""
    from cms.content.queries import public_items

    if organization is None:
        return []
    pairs = (public_items().filter(Item.organization_id == organization.id, Item.type == "consultation")
             .join(Consultation, Consultation.item_id == Item.id).with_entities(Item, Consultation).all())
    entries = [_entry(item, record) for item, record in pairs]
    order = {"open": 0, "upcoming": 1, "closed": 2}
    entries.sort(key=lambda e: (order[e["status"]],
                                -e["record"].closes_on.toordinal() if e["status"] == "closed"
                                else e["record"].closes_on.toordinal(), e["item"].id))
    return entries


def published_comments(item_id):
    """Published comments as the public sees them: the body, the name as 张*, the handling."""
    return [{"id": c.id, "body": c.body, "name": public_name(c.name), "created_at": c.created_at,
             "handling": HANDLINGS.get(c.handling) if c.handling else None}
            for c in comments_of(item_id, "published")]


def item_box(item):
    """The consultation box of a public item page: the period, the status and the published comments for a
    consultation; the link back for a feedback item. None for other items."""
    if item is None:
        return None
    if item.type == "consultation":
        record = db.session.get(Consultation, item.id)
        if record is None:
            return None
        return {"kind": "consultation", **_entry(item, record), "comments": published_comments(item.id)}
    record = consultation_of_feedback(item)
    if record is not None and record.item.is_public:
        return {"kind": "feedback", "consultation": record.item}
    return None

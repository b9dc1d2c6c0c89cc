"""What the staff screens and the API list: the consultations of the caller's organizations, the setting."""
from cms.consultations.access import is_office
from cms.consultations.models import Consultation
from cms.consultations.settings import feedback_working_days, set_feedback_working_days
from cms.content.models import Item
from cms.errors import NotAllowed


def visible_consultations(user):
    """``[(item, record)]`` of consultation items (not working copies) of the user's organizations, newest first."""
    org_ids = sorted({m.section.organization_id for m in user.memberships}) or [-1]
    return (Item.query.join(Consultation, Consultation.item_id == Item.id)
            .filter(Item.organization_id.in_(org_ids), Item.working_copy_of_id.is_(None),
                    Item.type == "consultation")
            .with_entities(Item, Consultation).order_by(Consultation.closes_on.desc(), Item.id.desc()).all())


def _organization(user):
    org_ids = sorted({m.section.organization_id for m in user.memberships})
    if not org_ids:
        raise NotAllowed("您不属于任何机关")
    return org_ids[0]


def settings_for(user):
    org_id = _organization(user)
    return {"organization": org_id, "feedback_working_days": feedback_working_days(org_id)}


def can_change_settings(user, org_id):
    return user.is_admin or is_office(user, org_id)


def update_settings(user, data):
    from cms.clocks import parsing

    parsing.check_unknown(data, ("feedback_working_days",))
    org_id = _organization(user)
    if not can_change_settings(user, org_id):
        raise NotAllowed("只有办公室或系统管理员可以修改该设置")
    set_feedback_working_days(org_id, data.get("feedback_working_days"), user)
    return settings_for(user)

"""Who may do what with a consultation.

The owning section (the section of the consultation item) and the office (members of an office-kind section,
office auditors) manage it: moderate and handle comments, close early, export, draft the feedback; they alone
see commenters' names and contacts. Other staff of the organization see the comments masked.
"""
from cms.errors import NotAllowed

MANAGING_ROLES = ("editor", "section_chief", "leader", "director", "office_auditor", "admin")


def is_office(user, organization_id):
    """``user`` belongs to the office of ``organization_id`` (any role there), or audits for it."""
    return any(
        m.section.organization_id == organization_id
        and (m.section.kind == "office" or m.role in ("office_auditor", "director"))
        for m in user.memberships
    )


def can_manage(user, item):
    """The owning section or the office of the consultation ``item``."""
    if user is None or not getattr(user, "is_authenticated", True):
        return False
    if any(m.section_id == item.section_id and m.role in MANAGING_ROLES for m in user.memberships):
        return True
    return is_office(user, item.organization_id)


def require_manager(user, item):
    if not can_manage(user, item):
        raise NotAllowed("只有起草科室和办公室可以处理该征集的意见")


def can_see(user, item):
    """Staff of the consultation's organization see its comments (personal data masked unless they manage)."""
    return user is not None and item.organization_id in {m.section.organization_id for m in user.memberships}


def flush_or_conflict(message="已被他人处理，请刷新后重试"):
    """Flush; a concurrent change of the same row (its version moved) becomes a 409, not a 500."""
    from sqlalchemy.exc import OperationalError
    from sqlalchemy.orm.exc import StaleDataError

    from cms.errors import Conflict
    from cms.extensions import db

    try:
        db.session.flush()
    except (StaleDataError, OperationalError) as exc:
        db.session.rollback()
        raise Conflict(message, fields={"version": "stale"}) from exc

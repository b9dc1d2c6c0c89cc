"""Who registers and follows the clocks, and who hears about them.

The office (office auditors and the office head, i.e. the section chief of an office-kind section), leaders
and a ``director`` role (when the accounts package defines it) register incidents and proposals.
"""
from cms.accounts.models import Membership, Section, User
from cms.errors import NotAllowed, ValidationError
from cms.extensions import db

DIRECTOR = "director"


def _is_office_head(membership):
    return membership.role == "section_chief" and membership.section.kind == "office"


def registrar_org_ids(user):
    """Organizations where ``user`` may register incidents and proposals."""
    if user is None or not getattr(user, "is_authenticated", True):
        return set()
    return {
        m.section.organization_id for m in user.memberships
        if m.role in ("office_auditor", "leader", DIRECTOR) or _is_office_head(m)
    }


def member_org_ids(user):
    """Organizations where ``user`` holds any role (staff there see the registers)."""
    if user is None or not getattr(user, "is_authenticated", True):
        return set()
    return {m.section.organization_id for m in user.memberships}


def require_registrar(user, org_id=None):
    """NotAllowed unless ``user`` is office, leader or director (in ``org_id`` when given)."""
    orgs = registrar_org_ids(user)
    if not orgs or (org_id is not None and org_id not in orgs):
        raise NotAllowed("只有办公室、分管领导或主要负责人可以执行此操作")
    return orgs


def find_section(org_ids, code, field="section"):
    """The section ``code`` in one of ``org_ids``; 422 naming ``field`` when there is none."""
    if not isinstance(code, str) or not code.strip():
        raise ValidationError("请指定科室", fields={field: "required"})
    section = (Section.query.filter(Section.organization_id.in_(sorted(org_ids)), Section.code == code.strip())
               .order_by(Section.organization_id).first())
    if section is None:
        raise ValidationError(f"科室 {code!r} 不存在", fields={field: "unknown"})
    return section


def _users(query):
    return query.filter(User.active.is_(True)).distinct().all()


def section_staff(section_id, roles=("editor", "section_chief")):
    return _users(User.query.join(Membership).filter(Membership.section_id == section_id,
                                                     Membership.role.in_(roles)))


def office_staff(organization_id):
    """Office auditors and the office head of the organization."""
    return _users(
        User.query.join(Membership).join(Section).filter(
            Section.organization_id == organization_id,
            db.or_(Membership.role == "office_auditor",
                   db.and_(Membership.role == "section_chief", Section.kind == "office")))
    )


def office_heads(organization_id):
    return _users(User.query.join(Membership).join(Section).filter(
        Section.organization_id == organization_id, Membership.role == "section_chief", Section.kind == "office"))


def leaders_of(section_id):
    return _users(User.query.join(Membership).filter(Membership.section_id == section_id,
                                                     Membership.role == "leader"))


def directors(organization_id):
    return _users(User.query.join(Membership).join(Section).filter(
        Section.organization_id == organization_id, Membership.role == DIRECTOR))

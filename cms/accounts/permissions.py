"""Does this user (or someone they act for) hold this role in this scope now?

The one place where roles, scopes and delegations meet: workflow guards, worklists, screens and the
request desk ask here instead of walking memberships themselves.

A scope is where a role must be held:

- ``item_section``: the subject's own section (for ``leader``, the leader in charge of it). Roles that are
  held for the whole organization (office auditors, the director) match anywhere in the organization.
- ``sections``: one of the listed section codes of the subject's organization.
- ``organization``: any section of the subject's organization.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from sqlalchemy import false, or_

from cms.accounts.models import Delegation, Membership, Section, User
from cms.clock import utcnow
from cms.extensions import db

SCOPES = ("item_section", "sections", "organization")
_MEMO: ContextVar = ContextVar("cms_permissions_memo", default=None)
# Roles given as a membership of the office section but exercised for the whole organization.
ORG_WIDE_ROLES = frozenset({"office_auditor", "director", "admin"})


@dataclass(frozen=True)
class Scope:
    kind: str
    organization_id: int
    section_id: int | None = None
    section_codes: tuple = ()

    @classmethod
    def of(cls, subject, kind="item_section", section_codes=()):
        """The scope ``kind`` around ``subject`` (anything with organization_id and section_id)."""
        return cls(kind, subject.organization_id, getattr(subject, "section_id", None), tuple(section_codes))


@dataclass(frozen=True)
class Grant:
    """Why a user holds a role: their own membership, or a delegation (``on_behalf_of`` set)."""

    user: object
    on_behalf_of: object = None
    section_ids: frozenset = field(default_factory=frozenset)

    @property
    def person(self):
        """Whom the act counts for (the delegator when acting on someone's behalf)."""
        return self.on_behalf_of or self.user

    @property
    def people_ids(self):
        return {self.user.id} | ({self.on_behalf_of.id} if self.on_behalf_of is not None else set())


def membership_matches(membership, role, scope):
    if membership.role != role:
        return False
    section = membership.section
    if section.organization_id != scope.organization_id:
        return False
    if scope.kind == "organization" or (scope.kind == "item_section" and role in ORG_WIDE_ROLES):
        return True
    if scope.kind == "item_section":
        return membership.section_id == scope.section_id
    if scope.kind == "sections":
        return section.code in scope.section_codes
    return False


def _own_sections(user, role, scope):
    return frozenset(m.section_id for m in user.memberships if membership_matches(m, role, scope))


def active_delegations(user, at=None):
    """Delegations to ``user`` in force at ``at`` (now by default; asked once per user inside ``memoized``)."""
    memo = _MEMO.get()
    if memo is not None:
        key = ("delegations", user.id)
        if key not in memo:
            memo[key] = _active_delegations(user, at)
        return memo[key]
    return _active_delegations(user, at)


def _active_delegations(user, at):
    at = at or utcnow()
    return (
        Delegation.query.filter(Delegation.to_user_id == user.id, Delegation.starts_at <= at,
                                Delegation.ends_at > at)
        .order_by(Delegation.id)
        .all()
    )


def holds(user, role, scope, at=None, delegations=None):
    """A Grant when ``user`` holds ``role`` in ``scope`` at ``at`` (own membership first, then a delegation
    from someone who holds it), otherwise None."""
    if user is None or not getattr(user, "is_authenticated", True) or not getattr(user, "active", True):
        return None
    own = _own_sections(user, role, scope)
    if own:
        return Grant(user, None, own)
    at = at or utcnow()
    for delegation in active_delegations(user, at) if delegations is None else delegations:
        if not delegation.covers(role, at):
            continue
        delegator = delegation.from_user
        if not delegator.active:
            continue
        sections = _own_sections(delegator, role, scope)
        if sections:
            return Grant(user, delegator, sections)
    return None


@contextmanager
def memoized():
    """Within the block, delegations and ``reach`` are looked up once per user (and role): a worklist or a
    page of buttons asks for many stages. Nested blocks share the outer memo."""
    if _MEMO.get() is not None:
        yield
        return
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def reach(user, role, at=None):
    """``[(organization_id, section_id, section_code)]`` where ``user`` holds ``role`` now, directly or
    through a delegation (for SQL filters: worklists)."""
    memo = _MEMO.get()
    if memo is not None and at is None:
        key = (user.id, role)
        if key not in memo:
            memo[key] = _reach(user, role, None)
        return memo[key]
    return _reach(user, role, at)


def _reach(user, role, at):
    at = at or utcnow()
    people = [user] + [d.from_user for d in active_delegations(user, at) if d.covers(role, at) and d.from_user.active]
    places = _places(people)
    return {(org, section_id, code) for person in people for (r, org, section_id, code) in places[person.id]
            if r == role}


def _places(people):
    """``{person_id: [(role, organization_id, section_id, section_code)]}`` in one query (memoized)."""
    memo = _MEMO.get()
    ids = sorted({p.id for p in people})
    key = ("places", tuple(ids))
    if memo is not None and key in memo:
        return memo[key]
    out = {person_id: [] for person_id in ids}
    rows = (db.session.query(Membership.user_id, Membership.role, Section.organization_id, Section.id, Section.code)
            .join(Section, Section.id == Membership.section_id).filter(Membership.user_id.in_(ids)))
    for user_id, role, org, section_id, code in rows:
        out[user_id].append((role, org, section_id, code))
    if memo is not None:
        memo[key] = out
    return out


def scope_filter(user, role, kind, section_codes, model, at=None):
    """SQL filter over ``model`` (organization_id, section_id): the subjects where ``user`` holds ``role``
    in the scope ``kind``; the same rule as ``holds``."""
    places = reach(user, role, at)
    if not places:
        return false()
    if kind == "organization" or (kind == "item_section" and role in ORG_WIDE_ROLES):
        return model.organization_id.in_({org for org, _, _ in places})
    if kind == "item_section":
        return model.section_id.in_({section for _, section, _ in places})
    if kind == "sections":
        orgs = {org for org, _, code in places if code in section_codes}
        return model.organization_id.in_(orgs) if orgs else false()
    return false()


def holders(role, scope, exclude_ids=()):
    """Active users holding ``role`` in ``scope`` through their own memberships: ``{user_id: {section_id}}``."""
    query = (
        db.session.query(Membership.user_id, Membership.section_id, Section.code)
        .join(Section, Section.id == Membership.section_id)
        .join(User, User.id == Membership.user_id)
        .filter(Membership.role == role, Section.organization_id == scope.organization_id,
                User.active.is_(True))
    )
    if scope.kind == "item_section" and role not in ORG_WIDE_ROLES:
        query = query.filter(Membership.section_id == scope.section_id)
    elif scope.kind == "sections":
        query = query.filter(Section.code.in_(scope.section_codes) if scope.section_codes else false())
    out = {}
    for user_id, section_id, _code in query:
        if user_id not in exclude_ids:
            out.setdefault(user_id, set()).add(section_id)
    return out


def count_holders_anywhere(role, kind, section_codes=()):
    """The most holders of ``role`` any one organization has in the scope (definition validation: a
    quorum of N needs N people somewhere)."""
    query = (
        db.session.query(Section.organization_id, Membership.user_id, Section.id)
        .join(Membership, Membership.section_id == Section.id)
        .join(User, User.id == Membership.user_id)
        .filter(Membership.role == role, User.active.is_(True))
    )
    if kind == "sections":
        query = query.filter(Section.code.in_(section_codes) if section_codes else false())
    per_org, per_section = {}, {}
    for org_id, user_id, section_id in query:
        per_org.setdefault(org_id, set()).add(user_id)
        per_section.setdefault(section_id, set()).add(user_id)
    if kind == "item_section" and role not in ORG_WIDE_ROLES:
        return max((len(v) for v in per_section.values()), default=0)
    return max((len(v) for v in per_org.values()), default=0)


def has_any_role(user, roles, organization_id=None):
    """True when ``user`` holds one of ``roles`` (in ``organization_id`` when given), own memberships only."""
    return any(m.role in roles and (organization_id is None or m.section.organization_id == organization_id)
               for m in getattr(user, "memberships", ()))


def may_delegate_for(actor, from_user):
    """A user delegates their own roles; an admin of one of the delegator's organizations does it for them."""
    if actor.id == from_user.id:
        return True
    orgs = {m.section.organization_id for m in from_user.memberships}
    return any(m.role == "admin" and m.section.organization_id in orgs for m in actor.memberships)


def either(*filters):
    return or_(*filters) if filters else false()


def office_heads(organization_id):
    """The head(s) of the organization's office (the section chief of its office section): escalations."""
    return (
        User.query.join(Membership, Membership.user_id == User.id)
        .join(Section, Section.id == Membership.section_id)
        .filter(Section.organization_id == organization_id, Section.kind == "office",
                Membership.role == "section_chief", User.active.is_(True))
        .distinct().all()
    )


def delegates_of(user_ids, role, at=None):
    """Users acting now for any of ``user_ids`` in ``role``."""
    at = at or utcnow()
    rows = Delegation.query.filter(Delegation.from_user_id.in_(list(user_ids)) if user_ids else false(),
                                   Delegation.starts_at <= at, Delegation.ends_at > at).all()
    return [row.to_user for row in rows if row.covers(role, at) and row.to_user.active]


def _acting_for(user, role, at=None):
    """``user`` and the people who delegated ``role`` to them (in force at ``at``)."""
    at = at or utcnow()
    return [user] + [d.from_user for d in active_delegations(user, at) if d.covers(role, at) and d.from_user.active]


def org_ids_with(user, role, section_kind=None, at=None):
    """Organizations where ``user`` (or someone they act for) holds ``role`` (in a section of ``section_kind``)."""
    return {m.section.organization_id for person in _acting_for(user, role, at) for m in person.memberships
            if m.role == role and (section_kind is None or m.section.kind == section_kind)}


def section_ids_with(user, roles, at=None):
    """Sections where ``user`` (or someone they act for) holds one of ``roles``."""
    out = set()
    for role in roles:
        out |= {m.section_id for person in _acting_for(user, role, at) for m in person.memberships if m.role == role}
    return out

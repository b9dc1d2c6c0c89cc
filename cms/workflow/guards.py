"""Named guards: who may fire a transition, and in which scope.

A guard is a predicate ``(user, subject, ctx) -> (allowed, reason)``. Guards used by worklist
transitions also say which subjects they admit as a SQL filter (``scope(user, model)``), so the
worklist query and the buttons come from the same rule.
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import false, or_

@dataclass(frozen=True)
class Guard:
    name: str
    check: Callable
    scope: Callable | None = None  # (user, model) -> SQL filter over the model


_GUARDS: dict[str, Guard] = {}


def guard(name, scope=None):
    """Register the decorated predicate as the guard ``name``."""

    def register(func):
        _GUARDS[name] = Guard(name, func, scope)
        return func

    return register


def get_guard(name) -> Guard:
    return _GUARDS[name]


def _sections_with(user, role):
    return {m.section_id for m in user.memberships if m.role == role}


def _office_org_ids(user):
    """Organizations in which the user is an office auditor."""
    return {m.section.organization_id for m in user.memberships if m.role == "office_auditor"}


def is_section_editor(user, item):
    return item.section_id in _sections_with(user, "editor")


@guard("author")
def _author(user, item, ctx):
    if item.author_id == user.id:
        return True, ""
    return False, "只有作者本人可以执行此操作"


@guard("author_or_section_editor")
def _author_or_section_editor(user, item, ctx):
    if item.author_id == user.id or is_section_editor(user, item):
        return True, ""
    return False, "只有作者或本科室编辑可以提交"


def _section_chief_scope(user, model):
    ids = _sections_with(user, "section_chief")
    return model.section_id.in_(ids) if ids else false()


@guard("section_chief", scope=_section_chief_scope)
def _section_chief(user, item, ctx):
    if item.section_id in _sections_with(user, "section_chief"):
        return True, ""
    return False, "只有本科室负责人可以审核"


def _office_scope(user, model):
    orgs = _office_org_ids(user)
    return model.organization_id.in_(orgs) if orgs else false()


@guard("office_auditor", scope=_office_scope)
def _office_auditor(user, item, ctx):
    if item.organization_id in _office_org_ids(user):
        return True, ""
    return False, "只有办公室审核人员可以审核"


def _leader_scope(user, model):
    ids = _sections_with(user, "leader")
    return model.section_id.in_(ids) if ids else false()


@guard("leader_in_charge", scope=_leader_scope)
def _leader_in_charge(user, item, ctx):
    if item.section_id in _sections_with(user, "leader"):
        return True, ""
    return False, "只有分管该科室的领导可以审定"


@guard("office_auditor_or_leader", scope=lambda user, model: or_(_office_scope(user, model), _leader_scope(user, model)))
def _office_auditor_or_leader(user, item, ctx):
    if item.organization_id in _office_org_ids(user) or item.section_id in _sections_with(user, "leader"):
        return True, ""
    return False, "只有办公室审核人员或分管领导可以撤下已发布信息"

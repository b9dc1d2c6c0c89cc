"""Guards: who may fire a transition, and in which scope.

A guard is a predicate ``(user, subject, ctx) -> (allowed, reason)``. Guards used by worklist
transitions also say which subjects they admit as a SQL filter (``scope(user, model)``), so the
worklist query and the buttons come from the same rule.

Stage workflows use one parametric guard, ``role_guard(role, scope, sections)``, answered by
``cms.accounts.permissions.holds`` (memberships and delegations); subject types register the few
named guards of their own transitions (an item's author, the request desk ...).
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy import and_, exists, or_
from sqlalchemy.sql.elements import False_

from cms.accounts import permissions
from cms.accounts.models import ROLE_LABELS


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


def guard_exists(name):
    return name in _GUARDS


_SCOPE_WORDS = {"item_section": "本科室的", "sections": "相关科室的", "organization": "本机关的"}


def _approved_this_round(subject_type, subject, user, grant):
    from cms.workflow.models import StageApproval

    person_ids = {user.id} | ({grant.on_behalf_of.id} if grant and grant.on_behalf_of is not None else set())
    return StageApproval.query.filter(
        StageApproval.subject_type == subject_type, StageApproval.subject_id == subject.id,
        StageApproval.round == subject.stage_round,
        or_(StageApproval.person_id.in_(person_ids), StageApproval.actor_id == user.id),
    ).first() is not None


def role_guard(role, scope, sections=(), once=False) -> Guard:
    """The guard "holds ``role`` in ``scope`` (``sections`` for the scope ``sections``) now", directly or
    on someone's behalf. ``once``: and has not approved the subject's current round yet (quorum stages)."""
    sections = tuple(sections)
    name = f"role:{role}:{scope}:{','.join(sections)}{':once' if once else ''}"
    if name in _GUARDS:
        return _GUARDS[name]

    def check(user, subject, ctx):
        grant = permissions.holds(user, role, permissions.Scope.of(subject, scope, sections), ctx.get("_at"))
        if grant is None:
            return False, f"只有{_SCOPE_WORDS.get(scope, '')}{ROLE_LABELS.get(role, role)}可以执行此操作"
        if once and _approved_this_round(ctx.get("subject_type"), subject, user, grant):
            return False, "您已在本环节审核通过，等待其他审核人"
        ctx["_grant"] = grant
        return True, ""

    def sql_scope(user, model):
        from cms.workflow.engine import subject_type_for_model
        from cms.workflow.models import StageApproval

        clause = permissions.scope_filter(user, role, scope, sections, model)
        if once and not isinstance(clause, False_):
            stype = subject_type_for_model(model).name
            clause = and_(clause, ~exists().where(
                StageApproval.subject_type == stype, StageApproval.subject_id == model.id,
                StageApproval.round == model.stage_round,
                or_(StageApproval.actor_id == user.id, StageApproval.person_id == user.id),
            ))
        return clause

    _GUARDS[name] = Guard(name, check, sql_scope)
    return _GUARDS[name]

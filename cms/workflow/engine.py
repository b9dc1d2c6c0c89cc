"""The engine: ``fire(subject, user, name, **inputs)`` and ``available_transitions(subject, user)``.

Firing checks the guard and the conditions, moves the state with a compare-and-swap UPDATE (two
reviewers clicking at once advance the subject once), runs the transition's effects, appends a history
entry in the same transaction and emits events.
"""
from dataclasses import dataclass
from typing import Callable

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from cms.errors import Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.workflow import events
from cms.workflow.conditions import get_condition
from cms.workflow.definitions import get_workflow
from cms.workflow.guards import get_guard
from cms.workflow.models import WorkflowHistory


@dataclass(frozen=True)
class SubjectType:
    """How the engine handles one kind of subject (items, applications ...)."""

    name: str
    model: type
    workflow_of: Callable  # subject -> workflow name
    revision_of: Callable | None = None  # subject -> current revision number (for history)


_SUBJECT_TYPES: dict[type, SubjectType] = {}
_EFFECTS: dict[str, Callable] = {}


def register_subject_type(subject_type: SubjectType):
    """Teach the engine a kind of subject."""
    _SUBJECT_TYPES[subject_type.model] = subject_type
    return subject_type


def subject_type_of(subject) -> SubjectType:
    try:
        return _SUBJECT_TYPES[type(subject)]
    except KeyError:
        raise TypeError(f"{type(subject).__name__} is not a workflow subject") from None


def effect(name):
    """Register the decorated ``(user, subject, ctx)`` function as the effect ``name``."""

    def register(func):
        _EFFECTS[name] = func
        return func

    return register


def workflow_for(subject):
    return get_workflow(subject_type_of(subject).workflow_of(subject))


def _guard_allows(transition, user, subject, ctx):
    return get_guard(transition.guard).check(user, subject, ctx)


def available_transitions(subject, user):
    """The transitions ``user`` may fire on ``subject`` now (guards only; conditions are checked on fire).

    Returns a list of Transition definitions, one per name.
    """
    if user is None or not getattr(user, "is_authenticated", True):
        return []
    stype = subject_type_of(subject)
    workflow = workflow_for(subject)
    ctx = {"subject_type": stype.name}
    seen, result = set(), []
    for transition in workflow.transitions_from(subject.state):
        if transition.name in seen:
            continue
        allowed, _ = _guard_allows(transition, user, subject, ctx)
        if allowed:
            seen.add(transition.name)
            result.append(transition)
    return result


def fire(subject, user, name, *, expected_version=None, **inputs):
    """Fire the transition ``name`` on ``subject`` as ``user``.

    ``expected_version`` is the subject's version the decision was made on (the screen or API call that
    shows a stage sends it): when the subject has moved on since, the decision is stale and nothing
    changes. Raises NotAllowed (guard), ConditionFailed (condition), Conflict (the subject changed meanwhile,
    or ``expected_version`` is stale) or ValidationError (no such transition from the current state).
    Flushes; the caller commits.
    """
    stype = subject_type_of(subject)
    workflow = workflow_for(subject)
    expected_state = subject.state
    if expected_version is not None and expected_version != subject.version:
        raise Conflict("该信息已被他人处理，您看到的不是最新状态，请刷新后重新决定",
                       fields={"version": "stale"}, state=expected_state)
    transition = workflow.find(name, expected_state)
    if transition is None:
        if name in workflow.names():
            raise Conflict(
                f"当前状态“{workflow.states.get(expected_state, expected_state)}”下不能执行“{name}”",
                fields={"name": "not_available"},
                state=expected_state,
            )
        raise ValidationError(f"未知的流转操作 {name!r}", fields={"name": "unknown"})
    ctx = {"subject_type": stype.name, **inputs}
    allowed, reason = _guard_allows(transition, user, subject, ctx)
    if not allowed:
        raise NotAllowed(reason or "您无权执行此操作")
    for condition_name in transition.conditions:
        get_condition(condition_name)(user, subject, ctx)

    # Compare-and-swap: the subject's mapper has ``version_id_col``, so the flush below is
    # ``UPDATE ... SET state=:target, version=:v+1 ... WHERE id=:id AND version=:v``; every state change
    # bumps the version, so a matching version also means the expected state. Effects (publication date,
    # index number) are written in the same statement, so CHECK constraints see a consistent row.
    try:
        db.session.flush()  # pending edits first: they must not ride on the transition's UPDATE
        with db.session.no_autoflush:
            subject.state = transition.target
            for effect_name in transition.effects:
                _EFFECTS[effect_name](user, subject, ctx)
        db.session.flush()
    except (StaleDataError, OperationalError) as exc:
        # StaleDataError: someone else moved the subject first. OperationalError: SQLite refused the write
        # because another writer committed after this transaction's snapshot.
        db.session.rollback()
        raise Conflict("该信息已被他人处理，请刷新后重试", fields={"version": "stale"}) from exc

    comment = (inputs.get("comment") or "").strip() or None
    recorded_inputs = {k: v for k, v in inputs.items() if k != "comment" and v is not None}
    # A revision's sign-off records its history on the original it replaced.
    history_subject = ctx.get("_history_subject", subject)
    record_history(history_subject, user, transition.name, expected_state, transition.target,
                   comment=comment, inputs=recorded_inputs or None)
    db.session.flush()
    evt = events.Event(
        name="transition",
        subject_type=stype.name,
        subject_id=subject.id,
        transition=transition.name,
        from_state=expected_state,
        to_state=transition.target,
        actor_id=user.id,
        data={"comment": comment},
        subject=subject,
    )
    events.emit(evt)
    for emitted in ctx.get("_emit", []):
        events.emit(
            events.Event(
                name=emitted, subject_type=stype.name, subject_id=ctx.get("_emit_subject_id", subject.id),
                transition=transition.name, from_state=expected_state, to_state=transition.target,
                actor_id=user.id, subject=ctx.get("_emit_subject", subject),
            )
        )
    leftover = ctx.get("_delete_after")
    if leftover is not None:
        db.session.delete(leftover)
        db.session.flush()
        return history_subject
    return subject


def record_history(subject, user, transition, from_state, to_state, comment=None, inputs=None):
    """Append a history entry that is not a workflow transition (creation, import, edits of metadata)."""
    stype = subject_type_of(subject)
    entry = WorkflowHistory(
        subject_type=stype.name,
        subject_id=subject.id,
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        actor_id=getattr(user, "id", None),
        comment=comment,
        inputs=inputs,
        revision_number=stype.revision_of(subject) if stype.revision_of else None,
    )
    db.session.add(entry)
    return entry


def history_of(subject):
    """History entries of ``subject``, oldest first."""
    stype = subject_type_of(subject)
    return (
        WorkflowHistory.query.filter_by(subject_type=stype.name, subject_id=subject.id)
        .order_by(WorkflowHistory.id)
        .all()
    )

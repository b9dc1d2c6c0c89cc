"""代理审批: a user (or an admin for them) lets someone else act in their review roles for a time window.

Within the window the delegate may fire what the delegator could (``permissions.holds``); history and
audit record both the actor and ``on_behalf_of``.
"""
from datetime import datetime, timezone

from cms.accounts import permissions
from cms.accounts.audit import record_audit
from cms.accounts.models import REVIEW_ROLES, Delegation, User
from cms.errors import NotAllowed, NotFound, ValidationError
from cms.extensions import db


def parse_instant(value, field):
    """An ISO 8601 instant as naive UTC (a value without offset is China Standard Time, as staff type it)."""
    if isinstance(value, datetime):
        parsed = value
    else:
        if not isinstance(value, str) or not value.strip():
            raise ValidationError(f"请填写时间 {field}", fields={field: "required"})
        text = value.strip().replace("Z", "+00:00")
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise ValidationError(f"时间格式应为 ISO 8601：{field}", fields={field: "invalid"}) from None
    if parsed.tzinfo is None:
        from cms.clock import CST

        parsed = parsed.replace(tzinfo=CST)
    try:
        return parsed.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        raise ValidationError(f"时间超出范围：{field}", fields={field: "invalid"}) from None


def _user(value, field):
    user = None
    if isinstance(value, User):
        user = value
    elif isinstance(value, str) and value.strip():
        user = User.query.filter_by(username=value.strip()).first()
    if user is None or not user.active:
        raise ValidationError(f"用户不存在或已停用：{field}", fields={field: "unknown"})
    return user


def create_delegation(actor, from_user, to_user, starts_at, ends_at, roles=None):
    """Delegate ``from_user``'s review roles (``roles`` or all) to ``to_user`` for the window."""
    errors = {}
    try:
        from_user = _user(from_user, "from")
    except ValidationError as exc:
        errors.update(exc.fields)
    try:
        to_user = _user(to_user, "to")
    except ValidationError as exc:
        errors.update(exc.fields)
    try:
        starts = parse_instant(starts_at, "starts_at")
    except ValidationError as exc:
        errors.update(exc.fields)
        starts = None
    try:
        ends = parse_instant(ends_at, "ends_at")
    except ValidationError as exc:
        errors.update(exc.fields)
        ends = None
    if starts and ends and ends <= starts:
        errors["ends_at"] = "before_start"
    if roles is not None:
        if not isinstance(roles, list) or not roles or any(r not in REVIEW_ROLES for r in roles):
            errors["roles"] = "invalid"
    if not errors and from_user.id == to_user.id:
        errors["to"] = "same_user"
    if errors:
        raise ValidationError("代理设置有误：" + "、".join(errors), fields=errors)
    if not permissions.may_delegate_for(actor, from_user):
        raise NotAllowed("只能设置本人的代理，或由管理员为本机关人员设置")
    held = {m.role for m in from_user.memberships if m.role in REVIEW_ROLES}
    wanted = set(roles) if roles else held
    if not wanted or not wanted <= held:
        raise ValidationError("只能委托本人担任的审核角色", fields={"roles": "not_held"})
    delegation = Delegation(from_user_id=from_user.id, to_user_id=to_user.id, starts_at=starts, ends_at=ends,
                            roles=sorted(roles) if roles else None, created_by_id=actor.id)
    db.session.add(delegation)
    db.session.flush()
    record_audit("delegation_create", actor, target=f"delegation:{delegation.id}",
                 details={"from": from_user.username, "to": to_user.username, "roles": delegation.roles,
                          "starts_at": starts.isoformat() + "Z", "ends_at": ends.isoformat() + "Z"})
    return delegation


def visible_delegations(user):
    """Delegations ``user`` gave or received, and for an admin those of their organizations' people."""
    query = Delegation.query
    admin_orgs = {m.section.organization_id for m in user.memberships if m.role == "admin"}
    rows = query.order_by(Delegation.starts_at.desc(), Delegation.id.desc()).all()
    out = []
    for row in rows:
        if user.id in (row.from_user_id, row.to_user_id):
            out.append(row)
        elif admin_orgs and {m.section.organization_id for m in row.from_user.memberships} & admin_orgs:
            out.append(row)
    return out


def get_delegation_for(user, delegation_id):
    row = db.session.get(Delegation, delegation_id)
    if row is None or row not in visible_delegations(user):
        raise NotFound("代理设置不存在")
    return row


def revoke_delegation(actor, delegation):
    """End a delegation (the delegator, the delegate or an admin); the audit log keeps the record."""
    if actor.id not in (delegation.from_user_id, delegation.to_user_id) and \
            not permissions.may_delegate_for(actor, delegation.from_user):
        raise NotAllowed("无权撤销此代理")
    record_audit("delegation_revoke", actor, target=f"delegation:{delegation.id}",
                 details={"from": delegation.from_user.username, "to": delegation.to_user.username})
    db.session.delete(delegation)
    db.session.flush()


def delegation_to_json(row):
    return {
        "id": row.id,
        "from": row.from_user.username,
        "to": row.to_user.username,
        "starts_at": row.starts_at.isoformat() + "Z",
        "ends_at": row.ends_at.isoformat() + "Z",
        "roles": row.roles,
    }

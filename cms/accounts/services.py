"""Services for organizations, sections, users and memberships.

Services flush but never commit: the request (or CLI command) boundary commits.
"""
import re

from cms.accounts.audit import record_audit
from cms.accounts.models import (
    ROLES,
    SECTION_KINDS,
    Membership,
    Organization,
    Section,
    User,
)
from cms.accounts.passwords import hash_password, password_problem, verify_password
from cms.clock import utcnow
from cms.errors import NotFound, ValidationError
from cms.extensions import db

# GB 32100-2015 unified social credit code: 18 characters from this alphabet (no I, O, S, V, Z).
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_CODE_RE = re.compile(rf"^[{CREDIT_CODE_ALPHABET}]{{18}}$")
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_SECTION_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_USERNAME_RE = re.compile(r"^[A-Za-z0-9_.@-]{2,64}$")


def normalize_credit_code(code: str) -> str:
    """Upper-case and validate an organization code; raise ValidationError when malformed."""
    code = (code or "").strip().upper()
    if not _CREDIT_CODE_RE.match(code):
        raise ValidationError(
            "统一社会信用代码应为 18 位数字或大写字母（不含 I、O、S、V、Z）",
            fields={"code": "invalid"},
        )
    return code


def credit_code_check_digit_ok(code: str) -> bool:
    """True when the 18th character is the GB 32100 check digit.

    Not enforced: demo and legacy codes often carry a wrong check digit, and refusing them would
    block index numbers that are already printed on documents. The CLI warns instead.
    """
    total = sum(CREDIT_CODE_ALPHABET.index(ch) * w for ch, w in zip(code[:17], _CREDIT_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31] == code[17]


def create_organization(name, code, actor=None, reconsideration_organ=None, court=None):
    """Create an organization with the standard catalog of columns."""
    from cms.content.catalog import create_standard_catalog

    name = (name or "").strip()
    if not name:
        raise ValidationError("机关名称不能为空", fields={"name": "required"})
    code = normalize_credit_code(code)
    if Organization.query.filter_by(code=code).first():
        raise ValidationError(f"统一社会信用代码 {code} 已存在", fields={"code": "duplicate"})
    org = Organization(
        name=name,
        code=code,
        reconsideration_organ=reconsideration_organ,
        court=court,
    )
    db.session.add(org)
    db.session.flush()
    create_standard_catalog(org)
    record_audit("org.create", actor, target=f"org:{code}", details={"name": name})
    return org


def get_organization(code=None):
    """The organization with ``code``; without a code, the only organization (error when ambiguous)."""
    if code:
        org = Organization.query.filter_by(code=code.strip().upper()).first()
        if org is None:
            raise NotFound(f"机关 {code} 不存在", fields={"org": "unknown"})
        return org
    orgs = Organization.query.order_by(Organization.id).limit(2).all()
    if not orgs:
        raise NotFound("还没有机关，请先创建机关（cms create-org）", fields={"org": "missing"})
    if len(orgs) > 1:
        raise ValidationError("存在多个机关，请用 --org 指定", fields={"org": "ambiguous"})
    return orgs[0]


def create_section(organization, code, name, kind="section", actor=None):
    """Create a section (科室), the office or an affiliated unit in ``organization``."""
    code = (code or "").strip().lower()
    name = (name or "").strip()
    if not _SECTION_CODE_RE.match(code):
        raise ValidationError(
            "科室代码只能包含小写字母、数字、- 和 _", fields={"code": "invalid"}
        )
    if not name:
        raise ValidationError("科室名称不能为空", fields={"name": "required"})
    if kind not in SECTION_KINDS:
        raise ValidationError(
            f"类型必须是 {', '.join(SECTION_KINDS)} 之一", fields={"kind": "invalid"}
        )
    if Section.query.filter_by(organization_id=organization.id, code=code).first():
        raise ValidationError(f"科室代码 {code} 已存在", fields={"code": "duplicate"})
    section = Section(organization=organization, code=code, name=name, kind=kind)
    db.session.add(section)
    db.session.flush()
    record_audit(
        "section.create", actor, target=f"section:{code}", details={"name": name, "kind": kind}
    )
    return section


def update_section(section, name=None, kind=None, liaison=None, actor=None):
    """Rename a section, change its kind or liaison (联络员)."""
    changes = {}
    if name is not None and name.strip() and name.strip() != section.name:
        changes["name"] = [section.name, name.strip()]
        section.name = name.strip()
    if kind is not None and kind != section.kind:
        if kind not in SECTION_KINDS:
            raise ValidationError("类型无效", fields={"kind": "invalid"})
        changes["kind"] = [section.kind, kind]
        section.kind = kind
    if liaison is not False and liaison is not None and liaison.id != section.liaison_id:
        changes["liaison"] = [section.liaison_id, liaison.id]
        section.liaison = liaison
    if changes:
        record_audit("section.update", actor, target=f"section:{section.code}", details=changes)
    return section


def find_section(code, organization=None):
    """The section with ``code`` (in ``organization`` when given); NotFound otherwise."""
    query = Section.query.filter_by(code=(code or "").strip().lower())
    if organization is not None:
        query = query.filter_by(organization_id=organization.id)
    sections = query.limit(2).all()
    if not sections:
        raise NotFound(f"科室 {code} 不存在", fields={"section": "unknown"})
    if len(sections) > 1:
        raise ValidationError(f"科室代码 {code} 在多个机关中存在，请指定机关", fields={"section": "ambiguous"})
    return sections[0]


def parse_member_spec(spec, organization=None):
    """Parse ``SECTION:ROLE`` into (section, role); ValidationError/NotFound on bad input."""
    if not spec or ":" not in spec:
        raise ValidationError(f"成员资格格式应为 科室代码:角色，收到 {spec!r}", fields={"member": "invalid"})
    section_code, role = (part.strip() for part in spec.split(":", 1))
    if role not in ROLES:
        raise ValidationError(
            f"未知角色 {role!r}，可选：{', '.join(ROLES)}", fields={"role": "invalid"}
        )
    return find_section(section_code, organization), role


def create_user(username, name, password, email=None, actor=None):
    """Create a staff user with a hashed password."""
    username = (username or "").strip()
    name = (name or "").strip()
    if not _USERNAME_RE.match(username):
        raise ValidationError(
            "用户名须为 2–64 位字母、数字或 _ . @ -", fields={"username": "invalid"}
        )
    if not name:
        raise ValidationError("姓名不能为空", fields={"name": "required"})
    problem = password_problem(password)
    if problem:
        raise ValidationError(problem, fields={"password": "weak"})
    if User.query.filter(db.func.lower(User.username) == username.lower()).first():
        raise ValidationError(f"用户名 {username} 已存在", fields={"username": "duplicate"})
    user = User(username=username, name=name, email=email or None, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()
    record_audit("user.create", actor, target=f"user:{username}", details={"name": name})
    return user


def update_user(user, name=None, email=None, active=None, actor=None):
    """Change a user's name, e-mail or active flag."""
    changes = {}
    if name is not None and name.strip() and name.strip() != user.name:
        changes["name"] = [user.name, name.strip()]
        user.name = name.strip()
    if email is not None and (email or None) != user.email:
        changes["email"] = [user.email, email or None]
        user.email = email or None
    if active is not None and bool(active) != user.active:
        changes["active"] = [user.active, bool(active)]
        user.active = bool(active)
        if not user.active:
            user.session_epoch += 1  # log the user out everywhere
    if changes:
        record_audit("user.update", actor, target=f"user:{user.username}", details=changes)
    return user


def add_membership(user, section, role, actor=None):
    """Give ``user`` the ``role`` in ``section`` (idempotent)."""
    if role not in ROLES:
        raise ValidationError(f"未知角色 {role!r}", fields={"role": "invalid"})
    existing = Membership.query.filter_by(user_id=user.id, section_id=section.id, role=role).first()
    if existing:
        return existing
    membership = Membership(user=user, section=section, role=role)
    db.session.add(membership)
    db.session.flush()
    record_audit(
        "membership.add", actor, target=f"user:{user.username}", details={"section": section.code, "role": role}
    )
    return membership


def remove_membership(membership, actor=None):
    """Take a membership away."""
    record_audit(
        "membership.remove",
        actor,
        target=f"user:{membership.user.username}",
        details={"section": membership.section.code, "role": membership.role},
    )
    db.session.delete(membership)
    db.session.flush()


def set_password(user, new_password, actor=None):
    """Set a new password; other sessions and API tokens of the user stop working."""
    problem = password_problem(new_password)
    if problem:
        raise ValidationError(problem, fields={"password": "weak"})
    user.password_hash = hash_password(new_password)
    user.session_epoch += 1
    record_audit("user.password", actor or user, target=f"user:{user.username}")
    return user


def authenticate(username, password):
    """Return the active user with these credentials, or None. Records the login or the failure."""
    username = (username or "").strip()
    user = User.query.filter(db.func.lower(User.username) == username.lower()).first() if username else None
    ok = verify_password(user.password_hash if user else None, password or "")
    if not ok or user is None or not user.active:
        record_audit("login.failed", None, target=f"user:{username[:64]}", actor_name=None)
        return None
    user.last_login_at = utcnow()
    record_audit("login", user, target=f"user:{user.username}")
    return user

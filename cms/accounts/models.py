"""People and places: who may do what, and where."""
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, UniqueConstraint

from cms.clock import utcnow
from cms.extensions import db

ROLES = ("editor", "section_chief", "office_auditor", "leader", "director", "admin")
# The roles that can review a stage of a workflow (``admin`` manages, it never reviews).
REVIEW_ROLES = ("section_chief", "office_auditor", "leader", "director", "editor")
ROLE_LABELS = {
    "editor": "编辑/信息员",
    "section_chief": "科室负责人",
    "office_auditor": "办公室审核",
    "leader": "分管领导",
    "director": "主要负责人",
    "admin": "系统管理员",
}
SECTION_KINDS = ("office", "section", "unit")
SECTION_KIND_LABELS = {"office": "办公室", "section": "科室", "unit": "局属单位"}


def _in_list(column, values):
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organization(db.Model):
    """A bureau (机关); its unified social credit code prefixes every index number."""

    __tablename__ = "organizations"
    id = db.Column(db.Integer, primary_key=True)
    code = db.Column(db.String(18), nullable=False, unique=True)
    name = db.Column(db.String(200), nullable=False)
    # Remedy channels named in application replies (configurable per organization).
    reconsideration_organ = db.Column(db.String(200), nullable=True)
    court = db.Column(db.String(200), nullable=True)
    # Reply letters are numbered by this pattern, e.g. "嘉文广依申〔{year}〕{n}号" ({year}, {n}: sequence).
    letter_number_pattern = db.Column(db.String(100), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    sections = db.relationship("Section", back_populates="organization", order_by="Section.id")

    def __repr__(self):
        return f"<Organization {self.code}>"


class Section(db.Model):
    """A 科室, the office 办公室 or an affiliated unit 局属单位."""

    __tablename__ = "sections"
    __table_args__ = (
        UniqueConstraint("organization_id", "code"),
        CheckConstraint(_in_list("kind", SECTION_KINDS), name="kind"),
    )
    id = db.Column(db.Integer, primary_key=True)
    organization_id = db.Column(db.Integer, db.ForeignKey("organizations.id"), nullable=False, index=True)
    code = db.Column(db.String(64), nullable=False)
    name = db.Column(db.String(200), nullable=False)
    kind = db.Column(db.String(16), nullable=False, default="section")
    liaison_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    organization = db.relationship("Organization", back_populates="sections")
    liaison = db.relationship("User", foreign_keys=[liaison_id])
    memberships = db.relationship("Membership", back_populates="section")

    @property
    def kind_label(self):
        return SECTION_KIND_LABELS.get(self.kind, self.kind)

    def __repr__(self):
        return f"<Section {self.code}>"


class User(UserMixin, db.Model):
    """A member of staff who logs in to the back office."""

    __tablename__ = "users"
    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(64), nullable=False, unique=True)
    name = db.Column(db.String(100), nullable=False)
    email = db.Column(db.String(200), nullable=True)
    password_hash = db.Column(db.String(255), nullable=False)
    active = db.Column(db.Boolean, nullable=False, default=True)
    # Bumped on password change so other sessions and API tokens stop working.
    session_epoch = db.Column(db.Integer, nullable=False, default=0)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)
    last_login_at = db.Column(db.DateTime, nullable=True)

    memberships = db.relationship(
        "Membership", back_populates="user", cascade="all, delete-orphan", order_by="Membership.id"
    )

    @property
    def is_active(self):
        return self.active

    def get_id(self):
        return f"{self.id}:{self.session_epoch}"

    def has_role(self, role, section=None):
        """True when the user holds ``role`` (in ``section`` when given)."""
        for m in self.memberships:
            if m.role == role and (section is None or m.section_id == getattr(section, "id", section)):
                return True
        return False

    def sections_with_role(self, role):
        """Ids of the sections where the user holds ``role``."""
        return {m.section_id for m in self.memberships if m.role == role}

    @property
    def is_admin(self):
        return self.has_role("admin")

    @property
    def organization_ids(self):
        return {m.section.organization_id for m in self.memberships}

    def __repr__(self):
        return f"<User {self.username}>"


class Membership(db.Model):
    """What a person may do (role), and where (section)."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "section_id", "role"),
        CheckConstraint(_in_list("role", ROLES), name="role"),
    )
    id = db.Column(db.Integer, primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    section_id = db.Column(db.Integer, db.ForeignKey("sections.id"), nullable=False, index=True)
    role = db.Column(db.String(32), nullable=False)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    user = db.relationship("User", back_populates="memberships")
    # Loaded with the membership (one JOIN): every permission check reads it, a lazy load per membership
    # was one statement per section a leader is in charge of, on every request.
    section = db.relationship("Section", back_populates="memberships", lazy="joined")

    @property
    def role_label(self):
        return ROLE_LABELS.get(self.role, self.role)


class AuditLog(db.Model):
    """Append-only record of logins, failed logins and every administrative change."""

    __tablename__ = "audit_log"
    id = db.Column(db.Integer, primary_key=True)
    at = db.Column(db.DateTime, nullable=False, default=utcnow, index=True)
    actor_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True, index=True)
    actor_name = db.Column(db.String(64), nullable=True)
    action = db.Column(db.String(64), nullable=False, index=True)
    target = db.Column(db.String(200), nullable=True)
    ip = db.Column(db.String(64), nullable=True)
    details = db.Column(db.JSON, nullable=True)

    actor = db.relationship("User")


class Delegation(db.Model):
    """代理审批: ``to_user`` may act for ``from_user`` in the given review roles (all when ``roles`` is null)
    from ``starts_at`` until ``ends_at`` (naive UTC, end excluded)."""

    __tablename__ = "delegations"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="window"),
                      CheckConstraint("from_user_id <> to_user_id", name="distinct_users"),
                      db.Index("ix_delegations_to_window", "to_user_id", "starts_at", "ends_at"))
    id = db.Column(db.Integer, primary_key=True)
    from_user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False, index=True)
    to_user_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=False)
    starts_at = db.Column(db.DateTime, nullable=False)
    ends_at = db.Column(db.DateTime, nullable=False)
    roles = db.Column(db.JSON, nullable=True)
    created_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    from_user = db.relationship("User", foreign_keys=[from_user_id])
    to_user = db.relationship("User", foreign_keys=[to_user_id])

    def covers(self, role, at):
        return self.starts_at <= at < self.ends_at and (not self.roles or role in self.roles)

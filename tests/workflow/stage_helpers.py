"""Small toy workflows for the stage engine's tests (stored definitions on the demo bureau)."""
from datetime import timedelta

from cms.accounts.models import Delegation, Section
from cms.accounts.services import add_membership, create_user
from cms.clock import utcnow
from cms.content.catalog import get_column
from cms.extensions import db
from cms.workflow.store import save_definition
from tests.workflow.helpers import draft, user


def stage(code, role, scope="item_section", title=None, **extra):
    return {"code": code, "title": title or f"{code}审核", "role": role, "scope": scope, **extra}


OFFICE = stage("office", "office_auditor", "organization", title="办公室审核", confidentiality=True)


def define(code, stages, on_return="restart", title=None):
    """Store a definition and return its row."""
    return save_definition({"code": code, "title": title or f"{code} 流程", "on_return": on_return,
                            "stages": stages})


def use_workflow(org, code, column="notices"):
    get_column(org.id, column).workflow = code
    db.session.flush()


def item_in(org, code, **fields):
    """A draft in the notices column following workflow ``code``."""
    use_workflow(org, code)
    return draft(org, **fields)


def person(username, memberships=(), name=None):
    existing = db.session.query(type(user("editor"))).filter_by(username=username).first()
    if existing is not None:
        return existing
    new = create_user(username, name or username, "Demo-2026-gov")
    for section_code, role in memberships:
        add_membership(new, Section.query.filter_by(code=section_code).one(), role)
    db.session.flush()
    return new


def delegate(from_user, to_user, starts_in=timedelta(hours=-1), lasts=timedelta(days=3), roles=None):
    row = Delegation(from_user_id=from_user.id, to_user_id=to_user.id, starts_at=utcnow() + starts_in,
                     ends_at=utcnow() + starts_in + lasts, roles=roles)
    db.session.add(row)
    db.session.flush()
    return row

"""Small factories for test data."""
import itertools

from cms.accounts import services
from cms.extensions import db

_seq = itertools.count(1)


def make_org(name="测试局", code=None):
    code = code or f"1162020000000{next(_seq):04d}X"[-18:].rjust(18, "1")
    org = services.create_organization(name, code)
    db.session.flush()
    return org


def make_section(org, code=None, name=None, kind="section"):
    n = next(_seq)
    return services.create_section(org, code or f"sec{n}", name or f"科室{n}", kind)


def make_user(username=None, memberships=(), password="Factory-pass-2026", name=None):
    n = next(_seq)
    user = services.create_user(username or f"user{n}", name or f"用户{n}", password)
    for section, role in memberships:
        services.add_membership(user, section, role)
    db.session.flush()
    return user

"""The ``flask --app wsgi cms`` commands: clear one-line errors and exit status 2 on bad input."""
import pytest

from cms.accounts.models import Membership, Organization, Section, User
from cms.content.models import Column
from cms.content.types import STANDARD_CATALOG
from cms.extensions import db


@pytest.fixture
def cli(app):
    runner = app.test_cli_runner()

    def run(*args):
        result = runner.invoke(args=["cms", *args])
        db.session.expire_all()
        return result

    return run


def test_create_org_creates_the_standard_catalog(cli):
    result = cli("create-org", "--name", "示例局", "--code", "11620200MB1234567X")
    assert result.exit_code == 0, result.output
    org = Organization.query.filter_by(code="11620200MB1234567X").one()
    codes = {c.code for c in Column.query.filter_by(organization_id=org.id)}
    assert codes == {code for code, *_ in STANDARD_CATALOG}


@pytest.mark.parametrize("code", ["123", "11620200MB1234567", "11620200MB1234567XX", "11620200MB123456OX", "1162020#MB1234567X"])
def test_bad_org_code_is_one_line_and_exit_2(cli, code):
    result = cli("create-org", "--name", "示例局", "--code", code)
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    assert Organization.query.count() == 0


def test_duplicate_org_code_exit_2(cli):
    assert cli("create-org", "--name", "甲", "--code", "11620200MB1234567X").exit_code == 0
    result = cli("create-org", "--name", "乙", "--code", "11620200mb1234567x")
    assert result.exit_code == 2
    assert "已存在" in result.output


def test_create_section_and_user_with_memberships(cli):
    cli("create-org", "--name", "甲", "--code", "11620200MB1234567X")
    assert cli("create-section", "office", "--name", "办公室", "--kind", "office").exit_code == 0
    assert cli("create-section", "market", "--name", "市场科").exit_code == 0
    result = cli("create-user", "wang", "--name", "王五", "--password", "secret-pass",
                 "--member", "market:editor", "--member", "office:office_auditor")
    assert result.exit_code == 0, result.output
    user = User.query.filter_by(username="wang").one()
    assert {(m.section.code, m.role) for m in user.memberships} == {("market", "editor"), ("office", "office_auditor")}
    assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    "args, message",
    [
        (["--member", "nowhere:editor"], "不存在"),
        (["--member", "market:boss"], "未知角色"),
        (["--member", "market"], "格式"),
        (["--password", "short"], "10"),
    ],
)
def test_bad_user_input_changes_nothing(cli, args, message):
    cli("create-org", "--name", "甲", "--code", "11620200MB1234567X")
    cli("create-section", "market", "--name", "市场科")
    base = ["create-user", "li", "--name", "李四", "--password", "secret-pass"]
    if "--password" in args:
        base = base[:-2]
    result = cli(*base, *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output
    assert User.query.filter_by(username="li").count() == 0


def test_duplicate_username_exit_2(cli):
    cli("create-org", "--name", "甲", "--code", "11620200MB1234567X")
    assert cli("create-user", "li", "--name", "李四", "--password", "secret-pass").exit_code == 0
    result = cli("create-user", "LI", "--name", "李四", "--password", "secret-pass")
    assert result.exit_code == 2
    assert "已存在" in result.output


def test_bad_section_kind_and_unknown_org(cli):
    assert cli("create-section", "x", "--name", "X").exit_code == 2  # no organization yet
    cli("create-org", "--name", "甲", "--code", "11620200MB1234567X")
    assert cli("create-section", "x", "--name", "X", "--kind", "team").exit_code == 2
    assert cli("create-section", "x", "--name", "X", "--org", "91350100M000100Y43").exit_code == 2
    assert cli("create-section", "Bad Code!", "--name", "X").exit_code == 2
    assert Section.query.count() == 0


def test_seed_demo_is_idempotent(cli):
    first = cli("seed-demo")
    assert first.exit_code == 0, first.output
    assert "Demo-2026-gov" in first.output
    counts = (Organization.query.count(), Section.query.count(), User.query.count(), Membership.query.count())
    second = cli("seed-demo")
    assert second.exit_code == 0
    assert (Organization.query.count(), Section.query.count(), User.query.count(), Membership.query.count()) == counts
    roles = {m.role for m in Membership.query}
    assert roles == {"editor", "section_chief", "office_auditor", "leader", "admin"}
    kinds = {s.kind for s in Section.query}
    assert kinds == {"office", "section", "unit"}


def test_every_command_has_help(cli):
    for command in ("create-org", "create-section", "create-user", "seed-demo"):
        result = cli(command, "--help")
        assert result.exit_code == 0
        assert "Usage" in result.output

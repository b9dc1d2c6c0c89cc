"""CLI: create organizations, sections and users."""
import click

from cms.accounts import services
from cms.cli import cms_group, domain_command, fail
from cms.accounts.models import SECTION_KINDS


@cms_group.command("create-org")
@click.option("--name", required=True, help="机关名称, e.g. 嘉峪关市文化广播影视新闻出版局")
@click.option("--code", required=True, help="18-character unified social credit code (统一社会信用代码)")
@click.option("--reconsideration-organ", default=None, help="行政复议机关 (the people's government at this level)")
@click.option("--court", default=None, help="行政诉讼管辖法院")
@domain_command
def create_org(name, code, reconsideration_organ, court):
    """Create an organization with the standard disclosure catalog."""
    org = services.create_organization(name, code, reconsideration_organ=reconsideration_organ, court=court)
    if not services.credit_code_check_digit_ok(org.code):
        click.echo(f"Warning: the check digit of {org.code} does not match GB 32100-2015", err=True)
    click.echo(f"Created organization {org.code} {org.name} with {len(org_columns(org))} columns")


def org_columns(org):
    from cms.content.models import Column

    return Column.query.filter_by(organization_id=org.id).all()


@cms_group.command("create-section")
@click.argument("code")
@click.option("--name", required=True, help="科室名称")
@click.option("--kind", type=click.Choice(SECTION_KINDS), default="section", show_default=True)
@click.option("--org", "org_code", default=None, help="organization code (needed when several exist)")
@domain_command
def create_section(code, name, kind, org_code):
    """Create a section (科室), the office or an affiliated unit (局属单位)."""
    org = services.get_organization(org_code)
    section = services.create_section(org, code, name, kind)
    click.echo(f"Created {section.kind} {section.code} {section.name} in {org.code}")


@cms_group.command("create-user")
@click.argument("username")
@click.option("--name", required=True, help="姓名")
@click.option("--password", required=True, help="initial password (10+ characters, not a common password, at least two kinds of characters)")
@click.option("--email", default=None)
@click.option("--member", "members", multiple=True, metavar="SECTION:ROLE",
              help="membership, repeatable; roles: editor, section_chief, office_auditor, leader, director, admin")
@click.option("--org", "org_code", default=None, help="organization of the sections named in --member")
@domain_command
def create_user(username, name, password, email, members, org_code):
    """Create a staff user, optionally with memberships."""
    org = services.get_organization(org_code) if org_code else None
    # Validate every membership before creating anything, so bad input changes nothing.
    parsed = [services.parse_member_spec(spec, org) for spec in members]
    user = services.create_user(username, name, password, email=email)
    for section, role in parsed:
        services.add_membership(user, section, role)
    roles = ", ".join(f"{s.code}:{r}" for s, r in parsed) or "no memberships"
    click.echo(f"Created user {user.username} ({roles})")


@cms_group.command("set-password")
@click.argument("username")
@click.option("--password", required=True, prompt=True, hide_input=True)
@domain_command
def set_password_cmd(username, password):
    """Set a user's password."""
    from cms.accounts.models import User

    user = User.query.filter_by(username=username).first()
    if user is None:
        fail(f"unknown user {username}")
    services.set_password(user, password)
    click.echo(f"Password set for {username}")

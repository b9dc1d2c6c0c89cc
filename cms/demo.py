"""Demo data modelled on a municipal culture, radio, film and press bureau (idempotent)."""
import click

from cms.accounts import services
from cms.accounts.models import Organization, Section, User
from cms.cli import cms_group, domain_command

DEMO_ORG_CODE = "11620200MB1234567X"
DEMO_ORG_NAME = "嘉峪关市文化广播影视新闻出版局（演示）"
DEMO_PASSWORD = "Demo-2026-gov"

DEMO_SECTIONS = (
    ("office", "办公室", "office"),
    ("market", "市场科", "section"),
    ("broadcast", "广电科", "section"),
    ("museum", "市博物馆", "unit"),
)

# username, name, memberships
DEMO_USERS = (
    ("editor", "李编辑", (("market", "editor"),)),
    ("chief", "王科长", (("market", "section_chief"),)),
    ("auditor", "张审核", (("office", "office_auditor"),)),
    ("officehead", "孙主任", (("office", "section_chief"),)),  # head of the disclosure office (extensions)
    ("leader", "赵局长", (("market", "leader"), ("broadcast", "leader"), ("museum", "leader"), ("office", "leader"))),
    ("admin", "系统管理员", (("office", "admin"),)),
    ("editor2", "陈信息员", (("broadcast", "editor"),)),
    ("chief2", "刘科长", (("broadcast", "section_chief"),)),
)


def seed_demo():
    """Create the demo organization, sections, users and items that are missing; return the org."""
    org = Organization.query.filter_by(code=DEMO_ORG_CODE).first()
    if org is None:
        org = services.create_organization(
            DEMO_ORG_NAME,
            DEMO_ORG_CODE,
            reconsideration_organ="嘉峪关市人民政府",
            court="嘉峪关市人民法院",
        )
    if org.letter_number_pattern is None:
        org.letter_number_pattern = "嘉文广依申〔{year}〕{n}号"
    sections = {}
    for code, name, kind in DEMO_SECTIONS:
        section = Section.query.filter_by(organization_id=org.id, code=code).first()
        sections[code] = section or services.create_section(org, code, name, kind)
    for username, name, memberships in DEMO_USERS:
        user = User.query.filter_by(username=username).first()
        if user is None:
            user = services.create_user(username, name, DEMO_PASSWORD)
        for section_code, role in memberships:
            services.add_membership(user, sections[section_code], role)
    for code, _, _ in DEMO_SECTIONS:
        if sections[code].liaison_id is None:
            members = [m.user for m in sections[code].memberships if m.role == "editor"]
            if members:
                sections[code].liaison = members[0]
    _seed_items(org)
    return org


def _seed_items(org):
    """Published demo items, once the content package provides them."""
    import importlib
    import importlib.util

    if importlib.util.find_spec("cms.content.demo_items") is None:
        return
    importlib.import_module("cms.content.demo_items").seed_demo_items(org)


@cms_group.command("seed-demo")
@domain_command
def seed_demo_cmd():
    """Load the demo organization, users and items (safe to run again)."""
    org = seed_demo()
    from cms.applications.demo import seed_demo_applications

    seed_demo_applications(org)  # only for the running demo: tests start from an empty desk
    from cms.consultations.demo import seed_demo_consultation

    seed_demo_consultation(org)  # an open consultation for the running demo
    click.echo(f"Demo data ready: {org.name} ({org.code})")
    click.echo(f"Demo logins (password for all: {DEMO_PASSWORD}):")
    for username, name, memberships in DEMO_USERS:
        roles = ", ".join(f"{s}:{r}" for s, r in memberships)
        click.echo(f"  {username:<8} {name}  [{roles}]")

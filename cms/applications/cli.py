"""``flask --app wsgi cms applications ...``: the daily reminder for a cron job."""
import click

from cms.cli import cms_group, domain_command


@cms_group.group("applications")
def applications_group():
    """Disclosure on application (依申请公开)."""


@applications_group.command("remind")
@domain_command
def remind_cmd():
    """Notify the desk and the sections of applications overdue or due within 3 working days."""
    from cms.applications.reminders import due_for_attention, send_reminders

    pending = due_for_attention()
    sent = send_reminders()
    click.echo(f"{len(pending)} application(s) need attention; reminded {len(sent)} user(s).")
    for username, count in sorted(sent.items()):
        click.echo(f"  {username}: {count}")


@applications_group.command("letter-pattern")
@click.argument("pattern")
@click.option("--org", "org_code", default=None, help="organization code (default: the only one)")
@domain_command
def letter_pattern_cmd(pattern, org_code):
    """Set how reply letters are numbered, e.g. '嘉文广依申〔{year}〕{n}号' ({year}: year, {n}: sequence)."""
    from cms.accounts.audit import record_audit
    from cms.accounts.models import Organization
    from cms.applications.letters import format_letter_number, validate_letter_pattern

    pattern = validate_letter_pattern(pattern)
    orgs = Organization.query.filter_by(code=org_code).all() if org_code else Organization.query.all()
    if len(orgs) != 1:
        raise click.UsageError("请用 --org 指定机关代码" if orgs else f"未找到机关 {org_code or ''}".strip())
    orgs[0].letter_number_pattern = pattern
    record_audit("org.letter_pattern", None, target=f"org:{orgs[0].code}", details={"pattern": pattern},
                 actor_name="cli")
    click.echo(f"答复书文号格式：{pattern}（示例：{format_letter_number(pattern, 2026, 1)}）")

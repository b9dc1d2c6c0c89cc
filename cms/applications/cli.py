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

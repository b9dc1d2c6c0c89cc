"""``flask --app wsgi cms clocks remind``: send the clock reminders due now (the queue's tick does the same)."""
import click

from cms.cli import cms_group, domain_command


@cms_group.group("clocks")
def clocks_group():
    """Response, proposal and budget clocks (舆情回应、建议提案、预决算公开)."""


@clocks_group.command("remind")
@domain_command
def remind_cmd():
    """Send reminders at 50/80/100 % of incident clocks, escalations, proposal and budget notices (once each)."""
    from cms.clocks.reminders import send_clock_reminders

    sent = send_clock_reminders()
    click.echo(f"{len(sent)} reminder(s) sent.")
    for subject_type, subject_id, step, count in sent:
        click.echo(f"  {subject_type} {subject_id} {step}: {count} recipient(s)")

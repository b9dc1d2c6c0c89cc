"""``flask --app wsgi cms workflow ...``: stored workflows and due-date reminders."""
import json

import click

from cms.cli import cms_group, domain_command


@cms_group.group("workflow")
def workflow_group():
    """Review workflows (审核流程)."""


@workflow_group.command("remind")
@domain_command
def remind_cmd():
    """Send the due and overdue reminders of review stages (idempotent: safe to run every few minutes)."""
    from cms.workflow.reminders import send_due_reminders

    sent = send_due_reminders()
    click.echo(f"{len(sent)} reminder(s) sent.")
    for subject_type, subject_id, kind, usernames in sent:
        click.echo(f"  {subject_type} {subject_id} {kind}: {', '.join(usernames) or '-'}")


@workflow_group.command("list")
@domain_command
def list_cmd():
    """List the stored workflows (latest versions)."""
    from cms.workflow import store

    for code, title in store.definition_codes("item").items():
        click.echo(f"{code}\tv{store.latest_version(code)}\t{title}")


@workflow_group.command("save")
@click.argument("path", type=click.File("r", encoding="utf-8"))
@domain_command
def save_cmd(path):
    """Store a definition (JSON file) as the next version of its code."""
    from cms.workflow import store

    row = store.save_definition(json.load(path))
    click.echo(f"Saved {row.code} version {row.version}")

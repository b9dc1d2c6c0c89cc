"""``flask --app wsgi cms calendar ...``: import the State Council's notice, move years between installations."""
import json

import click

from cms.cli import cms_group, domain_command, fail


@cms_group.group("calendar")
def calendar_group():
    """Working-day calendar (工作日历)."""


@calendar_group.command("import-notice")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@click.option("--year", type=click.IntRange(2000, 2100), required=True, help="The year the notice arranges.")
@click.option("--dry-run", is_flag=True, help="Parse and print, do not save.")
@domain_command
def import_notice_cmd(file, year, dry_run):
    """Parse the notice text in FILE and replace YEAR's holidays and adjusted working days."""
    from cms.calendar.notice import parse_notice, save_arrangement

    arrangement = parse_notice(file.read(), year)
    for day, is_workday, note in arrangement.days():
        click.echo(f"  {day.isoformat()}  {'上班' if is_workday else '放假'}  {note}")
    for note in arrangement.notes:
        click.echo(f"  注：{note}")
    click.echo(f"{year}: {len(arrangement.holidays)} day(s) off, {len(arrangement.workdays)} adjusted working day(s).")
    if dry_run:
        click.echo("Dry run: nothing saved.")
        return
    save_arrangement(arrangement)
    click.echo("Saved.")


@calendar_group.command("export")
@click.argument("year", type=click.IntRange(2000, 2100))
@click.argument("file", type=click.File("w", encoding="utf-8"))
@domain_command
def export_cmd(year, file):
    """Write YEAR's days (entered, or the package's) to FILE as JSON."""
    from cms.calendar.notice import export_year

    data = export_year(year)
    json.dump(data, file, ensure_ascii=False, indent=1)
    click.echo(f"Exported {len(data['days'])} day(s) of {year} ({data['source']}).")


@calendar_group.command("import")
@click.argument("file", type=click.File("r", encoding="utf-8"))
@domain_command
def import_cmd(file):
    """Load a JSON file written by ``cms calendar export`` (replaces that year's days)."""
    from cms.calendar.notice import import_year

    try:
        data = json.load(file)
    except ValueError:
        fail("the file is not JSON")
    year, count = import_year(data)
    click.echo(f"Imported {count} day(s) of {year}.")

"""``flask --app wsgi cms report ...``: the half-year report for the head of the bureau."""
import click

from cms.cli import cms_group, domain_command, fail


@cms_group.group("report")
def report_group():
    """Annual report and assessment (年报与考核)."""


@report_group.command("half-year")
@click.option("--year", type=click.IntRange(2000, 2100), required=True)
@click.option("--half", type=click.IntRange(1, 2), required=True, help="1: January-June, 2: July-December.")
@click.option("--org", "org_code", default=None, help="Organization code (default: the first organization).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="DOCX file to write (default: half-year-YEAR-HALF.docx).")
@domain_command
def half_year_cmd(year, half, org_code, output):
    """Write the half-year disclosure report (figures, late list, sections ranked) as DOCX."""
    from cms.accounts.models import Organization
    from cms.reports.assessment import render_half_year_docx

    query = Organization.query.order_by(Organization.id)
    org = query.filter_by(code=org_code.upper()).first() if org_code else query.first()
    if org is None:
        fail("organization not found")
    output = output or f"half-year-{year}-{half}.docx"
    with open(output, "wb") as fh:
        fh.write(render_half_year_docx(org, year, half))
    click.echo(f"Wrote {output}")


@report_group.command("remind")
@domain_command
def remind_cmd():
    """Daily (cron): the annual report from 2 January until published; enforcement decisions due to be published."""
    from cms.content.enforcement import remind_unpublished
    from cms.reports.annual import remind_annual_reports

    for code, count in remind_annual_reports().items():
        click.echo(f"{code}: reminded {count} user(s) of the annual report")
    click.echo(f"Enforcement decisions: {remind_unpublished()} reminder(s) sent.")

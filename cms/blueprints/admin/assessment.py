"""The assessment screen (考核): figures per section with SVG charts and their tables, XLSX, the half-year report."""
from flask import Response, abort, render_template, request
from flask_login import current_user
from markupsafe import Markup

from cms import clock
from cms.accounts.models import Organization
from cms.blueprints.admin import bp
from cms.errors import ValidationError
from cms.extensions import db
from cms.reports.annual import office_org_ids
from cms.reports.assessment import assessment, charts, parse_period, render_half_year_docx, render_xlsx
from cms.reports.documents import DOCX, XLSX


def _organization():
    """Office staff and leaders see the assessment of their organization."""
    orgs = office_org_ids(current_user) | {m.section.organization_id for m in current_user.memberships
                                           if m.role == "leader"}
    if not orgs:
        abort(403)
    return db.session.get(Organization, min(orgs))


def _data(org):
    start, end = parse_period(request.args.get("from"), request.args.get("to"), clock.local_today())
    return assessment(org.id, start, end)


@bp.get("/assessment")
def assessment_view():
    org = _organization()
    data = _data(org)
    return render_template("admin/assessment.html", data=data,
                           charts=[(t, Markup(svg), h, r) for t, svg, h, r in charts(data)],
                           year=clock.local_today().year)


@bp.get("/assessment.xlsx")
def assessment_xlsx():
    org = _organization()
    data = _data(org)
    return Response(render_xlsx(data), mimetype=XLSX, headers={
        "Content-Disposition": f'attachment; filename="assessment-{data["from"]}-{data["to"]}.xlsx"'})


@bp.get("/assessment/half-year.docx")
def assessment_half_year():
    org = _organization()
    year = request.args.get("year", type=int)
    half = request.args.get("half", type=int)
    if year is None or not 2000 <= year <= 2100 or half not in (1, 2):
        raise ValidationError("请指定年份（year）和半年（half=1 或 2）", fields={"half": "invalid"})
    return Response(render_half_year_docx(org, year, half), mimetype=DOCX, headers={
        "Content-Disposition": f'attachment; filename="half-year-{year}-{half}.docx"'})

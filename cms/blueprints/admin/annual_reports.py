"""The annual report in the back office: build from the data, write sections 一/五/六, see the checks, download."""
from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from cms import clock
from cms.blueprints.admin import bp
from cms.errors import DomainError
from cms.extensions import db
from cms.reports.annual import (TEXT_FIELDS, build_report, due_on, get_report, office_org_ids)
from cms.reports.models import AnnualReport


class ReportForm(FlaskForm):
    year = IntegerField("年度", validators=[DataRequired(message="请填写年度"), NumberRange(2000, 2100)])
    fees_amount = StringField("行政事业性收费本年收费金额（万元）", validators=[Optional(), Length(max=20)])
    processing_fees = StringField("本年收取信息处理费（元）", validators=[Optional(), Length(max=20)])
    rules_issued = IntegerField("规章本年制发件数", validators=[Optional(), NumberRange(0, 100000)])
    rules_repealed = IntegerField("规章本年废止件数", validators=[Optional(), NumberRange(0, 100000)])
    rules_in_force = IntegerField("规章现行有效件数", validators=[Optional(), NumberRange(0, 100000)])
    overview = TextAreaField(TEXT_FIELDS["overview"], validators=[Optional(), Length(max=20000)])
    problems = TextAreaField(TEXT_FIELDS["problems"], validators=[Optional(), Length(max=20000)])
    other = TextAreaField(TEXT_FIELDS["other"], validators=[Optional(), Length(max=20000)])

    def inputs(self):
        data = {name: getattr(self, name).data or "" for name in TEXT_FIELDS}
        for name in ("fees_amount", "processing_fees"):
            if (getattr(self, name).data or "").strip():
                data[name] = getattr(self, name).data.strip()
        data["rules"] = {k: getattr(self, f"rules_{k}").data or 0 for k in ("issued", "repealed", "in_force")}
        return data

    def load(self, report):
        inputs = report.inputs or {}
        for name in (*TEXT_FIELDS, "fees_amount", "processing_fees"):
            getattr(self, name).data = inputs.get(name)
        for k in ("issued", "repealed", "in_force"):
            getattr(self, f"rules_{k}").data = (inputs.get("rules") or {}).get(k, 0)


def _office_only():
    if not office_org_ids(current_user):
        abort(403)


@bp.route("/annual-reports", methods=["GET", "POST"])
def annual_report_list():
    """The office's reports by year, and the form that builds (or rebuilds) one from the data."""
    _office_only()
    form = ReportForm()
    status = 200
    if request.method == "GET":
        form.year.data = clock.local_today().year - (1 if clock.local_today().month == 1 else 0)
    elif form.validate_on_submit():
        try:
            report = build_report(current_user, form.year.data, form.inputs())
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = exc.status
        else:
            db.session.commit()
            failed = report.failed_checks
            flash(f"已根据数据生成 {report.year} 年年报草稿" + (f"，{len(failed)} 项校验未通过。" if failed else "，校验全部通过。"),
                  "error" if failed else "success")
            return redirect(url_for("admin.annual_report_view", year=report.year))
    else:
        status = 422
    reports = (AnnualReport.query.filter(AnnualReport.organization_id.in_(office_org_ids(current_user)))
               .order_by(AnnualReport.year.desc()).all())
    return render_template("admin/annual_report_list.html", form=form, reports=reports, due_on=due_on), status


@bp.get("/annual-reports/<int:year>")
def annual_report_view(year):
    report = get_report(current_user, year)
    form = ReportForm()
    form.year.data = year
    form.load(report)
    return render_template("admin/annual_report_view.html", report=report, form=form, due_on=due_on(year),
                           may_build=report.organization_id in office_org_ids(current_user))


@bp.get("/annual-reports/<int:year>.docx", defaults={"extension": "docx"})
@bp.get("/annual-reports/<int:year>.xlsx", defaults={"extension": "xlsx"}, endpoint="annual_report_download_xlsx")
def annual_report_download(year, extension):
    from cms.reports.documents import DOCX, XLSX, render_docx, render_xlsx

    report = get_report(current_user, year)
    body, mimetype = (render_docx(report), DOCX) if extension == "docx" else (render_xlsx(report), XLSX)
    return Response(body, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="annual-report-{year}.{extension}"'})


@bp.context_processor
def _annual_report_nav():
    from cms.workflow.definitions import ITEM_STATES

    return {"annual_report_nav": current_user.is_authenticated and bool(office_org_ids(current_user)),
            "item_state_labels": ITEM_STATES}

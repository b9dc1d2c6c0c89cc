"""NPC suggestions and CPPCC proposals in the back office: the register, a case, the letter, the yearly XLSX."""
from urllib.parse import quote

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cms import clock
from cms.accounts.models import Section
from cms.blueprints.admin import bp
from cms.clocks.forms import FeedbackForm, ProposalForm
from cms.clocks.letters import letter_filename, render_reply_docx
from cms.clocks.models import (
    PROPOSAL_KINDS,
    PROPOSAL_STATES,
    REPLY_CATEGORIES,
    REPLY_DISCLOSURE,
    SATISFACTION,
)
from cms.clocks.people import member_org_ids, registrar_org_ids
from cms.clocks.proposals import create_proposal, get_proposal_for, record_feedback, summary, visible_proposals
from cms.clocks.summary import summary_xlsx
from cms.errors import DomainError, ValidationError
from cms.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
LABELS = dict(kinds=PROPOSAL_KINDS, states=PROPOSAL_STATES, categories=REPLY_CATEGORIES,
              disclosures=REPLY_DISCLOSURE, satisfactions=SATISFACTION)


def _year():
    year = request.args.get("year", type=int)
    return year if year and 2000 <= year <= 2100 else clock.local_today().year


@bp.route("/proposals", methods=["GET", "POST"])
def proposal_list():
    form = ProposalForm()
    orgs = registrar_org_ids(current_user)
    form.lead_section.choices = [(s.code, s.name) for s in Section.query.filter(
        Section.organization_id.in_(sorted(orgs) or [-1])).order_by(Section.id)]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            co = [c.strip() for c in (form.co_sections.data or "").replace("，", ",").split(",") if c.strip()]
            try:
                proposal = create_proposal(current_user, {
                    "kind": form.kind.data, "session": form.session.data, "number": form.number.data,
                    "title": form.title.data, "proposer": form.proposer.data, "lead_section": form.lead_section.data,
                    "co_sections": co, "assigned_on": form.assigned_on.data.isoformat()})
                db.session.commit()
                flash(f"已登记，答复期限 {proposal.due_on.isoformat()}。", "success")
                return redirect(url_for("admin.proposal_view", proposal_id=proposal.id))
            except (ValidationError, DomainError) as exc:
                if exc.status == 403:
                    raise
                db.session.rollback()
                form.number.errors = list(form.number.errors) + [exc.message]
        status = 422
    year = _year()
    return render_template("admin/proposal_list.html", proposals=visible_proposals(current_user, year), year=year,
                           form=form, can_register=bool(orgs), today=clock.local_today(),
                           figures=summary(member_org_ids(current_user), year), **LABELS), status


@bp.route("/proposals/<int:proposal_id>", methods=["GET", "POST"])
def proposal_view(proposal_id):
    proposal = get_proposal_for(current_user, proposal_id)
    form = FeedbackForm()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            record_feedback(current_user, proposal, {"satisfaction": form.satisfaction.data,
                                                     "note": form.note.data or None})
            db.session.commit()
            flash("已登记代表委员意见。", "success")
            return redirect(url_for("admin.proposal_view", proposal_id=proposal.id))
        status = 422
    co = Section.query.filter(Section.id.in_(proposal.co_section_ids or [-1])).all()
    return render_template("admin/proposal_view.html", proposal=proposal, co_sections=co, form=form,
                           today=clock.local_today(), **LABELS), status


@bp.get("/proposals/<int:proposal_id>/letter.docx")
def proposal_letter(proposal_id):
    proposal = get_proposal_for(current_user, proposal_id)
    return Response(render_reply_docx(proposal), mimetype=DOCX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(letter_filename(proposal))}"})


@bp.get("/proposals/summary.xlsx")
def proposal_summary_xlsx():
    year = _year()
    data = summary_xlsx(member_org_ids(current_user), year)
    name = quote(f"{year}年建议提案办理情况汇总.xlsx")
    return Response(data, mimetype=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"})

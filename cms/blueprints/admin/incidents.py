"""The response desk (舆情回应): open incidents with live countdowns, the year's timeliness, registration."""
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from cms import clock
from cms.accounts.models import Section
from cms.blueprints.admin import bp
from cms.clocks.forms import IncidentForm, MilestoneForm
from cms.clocks.incidents import create_incident, get_incident_for, record_milestone, timeliness, visible_incidents
from cms.clocks.models import CLOCK_KINDS, INCIDENT_LEVELS, IncidentItem
from cms.clocks.people import member_org_ids, registrar_org_ids
from cms.errors import ValidationError
from cms.extensions import db

STATUS_LABELS = {"open": "进行中", "met": "按时完成", "met_late": "超时完成", "overdue": "已超时"}


def _section_choices(org_ids):
    sections = Section.query.filter(Section.organization_id.in_(sorted(org_ids) or [-1])).order_by(Section.id)
    return [(s.code, s.name) for s in sections]


def _render_list(form, status=200):
    now = clock.utcnow()
    state = request.args.get("state", "open")
    if state not in ("open", "closed", "all"):
        state = "open"
    incidents = visible_incidents(current_user, None if state == "all" else state)
    year = request.args.get("year", type=int) or clock.local_today().year
    return render_template(
        "admin/incident_list.html", incidents=incidents, now=now, form=form, state=state, year=year,
        can_register=bool(registrar_org_ids(current_user)), rates=timeliness(member_org_ids(current_user), year),
        levels=INCIDENT_LEVELS, kinds=CLOCK_KINDS, statuses=STATUS_LABELS,
    ), status


@bp.route("/incidents", methods=["GET", "POST"])
def incident_list():
    form = IncidentForm()
    form.section.choices = _section_choices(registrar_org_ids(current_user))
    if request.method == "POST":
        if not form.validate_on_submit():
            return _render_list(form, 422)
        try:
            incident = create_incident(current_user, {
                "title": form.title.data, "level": form.level.data, "discovered_at": form.discovered_at.data,
                "section": form.section.data, "summary": form.summary.data or None})
        except ValidationError as exc:
            db.session.rollback()
            form.title.errors = list(form.title.errors) + [exc.message]
            return _render_list(form, 422)
        db.session.commit()
        flash("舆情事件已登记，时限开始计算。", "success")
        return redirect(url_for("admin.incident_view", incident_id=incident.id))
    return _render_list(form)


@bp.route("/incidents/<int:incident_id>", methods=["GET", "POST"])
def incident_view(incident_id):
    incident = get_incident_for(current_user, incident_id)
    form = MilestoneForm()
    form.kind.choices = [(c.kind, CLOCK_KINDS[c.kind]) for c in incident.clocks if c.met_at is None]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            item_id = (form.item_id.data or "").strip()
            try:
                record_milestone(current_user, incident, {
                    "kind": form.kind.data, "at": form.at.data, "note": form.note.data or None,
                    "item_id": int(item_id) if item_id.isdigit() else (item_id or None)})
                db.session.commit()
                flash("已登记完成情况。", "success")
                return redirect(url_for("admin.incident_view", incident_id=incident.id))
            except ValidationError as exc:
                db.session.rollback()
                incident = get_incident_for(current_user, incident_id)
                form.at.errors = list(form.at.errors) + [exc.message]
        status = 422
    links = IncidentItem.query.filter_by(incident_id=incident.id).all()
    return render_template("admin/incident_view.html", incident=incident, form=form, now=clock.utcnow(),
                           links=links, levels=INCIDENT_LEVELS, kinds=CLOCK_KINDS, statuses=STATUS_LABELS), status

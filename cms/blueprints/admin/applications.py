"""The request desk in the back office: dashboard, staff entry, the case screen, letters, statistics, export."""
import csv
import io

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.orm import joinedload
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Optional

from cms import clock
from cms.accounts.audit import record_audit
from cms.accounts.models import Section
from cms.applications import antispam, desk
from cms.applications.forms import CorrectionForm, StaffApplicationForm
from cms.applications.letters import build_letter, render_docx
from cms.applications.masking import applicant_view
from cms.applications.models import Application
from cms.applications.services import (
    correct_applicant,
    desk_organization,
    get_for,
    register_by_staff,
    sees_personal_data,
    transition,
    visible_filter,
)
from cms.applications.statistics import annual_statistics
from cms.applications.types import (
    APPLICANT_TYPES,
    CHANNEL_RECEIPT_RULES,
    CHANNELS,
    CONSULTATION_PARTIES,
    DELIVERY,
    ID_TYPES,
    RESULT_REASONS,
    RESULTS,
    STATES,
    result_label,
)
from cms.applications.deadlines import soon_horizon, urgency
from cms.applications.workflow import APPLICATION_DESK, desk_org_ids
from cms.blueprints.admin import bp
from cms.errors import ConditionFailed, Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.workflow.engine import available_transitions, history_of


class DeskTransitionForm(FlaskForm):
    name = HiddenField()
    version = HiddenField(validators=[DataRequired(message="缺少版本号，请刷新页面后重试")])
    comment = TextAreaField("意见/说明", validators=[Optional()])
    period = IntegerField("补正期限（工作日）", validators=[Optional()], default=15)
    received_on = DateField("收到补正日期", validators=[Optional()])
    section_id = SelectField("承办科室", coerce=int, validators=[Optional()], validate_choice=False)
    party = SelectField("征求意见对象", choices=list(CONSULTATION_PARTIES.items()), validators=[Optional()])
    outcome = SelectField("办理结果", validators=[Optional()], validate_choice=False)
    reply_text = TextAreaField("答复正文", validators=[Optional()])
    days = IntegerField("延长工作日数", validators=[Optional()], default=20)
    confidentiality_checked = BooleanField("已完成保密审查：答复内容不涉及国家秘密、工作秘密、商业秘密和个人隐私")


def outcome_choices():
    choices = []
    for result, label in RESULTS.items():
        reasons = RESULT_REASONS[result]
        if not reasons:
            choices.append((result, label))
        for number, reason in reasons.items():
            choices.append((f"{result}:{number}", f"{label} — {number}. {reason}"))
    return choices


def _desk_org():
    return desk_organization(current_user)


def _viewer_org_ids():
    return desk_org_ids(current_user) | {m.section.organization_id for m in current_user.memberships}


@bp.get("/applications")
def application_dashboard():
    section_id = request.args.get("section", type=int)
    state = request.args.get("state") or None
    today = clock.local_today()
    horizon = soon_horizon(today)  # once per page: classifying a row then needs no query
    groups = desk.dashboard(current_user, section_id=section_id, today=today)
    query = Application.query.filter(visible_filter(current_user))
    if section_id:
        query = query.filter(Application.section_id == section_id)
    if state in STATES:
        query = query.filter(Application.state == state)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    listing = (query.options(joinedload(Application.section)).order_by(Application.id.desc())
               .paginate(page=page, per_page=30, error_out=False))
    sections = Section.query.filter(Section.organization_id.in_(_viewer_org_ids())).order_by(Section.id).all()
    return render_template(
        "admin/application_dashboard.html", groups=groups, listing=listing, states=STATES, state=state,
        sections=sections, section_id=section_id, by_section=desk.by_section(current_user, today),
        is_desk=bool(desk_org_ids(current_user)), masked=lambda a: applicant_view(a, sees_personal_data(current_user, a)),
        urgency=lambda a: urgency(a, today, horizon),
    )


@bp.route("/applications/new", methods=["GET", "POST"])
def application_new():
    org = _desk_org()
    if org is None:
        abort(403)
    form = StaffApplicationForm()
    status = 200
    if request.method == "GET":
        form.received_on.data = clock.local_today()
    elif form.validate_on_submit():
        try:
            application = register_by_staff(current_user, org, form.values())
        except ValidationError as exc:
            if not form.place_errors(exc):
                flash(exc.message, "error")
            status = 422
        else:
            db.session.commit()
            flash(f"已登记申请 {application.code}。", "success")
            return redirect(url_for("admin.application_view", application_id=application.id))
    elif form.csrf_failed():
        status = 400
        flash("表单已失效，请重新提交。", "error")
    else:
        status = 422
    return render_template("admin/application_new.html", form=form, rules=CHANNEL_RECEIPT_RULES), status


@bp.route("/applications/<int:application_id>/edit", methods=["GET", "POST"])
def application_edit(application_id):
    """The desk corrects the applicant's details or the request before the reply."""
    application = get_for(current_user, application_id)
    if not sees_personal_data(current_user, application):
        abort(403)
    form = CorrectionForm(obj=application if request.method == "GET" else None)
    status = 200
    if request.method == "GET":
        form.version.data = application.version
    elif form.validate_on_submit():
        try:
            version = int(form.version.data or 0)
        except ValueError:
            version = -1
        try:
            changed = correct_applicant(current_user, application, form.values(), version)
        except ValidationError as exc:
            if not form.place_errors(exc):
                flash(exc.message, "error")
            status = 422
        except Conflict as exc:
            db.session.rollback()
            flash(exc.message, "error")
            status = 409
        else:
            db.session.commit()
            flash("已更正：" + ("、".join(changed) if changed else "无变化") + "。", "success")
            return redirect(url_for("admin.application_view", application_id=application.id))
    elif form.csrf_failed():
        status = 400
        flash("表单已失效，请重新提交。", "error")
    else:
        status = 422
    return render_template("admin/application_edit.html", form=form, a=application), status


def _render_view(application, form=None, status=200, error=None):
    form = form or DeskTransitionForm()
    sections = Section.query.filter_by(organization_id=application.organization_id).order_by(Section.id).all()
    form.section_id.choices = [(s.id, s.name) for s in sections]
    form.outcome.choices = outcome_choices()
    if application.result and not form.outcome.data:
        form.outcome.data = (f"{application.result}:{application.result_reason}" if application.result_reason
                             else application.result)
    if application.reply_text and not form.reply_text.data:
        form.reply_text.data = application.reply_text
    full = sees_personal_data(current_user, application)
    letter = build_letter(application) if application.result else None
    return render_template(
        "admin/application_view.html", a=application, form=form, error=error,
        transitions=available_transitions(application, current_user), history=history_of(application),
        person=applicant_view(application, full), full=full, letter=letter,
        labels={"type": APPLICANT_TYPES, "id": ID_TYPES, "delivery": DELIVERY, "channel": CHANNELS,
                "party": CONSULTATION_PARTIES},
        result_label=result_label, urgency=urgency(application), today=clock.local_today().isoformat(),
        titles={"submit": "提交申请", "register": "登记受理", "correct": "更正申请信息",
                **{(t.name, s): t.title for t in APPLICATION_DESK.transitions for s in t.sources}}, states=STATES,
    ), status


@bp.get("/applications/<int:application_id>")
def application_view(application_id):
    return _render_view(get_for(current_user, application_id))


@bp.post("/applications/<int:application_id>/transitions")
def application_transition(application_id):
    application = get_for(current_user, application_id)
    form = DeskTransitionForm()
    form.section_id.choices = []
    if not form.validate_on_submit():
        return _render_view(application, form, 400, "请求无效，请检查填写内容后重试。")
    name = form.name.data
    if not (form.version.data or "").isdigit() or len(form.version.data) > 9:
        return _render_view(application, form, 400, "版本号无效，请刷新页面后重试。")
    inputs = {"comment": form.comment.data or None, "expected_version": int(form.version.data)}
    if name == "request_supplement":
        inputs["period"] = form.period.data
    elif name == "receive_supplement":
        inputs["received_on"] = form.received_on.data
    elif name in ("assign", "reassign"):
        inputs["section_id"] = form.section_id.data
    elif name == "consult":
        inputs["party"] = form.party.data
    elif name == "draft_reply":
        result, _, reason = (form.outcome.data or "").partition(":")
        inputs.update(result=result or None, result_reason=int(reason) if reason.isdigit() else None,
                      reply_text=form.reply_text.data)
    elif name == "extend":
        inputs["days"] = form.days.data
    elif name == "approve" and form.confidentiality_checked.data:
        inputs["confidentiality_checked"] = True
    try:
        transition(application, current_user, name, **inputs)
    except (NotAllowed, ConditionFailed, ValidationError, Conflict) as exc:
        db.session.rollback()
        return _render_view(get_for(current_user, application_id), form, exc.status, exc.message)
    db.session.commit()
    flash(f"操作成功：{application.state_label}。", "success")
    return redirect(url_for("admin.application_view", application_id=application.id))


@bp.get("/applications/<int:application_id>/letter")
def application_letter(application_id):
    application = get_for(current_user, application_id)
    if not application.result:
        abort(404)
    return render_template("admin/application_letter.html", letter=build_letter(application), a=application)


@bp.get("/applications/<int:application_id>/letter.docx")
def application_letter_docx(application_id):
    application = get_for(current_user, application_id)
    if not application.result:
        abort(404)
    return Response(
        render_docx(application),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="reply-{application.code}.docx"'},
    )


@bp.post("/applications/test-link")
def application_test_link():
    """The desk checks the online channel end to end: a signed link whose submission is marked as a test."""
    org = _desk_org()
    if org is None:
        abort(403)
    form = FlaskForm()
    if not form.validate_on_submit():
        abort(400)
    token = antispam.test_link_token(org.id, current_user.id)
    record_audit("application.test_link", current_user, org.code)
    db.session.commit()
    return redirect(url_for("public.apply", test=token))


@bp.get("/applications/statistics")
def application_statistics():
    org = _desk_org()
    if org is None:
        abort(403)
    raw = request.args.get("year") or str(clock.local_today().year)
    year = int(raw) if raw.isdigit() and len(raw) == 4 else clock.local_today().year
    return render_template("admin/application_statistics.html", stats=annual_statistics(org.id, year), year=year)


@bp.get("/applications/export.csv")
def application_export():
    """The desk ledger as CSV: personal data masked (exports leave the desk)."""
    rows = (Application.query.filter(visible_filter(current_user)).options(joinedload(Application.section))
            .order_by(Application.id).all())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["申请编号", "测试", "申请方式", "申请人类型", "申请人", "证件号码", "联系电话", "电子邮箱", "状态",
                     "收到申请之日", "答复期限", "延期", "承办科室", "办理结果", "答复日期"])
    for a in rows:
        masked = applicant_view(a, full=False)
        writer.writerow([a.code, "是" if a.is_test else "", CHANNELS.get(a.channel), APPLICANT_TYPES.get(a.applicant_type),
                         masked["applicant_name"], masked["id_number"], masked["phone"], masked["email"],
                         a.state_label, a.received_on or "", a.due_on or "", a.extension_days or "",
                         a.section.name if a.section else "", result_label(a.result, a.result_reason),
                         a.replied_on or ""])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="applications.csv"'})

"""Disclosure on application, public side: the form, the receipt and the status page."""
from flask import current_app, redirect, render_template, request, session, url_for

from cms.applications import antispam
from cms.applications.forms import PublicApplicationForm, StatusForm
from cms.applications.letters import build_letter
from cms.applications.services import lookup, submit_online
from cms.applications.types import CHANNEL_RECEIPT_RULES, RESULTS, result_label
from cms.blueprints.public import bp
from cms.content.columns import site_organization
from cms.errors import ValidationError
from cms.extensions import db, limiter


def _apply_limit():
    return current_app.config["CMS_APPLY_RATE_LIMIT"]


def _status_limit():
    return current_app.config["CMS_STATUS_RATE_LIMIT"]


def _render_form(form, org, status=200, error=None):
    form.form_token.data = antispam.form_token()
    is_test = antispam.test_link_valid(form.test_token.data, org.id) if org else False
    return render_template("public/apply_form.html", form=form, org=org, error=error, is_test=is_test,
                           receipt_rule=CHANNEL_RECEIPT_RULES["online"]), status


@bp.route("/apply", methods=["GET", "POST"])
@limiter.limit(_apply_limit, methods=["POST"], deduct_when=lambda response: response.status_code == 302)
def apply():
    org = site_organization()
    if org is None:
        return render_template("public/error.html", message="本站尚未开通依申请公开。", status=404), 404
    form = PublicApplicationForm()
    if request.method == "GET":
        form.test_token.data = request.args.get("test") or ""
        return _render_form(form, org)
    if not form.validate_on_submit():
        if form.csrf_failed():
            return _render_form(form, org, 400, "表单已失效，请重新提交。")
        return _render_form(form, org, 422, "请根据提示修改后再提交。")
    try:
        antispam.check_form(form.form_token.data, form.website.data)
    except antispam.SuspectedSpam as exc:
        return _render_form(form, org, exc.status, exc.message)
    is_test = antispam.test_link_valid(form.test_token.data, org.id)
    try:
        application = submit_online(org, form.values(), is_test=is_test)
    except ValidationError as exc:
        form.place_errors(exc)
        return _render_form(form, org, 422, "请根据提示修改后再提交。")
    db.session.commit()
    session["apply_receipt"] = application.code
    return redirect(url_for("public.apply_receipt"))


@bp.get("/apply/receipt")
def apply_receipt():
    code = session.get("apply_receipt")
    if not code:
        return redirect(url_for("public.apply"))
    from cms.applications.models import Application

    application = Application.query.filter_by(code=code).first()
    if application is None:
        return redirect(url_for("public.apply"))
    from cms.applications.masking import mask_name
    from cms.applications.types import APPLICANT_TYPES, DELIVERY

    return render_template("public/apply_receipt.html", application=application, org=application.organization,
                           applicant_types=APPLICANT_TYPES, deliveries=DELIVERY,
                           masked_name=mask_name(application.applicant_name))


@bp.route("/apply/status", methods=["GET", "POST"])
@limiter.limit(_status_limit, deduct_when=lambda response: response.status_code == 404)
def apply_status():
    form = StatusForm()
    application, error, status = None, None, 200
    if request.method == "GET" and request.args.get("contact"):
        # Also answered for links that carry both (as the API's ?contact= does); failures count as below.
        form.code.data, form.contact.data = request.args.get("code", "")[:20], request.args["contact"][:200]
        application = lookup(form.code.data, form.contact.data)
        if application is None:
            error, status = "未找到与申请编号和联系方式相符的申请，请核对后重试。", 404
    elif request.method == "GET":
        form.code.data = request.args.get("code", "")[:20]
    elif not form.validate_on_submit():
        error, status = "表单已失效，请重新提交。", 400
    else:
        application = lookup(form.code.data, form.contact.data)
        if application is None:
            error, status = "未找到与申请编号和联系方式相符的申请，请核对后重试。", 404
    letter = build_letter(application) if application is not None and application.state in ("replied", "closed") \
        and application.replied_on else None
    return render_template("public/apply_status.html", form=form, application=application, error=error,
                           letter=letter, results=RESULTS, result_label=result_label), status


@bp.post("/apply/status/letter.docx")
@limiter.limit(_status_limit, deduct_when=lambda response: response.status_code == 404)
def apply_letter_docx():
    """The reply letter as DOCX for the applicant (the same code + contact check as the status page)."""
    from flask import Response

    from cms.applications.letters import render_docx

    form = StatusForm()
    if not form.validate_on_submit():
        return render_template("public/error.html", message="表单已失效，请重新查询。", status=400), 400
    application = lookup(form.code.data, form.contact.data)
    if application is None or not application.replied_on:
        return render_template("public/error.html", message="未找到与申请编号和联系方式相符的答复。", status=404), 404
    return Response(
        render_docx(application),
        mimetype="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        headers={"Content-Disposition": f'attachment; filename="reply-{application.code}.docx"',
                 "Cache-Control": "no-store"},
    )

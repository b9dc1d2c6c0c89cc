"""Public consultations (意见征集): the list page and the comment form of a consultation's item page."""
from flask import current_app, redirect, render_template, session, url_for

from cms.applications import antispam
from cms.blueprints.public import bp
from cms.consultations.closing import ConsultationClosed, get_consultation
from cms.consultations.comments import submit_comment
from cms.consultations.forms import CommentForm
from cms.consultations.limits import COMMENT_BUDGET
from cms.consultations.public import item_box, public_consultations
from cms.content.columns import site_organization
from cms.errors import NotFound, ValidationError
from cms.extensions import db


@bp.get("/consultations")
def consultation_list():
    entries = public_consultations(site_organization())
    return render_template("public/consultation_list.html", entries=entries)


@bp.app_template_global("consultation_box")
def consultation_box(item):
    """The consultation box of an item page (used by ``public/consultation_box.html``)."""
    return item_box(item)


@bp.app_template_global("consultation_comment_form")
def consultation_comment_form():
    form = CommentForm()
    form.form_token.data = antispam.form_token()
    return form


def _render(item, form, status, error=None):
    return render_template("public/consultation_comment.html", item=item, box=item_box(item), form=form,
                           error=error), status


@bp.post("/consultations/<int:item_id>/comments")
@COMMENT_BUDGET.limit(spend_when=lambda response: response.status_code == 302)
def consultation_comment(item_id):
    try:
        item, record = get_consultation(item_id)
    except NotFound:
        return render_template("public/error.html", message="意见征集不存在或尚未发布。", status=404), 404
    form = CommentForm()
    if not form.validate_on_submit():
        form.form_token.data = antispam.form_token()
        if form.csrf_failed():
            return _render(item, form, 400, "表单已失效，请重新提交。")
        return _render(item, form, 422, "请根据提示修改后再提交。")
    try:
        antispam.check_form(form.form_token.data, form.website.data)
    except antispam.SuspectedSpam as exc:
        form.form_token.data = antispam.form_token()
        return _render(item, form, exc.status, exc.message)
    try:
        comment = submit_comment(item, record, form.values())
    except ConsultationClosed as exc:
        return _render(item, form, 409, exc.message)
    except ValidationError as exc:
        for name in exc.fields:
            field = getattr(form, name, None)
            if field is not None:
                field.errors = list(field.errors) + [exc.message]
        form.form_token.data = antispam.form_token()
        return _render(item, form, 422, exc.message)
    db.session.commit()
    current_app.logger.info("consultation %s: comment %s received", item.id, comment.id)
    # Post/redirect/get: reloading the receipt never sends the comment twice.
    session["consultation_receipt"] = {"item": item.id, "comment": comment.id}
    return redirect(url_for("public.consultation_thanks", item_id=item.id))


@bp.get("/consultations/<int:item_id>/thanks")
def consultation_thanks(item_id):
    receipt = session.get("consultation_receipt") or {}
    if receipt.get("item") != item_id:
        return redirect(url_for("public.item_detail", item_id=item_id))
    try:
        item, _record = get_consultation(item_id)
    except NotFound:
        return render_template("public/error.html", message="意见征集不存在或尚未发布。", status=404), 404
    return render_template("public/consultation_thanks.html", item=item, comment_id=receipt.get("comment"),
                           back=url_for("public.item_detail", item_id=item.id))

"""Consultations in the back office: the list and setting, a consultation's comments with moderation and
handling, closing early, the XLSX export and drafting the feedback."""
from urllib.parse import quote

from flask import Response, flash, redirect, render_template, request, url_for
from flask_login import current_user

from cms import clock
from cms.blueprints.admin import bp
from cms.consultations import closing, comments, export, feedback
from cms.consultations.access import can_manage, can_see
from cms.consultations.editor import editor_fields
from cms.consultations.extension import can_extend, extend_period
from cms.consultations.forms import (CloseForm, ExtendForm, FeedbackForm, HandlingForm, ModerationForm,
                                     SettingsForm)
from cms.consultations.models import COMMENT_STATES, HANDLINGS, KINDS
from cms.consultations.settings import feedback_working_days
from cms.consultations.staff import can_change_settings, update_settings, visible_consultations
from cms.errors import Conflict, DomainError, NotAllowed, NotFound, ValidationError
from cms.extensions import db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.app_template_global("consultation_editor_fields")
def consultation_editor_fields(item):
    """The period fields of the item editor: what was posted, else the stored period."""
    return editor_fields(item, request.form if request.method == "POST" else None)


bp.add_app_template_global(KINDS, "consultation_kinds")


@bp.app_template_global("consultation_note")
def consultation_note(item):
    """The period of a consultation item, or the consultation a feedback item answers (review screen)."""
    from cms.consultations.feedback import consultation_of_feedback
    from cms.consultations.records import record_of

    if item is None:
        return None
    if item.type == "consultation":
        record = record_of(item)
        return {"kind": "consultation", "record": record} if record is not None else None
    record = consultation_of_feedback(item)
    return {"kind": "feedback", "consultation_id": record.item_id} if record is not None else None


def _consultation(item_id):
    item, record = closing.get_consultation(item_id, public=False)
    if not can_see(current_user, item):
        raise NotFound("意见征集不存在或您无权查看")
    return item, record


def _org_id():
    ids = sorted(current_user.organization_ids)
    return ids[0] if ids else None


@bp.route("/consultations", methods=["GET", "POST"])
def consultation_list():
    org_id = _org_id()
    form = SettingsForm()
    may_change = org_id is not None and can_change_settings(current_user, org_id)
    status = 200
    if request.method == "POST":
        if not may_change:
            raise NotAllowed("只有办公室或系统管理员可以修改该设置")
        if form.validate_on_submit():
            try:
                update_settings(current_user, {"feedback_working_days": form.feedback_working_days.data})
            except ValidationError as exc:
                db.session.rollback()
                form.feedback_working_days.errors = list(form.feedback_working_days.errors) + [exc.message]
                status = 422
            else:
                db.session.commit()
                flash("设置已保存。", "success")
                return redirect(url_for("admin.consultation_list"))
        else:
            status = 422
    elif org_id is not None:
        form.feedback_working_days.data = feedback_working_days(org_id)
    rows = [{"item": item, "record": record, "status": closing.status_of(record),
             "overdue": closing.is_feedback_overdue(record),
             "pending": len(comments.comments_of(item.id, "pending")),
             "received": len(comments.comments_of(item.id))}
            for item, record in visible_consultations(current_user)]
    return render_template("admin/consultation_list.html", rows=rows, form=form, may_change=may_change,
                           kinds=KINDS, status_labels=closing.STATUS_LABELS), status


def _render_view(item, record, status=200, error=None):
    manage = can_manage(current_user, item)
    items = comments.comments_of(item.id)
    return render_template(
        "admin/consultation_view.html", item=item, record=record, manage=manage,
        comments=[comments.comment_to_json(c, current_user) for c in items],
        status=closing.status_of(record), status_labels=closing.STATUS_LABELS, kinds=KINDS,
        states=COMMENT_STATES, handlings=HANDLINGS, overdue=closing.is_feedback_overdue(record),
        figures=feedback.counts(item.id), close_form=CloseForm(), moderation_form=ModerationForm(),
        extend_form=ExtendForm(), may_extend=can_extend(current_user, item),
        handling_form=HandlingForm(), feedback_form=FeedbackForm(), error=error, today=clock.local_today(),
        may_draft_feedback=manage and current_user.has_role("editor", item.section_id),
    ), status


@bp.get("/consultations/<int:item_id>")
def consultation_view(item_id):
    return _render_view(*_consultation(item_id))


def _act(item_id, action):
    """Run ``action()`` for a POST of the consultation screen; errors re-render the screen with their status."""
    item, record = _consultation(item_id)
    try:
        message = action(item, record)
    except (ValidationError, Conflict, NotAllowed, DomainError) as exc:
        db.session.rollback()
        item, record = _consultation(item_id)
        return _render_view(item, record, exc.status, exc.message)
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("admin.consultation_view", item_id=item_id))


def _version(value):
    if not (value or "").isdigit() or len(value) > 9:
        raise ValidationError("版本号无效，请刷新页面后重试", fields={"version": "invalid"})
    return int(value)


def _comment_of(item, comment_id):
    comment = comments.get_comment_for(current_user, comment_id)
    if comment.item_id != item.id:
        raise NotFound("意见不存在")
    return comment


@bp.post("/consultations/<int:item_id>/comments/<int:comment_id>/transitions")
def consultation_comment_moderate(item_id, comment_id):
    def action(item, record):
        form = ModerationForm()
        if not form.validate_on_submit():
            raise ValidationError("请求无效，请刷新页面后重试", fields={"form": "invalid"})
        comment = _comment_of(item, comment_id)
        comments.moderate(current_user, comment, form.name.data, form.reason.data or None, _version(form.version.data))
        return "意见已公开。" if comment.state == "published" else "意见已设为不予公开。"

    return _act(item_id, action)


@bp.post("/consultations/<int:item_id>/comments/<int:comment_id>/handling")
def consultation_comment_handling(item_id, comment_id):
    def action(item, record):
        form = HandlingForm()
        if not form.validate_on_submit():
            raise ValidationError("请求无效，请检查填写内容", fields={"form": "invalid"})
        comment = _comment_of(item, comment_id)
        comments.handle(current_user, comment, {"handling": form.handling.data, "reason": form.reason.data or None,
                                                "theme": form.theme.data or None,
                                                "version": _version(form.version.data)})
        return "已登记采纳情况。"

    return _act(item_id, action)


@bp.post("/consultations/<int:item_id>/close")
def consultation_close(item_id):
    def action(item, record):
        form = CloseForm()
        if not form.validate_on_submit():
            raise ValidationError("请求无效，请刷新页面后重试", fields={"form": "invalid"})
        closing.close_early(current_user, item, record, form.reason.data or "", _version(form.version.data))
        return "征集已提前结束。"

    return _act(item_id, action)


@bp.post("/consultations/<int:item_id>/extend")
def consultation_extend(item_id):
    def action(item, record):
        form = ExtendForm()
        if not form.validate_on_submit():
            raise ValidationError("请求无效，请刷新页面后重试", fields={"form": "invalid"})
        reopened = record.closed_at is not None
        extend_period(current_user, item, record, (form.closes_on.data or "").strip(), form.reason.data or None,
                      _version(form.version.data))
        return f"征集期限已延长至 {record.closes_on.isoformat()}" + ("，征集已重新开放。" if reopened else "。")

    return _act(item_id, action)


@bp.post("/consultations/<int:item_id>/feedback")
def consultation_feedback(item_id):
    item, record = _consultation(item_id)
    form = FeedbackForm()
    if not form.validate_on_submit():
        return _render_view(item, record, 400, "请求无效，请刷新页面后重试。")
    try:
        created = feedback.create_feedback(current_user, item, record)
    except DomainError as exc:
        db.session.rollback()
        item, record = _consultation(item_id)
        return _render_view(item, record, exc.status, exc.message)
    db.session.commit()
    flash("已起草意见采纳情况，请核对后提交审核。", "success")
    return redirect(url_for("admin.item_view", item_id=created.id))


@bp.get("/consultations/<int:item_id>/export.xlsx")
def consultation_export(item_id):
    item, _record = _consultation(item_id)
    data = export.comments_xlsx(current_user, item)
    return Response(data, mimetype=XLSX, headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(export.export_filename(item))}",
        "Cache-Control": "no-store"})

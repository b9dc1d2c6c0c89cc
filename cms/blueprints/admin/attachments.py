"""Uploading and downloading attachments in the back office."""
from flask import flash, redirect, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from cms.blueprints.admin import bp
from cms.blueprints.attachment_download import send_attachment
from cms.content.attachments import add_attachment, remove_attachment
from cms.content.models import Attachment
from cms.content.services import get_item_for
from cms.errors import NotAllowed, NotFound, ValidationError
from cms.extensions import db


@bp.post("/items/<int:item_id>/attachments")
def attachment_upload(item_id):
    item = get_item_for(current_user, item_id)
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash("请选择要上传的文件。", "error")
        return redirect(url_for("admin.item_view", item_id=item.id)), 303
    try:
        add_attachment(item, current_user, upload.filename, upload.stream)
    except ValidationError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("admin.item_view", item_id=item.id)), 303
    except NotAllowed:
        db.session.rollback()
        raise
    db.session.commit()
    flash("附件已上传。", "success")
    return redirect(url_for("admin.item_view", item_id=item.id))


def _attachment_for(attachment_id):
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None:
        raise NotFound("附件不存在")
    get_item_for(current_user, attachment.item_id)  # visibility of the item applies
    return attachment


@bp.get("/attachments/<int:attachment_id>/<path:filename>")
def attachment_download(attachment_id, filename):
    return send_attachment(_attachment_for(attachment_id))


@bp.post("/attachments/<int:attachment_id>/delete")
def attachment_delete(attachment_id):
    attachment = _attachment_for(attachment_id)
    item_id = attachment.item_id
    if not FlaskForm().validate_on_submit():
        flash("请求无效，请重试。", "error")
        return redirect(url_for("admin.item_view", item_id=item_id))
    remove_attachment(attachment, current_user)
    db.session.commit()
    flash("附件已删除。", "success")
    return redirect(url_for("admin.item_view", item_id=item_id))

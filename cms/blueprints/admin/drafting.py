"""Attachments while drafting and images for the editor's image button.

The item form carries an optional file (``attachment``): the draft is saved first, then the file is
attached, so a new item can get attachments before anyone saved it by hand. ``POST
/admin/items/<id>/images`` stores an image as an attachment of the item and answers JSON for the editor.
"""
from flask import jsonify, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from cms.blueprints.admin import bp
from cms.content.attachments import add_attachment
from cms.content.images import IMAGE_TYPES
from cms.content.services import get_item_for
from cms.errors import DomainError, ValidationError
from cms.extensions import db

ALT_MAX = 200


def attach_from_form(item):
    """Attach the file the item form carried (if any) to the saved ``item``; the error message or None.
    Commits on success; an attachment refused leaves the saved draft as it is."""
    upload = request.files.get("attachment")
    if upload is None or not upload.filename:
        return None
    try:
        add_attachment(item, current_user, upload.filename, upload.stream)
    except DomainError as exc:
        db.session.rollback()
        return f"草稿已保存，但附件未能上传：{exc.message}"
    db.session.commit()
    return None


def wants_attachments():
    """The form's "保存并添加附件" button (the page's script presses it when a file is chosen)."""
    return request.form.get("then") == "attach"


def _error(status, code, message, **fields):
    return jsonify(error={"code": code, "message": message, **({"fields": fields} if fields else {})}), status


@bp.post("/items/<int:item_id>/images")
def item_image_upload(item_id):
    """Store an image (PNG/JPEG, same checks as every attachment) for the item; alt text is required."""
    item = get_item_for(current_user, item_id)
    if not FlaskForm().validate_on_submit():
        return _error(400, "bad_request", "请求无效，请刷新页面后重试。")
    alt = (request.form.get("alt") or "").strip()
    if not alt:
        return _error(422, "validation_error", "请填写图片说明（替代文字），供读屏软件朗读。", alt="required")
    if len(alt) > ALT_MAX:
        return _error(422, "validation_error", f"图片说明不能超过{ALT_MAX}个字。", alt="too_long")
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _error(422, "validation_error", "请选择图片文件。", file="required")
    if upload.filename.rsplit(".", 1)[-1].lower() not in ("png", "jpg", "jpeg"):
        return _error(422, "validation_error", "图片只能是 PNG 或 JPG 格式。", file="type")
    try:
        attachment = add_attachment(item, current_user, upload.filename, upload.stream)
    except ValidationError as exc:
        db.session.rollback()
        return _error(exc.status, exc.code, exc.message, **exc.fields)
    except DomainError as exc:
        db.session.rollback()
        return _error(exc.status, exc.code, exc.message)
    if attachment.content_type not in IMAGE_TYPES:  # the sniffed type decides, not the name
        db.session.rollback()
        return _error(422, "validation_error", "图片只能是 PNG 或 JPG 格式。", file="type")
    db.session.commit()
    return jsonify(id=attachment.id, alt=alt, filename=attachment.filename,
                   src=f"/attachments/{attachment.id}/{attachment.id}.{'png' if attachment.content_type == 'image/png' else 'jpg'}",
                   preview_src=url_for("admin.attachment_download", attachment_id=attachment.id,
                                       filename=f"{attachment.id}.{'png' if attachment.content_type == 'image/png' else 'jpg'}"))

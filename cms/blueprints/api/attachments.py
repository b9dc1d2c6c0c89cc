"""An item's attachments over the API: upload (multipart field ``file``), list, delete.

Same sniffing, limits and authorization as the editor screen (``cms/content/attachments.py``).
"""
from flask import jsonify, request

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.content.attachments import add_attachment, remove_attachment
from cms.content.models import Attachment
from cms.content.services import get_item_for
from cms.errors import NotFound, ValidationError
from cms.extensions import db


def attachment_to_json(attachment):
    return {"id": attachment.id, "filename": attachment.filename, "size": attachment.size,
            "content_type": attachment.content_type, "extraction_status": attachment.extraction_status}


@bp.post("/items/<int:item_id>/attachments")
@token_required
def item_attachment_upload(item_id):
    user = api_user()
    item = get_item_for(user, item_id)
    if not (request.mimetype or "").startswith("multipart/form-data"):
        raise ValidationError("请以 multipart/form-data 上传，文件字段名为 file", fields={"file": "required"})
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError("缺少文件（multipart 字段 file）", fields={"file": "required"})
    attachment = add_attachment(item, user, upload.filename, upload.stream)
    db.session.commit()
    return jsonify(attachment_to_json(attachment)), 201


@bp.get("/items/<int:item_id>/attachments")
@token_required
def item_attachment_list(item_id):
    item = get_item_for(api_user(), item_id)
    return jsonify(attachments=[attachment_to_json(a) for a in item.attachments])


@bp.delete("/items/<int:item_id>/attachments/<int:attachment_id>")
@token_required
def item_attachment_delete(item_id, attachment_id):
    user = api_user()
    item = get_item_for(user, item_id)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.item_id != item.id:
        raise NotFound("附件不存在")
    remove_attachment(attachment, user)
    db.session.commit()
    return "", 204


def _document():
    from cms.blueprints.api.openapi import ITEM_ID, PATHS, SCHEMAS, SECURED, _errors, _json, _ref

    SCHEMAS["Attachment"] = {
        "type": "object",
        "properties": {
            "id": {"type": "integer"}, "filename": {"type": "string"}, "size": {"type": "integer"},
            "content_type": {"type": "string", "description": "sniffed from the content"},
            "extraction_status": {"type": "string", "enum": ["pending", "done", "truncated", "failed", "skipped"],
                                  "description": "text extraction for search (truncated: text beyond the cap "
                                                 "is not indexed)"},
        },
    }
    PATHS.update({
        "/items/{item_id}/attachments": {
            "get": {"summary": "The item's attachments", "security": SECURED, "parameters": ITEM_ID,
                    "responses": {"200": _json({"type": "object", "properties": {
                        "attachments": {"type": "array", "items": _ref("Attachment")}}}), **_errors(401, 404)}},
            "post": {"summary": "Attach a file (PDF, DOC/DOCX, XLS/XLSX, OFD, JPG/PNG; type sniffed from the "
                                "content) while the item is a draft or returned",
                     "security": SECURED, "parameters": ITEM_ID,
                     "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                         "type": "object", "required": ["file"],
                         "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                     "responses": {"201": _json(_ref("Attachment"), "Created"),
                                   **_errors(401, 403, 404, 409, 413, 422)}},
        },
        "/items/{item_id}/attachments/{attachment_id}": {
            "delete": {"summary": "Remove an attachment while the item is a draft or returned", "security": SECURED,
                       "parameters": ITEM_ID + [{"name": "attachment_id", "in": "path", "required": True,
                                                 "schema": {"type": "integer"}}],
                       "responses": {"204": {"description": "Deleted"}, **_errors(401, 403, 404, 409)}},
        },
    })


_document()

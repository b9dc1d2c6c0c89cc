"""Documents disclosed with a reply: the desk uploads them (multipart field ``file``) and lists them."""
from flask import jsonify, request

from cms.applications.documents import add_document, document_to_json, documents_of
from cms.applications.services import get_for
from cms.applications.workflow import is_desk
from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.errors import NotAllowed, ValidationError
from cms.extensions import db


@bp.post("/applications/<code>/documents")
@token_required
def application_document_upload(code):
    """Desk staff: attach a disclosed document to the reply (201); same checks as item attachments."""
    user = api_user()
    application = get_for(user, code=code)
    if not is_desk(user, application):
        raise NotAllowed("只有办公室（政府信息公开申请受理）人员可以上传答复材料")
    if not (request.mimetype or "").startswith("multipart/form-data"):
        raise ValidationError("请以 multipart/form-data 上传，文件字段名为 file", fields={"file": "required"})
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        raise ValidationError("缺少文件（multipart 字段 file）", fields={"file": "required"})
    document = add_document(application, user, upload.filename, upload.stream)
    db.session.commit()
    return jsonify(document_to_json(document)), 201


@bp.get("/applications/<code>/documents")
@token_required
def application_document_list(code):
    """Desk staff: the documents attached so far."""
    user = api_user()
    application = get_for(user, code=code)
    if not is_desk(user, application):
        raise NotAllowed("只有办公室人员可以查看答复材料")
    return jsonify(documents=[document_to_json(d) for d in documents_of(application)])


def _document():
    from cms.blueprints.api.openapi import PATHS, SCHEMAS, SECURED, _errors, _json

    code = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]
    doc = {"type": "object", "properties": {"id": {"type": "integer"}, "filename": {"type": "string"},
                                            "size": {"type": "integer"}, "content_type": {"type": "string"},
                                            "created_at": {"type": "string", "format": "date-time"}}}
    if "ApplicationStatus" in SCHEMAS:
        SCHEMAS["ApplicationStatus"]["properties"]["documents"] = {
            "type": "array", "description": "documents disclosed with the reply (once answered): signed links "
                                            "that expire (default one hour)",
            "items": {"type": "object", "properties": {
                "filename": {"type": "string"}, "size": {"type": "integer"}, "content_type": {"type": "string"},
                "url": {"type": "string"}}}}
    PATHS["/applications/{code}/documents"] = {
        "post": {"summary": "Attach a disclosed document to the reply (desk; PDF, DOC/DOCX, XLS/XLSX, OFD, JPG/PNG)",
                 "security": SECURED, "parameters": code,
                 "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                     "type": "object", "required": ["file"],
                     "properties": {"file": {"type": "string", "format": "binary"}}}}}},
                 "responses": {"201": _json(doc, "Created"), **_errors(401, 403, 404, 409, 413, 422)}},
        "get": {"summary": "Documents attached to the reply (desk)", "security": SECURED, "parameters": code,
                "responses": {"200": _json({"type": "object", "properties": {
                    "documents": {"type": "array", "items": doc}}}), **_errors(401, 403, 404)}},
    }


_document()

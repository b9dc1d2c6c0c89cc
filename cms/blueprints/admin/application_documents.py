"""The desk screen's upload control for documents disclosed with the reply, and the desk's own download."""
from flask import flash, redirect, request, url_for
from flask_login import current_user

from cms.applications.documents import (
    ApplicationDocument,
    add_document,
    documents_of,
    remove_document,
    send_document,
    visible_to_applicant,
)
from cms.applications.services import get_for
from cms.applications.workflow import is_desk
from cms.blueprints.admin import bp
from cms.errors import Conflict, NotAllowed, NotFound, ValidationError
from cms.extensions import db


def _desk_application(application_id):
    application = get_for(current_user, application_id)  # NotFound for those who may not see it
    if not is_desk(current_user, application):
        raise NotAllowed("只有办公室（政府信息公开申请受理）人员可以管理答复材料")
    return application


def _document_of(application, document_id):
    document = db.session.get(ApplicationDocument, document_id)
    if document is None or document.application_id != application.id:
        raise NotFound("材料不存在")
    return document


@bp.post("/applications/<int:application_id>/documents")
def application_document_add(application_id):
    application = _desk_application(application_id)
    upload = request.files.get("file")
    back = redirect(url_for("admin.application_view", application_id=application.id) + "#documents-heading")
    if upload is None or not upload.filename:
        flash("请选择要上传的文件。", "error")
        return back
    try:
        document = add_document(application, current_user, upload.filename, upload.stream)
    except (ValidationError, Conflict) as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return back
    db.session.commit()
    flash(f"已上传答复材料《{document.filename}》。", "success")
    return back


@bp.get("/applications/<int:application_id>/documents/<int:document_id>")
def application_document_get(application_id, document_id):
    application = _desk_application(application_id)
    return send_document(_document_of(application, document_id))


@bp.post("/applications/<int:application_id>/documents/<int:document_id>/delete")
def application_document_delete(application_id, document_id):
    application = _desk_application(application_id)
    try:
        remove_document(_document_of(application, document_id), current_user)
    except Conflict as exc:
        db.session.rollback()
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash("已删除。", "success")
    return redirect(url_for("admin.application_view", application_id=application.id) + "#documents-heading")


@bp.app_context_processor
def _desk_documents():
    def panel(application):
        return {"documents": documents_of(application), "desk": is_desk(current_user, application),
                "visible": visible_to_applicant(application)}

    return {"application_documents_panel": panel}

"""Documents disclosed with a reply (依申请公开): the desk attaches them, the applicant downloads them.

The bytes are stored like item attachments (same sniffing, same size limit, content-addressed in the upload
folder, never under the static folder). The applicant sees them only once the application is answered
(``replied`` or later ``closed``) and only after proving code + contact on the status page; what they get
there is a signed download link that expires (``CMS_DOCUMENT_LINK_SECONDS``, default one hour). There is no
other public way to a document: no id in a public URL, no listing.
"""
import os

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from cms.clock import utcnow
from cms.content.attachments import storage_path, store_upload
from cms.errors import Conflict, NotAllowed, NotFound, ValidationError
from cms.extensions import db

VISIBLE_STATES = ("replied", "closed")  # the reply has been sent: its documents go with it
UPLOAD_CLOSED_STATES = ("closed", "withdrawn")
DEFAULT_LINK_SECONDS = 3600
MAX_DOCUMENTS = 50


class ApplicationDocument(db.Model):
    """A file disclosed to the applicant with the reply."""

    __tablename__ = "application_documents"
    id = db.Column(db.Integer, primary_key=True)
    application_id = db.Column(db.Integer, db.ForeignKey("applications.id"), nullable=False, index=True)
    filename = db.Column(db.String(255), nullable=False)
    content_type = db.Column(db.String(100), nullable=False)  # sniffed from the content
    size = db.Column(db.Integer, nullable=False)
    sha256 = db.Column(db.String(64), nullable=False)
    uploaded_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    created_at = db.Column(db.DateTime, nullable=False, default=utcnow)

    application = db.relationship("Application")


def documents_of(application):
    return (ApplicationDocument.query.filter_by(application_id=application.id)
            .order_by(ApplicationDocument.id).all())


def visible_to_applicant(application):
    return application.state in VISIBLE_STATES


# ---------------------------------------------------------------- upload

def add_document(application, user, filename, stream):
    """The desk attaches a disclosed document to the reply of ``application``."""
    from cms.accounts.audit import record_audit
    from cms.applications.workflow import is_desk

    if not is_desk(user, application):
        raise NotAllowed("只有办公室（政府信息公开申请受理）人员可以上传答复材料")
    if application.state in UPLOAD_CLOSED_STATES:
        raise Conflict("申请已办结或撤回，不能再上传答复材料", fields={"state": application.state})
    if ApplicationDocument.query.filter_by(application_id=application.id).count() >= MAX_DOCUMENTS:
        raise ValidationError(f"每件申请最多上传 {MAX_DOCUMENTS} 份答复材料", fields={"file": "too_many"})
    name, content_type, size, sha = store_upload(filename, stream, noun="文件")
    document = ApplicationDocument(application_id=application.id, filename=name, content_type=content_type,
                                   size=size, sha256=sha, uploaded_by_id=user.id)
    db.session.add(document)
    db.session.flush()
    record_audit("application.document_add", user, target=f"application:{application.code}",
                 details={"document": name, "size": size})
    return document


def remove_document(document, user):
    from cms.accounts.audit import record_audit
    from cms.applications.workflow import is_desk

    if not is_desk(user, document.application):
        raise NotAllowed("只有办公室人员可以删除答复材料")
    if document.application.state in VISIBLE_STATES + UPLOAD_CLOSED_STATES:
        raise Conflict("答复已送达，不能删除答复材料", fields={"state": document.application.state})
    record_audit("application.document_remove", user, target=f"application:{document.application.code}",
                 details={"document": document.filename})
    db.session.delete(document)
    db.session.flush()


# ---------------------------------------------------------------- signed links

def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="application-document-download")


def link_seconds():
    return int(current_app.config.get("CMS_DOCUMENT_LINK_SECONDS", DEFAULT_LINK_SECONDS))


def download_token(document):
    return _serializer().dumps({"d": document.id, "a": document.application_id, "h": document.sha256[:16]})


def document_for_token(token):
    """The document a valid, unexpired link names, of an answered application; NotFound otherwise."""
    if not token or len(token) > 400:
        raise NotFound("下载链接无效或已过期，请重新查询办理进度")
    try:
        data = _serializer().loads(token, max_age=link_seconds())
    except (SignatureExpired, BadSignature):
        raise NotFound("下载链接无效或已过期，请重新查询办理进度") from None
    if not isinstance(data, dict):
        raise NotFound("下载链接无效或已过期，请重新查询办理进度")
    document = db.session.get(ApplicationDocument, data.get("d")) if isinstance(data.get("d"), int) else None
    if (document is None or document.application_id != data.get("a") or document.sha256[:16] != data.get("h")
            or not visible_to_applicant(document.application)):
        raise NotFound("下载链接无效或已过期，请重新查询办理进度")
    return document


def applicant_documents(application, url_for_token):
    """``[{filename, size, content_type, url}]`` for the applicant (empty until answered)."""
    if not visible_to_applicant(application):
        return []
    return [{"filename": d.filename, "size": d.size, "content_type": d.content_type,
             "url": url_for_token(download_token(d))} for d in documents_of(application)]


def mail_note(application):
    """The sentence listing the disclosed documents in the reply e-mail ('' when there are none)."""
    names = [d.filename for d in documents_of(application)]
    if not names:
        return ""
    return ("答复附有以下公开材料：" + "、".join(f"《{n}》" for n in names)
            + "，请凭申请编号和联系方式在办理进度查询页面下载（下载链接限时有效）。")


def send_document(document):
    """The document's bytes as a download, never cached by anyone, never rendered by the browser."""
    from flask import abort, send_file

    path = storage_path(document.sha256)
    if not os.path.exists(path):
        abort(404)
    response = send_file(path, mimetype=document.content_type, as_attachment=True,
                         download_name=document.filename, conditional=False, max_age=0)
    response.cache_control.public = False
    response.cache_control.max_age = None
    response.cache_control.private = True
    response.cache_control.no_store = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response.headers["Referrer-Policy"] = "no-referrer"  # the signed link must not leak to other sites
    return response


def document_to_json(document):
    return {"id": document.id, "filename": document.filename, "size": document.size,
            "content_type": document.content_type, "created_at": document.created_at.isoformat() + "Z"}


def download_url(token):
    """The public download address of a signed link (absolute, from CMS_SITE_URL, in mail and API)."""
    from flask import url_for

    path = url_for("public.application_document_download", token=token)
    site = (current_app.config.get("CMS_SITE_URL") or "").rstrip("/")
    return f"{site}{path}" if site else path

"""Attachments: type sniffed from the content, stored content-addressed outside the static folder."""
import hashlib
import os
import tempfile
import zipfile

from flask import current_app

from cms.content.models import Attachment
from cms.content.services import can_edit
from cms.errors import Conflict, NotAllowed, ValidationError
from cms.extensions import db

# extension -> (sniffed kind, Content-Type)
TYPES = {
    "pdf": ("pdf", "application/pdf"),
    "doc": ("ole2", "application/msword"),
    "xls": ("ole2", "application/vnd.ms-excel"),
    "docx": ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "ofd": ("ofd", "application/ofd"),
    "jpg": ("jpeg", "image/jpeg"),
    "jpeg": ("jpeg", "image/jpeg"),
    "png": ("png", "image/png"),
    "mp4": ("mp4", "video/mp4"),  # 视频解读
}
INLINE_TYPES = {"application/pdf", "image/jpeg", "image/png"}


def sniff(path):
    """The kind of file at ``path`` judged from its bytes, or None."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole2"
    if head[4:8] == b"ftyp":  # ISO base media (MP4)
        return "mp4"
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        if "OFD.xml" in names:
            return "ofd"
    return None


def storage_path(sha256):
    """Where the bytes with this SHA-256 live."""
    root = current_app.config["CMS_UPLOAD_DIR"]
    return os.path.join(root, sha256[:2], sha256[2:4], sha256)


def _clean_filename(filename):
    name = os.path.basename((filename or "").replace("\\", "/")).strip()
    name = "".join(ch for ch in name if ch >= " " and ch not in '<>:"|?*')
    return name[:200]


EDITABLE_STATES = ("draft", "returned")


def _is_editor_of(user, item):
    return item.author_id == user.id or any(
        m.role == "editor" and m.section_id == item.section_id for m in user.memberships)


def _check_editable(user, item, message):
    # Who may edit is a permission (403); an item of theirs under review or published is a state (409).
    if item.state in EDITABLE_STATES and can_edit(user, item):
        return
    if getattr(user, "is_authenticated", False) and _is_editor_of(user, item) and item.state not in EDITABLE_STATES:
        raise Conflict(f"{message}（当前状态不可编辑）")
    raise NotAllowed(message)


def add_attachment(item, user, filename, stream):
    """Attach the file read from ``stream`` to ``item``; refuses unknown or disguised types and oversize files."""
    _check_editable(user, item, "只能在草稿或退回状态下由作者或本科室编辑上传附件")
    return store_attachment(item, user, filename, stream)


def store_upload(filename, stream, noun="附件"):
    """Store an uploaded file content-addressed in the upload folder; returns (name, content_type, size, sha256).

    The type is judged from the extension and confirmed from the bytes (a disguised file is refused), the size
    is capped by ``CMS_MAX_ATTACHMENT_MB``. ``noun`` names the file in error messages ("附件", "文件").
    """
    name = _clean_filename(filename)
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in TYPES:
        raise ValidationError(f"不支持的{noun}类型（允许 PDF、DOC/DOCX、XLS/XLSX、OFD、JPG/PNG）", fields={"file": "type"})
    limit_mb = current_app.config["CMS_MAX_ATTACHMENT_MB"]
    root = current_app.config["CMS_UPLOAD_DIR"]
    os.makedirs(root, exist_ok=True)
    digest, size = hashlib.sha256(), 0
    fd, tmp = tempfile.mkstemp(dir=root, prefix=".upload-")
    try:
        with os.fdopen(fd, "wb") as out:
            while True:
                chunk = stream.read(1024 * 1024)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit_mb * 1024 * 1024:
                    raise ValidationError(f"{noun}超过 {limit_mb} MB", fields={"file": "too_large"})
                digest.update(chunk)
                out.write(chunk)
        if size == 0:
            raise ValidationError(f"{noun}为空", fields={"file": "empty"})
        kind, content_type = TYPES[extension]
        if sniff(tmp) != kind:
            raise ValidationError(f"{noun}内容与扩展名不符", fields={"file": "mismatch"})
        sha = digest.hexdigest()
        final = storage_path(sha)
        os.makedirs(os.path.dirname(final), exist_ok=True)
        if os.path.exists(final):
            os.unlink(tmp)
        else:
            os.replace(tmp, final)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return name, content_type, size, sha


def store_attachment(item, user, filename, stream):
    """Store and attach a file without the editing-permission check (bulk import)."""
    name, content_type, size, sha = store_upload(filename, stream, noun="附件")
    position = len(item.attachments)
    attachment = Attachment(item=item, filename=name, content_type=content_type, size=size, sha256=sha,
                            position=position, uploaded_by_id=user.id)
    db.session.add(attachment)
    db.session.flush()
    # Text extraction is slow and fed by untrusted files: a queue task does it after the commit.
    from cms.jobs import enqueue_after_commit

    enqueue_after_commit("attachments.extract", attachment.id)
    return attachment


def remove_attachment(attachment, user):
    """Detach a file (the bytes stay while other attachments share them)."""
    _check_editable(user, attachment.item, "只能在草稿或退回状态下由作者或本科室编辑删除附件")
    db.session.delete(attachment)
    db.session.flush()

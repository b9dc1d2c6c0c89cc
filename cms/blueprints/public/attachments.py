"""Public attachment downloads: only attachments of public items."""
from flask import abort

from cms.blueprints.attachment_download import send_attachment
from cms.blueprints.public import bp
from cms.content.models import Attachment
from cms.extensions import db


@bp.get("/attachments/<int:attachment_id>/<path:filename>")
def attachment_download(attachment_id, filename):
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or not attachment.item.is_public:
        abort(404)
    return send_attachment(attachment)

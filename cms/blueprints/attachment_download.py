"""Sending an attachment's bytes with a safe Content-Disposition (shared by the public and admin routes)."""
import os

from flask import abort, send_file

from cms.content.attachments import INLINE_TYPES, storage_path


def send_attachment(attachment):
    path = storage_path(attachment.sha256)
    if not os.path.exists(path):
        abort(404)
    # Flask writes filename*=UTF-8''... (RFC 5987) for the Chinese name plus an ASCII fallback.
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=attachment.content_type not in INLINE_TYPES,
        download_name=attachment.filename,
        conditional=True,
        max_age=3600,
    )
    if not attachment.item.is_public:
        # Drafts, items under review and working copies: no shared cache (proxy, CDN) and no disk cache may
        # keep a copy of what is not published.
        response.cache_control.public = False
        response.cache_control.max_age = None
        response.cache_control.private = True
        response.cache_control.no_store = True
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response

"""Signed preview links: someone without an account reads an unpublished item as the public will see it.

Unknown or tampered tokens → 404, expired or revoked ones → 410, both with a Chinese page. The pages are
never indexed, cached by shared caches, or sent on as a referrer.
"""
from flask import abort, make_response, render_template

from cms.blueprints.attachment_download import send_attachment
from cms.blueprints.public import bp
from cms.content.models import Attachment
from cms.content.preview import PreviewLinkError, item_for_token, preview_days, public_page_context, token_body
from cms.extensions import db

PRIVATE_HEADERS = {"X-Robots-Tag": "noindex, nofollow", "Cache-Control": "private, no-store",
                   "Referrer-Policy": "no-referrer"}


def _private(response):
    for name, value in PRIVATE_HEADERS.items():
        response.headers[name] = value
    return response


def _open(token):
    try:
        return item_for_token(token), None
    except PreviewLinkError as exc:
        page = render_template("public/error.html", message=exc.message, status=exc.status)
        return None, _private(make_response(page, exc.status))


@bp.get("/preview/<token>")
def item_preview_link(token):
    item, refused = _open(token)
    if refused is not None:
        return refused
    page = render_template("public/item_preview.html", **public_page_context(item),
                           preview_body=token_body(item.body_html, token),
                           attachment_prefix=f"/preview/{token}/attachments",
                           expires_note=f"预览链接自生成起{preview_days()}天内有效。")
    return _private(make_response(page))


@bp.get("/preview/<token>/attachments/<int:attachment_id>/<path:filename>")
def item_preview_attachment(token, attachment_id, filename):
    item, refused = _open(token)
    if refused is not None:
        return refused
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or attachment.item_id != item.id:
        abort(404)
    return _private(send_attachment(attachment))

"""Images in an item's body are attachments of the item (``<img src="/attachments/<id>/<name>">``).

A working copy gets copies of its original's attachments (new ids), and the sign-off of a revision gives the
original copies of the working copy's; ``relink_images`` points the body's images at the item's own
attachment with the same content, so an image never refers to a row of another (or a deleted) item.
"""
import re

from cms.extensions import db

_SRC = re.compile(r'(<img\b[^>]*\ssrc=")/attachments/(\d+)/([^"]*)"')
IMAGE_TYPES = {"image/png", "image/jpeg"}


def relink_images(item):
    """Rewrite image sources of ``item.body_html`` that name an attachment of another item."""
    from cms.content.models import Attachment

    body = item.body_html or ""
    ids = {int(m.group(2)) for m in _SRC.finditer(body)}
    if not ids:
        return False
    with db.session.no_autoflush:
        own = {a.id: a for a in item.attachments if a.id is not None}
        foreign = [i for i in ids if i not in own]
        if not foreign:
            return False
        rows = {a.id: a.sha256 for a in Attachment.query.filter(Attachment.id.in_(foreign))}
    by_hash = {}
    for attachment in own.values():
        by_hash.setdefault(attachment.sha256, attachment)

    def replace(match):
        target = by_hash.get(rows.get(int(match.group(2))))
        if target is None:
            return match.group(0)
        return f'{match.group(1)}/attachments/{target.id}/{match.group(3)}"'

    relinked = _SRC.sub(replace, body)
    if relinked != body:
        item.body_html = relinked
        return True
    return False

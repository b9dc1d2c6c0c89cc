"""Previews of an item as the public will see it, for any state: the body with its images pointed at a
route the viewer may use, and signed, expiring preview links for people without an account.

A link is ``/preview/<token>``: the token (itsdangerous, signed with the app's secret) names the item and
the item's current preview key; revoking the links of an item replaces its key, so every link issued
before stops working. Links expire after ``CMS_PREVIEW_DAYS`` days (7 unless configured).
"""
import re
import secrets

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from cms.clock import utcnow
from cms.extensions import db

SALT = "cms-item-preview"
DEFAULT_DAYS = 7
_PUBLIC_SRC = re.compile(r'(<img\b[^>]*\ssrc=")/attachments/(\d+)/')


class ItemPreviewKey(db.Model):
    """The key every preview link of an item carries (a separate row: issuing or revoking links does not
    touch the item, so nobody's open form goes stale)."""

    __tablename__ = "item_preview_keys"
    item_id = db.Column(db.Integer, db.ForeignKey("items.id", ondelete="CASCADE"), primary_key=True,
                        autoincrement=False)
    key = db.Column(db.String(32), nullable=False)
    issued_by_id = db.Column(db.Integer, db.ForeignKey("users.id"), nullable=True)
    issued_at = db.Column(db.DateTime, nullable=False, default=utcnow)


class PreviewLinkError(Exception):
    """A preview token that does not open anything: ``status`` 404 (unknown) or 410 (expired, revoked)."""

    def __init__(self, status, message):
        super().__init__(message)
        self.status = status
        self.message = message


def preview_days():
    return int(current_app.config.get("CMS_PREVIEW_DAYS") or DEFAULT_DAYS)


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def issue_link_token(item, user):
    """A token for ``item`` (the item's key is created on first use; earlier links stay valid)."""
    row = db.session.get(ItemPreviewKey, item.id)
    if row is None:
        row = ItemPreviewKey(item_id=item.id, key=secrets.token_hex(8), issued_by_id=user.id)
        db.session.add(row)
        db.session.flush()
    return _serializer().dumps({"i": item.id, "k": row.key})


def revoke_links(item, user):
    """Every preview link of ``item`` issued so far stops working."""
    row = db.session.get(ItemPreviewKey, item.id)
    if row is not None:
        row.key = secrets.token_hex(8)
        row.issued_by_id = user.id
        row.issued_at = utcnow()
        db.session.flush()


def item_for_token(token):
    """The item a preview token opens; PreviewLinkError when unknown, expired or revoked."""
    from cms.content.models import Item

    if not token or len(token) > 300:
        raise PreviewLinkError(404, "预览链接无效。")
    try:
        data = _serializer().loads(token, max_age=preview_days() * 86400)
    except SignatureExpired:
        raise PreviewLinkError(410, "预览链接已过期，请联系发送链接的工作人员重新获取。") from None
    except BadSignature:
        raise PreviewLinkError(404, "预览链接无效。") from None
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("k"), str):
        raise PreviewLinkError(404, "预览链接无效。")
    item = db.session.get(Item, data["i"])
    row = db.session.get(ItemPreviewKey, data["i"])
    if item is None or row is None:
        raise PreviewLinkError(404, "预览链接无效。")
    if not secrets.compare_digest(row.key, data["k"]):
        raise PreviewLinkError(410, "预览链接已被撤销，请联系发送链接的工作人员。")
    return item


def admin_body(html):
    """The body for back-office screens: images of the item's attachments load from the back office (the
    public attachment route serves public items only)."""
    return _PUBLIC_SRC.sub(r"\1/admin/attachments/\2/", html or "")


def token_body(html, token):
    """The body for a preview link: images load through the link itself."""
    return _PUBLIC_SRC.sub(lambda m: f"{m.group(1)}/preview/{token}/attachments/{m.group(2)}/", html or "")


def public_page_context(item):
    """What ``public/item_detail.html`` needs, for an item in any state."""
    from cms.clocks.budgets import public_budget_view
    from cms.content.queries import related_public_items
    from cms.content.types import FIVE_PUBLIC, ITEM_TYPES, VALIDITY
    from cms.content.workflow import state_label

    return {"item": item, "validity_labels": VALIDITY, "type_labels": ITEM_TYPES, "five_public_labels": FIVE_PUBLIC,
            "print_view": False, "related": related_public_items(item), "pending_views": 0,
            "budget": public_budget_view(item), "state_label": state_label(item)}


def may_share(user, item):
    """Who may send an item's preview link outside: its author, the editors who may change it, and the
    people who review or retract it now (the back office's own visibility rule applies first)."""
    from cms.content.services import can_edit
    from cms.workflow.engine import available_transitions

    if item.author_id == user.id or getattr(user, "is_admin", False) or can_edit(user, item):
        return True
    return any(t.name in ("approve", "return", "retract") for t in available_transitions(item, user))

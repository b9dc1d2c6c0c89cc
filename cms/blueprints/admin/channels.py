"""新媒体: the channel overview (waiting and late posts, ready-to-post renditions with copy buttons, the
"posted" record), the renditions on the review screen, and the admin's channel settings."""
from datetime import datetime

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user

from cms.accounts.permissions import has_any_role
from cms.blueprints.admin import admin_required, bp
from cms.channels import CHANNELS, NEW_MEDIA
from cms.channels.services import (
    build_rendition, channels_of, enabled_channels, item_for_channels, late_posts,
    pending_posts, posts_of, published_rendition, record_post, set_channel_enabled,
)
from cms.channels.renditions import weibo_length
from cms.clock import CST
from cms.content.services import get_item_for
from cms.errors import DomainError, ValidationError
from cms.extensions import db

# The preview frame shows the rendition exactly as the platforms will: its inline styles apply, nothing runs.
PREVIEW_CSP = ("default-src 'none'; img-src 'self' data: https: http:; style-src 'unsafe-inline'; "
               "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")
SHOWN_PENDING = 50


def _card(item, channel, rendition):
    card = {"code": channel, "label": CHANNELS[channel], "kind": "text" if "text" in rendition else "html",
            "source": rendition.get("text") or rendition.get("html"),
            "preview_url": url_for("admin.channel_preview", item_id=item.id, channel=channel)}
    if card["kind"] == "text":
        card["count"] = weibo_length(card["source"].rsplit(" ", 1)[0])
    return card


@bp.app_template_global()
def channel_renditions(item):
    """The review screen's renditions of each new media channel the item goes to (a preview before
    publication: the images point at the back-office attachment URLs)."""
    cards = []
    for channel in channels_of(item):
        if channel in NEW_MEDIA:
            cards.append(_card(item, channel, build_rendition(item, channel, preview=not item.is_public)))
    return cards


@bp.get("/channels")
def channel_list():
    """Items waiting to be posted (late ones first flagged), each channel's ready-to-post rendition, and
    posts made late."""
    waiting = pending_posts(current_user)
    entries = []
    for entry in waiting[:SHOWN_PENDING]:
        item = entry["item"]
        cards = []
        for ch in entry["channels"]:
            card = _card(item, ch["channel"], published_rendition(item, ch["channel"]))
            card["late"] = ch["late"]
            cards.append(card)
        entries.append({"item": item, "late": entry["late"], "cards": cards, "posted": posts_of(item)})
    return render_template("admin/channel_list.html", entries=entries, total=len(waiting),
                           late_count=sum(1 for e in waiting if e["late"]), late_posts=late_posts(current_user),
                           channels=CHANNELS, is_admin=current_user.is_admin), 200


@bp.get("/channels/items/<int:item_id>/<channel>/preview")
def channel_preview(item_id, channel):
    """The rendition alone, for the preview frame (staff who may see the item; never public)."""
    if channel not in NEW_MEDIA:
        abort(404)
    item = get_item_for(current_user, item_id)
    rendition = build_rendition(item, channel, preview=not item.is_public)
    body = rendition.get("html") or f'<p style="font-size:16px;line-height:1.75;">{_escape(rendition["text"])}</p>'
    html = (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>{CHANNELS[channel]}稿件预览</title>'
            f'<meta name="robots" content="noindex"></head><body style="margin:0;padding:12px;">{body}</body></html>')
    response = make_response(html)
    response.headers["Content-Security-Policy"] = PREVIEW_CSP
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _escape(text):
    from html import escape

    return escape(text, quote=False)


def _local_to_iso(value):
    """``2026-12-02T09:30`` typed in the form (China Standard Time) → ISO 8601 with its offset."""
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=CST).isoformat()
    except ValueError:
        raise ValidationError("发布时间格式无效", fields={"posted_at": "invalid"}) from None


@bp.post("/channels/items/<int:item_id>/<channel>/posted")
def channel_posted(item_id, channel):
    """Mark a channel of a published item as posted (the form carries the item version it was shown)."""
    if channel not in NEW_MEDIA:
        abort(404)
    try:
        item = item_for_channels(current_user, item_id)
        version = request.form.get("version", "")
        if not version.isdigit() or len(version) > 9:
            raise ValidationError("版本号无效，请刷新页面后重试", fields={"version": "invalid"})
        record_post(item, channel, current_user, request.form.get("url", ""),
                    posted_at=_local_to_iso(request.form.get("posted_at")), expected_version=int(version))
    except DomainError as exc:
        db.session.rollback()
        flash(f"{CHANNELS[channel]}：{exc.message}", "error")
        response = channel_list()
        return response[0], exc.status
    db.session.commit()
    flash(f"已登记“{CHANNELS[channel]}”发布：{item.title}", "success")
    return redirect(url_for("admin.channel_list"))


@bp.route("/channels/settings", methods=["GET", "POST"])
@admin_required
def channel_settings():
    """The admin turns the bureau's new media channels on and off."""
    orgs = sorted({m.section.organization for m in current_user.memberships if m.role == "admin"},
                  key=lambda o: o.id)
    if request.method == "POST":
        org_id = request.form.get("organization_id", "")
        org = next((o for o in orgs if str(o.id) == org_id), None)
        if org is None:
            abort(403)
        wanted = set(request.form.getlist("channels"))
        for channel in NEW_MEDIA:
            set_channel_enabled(org.id, channel, channel in wanted, current_user)
        db.session.commit()
        flash("新媒体渠道设置已保存。", "success")
        return redirect(url_for("admin.channel_settings"))
    settings = [(org, enabled_channels(org.id)) for org in orgs]
    return render_template("admin/channel_settings.html", settings=settings, channels=CHANNELS,
                           new_media=NEW_MEDIA)


@bp.app_template_global()
def channel_nav_visible():
    """Show the 新媒体 link to staff who edit, review or administer."""
    return has_any_role(current_user, ("editor", "section_chief", "leader", "office_auditor", "director", "admin"))



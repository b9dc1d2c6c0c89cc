"""New media channels: which a bureau uses, which an item goes to, its renditions, and what was posted.

Services flush, never commit. ``website`` is every item's channel; the new media channels (``NEW_MEDIA``)
are ticked by the editor among those the bureau has enabled. Renditions and posting records exist only for
published, proactively disclosed originals (``Item.is_public``); reviewers preview the renditions earlier.
"""
import os
from datetime import datetime, timedelta, timezone
from urllib.parse import urlsplit

from flask import current_app, has_request_context, url_for
from sqlalchemy.exc import IntegrityError

from cms.accounts.permissions import Scope, holds, memoized
from cms.channels import CHANNELS, NEW_MEDIA
from cms.channels.models import ChannelPost, ChannelSetting, ItemChannel
from cms.channels.renditions import AttachmentLink, toutiao_html, wechat_html, weibo_text
from cms.clock import utcnow
from cms.content.models import Item
from cms.errors import Conflict, NotAllowed, NotFound, ValidationError
from cms.extensions import db
from cms.workflow import events

LATE_AFTER = timedelta(days=1)
# Staff who edit or review items of the item's section (office-wide roles anywhere in the organization).
HANDLER_ROLES = ("editor", "section_chief", "leader", "office_auditor", "director")
DEFAULT_CHANNELS = "wechat,weibo,toutiao"
AUDIT_LABELS = {"channel.posted": "登记新媒体发布", "channel.setting": "设置新媒体渠道"}


class NotPublished(Conflict):
    code = "not_published"


class ChannelNotSelected(Conflict):
    code = "channel_not_selected"


class AlreadyPosted(Conflict):
    code = "already_posted"


class UnknownChannel(NotFound):
    code = "unknown_channel"


# ---------------------------------------------------------------- settings per bureau

def default_channels():
    """New media channels enabled where a bureau has not decided (``CMS_CHANNELS``, comma-separated)."""
    raw = current_app.config.get("CMS_CHANNELS") or os.environ.get("CMS_CHANNELS", DEFAULT_CHANNELS)
    return {code.strip() for code in raw.split(",") if code.strip() in NEW_MEDIA}


def enabled_channels(organization_id):
    """The new media channels the organization uses, in display order."""
    enabled = default_channels()
    for row in ChannelSetting.query.filter_by(organization_id=organization_id):
        (enabled.add if row.enabled else enabled.discard)(row.channel)
    return [code for code in NEW_MEDIA if code in enabled]


def set_channel_enabled(organization_id, channel, enabled, user):
    """An admin of the organization turns a new media channel on or off."""
    if channel not in NEW_MEDIA:
        raise ValidationError("未知的新媒体渠道", fields={"channel": "unknown"})
    if not holds(user, "admin", Scope("organization", organization_id)):
        raise NotAllowed("只有本机关的系统管理员可以设置新媒体渠道")
    row = ChannelSetting.query.filter_by(organization_id=organization_id, channel=channel).first()
    if row is None:
        row = ChannelSetting(organization_id=organization_id, channel=channel)
        db.session.add(row)
    row.enabled, row.updated_by_id = bool(enabled), user.id
    from cms.accounts.audit import record_audit

    record_audit("channel.setting", actor=user, target=f"org:{organization_id}",
                 details={"channel": channel, "enabled": bool(enabled)})
    db.session.flush()
    return row


# ---------------------------------------------------------------- an item's channels

def _stored(item_id):
    return {row.channel for row in ItemChannel.query.filter_by(item_id=item_id)}


def channels_of(item):
    """The item's channels, ``website`` first (a working copy not yet given its own: the original's)."""
    stored = _stored(item.id)
    if not stored and item.working_copy_of_id is not None:
        stored = _stored(item.working_copy_of_id)
    return ["website"] + [code for code in NEW_MEDIA if code in stored]


def clean_channels(item, channels):
    """Check a list of channel codes for ``item``: 422 for anything not a known, enabled channel."""
    if not isinstance(channels, (list, tuple)) or not all(isinstance(c, str) for c in channels):
        raise ValidationError("channels 必须是渠道代码的列表", fields={"channels": "wrong_type"})
    wanted = set(channels) - {"website"}
    unknown = sorted(wanted - set(NEW_MEDIA))
    if unknown:
        raise ValidationError(f"未知的渠道：{', '.join(unknown)}", fields={"channels": "unknown"})
    disabled = sorted(wanted - set(enabled_channels(item.organization_id)))
    if disabled:
        names = "、".join(CHANNELS[c] for c in disabled)
        raise ValidationError(f"本机关未启用以下渠道：{names}", fields={"channels": "disabled"})
    return [code for code in NEW_MEDIA if code in wanted]


def set_item_channels(item, channels):
    """Store the item's channels (called after the item itself was saved by the content services).

    ``website`` is stored too: an item with rows has had its channels chosen (a working copy without rows
    still follows its original).
    """
    chosen = clean_channels(item, channels)
    ItemChannel.query.filter_by(item_id=item.id).delete(synchronize_session=False)
    for code in ["website"] + chosen:
        db.session.add(ItemChannel(item_id=item.id, channel=code))
    db.session.flush()
    return ["website"] + chosen


def _on_revised(evt):
    """A signed-off revision brings its channels to the live item."""
    original = evt.subject
    if original is None:
        return
    for copy in Item.query.filter_by(working_copy_of_id=original.id).all():
        chosen = _stored(copy.id)
        if not chosen:
            continue
        ItemChannel.query.filter_by(item_id=original.id).delete(synchronize_session=False)
        for code in chosen:
            db.session.add(ItemChannel(item_id=original.id, channel=code))
        ItemChannel.query.filter_by(item_id=copy.id).delete(synchronize_session=False)
    db.session.flush()


events.subscribe("revised", _on_revised, phase="in_transaction")


def _register_audit_labels():
    from cms.accounts.audit_log import ACTION_LABELS

    for action, label in AUDIT_LABELS.items():
        ACTION_LABELS.setdefault(action, label)


_register_audit_labels()


def _drop_with_item(mapper, connection, target):
    connection.execute(ItemChannel.__table__.delete().where(ItemChannel.item_id == target.id))
    connection.execute(ChannelPost.__table__.delete().where(ChannelPost.item_id == target.id))


# A working copy deleted after sign-off (or discarded) must not be blocked by its channel rows.
db.event.listen(Item, "before_delete", _drop_with_item)


# ---------------------------------------------------------------- permissions

def can_handle_channels(user, item):
    """Staff who edit or review the item (its author, its section's editors and reviewers, the office)."""
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "active", True):
        return False
    if item.author_id == user.id:
        return True
    scope = Scope.of(item)
    with memoized():
        return any(holds(user, role, scope) is not None for role in HANDLER_ROLES)


def item_for_channels(user, item_id):
    """The item ``item_id`` when ``user`` may handle its channels: 404 unseen, 403 seen but not theirs."""
    from cms.content.services import get_item_for

    item = get_item_for(user, item_id)
    if not can_handle_channels(user, item):
        raise NotAllowed("您无权处理此信息的新媒体发布")
    return item


# ---------------------------------------------------------------- renditions

def site_url(path):
    return current_app.config["CMS_SITE_URL"].rstrip("/") + path


def _path(endpoint, **values):
    """The path of ``endpoint`` in a request or outside one (a queue task handing a rendition to an adapter)."""
    if has_request_context():
        return url_for(endpoint, **values)
    return current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/") \
        .build(endpoint, values)


def public_url(item):
    """The item's public page (a working copy's is its original's)."""
    return site_url(_path("public.item_detail", item_id=item.working_copy_of_id or item.id))


def _attachments(item, preview):
    endpoint = "admin.attachment_download" if preview else "public.attachment_download"
    links = []
    for a in item.attachments:
        path = _path(endpoint, attachment_id=a.id, filename=a.filename)
        links.append(AttachmentLink(a.id, a.filename, a.content_type, path if preview else site_url(path)))
    return links


def build_rendition(item, channel, preview=False):
    """``{"html": ...}`` (wechat, toutiao) or ``{"text": ...}`` (weibo) for ``item``.

    ``preview`` (the review screen, before publication) points images at the back-office attachment URLs.
    """
    if channel not in NEW_MEDIA:
        raise UnknownChannel(f"未知的新媒体渠道：{channel}", fields={"channel": "unknown"})
    url = public_url(item)
    if channel == "weibo":
        return {"text": weibo_text(item.title, item.body_html, url, summary=item.summary)}
    build = wechat_html if channel == "wechat" else toutiao_html
    return {"html": build(item.body_html, url, current_app.config["CMS_SITE_URL"], _attachments(item, preview))}


def published_rendition(item, channel):
    """The ready-to-post rendition of a published item's channel (409 before publication or unticked)."""
    if channel not in NEW_MEDIA:
        raise UnknownChannel(f"未知的新媒体渠道：{channel}", fields={"channel": "unknown"})
    if not item.is_public:
        raise NotPublished("信息尚未公开发布，不能生成新媒体稿件", fields={"state": item.state})
    if channel not in channels_of(item):
        raise ChannelNotSelected(f"该信息未选择“{CHANNELS[channel]}”渠道", fields={"channel": "not_selected"})
    return build_rendition(item, channel)


# ---------------------------------------------------------------- posting record

def parse_posted_at(value, now=None):
    """An ISO 8601 instant with its offset (``2026-12-02T09:30:00+08:00`` or ``...Z``) as naive UTC."""
    if value is None or value == "":
        return now or utcnow()
    if not isinstance(value, str) or len(value) > 40:
        raise ValidationError("发布时间格式无效", fields={"posted_at": "invalid"})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValidationError("发布时间须为带时区的 ISO 8601 时间，如 2026-12-02T09:30:00+08:00",
                              fields={"posted_at": "invalid"}) from None
    if parsed.tzinfo is None:
        raise ValidationError("发布时间须带时区，如 +08:00", fields={"posted_at": "missing_offset"})
    return parsed.astimezone(timezone.utc).replace(tzinfo=None)


def clean_post_url(url):
    if not isinstance(url, str) or not url.strip():
        raise ValidationError("请填写新媒体稿件的链接", fields={"url": "required"})
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or len(url) > 2000 \
            or any(ch.isspace() for ch in url):
        raise ValidationError("链接须为 http 或 https 地址", fields={"url": "invalid"})
    return url


def post_of(item, channel):
    return ChannelPost.query.filter_by(item_id=item.id, channel=channel).first()


def record_post(item, channel, user, url, posted_at=None, expected_version=None, adapter="manual"):
    """Record that ``item`` was posted to ``channel`` (who, when, the post's URL); once per channel.

    A second record for the same channel is refused (409 ``already_posted``): the first one stands.
    ``expected_version`` (the item version the rendition was taken from): stale → 409.
    """
    if not can_handle_channels(user, item):
        raise NotAllowed("您无权处理此信息的新媒体发布")
    if channel not in NEW_MEDIA:
        raise UnknownChannel(f"未知的新媒体渠道：{channel}", fields={"channel": "unknown"})
    if not item.is_public:
        raise NotPublished("信息尚未公开发布，不能登记新媒体发布", fields={"state": item.state})
    if channel not in channels_of(item):
        raise ChannelNotSelected(f"该信息未选择“{CHANNELS[channel]}”渠道", fields={"channel": "not_selected"})
    if expected_version is not None and expected_version != item.version:
        raise Conflict("该信息已更新，请刷新后核对稿件再登记", fields={"version": "stale"},
                       current_version=item.version)
    url = clean_post_url(url)
    now = utcnow()
    when = parse_posted_at(posted_at, now)
    if when > now + timedelta(minutes=5):
        raise ValidationError("发布时间不能晚于当前时间", fields={"posted_at": "in_future"})
    if item.published_at is not None and when < item.published_at - timedelta(minutes=5):
        raise ValidationError("新媒体发布时间不能早于网站发布时间", fields={"posted_at": "before_publication"})
    existing = post_of(item, channel)
    if existing is not None:
        raise AlreadyPosted(f"“{CHANNELS[channel]}”已登记发布", fields={"channel": "already_posted"},
                            post=post_to_json(existing))
    post = ChannelPost(item_id=item.id, channel=channel, url=url, posted_at=when, recorded_by_id=user.id,
                       recorded_at=now, adapter=adapter)
    db.session.add(post)
    try:
        with db.session.begin_nested():
            db.session.flush()
    except IntegrityError:  # someone recorded the same channel at the same moment
        raise AlreadyPosted(f"“{CHANNELS[channel]}”已登记发布", fields={"channel": "already_posted"}) from None
    from cms.accounts.audit import record_audit

    record_audit("channel.posted", actor=user, target=f"item:{item.id}", details={"channel": channel, "url": url})
    db.session.flush()
    return post


def post_via_adapter(item, channel, user, adapter=None):
    """Hand the rendition to the configured adapter; record the post when the adapter returns its URL.

    The manual adapter returns None: staff post by hand and record the URL themselves.
    """
    from cms.channels.adapters import get_adapter

    adapter = adapter or get_adapter(channel)
    rendition = published_rendition(item, channel)
    url = adapter.post(item, rendition)
    if url is None:
        return None
    return record_post(item, channel, user, url, adapter=adapter.name)


def is_late(published_at, posted_at=None, now=None):
    """Posted (or still unposted) more than a day after the website publication."""
    if published_at is None:
        return False
    return ((posted_at or now or utcnow()) - published_at) > LATE_AFTER


def post_to_json(post):
    return {
        "channel": post.channel,
        "url": post.url,
        "posted_at": post.posted_at.isoformat() + "Z",
        "recorded_by": post.recorded_by.username if post.recorded_by else None,
        "recorded_at": post.recorded_at.isoformat() + "Z",
        "adapter": post.adapter,
    }


def _public_originals():
    return Item.query.filter(Item.state == "published", Item.working_copy_of_id.is_(None),
                             Item.disclosure == "proactive")


def pending_posts(user, now=None, limit=500):
    """Published items with channels not yet posted, oldest publication first, for the items ``user``
    handles: ``[{"item", "channels": [{"channel", "late"}], "late"}]``."""
    now = now or utcnow()
    orgs = user.organization_ids
    if not orgs:
        return []
    rows = (
        db.session.query(Item, ItemChannel.channel)
        .join(ItemChannel, ItemChannel.item_id == Item.id)
        .outerjoin(ChannelPost, db.and_(ChannelPost.item_id == Item.id, ChannelPost.channel == ItemChannel.channel))
        .filter(Item.state == "published", Item.working_copy_of_id.is_(None), Item.disclosure == "proactive",
                Item.organization_id.in_(orgs), ItemChannel.channel.in_(NEW_MEDIA), ChannelPost.id.is_(None))
        .order_by(Item.published_at, Item.id)
        .limit(limit * len(NEW_MEDIA))
        .all()
    )
    out, by_id = [], {}
    with memoized():
        for item, channel in rows:
            if item.id not in by_id:
                if not can_handle_channels(user, item):
                    by_id[item.id] = None
                    continue
                by_id[item.id] = {"item": item, "channels": [], "late": is_late(item.published_at, now=now)}
                out.append(by_id[item.id])
            entry = by_id[item.id]
            if entry is not None:
                entry["channels"].append({"channel": channel, "late": entry["late"]})
    for entry in out:
        entry["channels"].sort(key=lambda c: NEW_MEDIA.index(c["channel"]))
    return out[:limit]


def late_posts(user, since=None, limit=200):
    """Posts recorded more than a day after publication (newest first), for the items ``user`` handles."""
    since = since or utcnow() - timedelta(days=90)
    orgs = user.organization_ids
    if not orgs:
        return []
    rows = (
        db.session.query(ChannelPost, Item)
        .join(Item, Item.id == ChannelPost.item_id)
        .filter(Item.organization_id.in_(orgs), ChannelPost.posted_at >= since)
        .order_by(ChannelPost.posted_at.desc(), ChannelPost.id.desc())
        .limit(limit * 4)
        .all()
    )
    with memoized():
        return [(post, item) for post, item in rows
                if is_late(item.published_at, post.posted_at) and can_handle_channels(user, item)][:limit]


def posts_of(item):
    return {post.channel: post for post in ChannelPost.query.filter_by(item_id=item.id)}

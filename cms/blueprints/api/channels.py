"""New media channels: renditions of published items, the posting record, and what waits to be posted."""
from flask import jsonify, url_for

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.blueprints.api.openapi import ITEM_FIELDS, ITEM_ID, PATHS, SCHEMAS, SECURED, _errors, _json, _ref
from cms.blueprints.api.parsing import expect_types, json_body
from cms.channels import NEW_MEDIA
from cms.channels.services import (
    UnknownChannel, item_for_channels, pending_posts, post_to_json, posts_of, published_rendition, record_post,
)
from cms.errors import ValidationError
from cms.extensions import db


def _known(channel):
    if channel not in NEW_MEDIA:
        raise UnknownChannel(f"未知的新媒体渠道：{channel}", fields={"channel": "unknown"})
    return channel


@bp.get("/items/<int:item_id>/renditions/<channel>")
@token_required
def item_rendition(item_id, channel):
    """``{html}`` (wechat, toutiao) or ``{text}`` (weibo) of a published item; 409 ``not_published`` before."""
    item = item_for_channels(api_user(), item_id)
    return jsonify({"channel": _known(channel), "item": item.id, "version": item.version,
                    **published_rendition(item, channel)})


@bp.post("/items/<int:item_id>/channels/<channel>/posted")
@token_required
def item_channel_posted(item_id, channel):
    """Record the post of a published item on a channel: ``{url, posted_at?, version?}`` → the record.

    Recorded once per channel: a second call is 409 ``already_posted`` (the first record stands).
    """
    user = api_user()
    item = item_for_channels(user, item_id)
    _known(channel)
    data = json_body(required=("url",))
    expect_types(data, {"url": str, "posted_at": str, "version": int})
    unknown = set(data) - {"url", "posted_at", "version"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    post = record_post(item, channel, user, data["url"], posted_at=data.get("posted_at"),
                       expected_version=data.get("version"))
    db.session.commit()
    return jsonify(post_to_json(post))


@bp.get("/channels/pending")
@token_required
def channels_pending():
    """Published items of the caller's sections with channels not yet posted; ``late`` after one day."""
    out = []
    for entry in pending_posts(api_user()):
        item = entry["item"]
        out.append({
            "id": item.id, "title": item.title, "index_no": item.index_no,
            "published_at": item.published_at.isoformat() + "Z",
            "url": url_for("public.item_detail", item_id=item.id),
            "channels": entry["channels"], "late": entry["late"],
            "posted": [post_to_json(p) for p in posts_of(item).values()],
        })
    return jsonify(items=out)


CHANNEL_PARAM = [{"name": "channel", "in": "path", "required": True,
                  "schema": {"type": "string", "enum": list(NEW_MEDIA)}}]
ITEM_FIELDS["channels"] = {"type": "array", "items": {"type": "string", "enum": ["website", *NEW_MEDIA]},
                           "description": "channels the item also goes to; website is always included; "
                                          "a channel the bureau has not enabled → 422"}
for _schema in ("ItemPatch", "Item"):
    SCHEMAS[_schema]["properties"]["channels"] = ITEM_FIELDS["channels"]
SCHEMAS["ChannelPost"] = {"type": "object", "properties": {
    "channel": {"type": "string"}, "url": {"type": "string"}, "posted_at": {"type": "string", "format": "date-time"},
    "recorded_by": {"type": "string"}, "recorded_at": {"type": "string", "format": "date-time"},
    "adapter": {"type": "string"}}}
PATHS.update({
    "/items/{item_id}/renditions/{channel}": {"get": {
        "summary": "Ready-to-post rendition of a published item: {html} for wechat/toutiao, {text} for weibo",
        "security": SECURED, "parameters": ITEM_ID + CHANNEL_PARAM,
        "responses": {"200": _json({"type": "object", "properties": {
            "channel": {"type": "string"}, "item": {"type": "integer"}, "version": {"type": "integer"},
            "html": {"type": "string"}, "text": {"type": "string"}}}),
            **_errors(401, 403, 404, 409)}}},
    "/items/{item_id}/channels/{channel}/posted": {"post": {
        "summary": "Record that a published item was posted on a channel (once per channel: again → 409)",
        "security": SECURED, "parameters": ITEM_ID + CHANNEL_PARAM,
        "requestBody": {"required": True, "content": {"application/json": {"schema": {
            "type": "object", "required": ["url"],
            "properties": {"url": {"type": "string", "description": "http(s) URL of the post"},
                           "posted_at": {"type": "string", "format": "date-time",
                                         "description": "ISO 8601 with offset; default now"},
                           "version": {"type": "integer", "description": "item version decided on; stale → 409"}}}}}},
        "responses": {"200": _json(_ref("ChannelPost")), **_errors(400, 401, 403, 404, 409, 422)}}},
    "/channels/pending": {"get": {
        "summary": "Published items with channels not yet posted (late: more than one day after publication)",
        "security": SECURED,
        "responses": {"200": _json({"type": "object", "properties": {"items": {"type": "array", "items": {
            "type": "object", "properties": {
                "id": {"type": "integer"}, "title": {"type": "string"}, "index_no": {"type": ["string", "null"]},
                "published_at": {"type": "string", "format": "date-time"}, "url": {"type": "string"},
                "late": {"type": "boolean"},
                "channels": {"type": "array", "items": {"type": "object", "properties": {
                    "channel": {"type": "string"}, "late": {"type": "boolean"}}}},
                "posted": {"type": "array", "items": _ref("ChannelPost")}}}}}}),
            **_errors(401)}}},
})

"""The channels API: items carry channels; renditions of published items; the posting record; pending."""
from datetime import timedelta

import pytest

from cms.accounts.audit_log import action_label
from cms.accounts.models import AuditLog
from cms.channels.models import ChannelPost, ChannelSetting
from cms.clock import utcnow
from cms.content.models import Item
from cms.extensions import db
from tests.channels.helpers import item_with_image, published_with_image
from tests.workflow.helpers import publish

NEW_ITEM = {"column": "notices", "type": "notice", "title": "关于春节期间文化市场安全检查的通知",
            "body_html": "<p>各文化经营单位：请做好检查。</p>"}


def _error(response, status, code=None):
    assert response.status_code == status, response.get_json()
    body = response.get_json()["error"]
    if code:
        assert body["code"] == code, body
    return body


def test_items_carry_channels_website_always(client, demo, token_for):
    editor = token_for("editor")
    created = client.post("/api/v1/items", json={**NEW_ITEM, "channels": ["wechat", "weibo"]}, headers=editor)
    assert created.status_code == 201, created.get_json()
    item = created.get_json()
    assert item["channels"] == ["website", "wechat", "weibo"]
    plain = client.post("/api/v1/items", json={**NEW_ITEM, "title": "另一条通知"}, headers=editor).get_json()
    assert plain["channels"] == ["website"]
    got = client.get(f"/api/v1/items/{item['id']}", headers=editor).get_json()
    assert got["channels"] == ["website", "wechat", "weibo"]
    patched = client.patch(f"/api/v1/items/{item['id']}", json={"version": got["version"], "channels": ["website"]},
                           headers=editor)
    assert patched.status_code == 200, patched.get_json()
    assert patched.get_json()["channels"] == ["website"]


@pytest.mark.parametrize("channels, field", [
    (["wechat", "douyin"], "unknown"), ("wechat", "wrong_type"), ([1, 2], "wrong_type"),
])
def test_bad_channels_are_422(client, demo, token_for, channels, field):
    body = _error(client.post("/api/v1/items", json={**NEW_ITEM, "channels": channels}, headers=token_for("editor")),
                  422)
    assert body["fields"]["channels"] == field
    assert Item.query.filter_by(title=NEW_ITEM["title"]).count() == 0


def test_a_channel_the_bureau_has_not_enabled_is_422(client, demo, token_for):
    db.session.add(ChannelSetting(organization_id=demo.id, channel="toutiao", enabled=False))
    db.session.commit()
    editor = token_for("editor")
    body = _error(client.post("/api/v1/items", json={**NEW_ITEM, "channels": ["toutiao"]}, headers=editor), 422)
    assert body["fields"]["channels"] == "disabled" and "今日头条" in body["message"]
    item = client.post("/api/v1/items", json=NEW_ITEM, headers=editor).get_json()
    body = _error(client.patch(f"/api/v1/items/{item['id']}", json={"version": item["version"],
                                                                      "channels": ["toutiao"]}, headers=editor), 422)
    assert body["fields"]["channels"] == "disabled"
    assert client.get(f"/api/v1/items/{item['id']}", headers=editor).get_json()["version"] == item["version"]


def test_renditions_of_a_published_item(client, demo, token_for):
    item, photo = published_with_image(demo)
    auditor = token_for("auditor")
    wechat = client.get(f"/api/v1/items/{item.id}/renditions/wechat", headers=auditor)
    assert wechat.status_code == 200, wechat.get_json()
    html = wechat.get_json()["html"]
    assert "class=" not in html and "<script" not in html
    assert "border:1px solid #999999" in html
    assert f'<img src="http://127.0.0.1:5000/attachments/{photo.id}/' in html
    assert f"原文链接：<a href=\"http://127.0.0.1:5000/items/{item.id}\"" in html
    weibo = client.get(f"/api/v1/items/{item.id}/renditions/weibo", headers=token_for("editor")).get_json()
    assert weibo["text"].startswith("【关于春节期间文化市场安全检查的通知】各文化经营单位：")
    assert weibo["text"].endswith(f" http://127.0.0.1:5000/items/{item.id}")


def test_renditions_refuse_unpublished_unticked_unknown(client, demo, token_for):
    item, _ = item_with_image(demo)
    editor = token_for("editor")
    _error(client.get(f"/api/v1/items/{item.id}/renditions/wechat", headers=editor), 409, "not_published")
    publish(item)
    _error(client.get(f"/api/v1/items/{item.id}/renditions/toutiao", headers=editor), 409, "channel_not_selected")
    _error(client.get(f"/api/v1/items/{item.id}/renditions/douyin", headers=editor), 404, "unknown_channel")
    _error(client.get("/api/v1/items/99999/renditions/wechat", headers=editor), 404)


def test_renditions_need_a_handler_of_the_item(client, demo, token_for):
    item, _ = published_with_image(demo)
    # editor2 edits for another section, the admin manages accounts: neither handles this item's channels
    for username in ("editor2", "admin"):
        _error(client.get(f"/api/v1/items/{item.id}/renditions/wechat", headers=token_for(username)), 403, "forbidden")
        _error(client.post(f"/api/v1/items/{item.id}/channels/wechat/posted", json={"url": "https://mp.weixin.qq.com/s/x"},
                           headers=token_for(username)), 403, "forbidden")
    assert client.get(f"/api/v1/items/{item.id}/renditions/wechat").status_code == 401
    unpublished, _ = item_with_image(demo, title="尚未发布的通知")
    _error(client.get(f"/api/v1/items/{unpublished.id}/renditions/wechat", headers=token_for("editor2")), 404)


def test_record_a_post(client, demo, token_for):
    item, _ = published_with_image(demo)
    auditor = token_for("auditor")
    response = client.post(f"/api/v1/items/{item.id}/channels/wechat/posted",
                           json={"url": "https://mp.weixin.qq.com/s/abc", "posted_at": "2099-01-01T00:00:00+08:00"},
                           headers=auditor)
    _error(response, 422)
    assert response.get_json()["error"]["fields"]["posted_at"] == "in_future"
    at = (utcnow() - timedelta(minutes=1)).replace(microsecond=0)
    local = (at + timedelta(hours=8)).isoformat() + "+08:00"
    response = client.post(f"/api/v1/items/{item.id}/channels/wechat/posted",
                           json={"url": "https://mp.weixin.qq.com/s/abc", "posted_at": local, "version": item.version},
                           headers=auditor)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["url"] == "https://mp.weixin.qq.com/s/abc" and body["recorded_by"] == "auditor"
    assert body["posted_at"] == at.isoformat() + "Z" and body["channel"] == "wechat"
    # recorded once: a second record is refused and the first stands
    again = client.post(f"/api/v1/items/{item.id}/channels/wechat/posted",
                        json={"url": "https://mp.weixin.qq.com/s/other"}, headers=token_for("editor"))
    _error(again, 409, "already_posted")
    assert again.get_json()["error"]["post"]["url"] == "https://mp.weixin.qq.com/s/abc"
    assert ChannelPost.query.count() == 1
    entry = AuditLog.query.filter_by(action="channel.posted").one()
    assert entry.actor_name == "auditor" and entry.target == f"item:{item.id}"
    assert action_label(entry.action) == "登记新媒体发布"
    # posted_at defaults to now
    weibo = client.post(f"/api/v1/items/{item.id}/channels/weibo/posted", json={"url": "http://weibo.com/1/Abc"},
                        headers=token_for("editor")).get_json()
    assert weibo["recorded_by"] == "editor" and weibo["posted_at"].endswith("Z")


@pytest.mark.parametrize("payload, status, field", [
    ({}, 422, "url"),
    ({"url": "ftp://example.com/x"}, 422, "url"),
    ({"url": "javascript:alert(1)"}, 422, "url"),
    ({"url": "https://"}, 422, "url"),
    ({"url": 5}, 422, "url"),
    ({"url": "https://weibo.com/1", "posted_at": "2026-12-01 10:00"}, 422, "posted_at"),
    ({"url": "https://weibo.com/1", "posted_at": "yesterday"}, 422, "posted_at"),
    ({"url": "https://weibo.com/1", "posted_at": "2000-01-01T00:00:00Z"}, 422, "posted_at"),
    ({"url": "https://weibo.com/1", "extra": 1}, 422, "extra"),
    ({"url": "https://weibo.com/1", "version": 999}, 409, "version"),
])
def test_bad_post_input(client, demo, token_for, payload, status, field):
    item, _ = published_with_image(demo)
    body = _error(client.post(f"/api/v1/items/{item.id}/channels/weibo/posted", json=payload,
                              headers=token_for("editor")), status)
    assert field in body["fields"], body
    assert ChannelPost.query.count() == 0


def test_post_needs_a_published_item_and_a_ticked_channel(client, demo, token_for):
    item, _ = item_with_image(demo)
    editor = token_for("editor")
    url = {"url": "https://weibo.com/1"}
    _error(client.post(f"/api/v1/items/{item.id}/channels/weibo/posted", json=url, headers=editor), 409,
           "not_published")
    publish(item)
    _error(client.post(f"/api/v1/items/{item.id}/channels/toutiao/posted", json=url, headers=editor), 409,
           "channel_not_selected")
    _error(client.post(f"/api/v1/items/{item.id}/channels/website/posted", json=url, headers=editor), 404,
           "unknown_channel")
    _error(client.post(f"/api/v1/items/{item.id}/channels/weibo/posted", data="not json", headers=editor), 400)


def test_pending_lists_unposted_channels_and_late_ones(client, demo, token_for):
    fresh, _ = published_with_image(demo, title="今天发布的通知")
    old, _ = published_with_image(demo, title="两天前发布的通知", channels=["wechat"])
    old.published_at = utcnow() - timedelta(days=2)
    unpublished, _ = item_with_image(demo, title="未发布的通知")
    website_only, _ = published_with_image(demo, title="只在网站发布", channels=["website"])
    db.session.commit()
    editor = token_for("editor")
    items = client.get("/api/v1/channels/pending", headers=editor).get_json()["items"]
    assert [i["title"] for i in items] == ["两天前发布的通知", "今天发布的通知"]
    assert items[0]["late"] is True and items[0]["channels"] == [{"channel": "wechat", "late": True}]
    assert items[1]["late"] is False
    assert [c["channel"] for c in items[1]["channels"]] == ["wechat", "weibo"]
    assert items[1]["url"] == f"/items/{fresh.id}"
    client.post(f"/api/v1/items/{fresh.id}/channels/wechat/posted", json={"url": "https://mp.weixin.qq.com/s/a"},
                headers=editor)
    items = client.get("/api/v1/channels/pending", headers=editor).get_json()["items"]
    assert [c["channel"] for c in items[1]["channels"]] == ["weibo"]
    assert [p["channel"] for p in items[1]["posted"]] == ["wechat"]
    client.post(f"/api/v1/items/{fresh.id}/channels/weibo/posted", json={"url": "https://weibo.com/1"}, headers=editor)
    client.post(f"/api/v1/items/{old.id}/channels/wechat/posted", json={"url": "https://mp.weixin.qq.com/s/b"},
                headers=editor)
    assert client.get("/api/v1/channels/pending", headers=editor).get_json()["items"] == []
    # another section's editor sees none of these
    assert client.get("/api/v1/channels/pending", headers=token_for("editor2")).get_json()["items"] == []


def test_a_revision_brings_its_channels_to_the_live_item(client, demo, token_for):
    item, _ = published_with_image(demo)
    editor = token_for("editor")
    patched = client.patch(f"/api/v1/items/{item.id}", json={"version": item.version,
                                                              "channels": ["website", "toutiao"]}, headers=editor)
    assert patched.status_code == 200, patched.get_json()
    copy = patched.get_json()
    assert copy["working_copy_of"] == item.id and copy["channels"] == ["website", "toutiao"]
    assert client.get(f"/api/v1/items/{item.id}", headers=editor).get_json()["channels"] == \
        ["website", "wechat", "weibo"]
    publish(db.session.get(Item, copy["id"]))
    assert client.get(f"/api/v1/items/{item.id}", headers=editor).get_json()["channels"] == ["website", "toutiao"]
    assert db.session.get(Item, copy["id"]) is None


def test_openapi_documents_channels(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert "/channels/pending" in document["paths"]
    assert "channels" in document["components"]["schemas"]["ItemPatch"]["properties"]

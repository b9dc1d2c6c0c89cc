"""The back office: editor ticks, renditions on the review screen, the 新媒体 overview, settings, adapters."""
import re
from datetime import timedelta

import pytest

from cms.channels.adapters import ChannelAdapter, ManualAdapter, get_adapter
from cms.channels.models import ChannelPost, ChannelSetting
from cms.channels.services import channels_of, enabled_channels, post_via_adapter
from cms.clock import utcnow
from cms.content.catalog import get_column
from cms.content.models import Item
from cms.extensions import db
from tests.channels.helpers import item_with_image, published_with_image
from tests.workflow.helpers import user


def _new_item_form(demo, **extra):
    data = {"column_id": get_column(demo.id, "notices").id, "type": "notice", "title": "关于新媒体发布的通知",
            "body_html": "<p>各单位：请关注政务新媒体。</p>", "validity": "valid", "disclosure": "proactive",
            "five_public": "", "channels_shown": "1"}
    data.update(extra)
    return data


def test_editor_ticks_channels_in_the_form(client, demo, login_as):
    login_as("editor")
    page = client.get("/admin/items/new").get_data(as_text=True)
    assert 'name="channels" value="wechat"' in page and "微信公众号" in page and "今日头条" in page
    response = client.post("/admin/items/new", data={**_new_item_form(demo), "channels": ["wechat", "weibo"]})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    item = Item.query.filter_by(title="关于新媒体发布的通知").one()
    assert channels_of(item) == ["website", "wechat", "weibo"]
    edit = client.get(f"/admin/items/{item.id}/edit").get_data(as_text=True)
    assert re.search(r'value="wechat" id="channel-wechat" checked', edit)
    assert not re.search(r'value="toutiao" id="channel-toutiao" checked', edit)
    response = client.post(f"/admin/items/{item.id}/edit", data={
        **_new_item_form(demo), "version": str(item.version), "channels": ["toutiao"]})
    assert response.status_code == 302
    assert channels_of(db.session.get(Item, item.id)) == ["website", "toutiao"]


def test_a_disabled_channel_is_refused_in_the_form(client, demo, login_as):
    db.session.add(ChannelSetting(organization_id=demo.id, channel="weibo", enabled=False))
    db.session.commit()
    login_as("editor")
    page = client.get("/admin/items/new").get_data(as_text=True)
    assert 'value="weibo"' not in page
    response = client.post("/admin/items/new", data={**_new_item_form(demo), "channels": ["weibo"]})
    assert response.status_code == 422
    assert "本机关未启用以下渠道：微博" in response.get_data(as_text=True)
    assert Item.query.filter_by(title="关于新媒体发布的通知").count() == 0


def test_reviewers_see_each_channels_rendition(client, demo, login_as):
    item, photo = item_with_image(demo)
    login_as("chief")
    page = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert "新媒体渠道稿件（预览：发布后生成正式稿件）" in page
    assert f'src="/admin/channels/items/{item.id}/wechat/preview"' in page
    assert "【关于春节期间文化市场安全检查的通知】" in page
    preview = client.get(f"/admin/channels/items/{item.id}/wechat/preview")
    assert preview.status_code == 200
    html = preview.get_data(as_text=True)
    assert "border:1px solid #999999" in html and "class=" not in html
    assert f'src="/admin/attachments/{photo.id}/' in html  # before publication: the back-office copy
    assert "script-src" not in preview.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in preview.headers["Content-Security-Policy"]


def test_renditions_are_never_public(client, demo, login_as):
    item, _ = item_with_image(demo)
    response = client.get(f"/admin/channels/items/{item.id}/wechat/preview")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert client.get(f"/items/{item.id}").status_code == 404
    login_as("editor2")  # staff of another section who may not see the draft
    assert client.get(f"/admin/channels/items/{item.id}/wechat/preview").status_code == 404


def test_channel_overview_and_mark_posted(client, demo, login_as):
    item, photo = published_with_image(demo)
    late, _ = published_with_image(demo, title="两天前发布的通知", channels=["weibo"])
    late.published_at = utcnow() - timedelta(days=2)
    db.session.commit()
    login_as("editor")
    page = client.get("/admin/channels").get_data(as_text=True)
    assert "待发布（2 条，其中逾期 <strong class=\"channel-late\">1</strong> 条）" in page
    assert page.index("两天前发布的通知") < page.index("关于春节期间文化市场安全检查的通知")
    assert f'data-copy="source-{item.id}-wechat" data-copy-kind="html"' in page
    assert f"/attachments/{photo.id}/" in page and "原文链接" in page
    assert 'name="csrf_token"' in page and f'name="version" value="{item.version}"' in page
    # a stale version is refused and nothing is recorded
    response = client.post(f"/admin/channels/items/{item.id}/wechat/posted",
                           data={"url": "https://mp.weixin.qq.com/s/x", "version": str(item.version - 1)})
    assert response.status_code == 409 and "该信息已更新" in response.get_data(as_text=True)
    response = client.post(f"/admin/channels/items/{item.id}/wechat/posted",
                           data={"url": "not a url", "version": str(item.version)})
    assert response.status_code == 422
    assert ChannelPost.query.count() == 0
    response = client.post(f"/admin/channels/items/{item.id}/wechat/posted",
                           data={"url": "https://mp.weixin.qq.com/s/x", "version": str(item.version)})
    assert response.status_code == 302
    post = ChannelPost.query.one()
    assert post.recorded_by.username == "editor" and post.channel == "wechat"
    # a post typed as local (Beijing) time is stored as UTC; late posts are listed
    local = (utcnow() + timedelta(hours=8) - timedelta(minutes=3)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/admin/channels/items/{late.id}/weibo/posted",
                           data={"url": "https://weibo.com/1/a", "version": str(late.version), "posted_at": local})
    assert response.status_code == 302
    stored = ChannelPost.query.filter_by(item_id=late.id).one().posted_at
    assert abs(stored - (utcnow() - timedelta(minutes=3))) < timedelta(minutes=2)
    page = client.get("/admin/channels").get_data(as_text=True)
    assert "待发布（1 条" in page and "两天前发布的通知" in page.split('id="channel-late-posts"')[1]
    again = client.post(f"/admin/channels/items/{item.id}/wechat/posted",
                        data={"url": "https://mp.weixin.qq.com/s/y", "version": str(item.version)})
    assert again.status_code == 409 and "已登记发布" in again.get_data(as_text=True)


def test_others_may_not_mark_posted(client, demo, login_as):
    item, _ = published_with_image(demo)
    login_as("editor2")
    response = client.post(f"/admin/channels/items/{item.id}/wechat/posted",
                           data={"url": "https://mp.weixin.qq.com/s/x", "version": str(item.version)})
    assert response.status_code == 403
    assert "关于春节期间文化市场安全检查的通知" not in client.get("/admin/channels").get_data(as_text=True)
    assert ChannelPost.query.count() == 0


def test_admin_enables_and_disables_channels(client, demo, login_as):
    login_as("editor")
    assert client.get("/admin/channels/settings").status_code == 403
    client.post("/logout")
    login_as("admin")
    page = client.get("/admin/channels/settings").get_data(as_text=True)
    assert f'id="setting-{demo.id}-toutiao" checked' in page
    response = client.post("/admin/channels/settings", data={"organization_id": str(demo.id),
                                                             "channels": ["wechat"]})
    assert response.status_code == 302
    assert enabled_channels(demo.id) == ["wechat"]
    response = client.post("/admin/channels/settings", data={"organization_id": "99999", "channels": ["wechat"]})
    assert response.status_code == 403


class FakeAdapter(ChannelAdapter):
    name = "fake"
    posted = []

    def post(self, item, rendition):
        FakeAdapter.posted.append((item.id, self.channel, rendition))
        return f"https://example.net/{self.channel}/{item.id}"


def test_adapters(app, demo):
    assert isinstance(get_adapter("wechat"), ManualAdapter)
    item, _ = published_with_image(demo)
    assert post_via_adapter(item, "wechat", user("editor")) is None  # manual: staff post by hand
    app.config["CMS_CHANNEL_ADAPTER"] = "tests.channels.test_channels_admin:FakeAdapter"
    try:
        post = post_via_adapter(item, "weibo", user("editor"))
    finally:
        app.config["CMS_CHANNEL_ADAPTER"] = None
    assert post.url == f"https://example.net/weibo/{item.id}" and post.adapter == "fake"
    assert FakeAdapter.posted[-1][2]["text"].startswith("【")
    app.config["CMS_CHANNEL_ADAPTER"] = "cms.channels.adapters:get_adapter"
    try:
        with pytest.raises(TypeError):
            get_adapter("wechat")
    finally:
        app.config["CMS_CHANNEL_ADAPTER"] = None

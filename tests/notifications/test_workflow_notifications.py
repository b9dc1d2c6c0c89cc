"""Reviewers hear when an item waits for them; authors hear about returns and publication."""
from cms.notifications.models import Notification
from cms.workflow.engine import fire
from tests.conftest import login
from tests.workflow.helpers import draft, user


def messages_for(username):
    return [n.message for n in Notification.query.filter_by(user_id=user(username).id).order_by(Notification.id)]


def test_each_stage_notifies_the_next_reviewers_and_the_author(demo):
    base = {u: len(messages_for(u)) for u in ("chief", "auditor", "leader", "editor", "chief2")}
    item = draft(demo, title="关于调整图书馆开放时间的通知")
    fire(item, user("editor"), "submit")
    assert messages_for("chief")[base["chief"]:] == ["《关于调整图书馆开放时间的通知》等待您审核（待科室审核）"]
    assert messages_for("chief2")[base["chief2"]:] == []
    fire(item, user("chief"), "return", comment="请补充开放时间表")
    assert messages_for("editor")[base["editor"]:] == ["《关于调整图书馆开放时间的通知》被退回修改：请补充开放时间表"]
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    assert len(messages_for("auditor")) == base["auditor"] + 1
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    assert len(messages_for("leader")) == base["leader"] + 1
    fire(item, user("leader"), "approve")
    assert messages_for("editor")[-1] == "《关于调整图书馆开放时间的通知》已发布"


def test_notification_page_and_mark_read(client, demo):
    item = draft(demo, title="通知页测试")
    fire(item, user("editor"), "submit")
    login(client, "chief")
    page = client.get("/admin/notifications").get_data(as_text=True)
    assert "《通知页测试》等待您审核" in page and "未读" in page
    assert client.post("/admin/notifications/read").status_code == 302
    assert Notification.query.filter_by(user_id=user("chief").id, read_at=None).count() == 0

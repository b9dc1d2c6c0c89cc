"""A citizen comments on an open consultation in the browser; the drafting section publishes the comment, closes
the consultation and drafts the feedback (意见采纳情况), which is reviewed and published like any item; the
consultation's public page then links to it."""
import re
from datetime import timedelta

import pytest

from cms.clock import local_today
from cms.consultations.records import save_consultation
from cms.content.catalog import get_column
from cms.content.services import create_item
from cms.extensions import db
from tests.browser.conftest import browser_login, browser_logout
from tests.workflow.helpers import publish, user

pytestmark = pytest.mark.browser
TITLE = "关于《嘉峪关市文化市场经营场所安全管理办法（征求意见稿）》公开征求意见的公告"


def _open_consultation(org):
    item = create_item(user("editor"), get_column(org.id, "consultations"), type="consultation", title=TITLE,
                       body_html="<p>为加强文化市场经营场所安全管理，我局起草了管理办法征求意见稿，现公开征求社会各界意见。</p>")
    today = local_today()
    save_consultation(item, {"kind": "major_decision", "opens_on": today - timedelta(days=1),
                             "closes_on": today + timedelta(days=30), "shortened_reason": None})
    publish(item)
    return item


def _approve(page, base, item_url, username, confidentiality=False):
    browser_login(page, base, username)
    page.goto(item_url)
    if confidentiality:
        page.check("#confidentiality_checked")
    page.click("button[value=approve]")
    browser_logout(page)


def test_consultation_journey(page, live_server, demo):
    base = live_server
    item = _open_consultation(demo)
    item_id = item.id

    # The citizen finds the open consultation and comments.
    page.goto(f"{base}/consultations")
    assert "剩余30天" in page.inner_text(".consultation-open")
    page.click(f"text={TITLE}")
    page.fill("#body", "建议明确歌舞娱乐场所消防检查的频次，并在网站公布检查结果。")
    page.fill("#name", "张伟")
    page.fill("#contact", "13912345678")
    page.check("#wants_reply")
    page.click("form.consultation-form button[type=submit]")
    page.wait_for_selector("#comment-receipt")
    comment_id = page.inner_text("#comment-id").strip()
    page.goto(f"{base}/items/{item_id}")
    assert "建议明确歌舞娱乐场所消防检查的频次" not in page.inner_text("main")  # waits for moderation

    # The drafting section publishes the comment, records its handling and closes the consultation early.
    browser_login(page, base, "chief")
    page.goto(f"{base}/admin/consultations/{item_id}")
    assert "13912345678" in page.inner_text(f"#comment-{comment_id}")
    page.click(f"#comment-{comment_id} form[data-moderate=publish] button")
    page.wait_for_selector(".flash-success")
    row = page.locator(f"#comment-{comment_id}")
    assert "已公开" in row.locator(".comment-state").inner_text()
    row.locator("select[name=handling]").select_option("adopted")
    row.locator("input[name=theme]").fill("消防检查")
    row.locator("form.handling-form button").click()
    page.wait_for_selector(".flash-success")
    page.click("text=提前结束征集")
    page.fill("#close-reason", "征求意见稿已根据上位法调整，本次征集提前结束")
    page.click("#close-form button[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "已结束" in page.inner_text("#consultation-status")
    browser_logout(page)

    # The public sees the comment with the name masked and the reason for closing.
    page.goto(f"{base}/items/{item_id}")
    main = page.inner_text("main")
    assert "建议明确歌舞娱乐场所消防检查的频次" in main and "张*" in main and "张伟" not in main
    assert "13912345678" not in page.content()
    assert "本次征集提前结束" in main

    # The editor of the drafting section drafts the feedback and submits it; it is reviewed like any item.
    browser_login(page, base, "editor")
    page.goto(f"{base}/admin/consultations/{item_id}")
    page.click("#create-feedback button")
    page.wait_for_url(re.compile(r".*/admin/items/\d+$"))
    feedback_url = page.url
    feedback_id = feedback_url.rsplit("/", 1)[1]
    page.click("button[value=submit]")
    assert page.locator("#item-state").inner_text() == "待科室审核"
    browser_logout(page)
    _approve(page, base, feedback_url, "chief")
    _approve(page, base, feedback_url, "auditor", confidentiality=True)
    _approve(page, base, feedback_url, "leader")

    # The consultation page links to the published feedback, and the feedback back to the consultation.
    page.goto(f"{base}/items/{item_id}")
    page.click("#consultation-feedback-link")
    page.wait_for_url(f"{base}/items/{feedback_id}")
    body = page.inner_text(".item-body")
    assert "共收到意见1条" in body and "采纳1条" in body and "张伟" not in body
    assert TITLE in page.inner_text(".consultation-link")
    page.goto(f"{base}/consultations")
    assert page.locator(".consultation-closed .feedback-link").count() == 1
    db.session.remove()

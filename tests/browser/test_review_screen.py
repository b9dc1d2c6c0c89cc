"""Issue 12 in a real browser: a return seen as a banner and the item resumed at the returning stage; the diff
of a revised item; two tabs on one draft; the sticky decision panel; the editor's table and image buttons;
attaching while drafting; axe on the back-office pages touched. With CMS_SCREENSHOTS=1 the review screen is
saved at 1280 px and 390 px to docs/screenshots/ (scripts/review_screenshots.sh)."""
import os
import re

import pytest

from cms.accounts.models import Section
from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import fire
from tests.browser.conftest import browser_login, browser_logout
from tests.factories import make_user
from tests.workflow.helpers import draft, publish, user
from tests.workflow.stage_helpers import OFFICE, define, item_in, stage

pytestmark = pytest.mark.browser

AXE = os.path.join(os.path.dirname(__file__), "vendor", "axe-core-4.10.3", "axe.min.js")
SCREENSHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "docs", "screenshots")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" \
      b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
LONG_BODY = "".join(f"<p>第{n}段：为进一步规范文化市场经营秩序，保障人民群众文化消费安全，我局决定开展专项检查。</p>"
                    for n in range(1, 41))


def _fresh_page(browser, width=1280, height=800, bypass_csp=False):
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": height}, bypass_csp=bypass_csp)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


def _axe(page):
    with open(AXE, encoding="utf-8") as fh:
        page.evaluate(fh.read())
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [f"{v['id']} ({v['impact']}): {v['nodes'][0]['target']}" for v in result["violations"]
            if v["impact"] in ("serious", "critical")]


def test_a_return_is_seen_as_a_banner_and_the_item_resumes_at_the_returning_stage(page, live_server, demo):
    define("resume_flow", [stage("section", "section_chief", title="科室审核"), OFFICE,
                           stage("leader", "leader", title="分管领导审定")], on_return="resume")
    item = item_in(demo, "resume_flow", title="关于开展2017年暑期文化市场检查的通知")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "return", comment="第二段涉及经营者个人信息，请删除。\n其余可以。")
    db.session.commit()

    browser_login(page, live_server, "editor")
    assert "第二段涉及经营者个人信息" in page.locator(".return-note").first.inner_text()
    page.goto(f"{live_server}/admin/items/{item.id}")
    banner = page.locator("#return-banner")
    assert "张审核" in banner.inner_text() and "办公室审核" in banner.inner_text()
    assert "第二段涉及经营者个人信息，请删除。" in banner.inner_text()
    history = page.locator("#history").inner_text()
    assert "退回修改" in history and "return" not in history
    page.click(f"a[href='/admin/items/{item.id}/edit']")
    assert page.locator("#return-banner").is_visible()
    page.locator(".ql-editor").click()
    page.keyboard.press("End")
    page.keyboard.type("（已删除个人信息）")
    page.click("text=保存草稿")
    page.wait_for_url(re.compile(rf".*/admin/items/{item.id}$"))
    page.click("button[value=submit]")
    assert page.locator("#item-state").inner_text() == "待办公室审核"  # resumed where it was returned


def test_the_diff_of_a_revised_item_highlights_the_insertion(page, live_server, demo):
    item = publish(draft(demo, title="关于文化市场许可办理时限的公告",
                         body_html="<p>办理时限为二十个工作日。</p>"))
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server}/admin/items/{item.id}/edit")
    page.locator(".ql-editor").click()
    page.keyboard.press("End")
    page.keyboard.type("逾期未办结的，申请人可以投诉。")
    page.click("text=保存草稿")
    page.wait_for_url(re.compile(r".*/admin/items/\d+$"))
    assert page.url.rsplit("/", 1)[1] != str(item.id)  # a working copy
    inserted = page.locator(".diff-card ins.diff-ins").all_inner_texts()
    assert any("逾期未办结的，申请人可以投诉。" in text for text in inserted)
    assert "正文" in page.locator(".diff-card dt").all_inner_texts()
    assert "@@" not in page.locator(".diff-card").inner_text()


def test_two_tabs_on_one_draft_the_second_sees_the_holder_and_keeps_its_text(browser, live_server, demo):
    market = Section.query.filter_by(organization_id=demo.id, code="market").one()
    make_user("wangwu", memberships=[(market, "editor")], name="王五", password="Demo-2026-gov")
    item = draft(demo, title="关于文化市场年度报告公示的通知")
    db.session.commit()
    first_context, first = _fresh_page(browser)
    second_context, second = _fresh_page(browser)
    try:
        browser_login(first, live_server, "editor")
        first.goto(f"{live_server}/admin/items/{item.id}/edit")
        browser_login(second, live_server, "wangwu")
        second.goto(f"{live_server}/admin/items/{item.id}/edit")
        notice = second.locator("#lock-notice").inner_text()
        assert "李编辑" in notice and "正在编辑" in notice
        second.fill("#title", "关于文化市场年度报告公示的通知（王五的修改）")
        second.click("text=保存草稿")
        assert second.input_value("#title") == "关于文化市场年度报告公示的通知（王五的修改）"  # nothing lost
        assert "李编辑" in second.locator("#lock-notice").inner_text()
        db.session.expire_all()
        assert db.session.get(Item, item.id).title == "关于文化市场年度报告公示的通知"
        first.fill("#title", "关于文化市场年度报告公示的通知（定稿）")
        first.click("text=保存草稿")
        first.wait_for_url(re.compile(rf".*/admin/items/{item.id}$"))
        assert "（定稿）" in first.locator("h1").inner_text()
    finally:
        first_context.close()
        second_context.close()


def _item_at_office(demo):
    item = draft(demo, title="关于开展2017年文化市场专项检查的通知", body_html=LONG_BODY,
                 doc_number="嘉文广发〔2017〕61号")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve", comment="同意。")
    db.session.commit()
    return item


def test_the_decision_panel_stays_visible_while_reading_at_1280(browser, live_server, demo):
    item = _item_at_office(demo)
    context, page = _fresh_page(browser, 1280, 800)
    try:
        browser_login(page, live_server, "auditor")
        page.goto(f"{live_server}/admin/items/{item.id}")
        preview = page.locator(".card.preview").bounding_box()
        panel = page.locator("#decision-panel").bounding_box()
        assert panel["x"] > preview["x"] + preview["width"] - 1  # beside the text
        page.locator(".item-body p").last.scroll_into_view_if_needed()
        page.mouse.wheel(0, 1200)
        page.wait_for_function("window.scrollY > 600")
        box = page.locator("button[value=approve]").bounding_box()
        assert 0 <= box["y"] and box["y"] + box["height"] <= 800  # still on screen
        if os.environ.get("CMS_SCREENSHOTS"):
            page.evaluate("window.scrollTo(0, document.querySelector('.card.preview').offsetTop + 400)")
            os.makedirs(SCREENSHOTS, exist_ok=True)
            page.screenshot(path=os.path.join(SCREENSHOTS, "review-1280.png"))
        for code in ("no_secrets", "no_private", "not_internal", "disclosure_ok"):
            page.check(f"#check-{code}")
        page.click("button[value=approve]")
        assert page.locator("#item-state").inner_text() == "待分管领导审定"
        history = page.locator("#history").inner_text()
        assert "办公室审核通过" in history and "不属于内部事务信息或过程性信息" in history and "张审核" in history
    finally:
        context.close()


def test_the_decision_panel_follows_the_text_on_a_phone(browser, live_server, demo):
    item = _item_at_office(demo)
    context, page = _fresh_page(browser, 390, 844)
    try:
        browser_login(page, live_server, "auditor")
        page.goto(f"{live_server}/admin/items/{item.id}")
        preview = page.locator(".card.preview").bounding_box()
        panel = page.locator("#decision-panel").bounding_box()
        assert panel["y"] >= preview["y"] + preview["height"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        if os.environ.get("CMS_SCREENSHOTS"):
            os.makedirs(SCREENSHOTS, exist_ok=True)
            page.evaluate("window.scrollTo(0, document.getElementById('stage-panel').getBoundingClientRect().top"
                          " + window.scrollY - 360)")
            page.screenshot(path=os.path.join(SCREENSHOTS, "review-390.png"))
    finally:
        context.close()


def test_table_and_image_buttons(page, live_server, demo, tmp_path):
    item = draft(demo, title="关于公布2017年文化市场检查结果的通告", body_html="<p>检查结果如下：</p>")
    db.session.commit()
    image = tmp_path / "检查现场.png"
    image.write_bytes(PNG)
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server}/admin/items/{item.id}/edit")
    assert page.locator(".ql-toolbar button.ql-table").get_attribute("aria-label") == "插入表格"
    page.locator(".ql-editor").click()
    page.keyboard.press("End")
    page.click(".ql-toolbar button.ql-table")
    page.fill("#table-rows", "2")
    page.fill("#table-cols", "3")
    page.click("#table-dialog button[value=ok]")
    page.wait_for_selector(".ql-editor table tr", timeout=5000)  # the dialog closes, then the editor inserts
    assert page.locator(".ql-editor table tr").count() == 2
    assert page.locator(".ql-editor table tr").first.locator("td").count() == 3
    page.keyboard.type("检查项目")
    page.click(".ql-toolbar button.ql-image")
    page.set_input_files("#image-file", str(image))
    page.click("#image-dialog button[value=ok]")  # no alt text: refused in the dialog
    assert "请填写图片说明" in page.locator("#image-error").inner_text()
    page.fill("#image-alt", "检查现场照片")
    page.click("#image-dialog button[value=ok]")
    page.wait_for_selector(".ql-editor img[alt='检查现场照片']")
    assert page.evaluate("document.querySelector('.ql-editor img').naturalWidth") == 1  # the image loads
    page.click("text=保存草稿")
    page.wait_for_url(re.compile(rf".*/admin/items/{item.id}$"))
    db.session.expire_all()
    body = db.session.get(Item, item.id).body_html
    assert "<table>" in body and "检查项目" in body and body.count("<td>") + body.count("<td ") == 6
    img = re.search(r"<img [^>]+>", body).group(0)
    assert 'alt="检查现场照片"' in img and re.search(r'src="/attachments/\d+/\d+\.png"', img)
    assert page.locator(".item-body img[alt='检查现场照片']").count() == 1
    assert page.evaluate("document.querySelector('.item-body img').naturalWidth") == 1


def test_a_file_chosen_on_a_new_item_saves_the_draft_first(page, live_server, demo, tmp_path):
    pdf = tmp_path / "实施方案.pdf"
    pdf.write_bytes(b"%PDF-1.4\n%test\n")
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server}/admin/items/new")
    page.select_option("#column_id", label="通知公告")
    page.fill("#title", "关于印发文化市场检查实施方案的通知")
    page.locator(".ql-editor").click()
    page.keyboard.type("各科室：现将实施方案印发给你们。")
    page.set_input_files("#attachment", str(pdf))
    page.wait_for_url(re.compile(r".*/admin/items/\d+/edit#attachments$"))
    assert "实施方案.pdf" in page.locator("#attachments").inner_text()
    item = Item.query.filter_by(title="关于印发文化市场检查实施方案的通知").one()
    assert "现将实施方案印发给你们" in item.body_html


def test_preview_link_opens_for_someone_without_an_account(page, live_server, demo):
    item = draft(demo, title="关于征求文化市场管理办法意见的通知", body_html="<p>征求意见稿。</p>")
    db.session.commit()
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server}/admin/items/{item.id}")
    page.click("text=生成预览链接")
    url = page.input_value("#preview-url")
    browser_logout(page)
    page.goto(url)
    assert page.locator("h1").inner_text() == "关于征求文化市场管理办法意见的通知"
    assert "尚未公开" in page.locator("#preview-banner").inner_text()
    assert page.locator("meta[name=robots]").get_attribute("content").startswith("noindex")


def test_back_office_pages_touched_have_no_serious_accessibility_violations(browser, live_server, demo):
    item = _item_at_office(demo)
    fire(item, user("auditor"), "approve", confidentiality_checked=True, checklist=["no_secrets", "no_private",
                                                                                   "not_internal", "disclosure_ok"])
    db.session.commit()
    mine = draft(demo, title="关于开展文化市场夜间巡查的通知")
    db.session.commit()
    problems = {}
    for username, paths in (
        ("leader", ["/admin/", f"/admin/items/{item.id}", "/admin/items?show=waiting", "/admin/search?q=文化市场",
                    f"/admin/items/{item.id}/preview"]),
        ("editor", ["/admin/", "/admin/items", "/admin/items/new", f"/admin/items/{mine.id}/edit",
                    f"/admin/items/{mine.id}", "/admin/items?show=mine_review"]),
    ):
        context, page = _fresh_page(browser, bypass_csp=True)
        try:
            browser_login(page, live_server, username)
            for path in paths:
                page.goto(live_server + path)
                found = _axe(page)
                if found:
                    problems[f"{username} {path}"] = found
            if username == "editor":
                page.goto(f"{live_server}/admin/items/{mine.id}")
                page.click("text=生成预览链接")
                found = _axe(page)
                if found:
                    problems["preview link page"] = found
                page.goto(page.input_value("#preview-url"))
                found = _axe(page)
                if found:
                    problems["preview by link"] = found
        finally:
            context.close()
    assert problems == {}


def test_the_image_button_on_a_new_item_saves_the_draft_first(page, live_server, demo):
    browser_login(page, live_server, "editor")
    page.goto(f"{live_server}/admin/items/new")
    page.select_option("#column_id", label="通知公告")
    page.fill("#title", "关于文化市场检查图片资料的通知")
    page.locator(".ql-editor").click()
    page.keyboard.type("现场照片如下。")
    page.click(".ql-toolbar button.ql-image")
    assert "插入前需先保存草稿" in page.locator("#image-dialog").inner_text()
    page.click("#image-dialog button[value=save]")
    page.wait_for_url(re.compile(r".*/admin/items/\d+/edit#attachments$"))
    assert page.locator("#item-form").get_attribute("data-images-url").endswith("/images")
    assert "现场照片如下" in page.locator(".ql-editor").inner_text()

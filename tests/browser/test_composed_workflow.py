"""An admin composes the five-stage workflow of issue 11 in /admin/workflows (stages added in the page by
its script), assigns it to a column, and an item goes through it: the section chief, two chiefs
countersigning, the office with the confidentiality review, a delegate signing for the leader, and the
director's sign-off."""
import re
from datetime import timedelta

import pytest

from cms.accounts.models import Delegation, Section
from cms.accounts.services import add_membership, create_user
from cms.clock import utcnow
from cms.content.catalog import get_column
from cms.content.services import create_item
from cms.extensions import db
from tests.browser.conftest import browser_login, browser_logout
from tests.workflow.helpers import user

pytestmark = pytest.mark.browser

STAGES = [
    {"code": "section", "title": "科室审核", "role": "section_chief", "scope": "item_section", "due": ("working_days", "2")},
    {"code": "cosign", "title": "相关科室会签", "role": "section_chief", "scope": "sections",
     "sections": ["broadcast", "office"], "quorum": "all", "due": ("working_days", "3")},
    {"code": "office", "title": "办公室审核", "role": "office_auditor", "scope": "organization", "confidentiality": True},
    {"code": "leader", "title": "分管领导审定", "role": "leader", "scope": "item_section", "due": ("hours", "48")},
    {"code": "director", "title": "主要负责人签发", "role": "director", "scope": "organization"},
]


def _fill_stage(page, index, stage):
    page.fill(f"#s{index}-code", stage["code"])
    page.fill(f"#s{index}-title", stage["title"])
    page.select_option(f"#s{index}-role", stage["role"])
    page.select_option(f"#s{index}-scope", stage["scope"])
    for code in stage.get("sections", ()):
        page.check(f"input[name='stages-{index}-sections'][value='{code}']")
    page.select_option(f"#s{index}-quorum", stage.get("quorum", "any"))
    if stage.get("due"):
        page.select_option(f"#s{index}-due-kind", stage["due"][0])
        page.fill(f"#s{index}-due-value", stage["due"][1])
    if stage.get("confidentiality"):
        page.check(f"input[name='stages-{index}-confidentiality']")


def _approve(page, base, username, item_url, expected, confidentiality=False):
    browser_login(page, base, username)
    page.goto(item_url)
    if confidentiality:
        page.check("#confidentiality_checked")
    page.click("button[value=approve]")
    assert page.locator("#item-state").inner_text() == expected
    browser_logout(page)


def test_compose_the_five_stage_workflow_and_walk_an_item_through_it(page, live_server, demo):
    base = live_server
    director = create_user("director", "周局长", "Demo-2026-gov")
    add_membership(director, Section.query.filter_by(code="office").one(), "director")
    deputy = create_user("deputy", "钱副局长", "Demo-2026-gov")
    add_membership(deputy, Section.query.filter_by(code="museum").one(), "editor")
    db.session.commit()

    browser_login(page, base, "admin")
    page.goto(f"{base}/admin/workflows/new")
    page.fill("#wf-code", "major_decision")
    page.fill("#wf-title", "重大决策四级审核")
    page.select_option("#wf-on-return", "resume")
    for _ in range(len(STAGES) - 1):
        page.click("button[data-move=add]")  # added in the page by workflow_editor.js
    assert page.locator("[data-stage]").count() == len(STAGES)
    for index, stage in enumerate(STAGES):
        _fill_stage(page, index, stage)
    page.click("button[value=preview]")
    assert "pending_director" in page.locator("#workflow-preview").inner_text()
    page.click("button[value=save]")
    page.wait_for_url(re.compile(r".*/admin/workflows/major_decision$"))
    assert "第 1 版" in page.locator("h1").inner_text()

    page.goto(f"{base}/admin/columns")
    page.click("tr:has-text('通知公告') >> text=编辑")
    page.select_option("#workflow", "major_decision")
    page.click("form:has(#workflow) button.primary")
    assert "栏目已保存" in page.locator(".flashes").inner_text()
    browser_logout(page)

    db.session.expire_all()
    assert get_column(demo.id, "notices").workflow == "major_decision"
    item = create_item(user("editor"), get_column(demo.id, "notices"), title="关于调整文化市场行政执法流程的决定",
                       body_html="<p>为规范行政执法……</p>", doc_number="嘉文广发〔2026〕88号")
    db.session.add(Delegation(from_user_id=user("leader").id, to_user_id=deputy.id, roles=["leader"],
                              starts_at=utcnow() - timedelta(hours=1), ends_at=utcnow() + timedelta(days=2)))
    db.session.commit()
    item_url = f"{base}/admin/items/{item.id}"

    browser_login(page, base, "editor")
    page.goto(item_url)
    page.click("button[value=submit]")
    assert page.locator("#item-state").inner_text() == "待科室审核"
    browser_logout(page)

    _approve(page, base, "chief", item_url, "待相关科室会签")
    _approve(page, base, "chief2", item_url, "待相关科室会签")  # one of two sections
    browser_login(page, base, "officehead")
    page.goto(item_url)
    assert "刘科长" in page.locator("#stage-approvals").inner_text()
    page.click("button[value=approve]")
    assert page.locator("#item-state").inner_text() == "待办公室审核"
    browser_logout(page)
    _approve(page, base, "auditor", item_url, "待分管领导审定", confidentiality=True)
    _approve(page, base, "deputy", item_url, "待主要负责人签发")
    _approve(page, base, "director", item_url, "已发布")

    browser_login(page, base, "editor")
    page.goto(item_url)
    history = page.locator("#hist-heading + table").inner_text()
    assert "钱副局长（代 赵局长）" in history
    browser_logout(page)

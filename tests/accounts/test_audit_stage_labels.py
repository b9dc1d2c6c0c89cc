"""The audit log names custom stages and their transitions as the stored definition does, never by code."""
from cms.accounts.audit_log import details_text, entry_action_label
from cms.accounts.models import AuditLog
from cms.extensions import db
from cms.workflow.engine import fire
from tests.conftest import login
from tests.workflow.helpers import user
from tests.workflow.stage_helpers import OFFICE, define, delegate, item_in, person, stage


def _joint(demo):
    define("joint", [stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all",
                           title="相关科室会签"),
                     OFFICE, stage("sign", "leader", title="分管领导签批")])
    return item_in(demo, "joint", title="关于联合开展检查的通知")


def test_custom_stages_are_labelled_from_the_definition(client, demo, token_for):
    item = _joint(demo)
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")  # 1 of 2 sections: recorded, the item stays
    fire(item, user("chief2"), "approve")
    db.session.commit()
    entries = AuditLog.query.filter_by(target=f"item:{item.id}").order_by(AuditLog.id).all()
    assert [e.action for e in entries] == ["item.submit", "item.approve", "item.approve"]
    partial, met = entries[1], entries[2]
    assert entry_action_label(partial) == "相关科室会签通过"
    assert "会签进度：1/2" in details_text(partial.details)
    text = details_text(met.details)
    assert "原状态：待相关科室会签" in text and "新状态：待办公室审核" in text
    assert "审核环节：相关科室会签" in text and "审核流程：joint 流程（第1版）" in text
    assert "pending_cosign" not in text
    login(client, "admin")
    page = client.get("/admin/audit", query_string={"object": f"item:{item.id}"}).get_data(as_text=True)
    assert "相关科室会签通过" in page and "待相关科室会签" in page
    assert "pending_cosign" not in page and "cosign" not in page
    body = client.get("/api/v1/audit", headers=token_for("admin"),
                      query_string={"object": f"item:{item.id}"}).get_json()
    labels = [e["action_label"] for e in reversed(body["entries"])]
    assert labels == ["提交审核", "相关科室会签通过", "相关科室会签通过"]
    assert all("pending_" not in e["details_text"] for e in body["entries"])


def test_the_label_follows_the_version_the_item_was_pinned_to(client, demo):
    item = _joint(demo)
    fire(item, user("editor"), "submit")
    db.session.commit()
    # A later version renames the stage; the entries of the item pinned to version 1 keep their titles.
    define("joint", [stage("cosign", "section_chief", "sections", sections=["market", "broadcast"],
                           quorum="all", title="联合会签"), OFFICE, stage("sign", "leader")])
    db.session.commit()
    entry = AuditLog.query.filter_by(target=f"item:{item.id}", action="item.submit").one()
    assert "新状态：待相关科室会签" in details_text(entry.details)


def test_a_delegate_signing_is_labelled_with_the_stage(client, demo):
    deputy = person("deputy", [("museum", "editor")])
    delegate(user("leader"), deputy)
    item = _joint(demo)
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("chief2"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    fire(item, deputy, "approve")
    db.session.commit()
    on_behalf = AuditLog.query.filter_by(target=f"item:{item.id}", action="transition_on_behalf").one()
    assert entry_action_label(on_behalf) == "代理审批：审定发布"
    assert "代理对象：leader" in details_text(on_behalf.details)
    assert "原状态：待分管领导签批" in details_text(on_behalf.details)


def test_entries_without_a_workflow_still_get_stage_titles(demo):
    _joint(demo)
    db.session.commit()
    assert details_text({"from": "pending_cosign", "to": "pending_office"}) == \
        "原状态：待相关科室会签；新状态：待办公室审核"
    assert details_text({"from": "pending_leader", "to": "published"}) == "原状态：待分管领导审定；新状态：已发布"

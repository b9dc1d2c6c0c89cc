"""The desk workflow on the engine: every step, its guards, separation of duties, compare-and-swap, history."""
from datetime import date

import pytest

from cms.applications.models import Application
from cms.errors import ConditionFailed, Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.workflow.engine import available_transitions, history_of
from tests.applications.helpers import Today, payload, registered, section, step, to_reply, user


@pytest.fixture
def today(monkeypatch):
    return Today(monkeypatch, date(2025, 1, 20))


def test_full_path_from_online_submission_to_closed(demo, today):
    from cms.applications.services import submit_online

    application = submit_online(demo, payload())
    db.session.commit()
    assert application.state == "submitted"
    step(application, "auditor", "register")
    application = to_reply(demo, application, result="withheld", reason=4)
    assert application.state == "replied"
    assert application.replied_on == date(2025, 1, 20)
    assert (application.result, application.result_reason) == ("withheld", 4)
    step(application, "auditor", "close")
    assert application.state == "closed"
    assert [h.transition for h in history_of(application)] == [
        "submit", "register", "assign", "draft_reply", "approve", "approve", "close"]
    from cms.accounts.models import AuditLog

    actions = [a.action for a in AuditLog.query.order_by(AuditLog.id)]
    assert "application.draft_reply" in actions and "application.close" in actions


def test_only_the_desk_registers_and_assigns(demo, today):
    from cms.applications.services import register_by_staff, submit_online

    application = submit_online(demo, payload())
    db.session.commit()
    for name in ("editor", "chief", "leader", "admin"):
        with pytest.raises(NotAllowed):
            step(application, name, "register")
        db.session.rollback()
    with pytest.raises(NotAllowed):
        register_by_staff(user("editor"), demo, payload(channel="in_person", received_on="2025-01-20"))


def test_only_the_assigned_section_drafts_the_reply(demo, today):
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    with pytest.raises(NotAllowed):
        step(application, "editor2", "draft_reply", result="disclosed", reply_text="x")  # broadcast section
    db.session.rollback()
    assert [t.name for t in available_transitions(application, user("editor"))].count("draft_reply") == 1
    assert "draft_reply" not in [t.name for t in available_transitions(application, user("editor2"))]


def test_assigning_to_another_organizations_section_is_refused(demo, today):
    from cms.accounts import services

    other = services.create_organization("另一机关", "11620200MB7654321X")
    foreign = services.create_section(other, "x", "外单位科室", "section")
    db.session.commit()
    application = registered(demo, date(2025, 1, 20))
    with pytest.raises(ConditionFailed, match="本机关"):
        step(application, "auditor", "assign", section_id=foreign.id)


@pytest.mark.parametrize("result,reason,ok", [
    ("disclosed", None, True), ("partly_disclosed", None, True), ("withheld", 8, True), ("withheld", 9, False),
    ("withheld", None, False), ("unavailable", 3, True), ("not_processed", 5, True), ("not_processed", 6, False),
    ("other", 3, True), ("disclosed", 1, False), ("nonsense", None, False),
])
def test_reply_result_and_sub_reason_follow_the_national_table(demo, today, result, reason, ok):
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    if ok:
        step(application, "editor", "draft_reply", result=result, result_reason=reason, reply_text="答复")
        assert (application.result, application.result_reason) == (result, reason)
    else:
        with pytest.raises(ConditionFailed):
            step(application, "editor", "draft_reply", result=result, result_reason=reason, reply_text="答复")


def test_office_audit_needs_the_confidentiality_review_and_another_person(demo, today):
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "assign", section_id=section(demo, "office").id)
    step(application, "auditor", "draft_reply", result="disclosed", reply_text="提供")
    with pytest.raises(ConditionFailed, match="自己起草"):
        step(application, "auditor", "approve", confidentiality_checked=True)
    db.session.rollback()
    with pytest.raises(ConditionFailed, match="保密审查"):
        step(application, "officehead", "approve")
    db.session.rollback()
    step(application, "officehead", "approve", confidentiality_checked=True)
    assert application.state == "pending_leader"


def test_only_the_leader_in_charge_signs_off(demo, today):
    from cms.accounts import services

    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    step(application, "editor", "draft_reply", result="disclosed", reply_text="提供")
    step(application, "auditor", "approve", confidentiality_checked=True)
    other_leader = services.create_user("leader2", "钱副局长", "demo12345")
    services.add_membership(other_leader, section(demo, "broadcast"), "leader")
    db.session.commit()
    with pytest.raises(NotAllowed):
        step(application, "leader2", "approve")
    db.session.rollback()
    with pytest.raises(NotAllowed):
        step(application, "chief", "approve")
    db.session.rollback()
    step(application, "leader", "return", comment="请补充获取方式")
    assert application.state == "assigned"
    step(application, "editor", "draft_reply", result="disclosed", reply_text="提供，可到办公室领取")
    step(application, "auditor", "approve", confidentiality_checked=True)
    step(application, "leader", "approve")
    assert application.state == "replied"


def test_one_person_approves_one_stage_of_a_reply(demo, today):
    from cms.accounts import services

    boss = services.create_user("boss", "一人多岗", "demo12345")
    services.add_membership(boss, section(demo, "office"), "office_auditor")
    services.add_membership(boss, section(demo, "market"), "leader")
    db.session.commit()
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    step(application, "editor", "draft_reply", result="disclosed", reply_text="提供")
    step(application, "boss", "approve", confidentiality_checked=True)
    with pytest.raises(ConditionFailed, match="一个环节"):
        step(application, "boss", "approve")


def test_stale_version_is_a_conflict(demo, today):
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    step(application, "editor", "draft_reply", result="disclosed", reply_text="提供")
    assert application.state == "pending_office"  # loaded: this session now holds the current version
    with db.engine.begin() as conn:  # someone else approves meanwhile
        conn.execute(db.update(Application).where(Application.id == application.id)
                     .values(state="pending_leader", version=Application.version + 1))
    with pytest.raises(Conflict):
        step(application, "officehead", "approve", confidentiality_checked=True)
    db.session.rollback()
    assert db.session.get(Application, application.id).state == "pending_leader"


def test_unknown_and_unavailable_transitions(demo, today):
    application = registered(demo, date(2025, 1, 20))
    with pytest.raises(ValidationError):
        step(application, "auditor", "fly")
    db.session.rollback()
    with pytest.raises(Conflict):
        step(application, "auditor", "close")


def test_withdrawal_counts_as_other(demo, today):
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "withdraw", comment="申请人来电撤回")
    assert application.state == "closed"
    assert (application.result, application.result_reason) == ("other", 3)


def test_worklist_transitions_agree_with_the_guards(demo, today):
    from cms.applications.models import Application as A
    from cms.workflow.worklist import worklist_filter

    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "assign", section_id=section(demo, "market").id)
    waiting = {u: {a.id for a in A.query.filter(worklist_filter(user(u), A, ["application_desk"]))}
               for u in ("editor", "editor2", "auditor", "leader")}
    assert application.id in waiting["editor"]
    assert application.id not in waiting["editor2"]


def test_reply_letters_are_numbered_by_the_bureau_pattern_gap_free(client, demo, today, login_as):
    from docx import Document
    import io

    first = to_reply(demo, registered(demo, date(2025, 1, 20)))
    second = to_reply(demo, registered(demo, date(2025, 1, 20), applicant_name="李四"))
    year = first.replied_on.year
    assert first.letter_no == f"嘉文广依申〔{year}〕1号" and second.letter_no == f"嘉文广依申〔{year}〕2号"
    login_as("auditor")
    html = client.get(f"/admin/applications/{first.id}/letter").get_data(as_text=True)
    assert f"嘉文广依申〔{year}〕1号" in html and "（印章）" in html
    docx = client.get(f"/admin/applications/{first.id}/letter.docx")
    texts = [p.text for p in Document(io.BytesIO(docx.data)).paragraphs]
    assert texts[0] == f"嘉文广依申〔{year}〕1号" and "（印章）" in texts
    assert texts.index("（印章）") < texts.index(demo.name)


def test_letter_pattern_rules():
    from cms.applications.letters import format_letter_number, validate_letter_pattern
    from cms.errors import ValidationError

    assert format_letter_number(None, 2026, 7) == "依申〔2026〕7号"
    assert format_letter_number("嘉文广依申〔{year}〕{n}号", 2027, 12) == "嘉文广依申〔2027〕12号"
    for bad in ("", "无序号", "{x}{n}", "{n" + "x" * 90):
        with pytest.raises(ValidationError):
            validate_letter_pattern(bad)

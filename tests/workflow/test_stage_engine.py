"""The stage engine on small toy workflows: quorum, delegation, resume, return-to-stage, validation,
version pinning and due dates."""
from datetime import date, datetime, timedelta

import pytest

from cms.content.models import Item
from cms.content.workflow import item_worklist_query
from cms.errors import ConditionFailed, Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.workflow import due
from cms.workflow.engine import available_transitions, fire, history_of, stage_approvals, workflow_for
from cms.workflow.store import compiled, describe, save_definition, validate_definition
from tests.workflow.helpers import user
from tests.workflow.stage_helpers import OFFICE, define, delegate, item_in, person, stage


def names(item, username_or_user):
    who = user(username_or_user) if isinstance(username_or_user, str) else username_or_user
    return [t.name for t in available_transitions(item, who)]


# --- compilation ------------------------------------------------------------------------------------------


def test_built_in_definitions_compile_to_the_state_names_of_the_first_form(demo):
    three = compiled("three_stage")
    assert [s.state for s in three.stages] == ["pending_section", "pending_office", "pending_leader"]
    assert three.states["pending_office"] == "待办公室审核"
    assert [(t.name, t.sources, t.target) for t in three.transitions if t.name == "approve"] == [
        ("approve", ("pending_section",), "pending_office"),
        ("approve", ("pending_office",), "pending_leader"),
        ("approve", ("pending_leader",), "published"),
    ]
    assert [s.state for s in compiled("two_stage").stages] == ["pending_office", "pending_leader"]


def test_a_custom_stage_becomes_pending_code_with_approve_return_and_return_to_stage(demo):
    define("with_director", [stage("section", "section_chief"), OFFICE, stage("sign", "leader")])
    described = describe("with_director")
    assert described["version"] == 1
    assert "pending_sign" in described["states"]
    returns = [t for t in described["transitions"] if t["name"] == "return"]
    assert [t.get("to_stage", False) for t in returns] == [False, True, True]


# --- validation -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stages, field, reason", [
    ([], "stages", "empty"),
    ([stage("a", "wizard"), OFFICE], "stages[0].role", "unknown_role"),
    ([stage("a", "section_chief", "sections", sections=["nowhere"]), OFFICE], "stages[0].sections",
     "unknown_section"),
    ([stage("a", "section_chief"), stage("a", "leader"), OFFICE], "stages[1].code", "duplicate"),
    ([stage("a", "section_chief"), stage("b", "leader")], "stages", "confidentiality_stage_required"),
    ([stage("a", "section_chief", "organization", quorum=9), OFFICE], "stages[0].quorum", "larger_than_holders"),
    ([stage("a", "section_chief", "sections", sections=["museum"], quorum="all"), OFFICE], "stages[0].quorum",
     "section_without_holder"),
    ([stage("a", "section_chief", due={"days": 3}), OFFICE], "stages[0].due", "invalid"),
    ([stage("Bad-Code", "section_chief"), OFFICE], "stages[0].code", "invalid"),
])
def test_invalid_definitions_are_refused_per_field(demo, stages, field, reason):
    with pytest.raises(ValidationError) as err:
        validate_definition({"code": "toy", "title": "玩具流程", "stages": stages})
    assert err.value.fields[field] == reason


# --- quorum -----------------------------------------------------------------------------------------------


def test_countersign_all_listed_sections_waits_for_each_section(demo):
    define("cosign", [stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all"),
                      OFFICE, stage("leader", "leader")])
    item = item_in(demo, "cosign")
    fire(item, user("editor"), "submit")
    assert item.state == "pending_cosign"
    fire(item, user("chief"), "approve")
    assert item.state == "pending_cosign"  # one of two sections so far
    assert [a.actor_id for a in stage_approvals(item)] == [user("chief").id]
    assert names(item, "chief") == ["return"]  # approved already: no second approval
    assert "approve" in names(item, "chief2")
    assert [i.id for i in item_worklist_query(user("chief"))] == []
    assert [i.id for i in item_worklist_query(user("chief2"))] == [item.id]
    fire(item, user("chief2"), "approve")
    assert item.state == "pending_office"
    entries = [(h.transition, h.from_state, h.to_state, h.stage) for h in history_of(item)][1:]
    assert entries == [("submit", "draft", "pending_cosign", "cosign"),
                       ("approve", "pending_cosign", "pending_cosign", "cosign"),
                       ("approve", "pending_cosign", "pending_office", "cosign")]


def test_quorum_of_n_distinct_approvers_and_a_return_starts_a_new_round(demo):
    define("two_of", [stage("panel", "section_chief", "organization", quorum=2), OFFICE, stage("leader", "leader")])
    item = item_in(demo, "two_of")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    with pytest.raises(NotAllowed):
        fire(item, user("chief"), "approve")  # the same person twice does not make two
    fire(item, user("chief2"), "return", comment="请补充")
    assert item.state == "returned"
    fire(item, user("editor"), "submit")
    assert stage_approvals(item) == []  # new round: earlier approvals do not count
    fire(item, user("officehead"), "approve")
    assert item.state == "pending_panel"
    fire(item, user("chief"), "approve")
    assert item.state == "pending_office"


def test_all_holders_in_scope_must_approve(demo):
    define("everyone", [stage("all_chiefs", "section_chief", "organization", quorum="all"), OFFICE,
                        stage("leader", "leader")])
    item = item_in(demo, "everyone")
    fire(item, user("editor"), "submit")
    for username in ("chief", "chief2"):
        fire(item, user(username), "approve")
        assert item.state == "pending_all_chiefs"
    fire(item, user("officehead"), "approve")
    assert item.state == "pending_office"


# --- separation of duties and delegation ------------------------------------------------------------------


def test_nobody_approves_two_stages_even_through_a_delegation(demo):
    define("sod", [stage("first", "section_chief"), stage("second", "section_chief", "organization"), OFFICE])
    item = item_in(demo, "sod")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    with pytest.raises(ConditionFailed):
        fire(item, user("chief"), "approve")  # the chief of market holds the second stage's role too
    # chief2 acts for chief (who approved the first stage): counts for both people, refused.
    deputy = person("deputy", [("museum", "editor")])
    delegate(user("chief"), deputy)
    with pytest.raises(ConditionFailed):
        fire(item, deputy, "approve")
    fire(item, user("chief2"), "approve")
    assert item.state == "pending_office"


def test_a_delegate_signs_for_the_leader_within_the_window_only(demo):
    define("lead", [stage("section", "section_chief"), OFFICE, stage("leader", "leader")])
    deputy = person("deputy", [("museum", "editor")], name="钱副局长")
    item = item_in(demo, "lead")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    expired = delegate(user("leader"), deputy, starts_in=timedelta(days=-5), lasts=timedelta(days=2))
    assert names(item, deputy) == []
    with pytest.raises(NotAllowed):
        fire(item, deputy, "approve")
    delegate(user("leader"), deputy, roles=["office_auditor"])  # in the window, but not this role
    with pytest.raises(NotAllowed):
        fire(item, deputy, "approve")
    delegate(user("leader"), deputy, starts_in=timedelta(hours=2))  # not yet
    with pytest.raises(NotAllowed):
        fire(item, deputy, "approve")
    delegate(user("leader"), deputy, roles=["leader"])
    assert expired.id
    assert [i.id for i in item_worklist_query(deputy)] == [item.id]
    assert names(item, deputy) == ["approve", "return"]
    fire(item, deputy, "approve")
    assert item.state == "published"
    last = history_of(item)[-1]
    assert (last.actor.username, last.on_behalf_of.username) == ("deputy", "leader")


# --- on_return and return-to-stage --------------------------------------------------------------------------


def test_resume_goes_straight_back_to_the_stage_that_returned(demo):
    define("resumes", [stage("section", "section_chief"), OFFICE, stage("leader", "leader")], on_return="resume")
    item = item_in(demo, "resumes")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "return", comment="请删去内部信息")
    assert (item.state, item.return_stage) == ("returned", "office")
    fire(item, user("editor"), "submit")
    assert item.state == "pending_office"  # not back to the section chief
    # The section chief's approval still stands for separation of duties: the chief cannot approve here.
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    assert item.state == "pending_leader"


def test_restart_goes_back_to_the_first_stage(demo):
    define("restarts", [stage("section", "section_chief"), OFFICE, stage("leader", "leader")], on_return="restart")
    item = item_in(demo, "restarts")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "return", comment="请修改")
    fire(item, user("editor"), "submit")
    assert item.state == "pending_section"


def test_a_reviewer_returns_to_an_earlier_stage(demo):
    define("back", [stage("section", "section_chief"), OFFICE, stage("leader", "leader")])
    item = item_in(demo, "back")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    round_before = item.stage_round
    with pytest.raises(ValidationError):
        fire(item, user("auditor"), "return", to_stage="leader", comment="x")  # not an earlier stage
    with pytest.raises(ValidationError):
        fire(item, user("auditor"), "return", to_stage="nowhere", comment="x")
    fire(item, user("auditor"), "return", to_stage="section", comment="请科室再核一遍数字")
    assert item.state == "pending_section"
    assert item.stage_round == round_before + 1
    assert history_of(item)[-1].inputs == {"to_stage": "section"}
    with pytest.raises(ValidationError):
        fire(item, user("chief"), "return", to_stage="section", comment="x")  # first stage: no earlier one
    fire(item, user("chief"), "approve")  # the same person may approve the same stage again
    assert item.state == "pending_office"


# --- version pinning --------------------------------------------------------------------------------------


def test_items_in_flight_keep_the_version_they_started_with(demo):
    define("pinned", [stage("section", "section_chief"), OFFICE, stage("leader", "leader")])
    early = item_in(demo, "pinned", title="按第一版审核的通知")
    fire(early, user("editor"), "submit")
    assert early.workflow_version == 1
    row = save_definition({"code": "pinned", "title": "第二版", "stages": [OFFICE, stage("director_sign", "leader")]})
    assert row.version == 2
    late = item_in(demo, "pinned", title="按第二版审核的通知")
    fire(late, user("editor"), "submit")
    assert (late.state, late.workflow_version) == ("pending_office", 2)
    assert early.state == "pending_section"
    fire(early, user("chief"), "approve")
    fire(early, user("auditor"), "approve", confidentiality_checked=True)
    fire(early, user("leader"), "approve")
    assert early.state == "published"
    assert workflow_for(late).version == 2


# --- due dates --------------------------------------------------------------------------------------------


def test_working_day_due_dates_skip_the_national_day_holidays(demo):
    entered = datetime(2025, 9, 30, 2, 0)  # 10:00 in Beijing, the day before the holidays (Oct 1-8)
    assert due.due_at({"working_days": 2}, entered) == datetime(2025, 10, 10, 15, 59, 59)  # Fri 23:59:59 CST
    assert due.due_at({"hours": 48}, entered) == datetime(2025, 10, 2, 2, 0)
    assert due.due_at(None, entered) is None


def test_entering_a_stage_stores_its_due_date_and_worklists_sort_by_it(demo, monkeypatch):
    define("clocked", [stage("section", "section_chief", due={"hours": 4}), OFFICE, stage("leader", "leader")])
    define("slow", [stage("section", "section_chief", due={"hours": 48}), OFFICE, stage("leader", "leader")])
    slow = item_in(demo, "slow", title="慢的通知")
    fire(slow, user("editor"), "submit")
    fast = item_in(demo, "clocked", title="快的通知")
    fire(fast, user("editor"), "submit")
    assert fast.stage_due_at - fast.stage_entered_at == timedelta(hours=4)
    db.session.commit()
    assert [i.id for i in item_worklist_query(user("chief"))] == [fast.id, slow.id]
    fire(fast, user("chief"), "approve")
    assert fast.stage_due_at is None  # the office stage has no due date


def test_worklist_and_buttons_agree_on_custom_workflows(demo):
    deputy = person("deputy", [("museum", "editor")])
    director = person("director", [("office", "director")])
    delegate(user("leader"), deputy)
    define("big", [stage("section", "section_chief"),
                   stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all"),
                   OFFICE, stage("leader", "leader"), stage("director", "director", "organization")],
           on_return="resume")
    define("two_of", [stage("panel", "section_chief", "organization", quorum=2), OFFICE])
    items = []
    for n, code in enumerate(("big", "big", "two_of", "three_stage")):
        item = item_in(demo, code, title=f"一致性检查第{n}号", doc_number=f"嘉文广发〔2019〕{n}号")
        fire(item, user("editor"), "submit")
        items.append(item)
    fire(items[1], user("chief"), "approve")  # -> pending_cosign
    fire(items[1], user("chief2"), "approve")  # one of two sections
    fire(items[2], user("officehead"), "approve")  # one of two approvers
    db.session.commit()
    people = [user(u) for u in ("chief", "chief2", "officehead", "auditor", "leader", "editor")] + [deputy, director]
    for who in people:
        listed = {i.id for i in item_worklist_query(who)}
        for candidate in Item.query.all():
            assert (candidate.id in listed) == ("approve" in names(candidate, who)), (who.username, candidate.title)

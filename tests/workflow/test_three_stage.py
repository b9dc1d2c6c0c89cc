"""The three-stage review: every guard and condition of the domain doc."""
import pytest

from cms.content.catalog import get_column
from cms.content.models import Item
from cms.errors import ConditionFailed, Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.workflow.engine import available_transitions, fire, history_of
from cms.content.workflow import item_worklist_query
from tests.workflow.helpers import draft, publish, user


def names(item, username):
    return [t.name for t in available_transitions(item, user(username))]


def test_editor_chief_auditor_leader_publish_an_item(demo):
    item = draft(demo)
    assert item.state == "draft" and item.version == 1
    assert names(item, "editor") == ["submit"]
    fire(item, user("editor"), "submit")
    assert item.state == "pending_section"
    assert names(item, "chief") == ["approve", "return"]
    assert names(item, "auditor") == []
    fire(item, user("chief"), "approve")
    assert item.state == "pending_office"
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    assert item.state == "pending_leader"
    fire(item, user("leader"), "approve")
    db.session.commit()
    assert item.state == "published"
    assert item.is_public
    assert item.index_no == f"{demo.code}/{item.index_year}-{item.index_seq:05d}"
    assert item.index_seq == 7  # the demo bureau already published six items this year
    assert item.published_at is not None
    steps = [(h.transition, h.from_state, h.to_state, h.actor.username if h.actor else None) for h in history_of(item)]
    assert steps[1:] == [
        ("submit", "draft", "pending_section", "editor"),
        ("approve", "pending_section", "pending_office", "chief"),
        ("approve", "pending_office", "pending_leader", "auditor"),
        ("approve", "pending_leader", "published", "leader"),
    ]


def test_office_approval_requires_the_confidentiality_review(demo):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    for value in (None, False, "yes"):
        with pytest.raises(ConditionFailed) as err:
            fire(item, user("auditor"), "approve", confidentiality_checked=value)
        assert "confidentiality_checked" in err.value.fields
    assert item.state == "pending_office"


@pytest.mark.parametrize("username", ["editor", "chief2", "auditor", "leader", "admin", "editor2"])
def test_only_the_section_chief_approves_stage_one(demo, username):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    with pytest.raises(NotAllowed):
        fire(item, user(username), "approve")


def test_only_the_leader_in_charge_signs_off(demo):
    from cms.accounts.services import add_membership, create_user
    from cms.accounts.models import Section

    other = create_user("leader2", "钱副局长", "Leader2-pass-2026")
    add_membership(other, Section.query.filter_by(code="broadcast").one(), "leader")
    item = draft(demo)
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    with pytest.raises(NotAllowed):
        fire(item, other, "approve")  # leads broadcast, not market
    with pytest.raises(NotAllowed):
        fire(item, user("auditor"), "approve")
    fire(item, user("leader"), "approve")
    assert item.state == "published"


def test_admin_has_no_review_power(demo):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    assert names(item, "admin") == []
    with pytest.raises(NotAllowed):
        fire(item, user("admin"), "approve")


def test_return_needs_a_comment_and_goes_back_to_the_author(demo):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    with pytest.raises(ConditionFailed):
        fire(item, user("chief"), "return", comment="   ")
    fire(item, user("chief"), "return", comment="请补充检查时间")
    assert item.state == "returned"
    assert history_of(item)[-1].comment == "请补充检查时间"
    assert names(item, "editor") == ["submit"]
    fire(item, user("editor"), "submit")
    assert item.state == "pending_section"


def test_each_stage_can_return(demo):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "return", comment="涉及内部信息")
    assert item.state == "returned"
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    fire(item, user("leader"), "return", comment="暂缓发布")
    assert item.state == "returned"


def test_withdraw_only_by_the_author_before_the_first_approval(demo):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    with pytest.raises(NotAllowed):
        fire(item, user("chief"), "withdraw")
    fire(item, user("editor"), "withdraw")
    assert item.state == "draft"
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    with pytest.raises(Conflict):
        fire(item, user("editor"), "withdraw")


def test_retract_by_office_or_leader_with_a_comment(demo):
    item = publish(draft(demo))
    with pytest.raises(NotAllowed):
        fire(item, user("editor"), "retract", comment="x")
    with pytest.raises(ConditionFailed):
        fire(item, user("auditor"), "retract")
    fire(item, user("auditor"), "retract", comment="信息有误，撤下")
    assert item.state == "retracted"
    assert not item.is_public
    assert item.index_no  # the number stays with the item


def test_only_proactive_items_can_be_published(demo):
    item = draft(demo, disclosure="on_request")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    with pytest.raises(ConditionFailed) as err:
        fire(item, user("leader"), "approve")
    assert "disclosure" in err.value.fields


def test_withheld_needs_a_reason(demo):
    with pytest.raises(ValidationError):
        draft(demo, disclosure="withheld")
    item = draft(demo, disclosure="withheld", withheld_reason="涉及第三方商业秘密")
    assert item.disclosure == "withheld"


def test_nobody_approves_what_they_wrote_or_last_edited(demo):
    from cms.accounts.services import add_membership
    from cms.accounts.models import Section
    from cms.content.services import update_item

    chief = user("chief")
    add_membership(chief, Section.query.filter_by(code="market").one(), "editor")
    own = draft(demo, author="chief", title="科长自己起草的通知")
    fire(own, chief, "submit")
    with pytest.raises(ConditionFailed):
        fire(own, chief, "approve")
    other = draft(demo, title="编辑起草科长修改的通知")
    update_item(other, chief, other.version, summary="科长改过")
    fire(other, user("editor"), "submit")
    with pytest.raises(ConditionFailed):
        fire(other, chief, "approve")


def test_one_person_approves_at_most_one_stage_of_a_revision(demo):
    from cms.accounts.services import add_membership
    from cms.accounts.models import Section

    chief = user("chief")
    add_membership(chief, Section.query.filter_by(code="office").one(), "office_auditor")
    item = draft(demo)
    fire(item, user("editor"), "submit")
    fire(item, chief, "approve")
    with pytest.raises(ConditionFailed):
        fire(item, chief, "approve", confidentiality_checked=True)
    fire(item, user("auditor"), "approve", confidentiality_checked=True)


def test_unknown_and_unavailable_transitions(demo):
    item = draft(demo)
    with pytest.raises(ValidationError):
        fire(item, user("editor"), "teleport")
    with pytest.raises(Conflict):
        fire(item, user("chief"), "approve")  # nothing to approve in a draft


def test_column_must_accept_the_item_type(demo):
    with pytest.raises(ValidationError):
        draft(demo, column="policies", type="news")


def test_one_place_rule_blocks_a_second_publication_of_the_same_document(demo):
    first = publish(draft(demo, column="policies", type="policy", title="文化市场管理办法", doc_number="嘉文广发〔2018〕99号"))
    second = draft(demo, column="notices", title="转发文化市场管理办法", doc_number="嘉文广发〔2018〕99号")
    with pytest.raises(ConditionFailed) as err:
        fire(second, user("editor"), "submit")
    assert err.value.extra["conflicts"] == [{"id": first.id, "column": "policies", "title": "文化市场管理办法",
                                             "state": "published", "rule": "doc_number"}]


def test_two_stage_column_skips_the_section_review(demo):
    column = get_column(demo.id, "work-news")
    column.workflow = "two_stage"
    db.session.flush()
    item = draft(demo, column="work-news", type="news", title="我局召开文化市场工作会议")
    assert item.workflow == "two_stage"
    fire(item, user("editor"), "submit")
    assert item.state == "pending_office"
    with pytest.raises(NotAllowed):
        fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    fire(item, user("leader"), "approve")
    assert item.state == "published"


def test_worklists_follow_the_definitions(demo):
    item = draft(demo)
    other = draft(demo, author="editor2", title="广电科通知")
    fire(item, user("editor"), "submit")
    fire(other, user("editor2"), "submit")
    db.session.commit()
    assert [i.id for i in item_worklist_query(user("chief"))] == [item.id]
    assert [i.id for i in item_worklist_query(user("chief2"))] == [other.id]
    assert list(item_worklist_query(user("auditor"))) == []
    fire(item, user("chief"), "approve")
    db.session.commit()
    assert [i.id for i in item_worklist_query(user("auditor"))] == [item.id]
    assert list(item_worklist_query(user("chief"))) == []
    # The worklist and the buttons agree.
    for username in ("chief", "chief2", "auditor", "leader", "editor"):
        listed = {i.id for i in item_worklist_query(user(username))}
        for candidate in Item.query.all():
            can_approve = "approve" in names(candidate, username)
            assert (candidate.id in listed) == can_approve, (username, candidate.title)


def test_index_numbers_are_consecutive_per_year(demo):
    items = [publish(draft(demo, title=f"第{n}号通知", doc_number=f"嘉文广发〔2018〕{n}号")) for n in range(1, 4)]
    seqs = [i.index_seq for i in items]
    assert seqs == [seqs[0], seqs[0] + 1, seqs[0] + 2]
    assert len({i.index_no for i in items}) == 3

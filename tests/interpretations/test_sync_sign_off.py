"""同步审签、同步发布: a policy is signed off only with its interpretation, and both are published together."""
import pytest

from cms.content.models import Item
from cms.errors import ConditionFailed
from cms.extensions import db
from cms.workflow.engine import history_of
from tests.interpretations.helpers import interpretation_draft, policy_draft, sign_off, to_final_stage


def test_final_sign_off_without_an_interpretation_is_refused(demo):
    policy = to_final_stage(policy_draft(demo))
    with pytest.raises(ConditionFailed) as refused:
        sign_off(policy)
    assert "解读材料未同步审签" in refused.value.message
    assert policy.state == "pending_leader" and policy.published_at is None


def test_an_interpretation_still_in_an_earlier_stage_does_not_count(demo):
    policy = to_final_stage(policy_draft(demo))
    interp = interpretation_draft(demo, policy)
    from cms.workflow.engine import fire
    from tests.workflow.helpers import user

    fire(interp, user("editor"), "submit")
    with pytest.raises(ConditionFailed, match="解读材料未同步审签"):
        sign_off(policy)


def test_both_are_published_in_one_sign_off_with_the_same_instant(demo, client):
    policy = to_final_stage(policy_draft(demo))
    interp = to_final_stage(interpretation_draft(demo, policy, interpretation_form="graphic"))
    from cms.search.models import SearchOutbox
    from cms.workflow.engine import fire
    from tests.workflow.helpers import user

    fire(policy, user("leader"), "approve")
    assert {policy.id, interp.id} <= {row.item_id for row in SearchOutbox.query}  # same transaction
    db.session.commit()
    policy, interp = db.session.get(Item, policy.id), db.session.get(Item, interp.id)
    assert policy.state == interp.state == "published"
    assert policy.published_at == interp.published_at is not None
    assert policy.index_no and interp.index_no and policy.index_no != interp.index_no
    final = history_of(interp)[-1]
    assert (final.transition, final.from_state, final.to_state, final.stage) == (
        "approve", "pending_leader", "published", "leader")
    assert final.actor.username == "leader" and final.inputs == {"with_policy": policy.id}
    # Each page links to the other; both are found by search.
    page = client.get(f"/items/{policy.id}").get_data(as_text=True)
    assert f"/items/{interp.id}" in page
    assert f"/items/{policy.id}" in client.get(f"/items/{interp.id}").get_data(as_text=True)
    found = {hit["id"] for hit in client.get("/api/v1/search", query_string={"q": "政策解读"}).get_json()["results"]}
    assert interp.id in found


def test_an_interpretation_cannot_go_out_before_its_policy(demo):
    policy = to_final_stage(policy_draft(demo))
    interp = to_final_stage(interpretation_draft(demo, policy))
    with pytest.raises(ConditionFailed) as refused:
        sign_off(interp)
    assert refused.value.fields == {"interprets": "policy_not_published"}


def test_a_policy_the_setting_does_not_name_needs_no_interpretation(demo, client, token_for):
    office = token_for("auditor")
    response = client.put("/api/v1/interpretation-setting", json={"item_types": [], "include_normative": True},
                          headers=office)
    assert response.status_code == 200, response.get_json()
    plain = to_final_stage(policy_draft(demo))
    sign_off(plain)
    assert plain.state == "published"
    normative = to_final_stage(policy_draft(demo, title="嘉峪关市文化市场规范性管理规定", normative=True,
                                            doc_number="嘉文广规〔2026〕1号"))
    with pytest.raises(ConditionFailed, match="解读材料未同步审签"):
        sign_off(normative)

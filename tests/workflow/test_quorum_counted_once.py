"""A delegator and their delegate approving the same countersign stage at the same instant count once."""
import pytest

from cms.accounts.models import User
from cms.content.models import Item
from cms.extensions import db
from cms.workflow.engine import fire
from cms.workflow.models import StageApproval
from tests.workflow.helpers import user
from tests.workflow.stage_helpers import OFFICE, define, delegate, item_in, person, stage
from tests.workflow.test_concurrency import _run_in_threads


@pytest.mark.concurrency
def test_a_delegator_and_the_delegate_at_once_are_one_approval(app, demo):
    deputy = person("deputy", [("museum", "editor")])
    delegate(user("chief2"), deputy)
    define("cosign", [stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all"),
                      OFFICE])
    item = item_in(demo, "cosign")
    fire(item, user("editor"), "submit")
    db.session.commit()
    item_id = item.id

    def approve(index):
        subject = db.session.get(Item, item_id)
        fire(subject, User.query.filter_by(username=("chief2", "deputy")[index]).one(), "approve")
        return "ok"

    outcomes = _run_in_threads(app, 2, approve)
    assert sorted(outcomes) in (["ok", "refused"], ["conflict", "ok"]), outcomes
    db.session.expire_all()
    assert db.session.get(Item, item_id).state == "pending_cosign"  # the market section has not signed
    rows = StageApproval.query.filter_by(subject_id=item_id, stage="cosign").all()
    assert [r.person_id for r in rows] == [user("chief2").id]

"""Concurrency with real commits from several threads, each with its own session."""
import threading

import pytest

from cms.accounts.models import User
from cms.content.models import Item
from cms.errors import Conflict, DomainError
from cms.extensions import db
from cms.workflow.engine import fire
from cms.workflow.models import WorkflowHistory
from tests.workflow.helpers import draft, user


def _run_in_threads(app, count, work):
    """Run ``work(index)`` in ``count`` threads at once, each in its own app context; return outcomes."""
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def target(index):
        with app.app_context():
            try:
                barrier.wait(timeout=30)
                outcomes[index] = work(index)
                db.session.commit()
            except Conflict:
                db.session.rollback()
                outcomes[index] = "conflict"
            except DomainError:  # read the item after another thread advanced it: refused as it should be
                db.session.rollback()
                outcomes[index] = "refused"
            except Exception as exc:  # surfaced in the assertion below
                db.session.rollback()
                outcomes[index] = f"error: {exc!r}"
            finally:
                db.session.remove()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.mark.concurrency
def test_eight_simultaneous_approvals_advance_the_item_once(app, demo):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    db.session.commit()
    item_id = item.id

    def approve(_index):
        subject = db.session.get(Item, item_id)
        chief = User.query.filter_by(username="chief").one()
        fire(subject, chief, "approve")
        return "ok"

    outcomes = _run_in_threads(app, 8, approve)
    assert outcomes.count("ok") == 1, outcomes
    assert outcomes.count("conflict") + outcomes.count("refused") == 7, outcomes
    db.session.expire_all()
    item = db.session.get(Item, item_id)
    assert item.state == "pending_office"
    approvals = WorkflowHistory.query.filter_by(subject_id=item_id, transition="approve").count()
    assert approvals == 1


@pytest.mark.concurrency
def test_simultaneous_sign_offs_get_distinct_gap_free_index_numbers(app, demo):
    ids = []
    for n in range(6):
        item = draft(demo, title=f"并发发布测试通知之{n}", doc_number=f"嘉文广发〔2026〕{n + 1}号")
        fire(item, user("editor"), "submit")
        fire(item, user("chief"), "approve")
        fire(item, user("auditor"), "approve", confidentiality_checked=True)
        ids.append(item.id)
    db.session.commit()

    def sign_off(index):
        subject = db.session.get(Item, ids[index])
        leader = User.query.filter_by(username="leader").one()
        for _attempt in range(20):  # SQLite may refuse a write taken on a stale snapshot: retry like a user
            try:
                fire(subject, leader, "approve")
                return "ok"
            except Conflict:
                db.session.rollback()
                subject = db.session.get(Item, ids[index])
                if subject.state == "published":
                    return "ok"
        return "gave up"

    outcomes = _run_in_threads(app, len(ids), sign_off)
    assert outcomes == ["ok"] * len(ids), outcomes
    db.session.expire_all()
    items = Item.query.filter(Item.id.in_(ids)).all()
    assert all(i.state == "published" for i in items)
    seqs = sorted(i.index_seq for i in items)
    assert seqs == list(range(seqs[0], seqs[0] + len(ids)))  # consecutive: no gaps, no duplicates
    assert len({i.index_no for i in items}) == len(ids)


@pytest.mark.concurrency
def test_two_chiefs_countersigning_at_once_are_both_counted_and_the_stage_advances_once(app, demo):
    from cms.workflow.models import StageApproval
    from tests.workflow.stage_helpers import OFFICE, define, item_in, stage

    define("cosign", [stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all"),
                      OFFICE])
    item = item_in(demo, "cosign")
    fire(item, user("editor"), "submit")
    db.session.commit()
    item_id = item.id

    def approve(index):
        subject = db.session.get(Item, item_id)
        chief = User.query.filter_by(username=("chief", "chief2")[index]).one()
        fire(subject, chief, "approve")
        return "ok"

    outcomes = _run_in_threads(app, 2, approve)
    assert outcomes == ["ok", "ok"], outcomes
    db.session.expire_all()
    item = db.session.get(Item, item_id)
    assert item.state == "pending_office"
    assert StageApproval.query.filter_by(subject_id=item_id, stage="cosign").count() == 2
    moves = WorkflowHistory.query.filter_by(subject_id=item_id, transition="approve", to_state="pending_office")
    assert moves.count() == 1

"""Editing a published item: the live version stays public until the revision is signed off."""
import pytest

from cms.content.models import Item, ItemRevision
from cms.content.services import diff_against_live, update_item
from cms.errors import Conflict
from cms.extensions import db
from cms.workflow.engine import fire, history_of
from tests.workflow.helpers import draft, publish, user


def test_revision_replaces_the_live_version_only_at_sign_off(demo):
    live = publish(draft(demo, title="文化市场检查通知", body_html="<p>检查时间为三月。</p>"))
    index_no, published_at = live.index_no, live.published_at
    copy = update_item(live, user("editor"), live.version, body_html="<p>检查时间改为四月。</p>")
    assert copy.id != live.id and copy.working_copy_of_id == live.id
    assert copy.state == "draft" and not copy.is_public
    db.session.commit()
    assert "三月" in db.session.get(Item, live.id).body_html
    changes = diff_against_live(copy)
    assert [c.name for c in changes] == ["body_html"]
    deleted = "".join(t for op, t in changes[0].segments if op == "delete")
    inserted = "".join(t for op, t in changes[0].segments if op == "insert")
    assert "三" in deleted and "四" in inserted and "检查时间" not in deleted

    fire(copy, user("editor"), "submit")
    fire(copy, user("chief"), "approve")
    fire(copy, user("auditor"), "approve", confidentiality_checked=True)
    assert "三月" in db.session.get(Item, live.id).body_html  # still the live text while under review
    result = fire(copy, user("leader"), "approve")
    db.session.commit()
    live = db.session.get(Item, live.id)
    assert result.id == live.id
    assert "四月" in live.body_html
    assert live.index_no == index_no and live.published_at == published_at
    assert db.session.get(Item, copy.id) is None
    assert Item.query.filter_by(working_copy_of_id=live.id).count() == 0
    transitions = [h.transition for h in history_of(live)]
    assert transitions.count("approve") == 6  # both reviews are in the history
    notes = [r.note for r in ItemRevision.query.filter_by(item_id=live.id).order_by(ItemRevision.number)]
    assert notes[-1] == "修订稿审定发布"


def test_a_second_edit_reuses_the_open_working_copy(demo):
    live = publish(draft(demo))
    first = update_item(live, user("editor"), live.version, summary="一")
    second = update_item(live, user("editor"), live.version, summary="二")
    assert first.id == second.id
    assert second.summary == "二"


def test_stale_edits_are_refused(demo):
    item = draft(demo)
    version = item.version
    update_item(item, user("editor"), version, summary="第一次修改")
    with pytest.raises(Conflict):
        update_item(item, user("editor"), version, summary="基于旧版本的修改")


def test_items_under_review_cannot_be_edited(demo):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    with pytest.raises(Conflict):
        update_item(item, user("editor"), item.version, summary="改")

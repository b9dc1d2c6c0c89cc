"""Scheduled publication and expiry: the final sign-off before ``publish_at`` leaves the item ``scheduled``
(nothing public), the queue's duty publishes it when due (once), ``expires_at`` makes it 失效."""
from datetime import timedelta

import pytest

from cms.clock import utcnow
from cms.content.models import Item
from cms.content.scheduling import expire_due_items, publish_due_items, set_schedule
from cms.errors import ConditionFailed, Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.jobs.periodic import registered_ticks, run_ticks
from cms.workflow.engine import available_transitions, fire, history_of
from tests.workflow.helpers import draft, publish, user
from tests.workflow.stage_helpers import OFFICE, define, item_in, stage


def _iso(moment):
    return moment.isoformat() + "+00:00"


def _scheduled(demo, title="定时发布的通知SCHEDULED", hours=2, **fields):
    item = draft(demo, title=title, **fields)
    set_schedule(item, user("editor"), item.version, publish_at=_iso(utcnow() + timedelta(hours=hours)))
    publish(item)
    return item


def _make_due(item, seconds_ago=1):
    """Move the item's scheduled time just behind the clock (as if time had passed)."""
    db.session.execute(db.update(Item).where(Item.id == item.id)
                       .values(publish_at=utcnow() - timedelta(seconds=seconds_ago)))
    db.session.commit()
    db.session.expire_all()


def test_final_sign_off_before_publish_at_schedules_instead_of_publishing(client, demo):
    item = _scheduled(demo)
    assert item.state == "scheduled"
    assert item.index_no is None and item.published_at is None
    last = history_of(item)[-1]
    assert (last.transition, last.from_state, last.to_state) == ("approve", "pending_leader", "scheduled")
    assert client.get(f"/items/{item.id}").status_code == 404
    assert "SCHEDULED" not in client.get("/columns/notices").get_data(as_text=True)


def test_queue_duty_publishes_due_items_once_with_the_scheduled_time(client, demo):
    item = _scheduled(demo)
    assert publish_due_items() == []  # not due yet
    assert client.get("/api/v1/search", query_string={"q": "SCHEDULED"}).get_json()["total"] == 0
    _make_due(item)
    due = db.session.get(Item, item.id).publish_at
    assert publish_due_items() == [item.id]
    item = db.session.get(Item, item.id)
    assert item.state == "published" and item.index_no
    assert item.published_at == due
    assert client.get("/api/v1/search", query_string={"q": "SCHEDULED"}).get_json()["total"] == 1
    last = history_of(item)[-1]
    assert (last.transition, last.to_state, last.actor_id) == ("publish_scheduled", "published", None)
    # Idempotent: a second run (a late or doubled tick) changes nothing.
    version = item.version
    assert publish_due_items() == []
    assert db.session.get(Item, item.id).version == version
    assert "定时发布的通知SCHEDULED" in client.get(f"/items/{item.id}").get_data(as_text=True)


def test_the_duty_is_registered_on_the_queue_tick(demo):
    assert "content.schedule" in registered_ticks()
    item = _scheduled(demo)
    _make_due(item)
    assert run_ticks()["content.schedule"] == "ok"
    assert db.session.get(Item, item.id).state == "published"


def test_sign_off_after_publish_at_passed_publishes_now(demo):
    item = draft(demo)
    set_schedule(item, user("editor"), item.version, publish_at=_iso(utcnow() + timedelta(hours=1)))
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    _make_due(item, seconds_ago=3600)  # the review took longer than planned
    item = db.session.get(Item, item.id)
    fire(item, user("leader"), "approve")
    db.session.commit()
    assert item.state == "published"
    assert item.published_at > item.publish_at  # published when signed off, not back-dated


def test_custom_stored_workflow_schedules_too(demo):
    define("twostep", [stage("check", "section_chief"), OFFICE])
    item = item_in(demo, "twostep", title="自定义流程定时发布")
    set_schedule(item, user("editor"), item.version, publish_at=_iso(utcnow() + timedelta(days=1)))
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    db.session.commit()
    assert item.state == "scheduled" and item.index_no is None
    _make_due(item)
    assert publish_due_items() == [item.id]
    assert db.session.get(Item, item.id).state == "published"


def test_retract_of_a_scheduled_item_cancels_the_schedule_back_to_draft(demo):
    item = _scheduled(demo)
    assert [t.name for t in available_transitions(item, user("editor"))] == []
    with pytest.raises(NotAllowed):
        fire(item, user("editor"), "retract", comment="不发了")
    with pytest.raises(ConditionFailed):
        fire(item, user("auditor"), "retract", comment="")
    fire(item, user("auditor"), "retract", comment="发布时间另定")
    db.session.commit()
    assert item.state == "draft" and item.publish_at is None and item.index_no is None
    _make_due(item)  # even with a time set behind the clock, a draft is not published by the queue
    db.session.execute(db.update(Item).where(Item.id == item.id).values(publish_at=None))
    assert publish_due_items() == []
    # The author may edit and resubmit it: it goes through the whole review again.
    fire(db.session.get(Item, item.id), user("editor"), "submit")
    assert db.session.get(Item, item.id).state == "pending_section"


def test_nobody_but_the_queue_fires_publish_scheduled(demo):
    item = _scheduled(demo)
    for name in ("leader", "auditor", "admin"):
        with pytest.raises(NotAllowed):
            fire(item, user(name), "publish_scheduled")


def test_expiry_makes_a_published_item_expired_and_the_page_says_so(client, demo):
    item = publish(draft(demo, title="将到期的通知EXPIRING"))
    set_schedule(item, user("editor"), item.version, expires_at=_iso(utcnow() + timedelta(days=30)))
    db.session.commit()
    assert expire_due_items() == []
    db.session.execute(db.update(Item).where(Item.id == item.id).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert expire_due_items() == [item.id]
    item = db.session.get(Item, item.id)
    assert item.validity == "expired" and item.validity_changed_on is not None
    assert expire_due_items() == []  # idempotent
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "本文件已失效" in page


def test_schedule_rules(demo):
    item = draft(demo)
    editor = user("editor")
    with pytest.raises(ValidationError) as exc:
        set_schedule(item, editor, item.version, publish_at=_iso(utcnow() - timedelta(minutes=1)))
    assert exc.value.status == 422 and "publish_at" in exc.value.fields
    later = utcnow() + timedelta(days=2)
    with pytest.raises(ValidationError) as exc:
        set_schedule(item, editor, item.version, publish_at=_iso(later), expires_at=_iso(later - timedelta(hours=1)))
    assert exc.value.fields == {"expires_at": "before_publish_at"}
    with pytest.raises(ValidationError):
        set_schedule(item, editor, item.version, expires_at=_iso(utcnow() - timedelta(hours=1)))
    with pytest.raises(ValidationError):
        set_schedule(item, editor, item.version, publish_at="明天上午")
    with pytest.raises(Conflict):
        set_schedule(item, editor, item.version + 5, publish_at=_iso(later))
    with pytest.raises(NotAllowed):
        set_schedule(item, user("editor2"), item.version, publish_at=_iso(later))
    set_schedule(item, editor, item.version, publish_at=_iso(later), expires_at=_iso(later + timedelta(days=1)))
    assert item.publish_at == later
    fire(item, editor, "submit")
    with pytest.raises(Conflict):  # under review: the sign-off covers the date shown to reviewers
        set_schedule(item, editor, item.version, publish_at=_iso(later + timedelta(days=1)))


def test_published_items_take_an_expiry_but_no_publish_time_and_copies_take_neither(demo):
    from cms.content.services import update_item

    item = publish(draft(demo))
    with pytest.raises(ValidationError):
        set_schedule(item, user("editor"), item.version, publish_at=_iso(utcnow() + timedelta(days=1)))
    copy = update_item(item, user("editor"), item.version, summary="修订")
    with pytest.raises(ValidationError):
        set_schedule(copy, user("editor"), copy.version, expires_at=_iso(utcnow() + timedelta(days=1)))


def test_beijing_time_when_no_offset(demo):
    item = draft(demo)
    set_schedule(item, user("editor"), item.version, publish_at="2099-05-01T09:00")
    assert item.publish_at.isoformat() == "2099-05-01T01:00:00"
    set_schedule(item, user("editor"), item.version, publish_at="2099-05-01T09:00:00Z")
    assert item.publish_at.isoformat() == "2099-05-01T09:00:00"


def test_a_scheduled_item_keeps_its_place_under_the_one_place_rule(demo):
    _scheduled(demo, title="唯一发布位置的通知", body_html="<p>" + "同一份文件的正文内容，" * 20 + "</p>")
    twin = draft(demo, column="policies", title="唯一发布位置的通知",
                 body_html="<p>" + "同一份文件的正文内容，" * 20 + "</p>", type="policy")
    with pytest.raises(ConditionFailed):
        fire(twin, user("editor"), "submit")

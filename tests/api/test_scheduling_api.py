"""PATCH /api/v1/items/{id} {publish_at?, expires_at?}: ISO date-times (offset, or Beijing time), 422 for a time
in the past or an expiry before the publication, 409 stale, 403 for others; the sign-off then schedules."""
from datetime import timedelta

from cms.clock import CST, utcnow
from cms.content.models import Item
from cms.content.scheduling import publish_due_items
from cms.extensions import db
from tests.workflow.helpers import draft, publish


def _local(delta):
    """A Beijing-time ISO string ``delta`` from now, without offset."""
    return (utcnow().replace(tzinfo=None) + timedelta(hours=8) + delta).strftime("%Y-%m-%dT%H:%M:%S")


def _patch(client, headers, item_id, **body):
    return client.patch(f"/api/v1/items/{item_id}", headers=headers, json=body)


def test_patch_schedule_then_sign_off_schedules_and_queue_publishes(client, demo, token_for):
    editor = token_for("editor")
    item = draft(demo, title="API定时发布的通知")
    db.session.commit()
    version = item.version
    response = _patch(client, editor, item.id, version=version, publish_at=_local(timedelta(hours=3)),
                      expires_at=(utcnow() + timedelta(days=10)).isoformat() + "+00:00")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["publish_at"].endswith("Z") and body["expires_at"].endswith("Z")
    assert body["state"] == "draft" and body["version"] == version + 1
    stored = db.session.get(Item, item.id)
    expected = (utcnow() + timedelta(hours=3)).replace(microsecond=0)
    assert abs((stored.publish_at - expected).total_seconds()) < 5  # Beijing time read as UTC+8
    publish(stored)
    assert client.get(f"/api/v1/items/{item.id}", headers=editor).get_json()["state"] == "scheduled"
    assert client.get(f"/items/{item.id}").status_code == 404
    db.session.execute(db.update(Item).where(Item.id == item.id).values(publish_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    publish_due_items()
    got = client.get(f"/api/v1/items/{item.id}", headers=editor).get_json()
    assert got["state"] == "published" and got["index_no"] and got["url"]


def test_past_times_and_expiry_before_publication_are_422(client, demo, token_for):
    editor = token_for("editor")
    item = draft(demo)
    db.session.commit()
    past = _patch(client, editor, item.id, version=item.version, publish_at="2020-01-01T09:00:00+08:00")
    assert past.status_code == 422 and past.get_json()["error"]["fields"] == {"publish_at": "in_past"}
    before = _patch(client, editor, item.id, version=item.version, publish_at=_local(timedelta(days=2)),
                    expires_at=_local(timedelta(days=1)))
    assert before.status_code == 422
    assert before.get_json()["error"]["fields"] == {"expires_at": "before_publish_at"}
    expired = _patch(client, editor, item.id, version=item.version, expires_at=_local(timedelta(minutes=-5)))
    assert expired.status_code == 422
    for bad in ("tomorrow", "2026-13-40T00:00", "2099-01-01", 12345):
        response = _patch(client, editor, item.id, version=item.version, publish_at=bad)
        assert response.status_code == 422, bad
        assert response.get_json()["error"]["message"]
    assert db.session.get(Item, item.id).publish_at is None


def test_stale_version_is_409_and_other_sections_403(client, demo, token_for):
    item = draft(demo)
    db.session.commit()
    stale = _patch(client, token_for("editor"), item.id, version=item.version - 1 if item.version > 1 else 99,
                   publish_at=_local(timedelta(days=1)))
    assert stale.status_code == 409
    other = _patch(client, token_for("editor2"), item.id, version=item.version, publish_at=_local(timedelta(days=1)))
    assert other.status_code in (403, 404)


def test_clearing_and_published_items(client, demo, token_for):
    editor = token_for("editor")
    item = draft(demo)
    db.session.commit()
    body = _patch(client, editor, item.id, version=item.version, publish_at=_local(timedelta(days=1))).get_json()
    cleared = _patch(client, editor, item.id, version=body["version"], publish_at=None)
    assert cleared.status_code == 200 and cleared.get_json()["publish_at"] is None
    live = publish(draft(demo, title="已发布的信息设定失效时间"))
    no_publish_at = _patch(client, editor, live.id, version=live.version, publish_at=_local(timedelta(days=1)))
    assert no_publish_at.status_code == 422
    expiry = _patch(client, editor, live.id, version=live.version, expires_at=_local(timedelta(days=30)))
    assert expiry.status_code == 200
    # Only the schedule changed: no working copy was made.
    assert Item.query.filter_by(working_copy_of_id=live.id).count() == 0
    assert expiry.get_json()["state"] == "published"


def test_reschedule_of_a_scheduled_item_by_the_office(client, demo, token_for):
    item = draft(demo)
    db.session.commit()
    body = _patch(client, token_for("editor"), item.id, version=item.version,
                  publish_at=_local(timedelta(days=1))).get_json()
    publish(db.session.get(Item, item.id))
    item = db.session.get(Item, item.id)
    assert item.state == "scheduled"
    refused = _patch(client, token_for("editor"), item.id, version=item.version, publish_at=_local(timedelta(days=2)))
    assert refused.status_code == 403
    moved = _patch(client, token_for("auditor"), item.id, version=item.version, publish_at=_local(timedelta(days=2)))
    assert moved.status_code == 200 and moved.get_json()["publish_at"] != body["publish_at"]
    retract = client.post(f"/api/v1/items/{item.id}/transitions", headers=token_for("leader"),
                          json={"name": "retract", "comment": "暂缓发布", "version": moved.get_json()["version"]})
    assert retract.status_code == 200
    assert retract.get_json()["state"] == "draft" and retract.get_json()["publish_at"] is None


def test_offsets_are_honoured(demo):
    from cms.content.scheduling import parse_instant

    assert parse_instant("2099-01-01T08:00:00+08:00", "publish_at").isoformat() == "2099-01-01T00:00:00"
    assert parse_instant("2099-01-01T08:00:00", "publish_at").isoformat() == "2099-01-01T00:00:00"
    assert parse_instant("2099-01-01T08:00:00Z", "publish_at").isoformat() == "2099-01-01T08:00:00"
    assert parse_instant("2099-01-01T08:00:00-05:00", "publish_at").isoformat() == "2099-01-01T13:00:00"
    assert CST.utcoffset(None) == timedelta(hours=8)

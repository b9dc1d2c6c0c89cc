"""/healthz names each dependency with its status: 200 when all are ok, 503 when one is down."""
from datetime import timedelta

from cms.clock import utcnow
from cms.extensions import db
from cms.jobs.heartbeat import record_heartbeat
from cms.jobs.models import JobHeartbeat
from tests.jobs.helpers import queued_jobs, run_queued


def test_all_dependencies_ok(client, demo):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok"
    assert {k: v["status"] for k, v in body.items() if k != "status"} == {
        "database": "ok", "search_index": "ok", "task_queue": "ok"}  # no "redis" unless configured
    assert body["task_queue"]["mode"] == "immediate"
    assert response.headers["Cache-Control"] == "no-store"


def test_unreachable_redis_is_503_naming_redis(app, client, demo, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_REDIS_URL", "redis://127.0.0.1:1/0")
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error"
    assert body["redis"]["status"] == "down" and body["redis"]["reason"]
    assert body["database"]["status"] == "ok"


def test_a_queue_consumer_not_seen_for_too_long_is_503(app, client, demo):
    with queued_jobs(app) as jobs:  # a real (non-immediate) queue: a consumer must be running
        idle = client.get("/healthz")  # a new site: no consumer yet, nothing waiting
        assert idle.status_code == 200, idle.get_json()
        jobs.enqueue("search.drain")  # work waits for a consumer that never came
        never = client.get("/healthz")
        assert never.status_code == 503
        assert never.get_json()["task_queue"]["status"] == "down"
        assert "never seen" in never.get_json()["task_queue"]["reason"]

        record_heartbeat()  # the consumer starts and takes the waiting work
        run_queued(jobs)
        db.session.commit()
        fresh = client.get("/healthz")
        assert fresh.status_code == 200, fresh.get_json()
        assert fresh.get_json()["task_queue"]["pending"] == 0

        stale_after = app.config["CMS_QUEUE_STALE_SECONDS"]
        JobHeartbeat.query.update({"beat_at": utcnow() - timedelta(seconds=stale_after + 60)})
        db.session.commit()
        stale = client.get("/healthz")
        assert stale.status_code == 503
        assert stale.get_json()["task_queue"]["reason"].startswith("queue consumer not seen for")


def test_a_fresh_install_is_healthy_before_its_consumer_first_runs(app, client):
    with queued_jobs(app):  # empty database, nothing published, no consumer seen yet
        response = client.get("/healthz")
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["task_queue"]["consumer_seen_at"] is None

"""The task queue: storage from the configuration, tasks enqueued after the commit, timed duties, heartbeat."""
from datetime import date

from huey import RedisHuey, SqliteHuey
from huey.storage import RedisStorage, SqliteStorage

from cms.accounts.models import User
from cms.extensions import db
from cms.jobs import enqueue_after_commit, register_tick
from cms.jobs.heartbeat import last_heartbeat
from cms.jobs.models import JobHeartbeat
from cms.jobs.periodic import _TICKS, run_ticks
from cms.jobs.queue import build_huey, get_jobs
from cms.notifications.models import Notification
from cms.notifications.services import notify
from tests.jobs.helpers import queued_jobs, queued_names, run_queued


def test_storage_is_a_sqlite_file_in_the_data_folder_by_default(tmp_path):
    huey = build_huey({"CMS_QUEUE_FILE": str(tmp_path / "queue.sqlite3"), "CMS_REDIS_URL": None})
    assert isinstance(huey, SqliteHuey) and isinstance(huey.storage, SqliteStorage)
    assert huey.storage.filename == str(tmp_path / "queue.sqlite3")
    assert not huey.immediate


def test_storage_is_redis_when_configured(tmp_path):
    huey = build_huey({"CMS_QUEUE_FILE": str(tmp_path / "q"), "CMS_REDIS_URL": "redis://127.0.0.1:6390/3"})
    assert isinstance(huey, RedisHuey) and isinstance(huey.storage, RedisStorage)
    assert huey.storage.conn.connection_pool.connection_kwargs["port"] == 6390


def test_tests_run_tasks_immediately(app):
    assert get_jobs().huey.immediate
    assert app.config["CMS_QUEUE_IMMEDIATE"]


def test_a_task_is_enqueued_only_when_the_transaction_commits(app, demo):
    with queued_jobs(app) as jobs:
        enqueue_after_commit("search.drain")
        db.session.rollback()
        assert queued_names(jobs) == []
        enqueue_after_commit("search.drain")
        enqueue_after_commit("search.drain")  # asked twice in one transaction: queued once
        db.session.commit()
        assert queued_names(jobs) == ["search.drain"]
        assert run_queued(jobs) == ["search.drain"]


def test_mail_is_sent_by_a_task_not_in_the_transaction(app, demo, monkeypatch):
    sent = []
    monkeypatch.setitem(app.config, "CMS_SMTP_HOST", "smtp.invalid")
    monkeypatch.setattr("cms.notifications.services.send_mail",
                        lambda to, message, link=None: sent.append((to, message, link)))
    editor = User.query.filter_by(username="editor").one()
    editor.email = "editor@example.cn"
    db.session.commit()
    with queued_jobs(app) as jobs:
        notify([editor], "请审核", "/admin/")
        db.session.commit()
        assert sent == [] and queued_names(jobs) == ["mail.send"]
        run_queued(jobs)
    assert sent == [("editor@example.cn", "请审核", "/admin/")]


def test_a_failing_duty_does_not_stop_the_others(app, demo, monkeypatch):
    monkeypatch.setattr("cms.jobs.periodic._TICKS", dict(_TICKS))
    seen = []

    def broken():
        db.session.add(Notification(user_id=User.query.first().id, message="never committed"))
        raise RuntimeError("boom")

    def counts():
        seen.append(Notification.query.filter_by(message="never committed").count())

    register_tick("test.broken", broken)
    register_tick("test.counts", counts)
    outcome = run_ticks()
    assert outcome["test.broken"] == "error" and outcome["test.counts"] == "ok"
    assert seen == [0]  # the broken duty's work was rolled back before the next one ran
    assert outcome["search.drain_outbox"] == "ok" and outcome["attachments.extract_pending"] == "ok"


def test_the_tick_records_the_heartbeat_and_runs_the_duties(app, demo, monkeypatch):
    monkeypatch.setattr("cms.jobs.periodic._TICKS", dict(_TICKS))
    ran = []
    register_tick("test.duty", lambda: ran.append(1))
    assert last_heartbeat() is None
    get_jobs().tasks["jobs.tick"]()  # immediate mode: runs now, as the consumer would every minute
    assert ran == [1]
    assert last_heartbeat() is not None
    get_jobs().tasks["jobs.tick"]()
    assert JobHeartbeat.query.count() == 1 and ran == [1, 1]


def test_periodic_tasks_are_the_tick_every_minute_and_the_weekday_reminder(app):
    from datetime import datetime

    periodic = {t.name: t for t in get_jobs().huey._registry.periodic_tasks}
    assert set(periodic) == {"jobs.tick", "applications.remind"}
    tick, remind = periodic["jobs.tick"], periodic["applications.remind"]
    assert tick.validate_datetime(datetime(2026, 12, 1, 3, 17))
    # 08:00 China Standard Time is 00:00 UTC; Tuesday yes, Saturday no.
    assert remind.validate_datetime(datetime(2026, 12, 1, 0, 0))
    assert not remind.validate_datetime(datetime(2026, 12, 1, 8, 0))
    assert not remind.validate_datetime(datetime(2026, 12, 5, 0, 0))


def test_the_daily_reminder_task_does_what_the_command_does(app, demo, monkeypatch):
    from tests.applications.helpers import Today, registered

    Today(monkeypatch, date(2025, 2, 21))
    registered(demo, date(2025, 1, 2))  # overdue
    get_jobs().tasks["applications.remind"]()
    auditor = User.query.filter_by(username="auditor").one()
    messages = [n.message for n in Notification.query.filter_by(user_id=auditor.id)]
    assert any("依申请公开提醒" in m and "超期 1 件" in m for m in messages)


def test_jobs_cli(app, demo):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["cms", "jobs", "tick"])
    assert result.exit_code == 0, result.output
    assert "search.drain_outbox: ok" in result.output
    status = runner.invoke(args=["cms", "jobs", "status"])
    assert "immediate" in status.output and "consumer last seen: never" in status.output
    worker = runner.invoke(args=["cms", "jobs", "worker"])
    assert worker.exit_code == 2 and "CMS_QUEUE_IMMEDIATE" in worker.output


def test_a_lost_drain_task_is_repaired_by_the_periodic_drain(app, demo, tmp_path):
    from cms.search.models import SearchOutbox
    from cms.search.service import get_backend
    from tests.workflow.helpers import draft, publish

    unreachable = build_huey({"CMS_REDIS_URL": "redis://127.0.0.1:1/0", "CMS_QUEUE_FILE": str(tmp_path / "q")})
    with queued_jobs(app, huey=unreachable):
        item = publish(draft(demo))  # the commit succeeds although the queue cannot take the drain task
    item_id = item.id
    assert SearchOutbox.query.filter_by(item_id=item_id).count() >= 1
    assert item_id not in get_backend().ids()
    outcome = run_ticks()  # what the consumer's one-minute tick does
    assert outcome["search.drain_outbox"] == "ok"
    assert SearchOutbox.query.count() == 0
    assert item_id in get_backend().ids()


def test_the_tick_runs_the_stage_due_and_response_clock_reminders(app, demo):
    from cms.jobs.periodic import registered_ticks, run_ticks

    ticks = registered_ticks()
    assert {"workflow.due_reminders", "clocks.reminders"} <= set(ticks)
    outcome = run_ticks()
    assert outcome["workflow.due_reminders"] == "ok" and outcome["clocks.reminders"] == "ok"

"""One real consumer: worker threads on a SQLite queue file take the tasks the app enqueued."""
import io
import time

from huey import SqliteHuey

from cms.content.attachments import add_attachment
from cms.content.models import Attachment
from cms.extensions import db
from cms.jobs.heartbeat import last_heartbeat
from tests.content.test_attachments import docx_bytes
from tests.jobs.helpers import queued_jobs, queued_names
from tests.workflow.helpers import draft, user


def _wait_for(predicate, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        db.session.rollback()  # end the read transaction: see what the consumer committed
        if predicate():
            return True
        time.sleep(0.2)
    return False


def test_a_consumer_extracts_an_uploaded_attachment_and_beats(app, demo, tmp_path):
    huey = SqliteHuey("cms-consumer-test", filename=str(tmp_path / "queue.sqlite3"), results=False, utc=True)
    with queued_jobs(app, huey=huey) as jobs:
        attachment = add_attachment(draft(demo), user("editor"), "实施方案.docx", io.BytesIO(docx_bytes("消费者提取的正文")))
        db.session.commit()
        attachment_id = attachment.id
        jobs.enqueue("jobs.tick")
        assert queued_names(jobs) == ["attachments.extract", "jobs.tick"]
        assert db.session.get(Attachment, attachment_id).extraction_status == "pending"

        consumer = huey.create_consumer(workers=2, worker_type="thread", periodic=False, max_delay=0.5)
        consumer._set_signal_handlers = lambda: None  # signals belong to the test runner's main thread
        consumer.start()
        try:
            assert _wait_for(lambda: db.session.get(Attachment, attachment_id).extraction_status != "pending")
            assert _wait_for(lambda: last_heartbeat() is not None)
        finally:
            consumer.stop(graceful=True)
        stored = db.session.get(Attachment, attachment_id)
        assert stored.extraction_status == "done"
        assert "消费者提取的正文" in stored.extracted_text
        assert huey.pending_count() == 0

"""The review's request path stays short (issue 17): the final sign-off leaves the search index and e-mail to
the task queue (the outbox row is written in the transaction), and no step recomputes the body's
fingerprints of an unchanged body."""
import smtplib

import pytest

from cms.content import one_place
from cms.extensions import db
from cms.jobs.queue import Jobs
from cms.search import service as search_service
from cms.search.models import SearchOutbox
from cms.workflow.engine import fire
from tests.workflow.helpers import draft, user


@pytest.fixture
def deferred(app, monkeypatch):
    """Record queue tasks instead of running them; fail on any index write, SMTP connection or fingerprint."""
    enqueued = Recorded()
    monkeypatch.setattr(Jobs, "enqueue", lambda self, name, *args: enqueued.append(name) or True)

    def refuse(*args, **kwargs):
        raise AssertionError("done in the request")

    monkeypatch.setattr(search_service, "get_backend", refuse)
    monkeypatch.setattr(smtplib, "SMTP", refuse)
    monkeypatch.setitem(app.config, "CMS_SMTP_HOST", "mail.invalid")
    enqueued.refuse = refuse
    return enqueued


class Recorded(list):
    pass


def test_final_sign_off_queues_index_and_mail(demo, client, token_for, deferred, monkeypatch):
    author = user("editor")
    author.email = "editor@example.cn"
    item = draft(demo, title="签发性能测试通知")  # fingerprints computed here, once, at creation
    db.session.commit()
    monkeypatch.setattr(one_place, "body_fingerprint", deferred.refuse)
    with pytest.raises(AssertionError):
        one_place.body_fingerprint("x")  # the guard is armed from here on
    fire(item, author, "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    db.session.commit()
    deferred.clear()
    response = client.post(f"/api/v1/items/{item.id}/transitions", headers=token_for("leader"),
                           json={"name": "approve", "version": item.version})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["state"] == "published"
    assert "search.drain" in deferred and "mail.send" in deferred
    assert SearchOutbox.query.filter_by(item_id=item.id, op="upsert").count() == 1

"""Applicants who gave an e-mail address are told of a supplement request, an extension and the reply."""
from datetime import date

import pytest

from tests.applications.helpers import Today, registered, step, to_reply


@pytest.fixture
def outbox(app, monkeypatch):
    sent = []
    monkeypatch.setitem(app.config, "CMS_SMTP_HOST", "smtp.invalid")
    monkeypatch.setattr("cms.notifications.services.send_mail", lambda to, message, link=None: sent.append((to, message)))
    return sent


def test_applicant_mails(demo, monkeypatch, outbox):
    Today(monkeypatch, date(2025, 1, 20))
    application = registered(demo, date(2025, 1, 20))
    step(application, "auditor", "request_supplement", comment="请写明文号", period=10)
    step(application, "auditor", "receive_supplement")
    step(application, "officehead", "extend", days=10, comment="需调取档案")
    to_reply(demo, application)
    to_applicant = [m for to, m in outbox if to == "wang@example.cn"]
    assert len(to_applicant) == 3
    assert "请写明文号" in to_applicant[0]
    assert "延长10个工作日" in to_applicant[1]
    assert "已答复" in to_applicant[2]


def test_no_mail_without_an_address_or_smtp(demo, monkeypatch, app, outbox):
    Today(monkeypatch, date(2025, 1, 20))
    application = registered(demo, date(2025, 1, 20), email=None, delivery="pickup")
    to_reply(demo, application)
    assert [to for to, _ in outbox if to == "wang@example.cn"] == []

"""Shared helpers for the application tests: a valid payload, a fixed "today", staff shortcuts."""
from datetime import date

from cms.accounts.models import Section, User
from cms.applications.models import Application
from cms.applications.services import register_by_staff, transition
from cms.extensions import db

RESIDENT_ID = "11010519491231002X"


def payload(**overrides):
    data = {
        "applicant_type": "person",
        "applicant_name": "王小明",
        "id_type": "resident_id",
        "id_number": RESIDENT_ID,
        "phone": "13912345678",
        "email": "wang@example.cn",
        "delivery": "email",
        "description": "2017年度文化市场执法检查结果",
        "document_hint": "嘉文广发〔2017〕31号",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def user(name):
    return User.query.filter_by(username=name).one()


def section(org, code):
    return Section.query.filter_by(organization_id=org.id, code=code).one()


class Today:
    """Move the desk's calendar: ``today.set(date(...))`` (monkeypatches cms.clock.local_today)."""

    def __init__(self, monkeypatch, start):
        self.value = start
        monkeypatch.setattr("cms.clock.local_today", lambda: self.value)

    def set(self, value):
        self.value = value


def registered(org, received_on, **overrides):
    """A letter received on ``received_on``, registered by the desk (auditor)."""
    data = payload(channel="registered_mail", received_on=received_on.isoformat(), **overrides)
    application = register_by_staff(user("auditor"), org, data)
    db.session.commit()
    return application


def step(application, username, name, **inputs):
    result = transition(application, user(username), name, **inputs)
    db.session.commit()
    return result


def to_reply(org, application, result="disclosed", reason=None):
    """assign to market → draft (editor) → office audit (auditor) → sign-off (leader)."""
    step(application, "auditor", "assign", section_id=section(org, "market").id)
    step(application, "editor", "draft_reply", result=result, result_reason=reason, reply_text="现将该信息提供给您。")
    step(application, "auditor", "approve", confidentiality_checked=True)
    step(application, "leader", "approve")
    return db.session.get(Application, application.id)


__all__ = ["date", "payload", "user", "section", "Today", "registered", "step", "to_reply"]

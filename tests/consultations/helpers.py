"""Shared steps: a consultation item drafted through the items API and published through the real review."""
from datetime import timedelta

from cms.clock import local_today
from cms.content.models import Item
from cms.extensions import db
from tests.workflow.helpers import publish

BODY = "<p>为进一步规范全市文化市场经营场所管理，我局起草了《管理办法（征求意见稿）》，现向社会公开征求意见。</p>"


def period(start_offset=-1, days=40, kind="major_decision", **extra):
    today = local_today()
    value = {"kind": kind, "opens_on": (today + timedelta(days=start_offset)).isoformat(),
             "closes_on": (today + timedelta(days=start_offset + days - 1)).isoformat()}
    value.update(extra)
    return value


def create(client, headers, consultation=None, title="关于《文化市场经营场所管理办法（征求意见稿）》公开征求意见的公告"):
    response = client.post("/api/v1/items", headers=headers, json={
        "column": "consultations", "type": "consultation", "title": title, "body_html": BODY.replace("《管理办法", f"《{title}所附管理办法"),
        "consultation": consultation or period()})
    return response


def published_consultation(client, token_for, consultation=None, title=None):
    response = create(client, token_for("editor"), consultation, **({"title": title} if title else {}))
    assert response.status_code == 201, response.get_json()
    item = db.session.get(Item, response.get_json()["id"])
    publish(item)
    return item


def comment(client, item_id, **payload):
    payload.setdefault("body", "建议延长经营场所消防检查的整改期限，并公布检查标准。")
    return client.post(f"/api/v1/consultations/{item_id}/comments", json=payload)

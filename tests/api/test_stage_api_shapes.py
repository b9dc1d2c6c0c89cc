"""Issue 11's API points not covered elsewhere: a quorum nobody can meet is a 422 (POST and PUT), a delegate's
countersignature shows in the item's ``stage`` and history with ``on_behalf_of`` and counts once for the
delegator, a delegation outside its window is refused, and the worklist carries ``due_at``/``overdue``."""
from datetime import timedelta

from cms.clock import utcnow
from cms.content.models import Item
from cms.extensions import db
from tests.workflow.helpers import user
from tests.workflow.stage_helpers import delegate, person

PANEL = {"code": "panel", "title": "会签流程", "on_return": "resume", "stages": [
    {"code": "panel", "title": "科长会签", "role": "section_chief", "scope": "organization", "quorum": 2,
     "due": {"hours": 4}},
    {"code": "office", "title": "办公室审核", "role": "office_auditor", "scope": "organization",
     "confidentiality": True}]}


def test_a_quorum_larger_than_the_people_who_can_meet_it_is_a_422_on_post_and_put(client, demo, token_for):
    admin = token_for("admin")
    too_many = {**PANEL, "stages": [{**PANEL["stages"][0], "quorum": 9}, PANEL["stages"][1]]}
    response = client.post("/api/v1/workflows", json=too_many, headers=admin)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"stages[0].quorum": "larger_than_holders"}
    assert "会签人数超过可审核的人数" in response.get_json()["error"]["message"]
    # One chief per section: a quorum of two within the item's own section cannot be met either.
    own = {**PANEL, "stages": [{**PANEL["stages"][0], "scope": "item_section"}, PANEL["stages"][1]]}
    assert client.post("/api/v1/workflows", json=own, headers=admin).get_json()["error"]["fields"] == {
        "stages[0].quorum": "larger_than_holders"}
    assert client.post("/api/v1/workflows", json=PANEL, headers=admin).status_code == 201
    put = client.put("/api/v1/workflows/panel", json=too_many, headers=admin)
    assert put.status_code == 422 and put.get_json()["error"]["fields"] == {"stages[0].quorum": "larger_than_holders"}
    assert client.get("/api/v1/workflows/panel", headers=admin).get_json()["version"] == 1


def test_a_delegate_countersigns_once_for_the_delegator_within_the_window(client, demo, token_for):
    admin = token_for("admin")
    assert client.post("/api/v1/workflows", json=PANEL, headers=admin).status_code == 201
    assert client.patch("/api/v1/columns/notices", json={"workflow": "panel"}, headers=admin).status_code == 200
    deputy = person("deputy", [("museum", "editor")])
    window = delegate(user("chief2"), deputy)
    db.session.commit()
    editor = token_for("editor")
    item = client.post("/api/v1/items", json={"column": "notices", "type": "notice", "title": "会签代理测试通知",
                                              "body_html": "<p>正文</p>"}, headers=editor).get_json()
    url = f"/api/v1/items/{item['id']}/transitions"
    submitted = client.post(url, json={"name": "submit"}, headers=editor).get_json()
    assert submitted["stage"]["code"] == "panel" and submitted["stage"]["quorum"] == 2
    assert submitted["stage"]["due_at"] is not None
    waiting = client.get("/api/v1/worklist", headers=token_for("chief")).get_json()["items"]
    assert [(i["id"], i["overdue"]) for i in waiting] == [(item["id"], False)] and waiting[0]["due_at"]

    deputy_headers = token_for("deputy")
    signed = client.post(url, json={"name": "approve", "version": submitted["version"]}, headers=deputy_headers)
    assert signed.status_code == 200, signed.get_json()
    shown = client.get(f"/api/v1/items/{item['id']}", headers=editor).get_json()
    assert shown["state"] == "pending_panel"
    assert [(a["actor"], a["on_behalf_of"]) for a in shown["stage"]["approvals"]] == [("deputy", "chief2")]
    # The delegator's own approval would count for the same person: refused, nothing counted twice.
    again = client.post(url, json={"name": "approve"}, headers=token_for("chief2"))
    assert again.status_code in (403, 422)
    assert len(client.get(f"/api/v1/items/{item['id']}", headers=editor).get_json()["stage"]["approvals"]) == 1
    history = client.get(f"/api/v1/items/{item['id']}/history", headers=editor).get_json()["entries"]
    assert (history[-1]["transition"], history[-1]["stage"], history[-1]["actor"], history[-1]["on_behalf_of"]) == (
        "approve", "panel", "deputy", "chief2")

    # Outside the window the delegate is refused.
    window.ends_at = utcnow() - timedelta(minutes=1)
    db.session.commit()
    other = client.post("/api/v1/items", json={"column": "notices", "type": "notice", "title": "窗口外代理测试",
                                               "body_html": "<p>正文</p>"}, headers=editor).get_json()
    other_url = f"/api/v1/items/{other['id']}/transitions"
    client.post(other_url, json={"name": "submit"}, headers=editor)
    refused = client.post(other_url, json={"name": "approve"}, headers=deputy_headers)
    assert refused.status_code in (403, 404)  # no longer acting for anyone there: not even visible
    assert db.session.get(Item, other["id"]).state == "pending_panel"
    # The quorum is met by a second, distinct chief.
    done = client.post(url, json={"name": "approve"}, headers=token_for("chief"))
    assert done.status_code == 200 and done.get_json()["state"] == "pending_office"


def test_an_overdue_stage_is_flagged_in_the_worklist(client, demo, token_for):
    admin = token_for("admin")
    client.post("/api/v1/workflows", json=PANEL, headers=admin)
    client.patch("/api/v1/columns/notices", json={"workflow": "panel"}, headers=admin)
    editor = token_for("editor")
    item = client.post("/api/v1/items", json={"column": "notices", "type": "notice", "title": "超期测试通知",
                                              "body_html": "<p>正文</p>"}, headers=editor).get_json()
    client.post(f"/api/v1/items/{item['id']}/transitions", json={"name": "submit"}, headers=editor)
    row = db.session.get(Item, item["id"])
    row.stage_due_at = utcnow() - timedelta(minutes=5)
    db.session.commit()
    [entry] = client.get("/api/v1/worklist", headers=token_for("chief")).get_json()["items"]
    assert entry["overdue"] is True and entry["due_at"].endswith("Z")

"""API v1: stored workflows, a column's workflow, delegations, and the stage an item waits in."""
from datetime import timedelta

from cms.accounts.models import AuditLog, Delegation
from cms.clock import utcnow
from tests.workflow.stage_helpers import person

MAJOR = {
    "code": "major_decision", "title": "重大决策四级审核", "on_return": "resume",
    "stages": [
        {"code": "section", "title": "科室审核", "role": "section_chief", "scope": "item_section",
         "due": {"working_days": 2}},
        {"code": "cosign", "title": "相关科室会签", "role": "section_chief", "scope": "sections",
         "sections": ["market", "broadcast"], "quorum": "all", "due": {"working_days": 3}},
        {"code": "office", "title": "办公室审核", "role": "office_auditor", "scope": "organization",
         "confidentiality": True},
        {"code": "leader", "title": "分管领导审定", "role": "leader", "scope": "item_section", "due": {"hours": 48}},
        {"code": "director", "title": "主要负责人签发", "role": "director", "scope": "organization"},
    ],
}


def _iso(delta):
    return (utcnow() + delta).isoformat() + "Z"


def test_workflows_are_listed_created_versioned_and_assigned_to_a_column(client, demo, token_for):
    person("director", [("office", "director")])
    admin, editor = token_for("admin"), token_for("editor")
    codes = {w["code"] for w in client.get("/api/v1/workflows", headers=editor).get_json()["workflows"]}
    assert {"three_stage", "two_stage"} <= codes
    assert client.post("/api/v1/workflows", json=MAJOR, headers=editor).status_code == 403
    created = client.post("/api/v1/workflows", json=MAJOR, headers=admin)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["code"], body["version"]) == ("major_decision", 1)
    assert body["states"]["pending_director"] == "待主要负责人签发"
    assert client.post("/api/v1/workflows", json=MAJOR, headers=admin).status_code == 422  # exists: use PUT
    changed = client.put("/api/v1/workflows/major_decision", json={**MAJOR, "title": "重大决策审核（修订）"},
                         headers=admin)
    assert changed.status_code == 200 and changed.get_json()["version"] == 2
    assert client.get("/api/v1/workflows/major_decision", headers=editor).get_json()["version"] == 2
    assert client.get("/api/v1/workflows/nothing", headers=editor).status_code == 404

    assert client.patch("/api/v1/columns/notices", json={"workflow": "major_decision"}, headers=editor).status_code == 403
    bad = client.patch("/api/v1/columns/notices", json={"workflow": "nothing"}, headers=admin)
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"] == {"workflow": "invalid"}
    ok = client.patch("/api/v1/columns/notices", json={"workflow": "major_decision"}, headers=admin)
    assert ok.status_code == 200 and ok.get_json()["workflow"] == "major_decision"
    item = client.post("/api/v1/items", json={"column": "notices", "title": "关于调整文化市场执法流程的决定"},
                       headers=editor).get_json()
    assert item["workflow"] == "major_decision" and item["stage"] is None
    submitted = client.post(f"/api/v1/items/{item['id']}/transitions", json={"name": "submit"}, headers=editor)
    stage = submitted.get_json()["stage"]
    assert stage["code"] == "section" and stage["due_at"] is None or stage["due_at"].endswith("Z")
    chief = token_for("chief")
    client.post(f"/api/v1/items/{item['id']}/transitions", json={"name": "approve"}, headers=chief)
    cosigned = client.post(f"/api/v1/items/{item['id']}/transitions", json={"name": "approve"},
                           headers=token_for("chief2")).get_json()
    assert cosigned.get("state") == "pending_cosign", cosigned
    assert [a["actor"] for a in cosigned["stage"]["approvals"]] == ["chief2"]
    assert cosigned["stage"]["quorum"] == "all"
    worklist = client.get("/api/v1/worklist", headers=chief).get_json()["items"]
    assert [(i["id"], i["overdue"]) for i in worklist] == [(item["id"], False)]
    history = client.get(f"/api/v1/items/{item['id']}/history", headers=editor).get_json()["entries"]
    assert [(h["transition"], h["stage"]) for h in history][-2:] == [("approve", "section"), ("approve", "cosign")]
    returned = client.post(f"/api/v1/items/{item['id']}/transitions",
                           json={"name": "return", "to_stage": "section", "comment": "请科室重新核对"}, headers=chief)
    assert returned.get_json()["state"] == "pending_section"


def test_invalid_definitions_answer_422_per_field(client, demo, token_for):
    admin = token_for("admin")
    bad = {**MAJOR, "code": "broken", "stages": [
        {"code": "a", "title": "甲", "role": "wizard"},
        {"code": "a", "title": "乙", "role": "leader", "scope": "sections", "sections": ["nowhere"]}]}
    response = client.post("/api/v1/workflows", json=bad, headers=admin)
    assert response.status_code == 422
    fields = response.get_json()["error"]["fields"]
    assert fields["stages[0].role"] == "unknown_role"
    assert fields["stages[1].code"] == "duplicate"
    assert fields["stages[1].sections"] == "unknown_section"
    assert fields["stages"] == "confidentiality_stage_required"
    empty = client.post("/api/v1/workflows", json={"code": "empty", "title": "空", "stages": []}, headers=admin)
    assert empty.get_json()["error"]["fields"] == {"stages": "empty"}
    assert client.post("/api/v1/workflows", data="[", headers={**admin, "Content-Type": "application/json"}
                       ).status_code == 400


def test_delegations_are_created_listed_used_and_revoked(client, demo, token_for):
    deputy = person("deputy", [("museum", "editor")], name="钱副局长")
    leader = token_for("leader")
    window = {"to": "deputy", "starts_at": _iso(timedelta(hours=-1)), "ends_at": _iso(timedelta(days=2))}
    assert client.post("/api/v1/delegations", json={**window, "from": "leader"},
                       headers=token_for("editor")).status_code == 403  # not theirs to give
    bad = client.post("/api/v1/delegations", json={**window, "ends_at": _iso(timedelta(hours=-2))}, headers=leader)
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"] == {"ends_at": "before_start"}
    assert client.post("/api/v1/delegations", json={**window, "roles": ["director"]},
                       headers=leader).status_code == 422  # not a role the leader holds
    created = client.post("/api/v1/delegations", json={**window, "roles": ["leader"]}, headers=leader)
    assert created.status_code == 201, created.get_json()
    body = created.get_json()
    assert (body["from"], body["to"], body["roles"]) == ("leader", "deputy", ["leader"])
    assert [d["id"] for d in client.get("/api/v1/delegations", headers=token_for("deputy")).get_json()["delegations"]] \
        == [body["id"]]
    assert client.get("/api/v1/delegations", headers=token_for("chief")).get_json()["delegations"] == []
    # An admin sets one up for someone else.
    for_chief = client.post("/api/v1/delegations", json={**window, "from": "chief"}, headers=token_for("admin"))
    assert for_chief.status_code == 201
    assert AuditLog.query.filter_by(action="delegation_create").count() == 2

    editor = token_for("editor")
    item = client.post("/api/v1/items", json={"column": "notices", "title": "代理签发测试通知"}, headers=editor).get_json()
    url = f"/api/v1/items/{item['id']}/transitions"
    client.post(url, json={"name": "submit"}, headers=editor)
    client.post(url, json={"name": "approve"}, headers=token_for("chief"))
    client.post(url, json={"name": "approve", "confidentiality_checked": True}, headers=token_for("auditor"))
    signed = client.post(url, json={"name": "approve"}, headers=token_for("deputy"))
    assert signed.status_code == 200 and signed.get_json()["state"] == "published"
    last = client.get(f"/api/v1/items/{item['id']}/history", headers=editor).get_json()["entries"][-1]
    assert (last["actor"], last["on_behalf_of"]) == ("deputy", "leader")
    audit = AuditLog.query.filter_by(action="transition_on_behalf").one()
    assert audit.actor_name == "deputy" and audit.details["on_behalf_of"] == "leader"

    assert client.delete(f"/api/v1/delegations/{body['id']}", headers=token_for("chief")).status_code == 404
    assert client.delete(f"/api/v1/delegations/{body['id']}", headers=leader).status_code == 204
    assert Delegation.query.filter_by(to_user_id=deputy.id, from_user_id=body and deputy.id).count() == 0
    assert client.delete(f"/api/v1/delegations/{body['id']}", headers=leader).status_code == 404

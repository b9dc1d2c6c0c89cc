"""The workflow editor and the delegation screen (server side; the browser test drives the same forms)."""
from datetime import timedelta

from cms.accounts.models import Delegation
from cms.clock import to_local, utcnow
from cms.workflow.store import latest_version, load
from tests.workflow.stage_helpers import person


def _stage_fields(index, code, title, role, scope="item_section", **extra):
    data = {f"stages-{index}-code": code, f"stages-{index}-title": title, f"stages-{index}-role": role,
            f"stages-{index}-scope": scope, f"stages-{index}-quorum": extra.pop("quorum", "any")}
    for name, value in extra.items():
        data[f"stages-{index}-{name}"] = value
    return data


def test_admin_composes_validates_previews_and_saves_a_workflow(client, demo, login_as):
    login_as("admin")
    assert "three_stage" in client.get("/admin/workflows").get_data(as_text=True)
    assert client.get("/admin/workflows/new").status_code == 200
    base = {"code": "joint_notice", "title": "联合发文会签", "on_return": "resume"}
    # Add a stage with the button (no JavaScript needed).
    added = client.post("/admin/workflows/new", data={**base, **_stage_fields(0, "section", "科室审核", "section_chief"),
                                                      "action": "add"})
    assert added.status_code == 200 and 'name="stages-1-code"' in added.get_data(as_text=True)
    stages = {**_stage_fields(0, "section", "科室审核", "section_chief"),
              **_stage_fields(1, "cosign", "会签", "section_chief", "sections", quorum="all"),
              "stages-1-sections": ["market", "broadcast"]}
    refused = client.post("/admin/workflows/new", data={**base, **stages, "action": "save"})
    assert refused.status_code == 422
    assert "必须包含保密审查环节" in refused.get_data(as_text=True)
    stages.update(_stage_fields(2, "office", "办公室审核", "office_auditor", "organization", confidentiality="1"))
    moved = client.post("/admin/workflows/new", data={**base, **stages, "action": "up-2"})
    page = moved.get_data(as_text=True)
    assert page.index('value="办公室审核"') < page.index('value="会签"')
    preview = client.post("/admin/workflows/new", data={**base, **stages, "action": "preview"})
    assert "pending_cosign" in preview.get_data(as_text=True)
    saved = client.post("/admin/workflows/new", data={**base, **stages, "stages-1-due_kind": "working_days",
                                                      "stages-1-due_value": "3", "action": "save"})
    assert saved.status_code == 302
    data, version, _ = load("joint_notice")
    assert version == 1
    assert data["stages"][1] == {"code": "cosign", "title": "会签", "role": "section_chief", "scope": "sections",
                                 "sections": ["market", "broadcast"], "quorum": "all", "due": {"working_days": 3}}
    removed = client.post("/admin/workflows/joint_notice", data={**base, **stages, "action": "remove-0"})
    assert 'value="科室审核"' not in removed.get_data(as_text=True)
    client.post("/admin/workflows/joint_notice", data={**base, **stages, "title": "联合发文会签（二）",
                                                         "action": "save"})
    assert latest_version("joint_notice") == 2


def test_only_admins_edit_workflows(client, demo, login_as):
    login_as("chief")
    assert client.get("/admin/workflows").status_code == 403
    assert client.post("/admin/workflows/new", data={"action": "save"}).status_code == 403


def test_delegation_screen_sets_lists_and_revokes(client, demo, login_as):
    person("deputy", [("museum", "editor")], name="钱副局长")
    login_as("leader")
    start = to_local(utcnow() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    end = to_local(utcnow() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    bad = client.post("/admin/delegations", data={"to": "deputy", "starts_at": end, "ends_at": start})
    assert bad.status_code == 422
    ok = client.post("/admin/delegations", data={"to": "deputy", "starts_at": start, "ends_at": end,
                                                 "roles": ["leader"]})
    assert ok.status_code == 302
    row = Delegation.query.one()
    assert row.roles == ["leader"] and row.starts_at < utcnow() < row.ends_at
    assert "钱副局长" in client.get("/admin/delegations").get_data(as_text=True)
    assert client.post(f"/admin/delegations/{row.id}/delete").status_code == 302
    assert Delegation.query.count() == 0

"""谁起草、谁解读, the interpretation forms, and what the item API shows."""
import io
import struct

import pytest

from cms.content.catalog import get_column
from cms.extensions import db
from cms.workflow.engine import fire
from tests.interpretations.helpers import interpretation_draft, policy_draft, sign_off, to_final_stage
from tests.workflow.helpers import user
from tests.workflow.stage_helpers import OFFICE, define, stage


def _create(client, headers, **fields):
    body = {"column": "interpretations", "type": "interpretation", "title": "政策解读",
            "body_html": "<p>解读正文：背景、要点、适用范围。</p>", **fields}
    return client.post("/api/v1/items", headers=headers, json=body)


def test_another_section_cannot_interpret_on_create_update_or_submit(client, demo, token_for):
    policy = policy_draft(demo)  # drafted by the market section
    broadcast_policy = policy_draft(demo, title="广播电视设施保护办法", author="editor2")
    db.session.commit()
    response = _create(client, token_for("editor2"), interprets=policy.id)
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"section": "not_drafting_section"}
    assert "谁起草、谁解读" in response.get_json()["error"]["message"]

    own = _create(client, token_for("editor2"), interprets=broadcast_policy.id)
    assert own.status_code == 201
    patched = client.patch(f"/api/v1/items/{own.get_json()['id']}", headers=token_for("editor2"),
                           json={"version": own.get_json()["version"], "interprets": policy.id})
    assert patched.status_code == 422
    assert patched.get_json()["error"]["fields"] == {"section": "not_drafting_section"}

    # A link written around the services is still refused when the draft is submitted.
    from cms.content.models import Item

    stray = db.session.get(Item, own.get_json()["id"])
    stray.interprets_id = policy.id
    db.session.commit()
    submitted = client.post(f"/api/v1/items/{stray.id}/transitions", headers=token_for("editor2"),
                            json={"name": "submit"})
    assert submitted.status_code == 422
    assert submitted.get_json()["error"]["fields"] == {"section": "not_drafting_section"}


def test_a_countersigning_section_may_interpret(client, demo, token_for):
    define("cosign", [stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all"),
                      OFFICE, stage("leader", "leader", title="分管领导审定")])
    get_column(demo.id, "policies").workflow = "cosign"
    db.session.commit()
    policy = policy_draft(demo)
    db.session.commit()
    response = _create(client, token_for("editor2"), interprets=policy.id)
    assert response.status_code == 201, response.get_json()


def test_interpretation_form_through_the_api(client, demo, token_for):
    policy = policy_draft(demo)
    db.session.commit()
    editor = token_for("editor")
    assert _create(client, editor, interprets=policy.id, interpretation_form="cartoon").status_code == 422
    assert _create(client, editor, interprets=policy.id, interpretation_form=3).status_code == 422
    on_policy = client.post("/api/v1/items", headers=editor, json={
        "column": "policies", "type": "policy", "title": "另一政策", "interpretation_form": "text"})
    assert on_policy.status_code == 422
    assert on_policy.get_json()["error"]["fields"] == {"interpretation_form": "only_for_interpretation"}
    created = _create(client, editor, interprets=policy.id, interpretation_form="press_conference")
    assert created.status_code == 201
    assert created.get_json()["interpretation_form"] == "press_conference"
    shown = client.get(f"/api/v1/items/{policy.id}", headers=editor).get_json()
    assert shown["interpreted_by"] == [created.get_json()["id"]]


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
MP4 = struct.pack(">I", 24) + b"ftypisom" + b"\x00" * 64


def _upload(client, headers, item_id, data, filename):
    return client.post(f"/api/v1/items/{item_id}/attachments", headers=headers,
                       data={"file": (io.BytesIO(data), filename)}, content_type="multipart/form-data")


def test_a_video_interpretation_needs_its_video_and_a_poster(client, demo, token_for):
    policy = policy_draft(demo)
    db.session.commit()
    editor = token_for("editor")
    item = _create(client, editor, interprets=policy.id, interpretation_form="video").get_json()
    submit = client.post(f"/api/v1/items/{item['id']}/transitions", headers=editor, json={"name": "submit"})
    assert submit.status_code == 422
    assert submit.get_json()["error"]["fields"] == {"attachments.video": "required", "attachments.poster": "required"}
    assert _upload(client, editor, item["id"], MP4, "解读视频.mp4").status_code == 201
    submit = client.post(f"/api/v1/items/{item['id']}/transitions", headers=editor, json={"name": "submit"})
    assert submit.get_json()["error"]["fields"] == {"attachments.poster": "required"}
    assert _upload(client, editor, item["id"], PNG, "封面.png").status_code == 201
    submit = client.post(f"/api/v1/items/{item['id']}/transitions", headers=editor, json={"name": "submit"})
    assert submit.status_code == 200, submit.get_json()
    # Released with its policy, the page plays the video with its poster.
    from cms.content.models import Item

    interp = db.session.get(Item, item["id"])
    fire(interp, user("chief"), "approve")
    fire(interp, user("auditor"), "approve", confidentiality_checked=True)
    sign_off(to_final_stage(db.session.get(Item, policy.id)))
    page = client.get(f"/items/{interp.id}").get_data(as_text=True)
    assert "视频解读" in page and "<video" in page and 'poster="/attachments/' in page and 'type="video/mp4"' in page


def test_the_editor_form_sets_the_interpretation_form(client, demo, login_as):
    policy = policy_draft(demo)
    db.session.commit()
    login_as("editor")
    page = client.get("/admin/items/new").get_data(as_text=True)
    assert 'name="interpretation_form"' in page and "新闻发布会解读" in page
    column = get_column(demo.id, "interpretations")
    response = client.post("/admin/items/new", data={
        "column_id": column.id, "type": "interpretation", "title": "图解：文化市场安全管理办法",
        "body_html": "<p>图解内容</p>", "disclosure": "proactive", "validity": "valid",
        "interprets_id": policy.id, "interpretation_form": "graphic", "five_public": "", "summary": ""})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    from cms.content.models import Item

    item = Item.query.filter_by(title="图解：文化市场安全管理办法").one()
    assert item.interpretation_form == "graphic" and item.interprets_id == policy.id
    edit = client.get(f"/admin/items/{item.id}/edit").get_data(as_text=True)
    assert '<option selected value="graphic">图解</option>' in edit


def test_signing_off_needs_the_right_to_sign_the_interpretation(demo):
    """A countersigning section's interpretation must be signable by whoever signs the policy off."""
    from cms.accounts.models import Membership, Section
    from cms.errors import ConditionFailed
    from tests.workflow.stage_helpers import person

    define("cosign", [stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all"),
                      OFFICE, stage("leader", "leader", title="分管领导审定")])
    get_column(demo.id, "policies").workflow = "cosign"
    policy = policy_draft(demo)
    fire(policy, user("editor"), "submit")
    fire(policy, user("chief"), "approve")
    fire(policy, user("chief2"), "approve")
    fire(policy, user("auditor"), "approve", confidentiality_checked=True)
    interp = to_final_stage(interpretation_draft(demo, policy, author="editor2"))
    market = Section.query.filter_by(code="market").one()
    Membership.query.filter_by(user_id=user("leader").id, section_id=market.id).delete()
    person("leader2", [("market", "leader")])
    db.session.commit()
    with pytest.raises(ConditionFailed) as refused:
        sign_off(policy, "leader2")
    assert refused.value.fields == {"interpretation": "not_allowed"}
    db.session.rollback()
    assert policy.state == interp.state == "pending_leader"

"""Issue 12 on the review screen: history in Chinese with stages (custom ones too) and the 保密审查 ticks,
the decision panel beside the preview, the public-layout preview and signed preview links."""
import re

import pytest
from itsdangerous.timed import TimestampSigner

from cms.content.checklist import CODES
from cms.content.models import Attachment, Item
from cms.extensions import db
from cms.workflow.engine import fire
from tests.conftest import login
from tests.workflow.helpers import draft, publish, user
from tests.workflow.stage_helpers import OFFICE, item_in, define, stage

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _act(client, item_id, name, **extra):
    extra.setdefault("version", db.session.get(Item, item_id).version)
    return client.post(f"/admin/items/{item_id}/transitions", data={"name": name, **extra})


def _at_office(demo):
    item = draft(demo)
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    db.session.commit()
    return item


def test_history_shows_chinese_titles_stages_and_the_checklist_ticks(client, demo, token_for):
    item = _at_office(demo)
    login(client, "auditor")
    response = _act(client, item.id, "approve", checklist=list(CODES))
    assert response.status_code == 302
    page = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    history = page[page.index('id="history"'):]
    for text in ("创建草稿", "提交审核", "科室审核通过", "办公室审核通过", "办公室审核", "科室审核",
                 "不涉及国家秘密、工作秘密", "公开属性认定正确（主动公开）", "保密审查（张审核"):
        assert text in history, text
    assert ">approve<" not in history and ">submit<" not in history and ">create<" not in history

    headers = token_for("auditor")
    entries = client.get(f"/api/v1/items/{item.id}/history", headers=headers).get_json()["entries"]
    office = [e for e in entries if e["stage"] == "office"][0]
    assert office["title"] == "办公室审核通过" and office["stage_title"] == "办公室审核"
    assert [c["code"] for c in office["checklist"]] == list(CODES)
    assert entries[0]["title"] == "创建草稿" and entries[0]["checklist"] == []


def test_the_declaration_alone_records_every_item_and_a_partial_tick_list_is_refused(client, demo):
    item = _at_office(demo)
    login(client, "auditor")
    refused = _act(client, item.id, "approve", confidentiality_checked="y", checklist=["no_secrets"])
    assert refused.status_code == 422
    text = refused.get_data(as_text=True)
    assert "保密审查清单尚未逐项勾选" in text and "不属于内部事务信息或过程性信息" in text
    assert 'value="no_secrets" id="check-no_secrets" checked' in text  # the ticks stay
    incomplete = _act(client, item.id, "approve", checklist=["no_secrets", "no_private"])
    assert incomplete.status_code == 422 and "保密审查" in incomplete.get_data(as_text=True)
    assert db.session.get(Item, item.id).state == "pending_office"
    assert _act(client, item.id, "approve", confidentiality_checked="y").status_code == 302
    from cms.workflow.models import WorkflowHistory

    entry = WorkflowHistory.query.filter_by(subject_id=item.id, stage="office").one()
    assert entry.inputs["checklist"] == list(CODES)


def test_a_return_at_the_office_keeps_the_ticks_given(client, demo):
    item = _at_office(demo)
    login(client, "auditor")
    assert _act(client, item.id, "return", comment="涉及个人信息，请处理", checklist=["no_secrets"]).status_code == 302
    page = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    history = page[page.index('id="history"'):]
    assert "退回修改" in history and "不涉及国家秘密、工作秘密" in history
    assert "不属于内部事务信息" not in history


def test_the_api_accepts_checklist_ticks_and_refuses_unknown_codes(client, demo, token_for):
    item = _at_office(demo)
    headers = token_for("auditor")
    url = f"/api/v1/items/{item.id}/transitions"
    bad = client.post(url, json={"name": "approve", "checklist": ["no_secrets", "bogus"]}, headers=headers)
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "validation_error"
    wrong = client.post(url, json={"name": "approve", "checklist": [1]}, headers=headers)
    assert wrong.status_code == 422
    ok = client.post(url, json={"name": "approve", "checklist": list(CODES)}, headers=headers)
    assert ok.status_code == 200 and ok.get_json()["state"] == "pending_leader"


def test_custom_stage_titles_come_from_the_stored_definition(client, demo, token_for):
    define("sign_flow", [stage("review", "section_chief", title="业务科室初审"), OFFICE,
                         stage("sign", "leader", title="局领导签发")])
    item = item_in(demo, "sign_flow")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "return", comment="请补充依据", to_stage="review")
    db.session.commit()
    entries = client.get(f"/api/v1/items/{item.id}/history", headers=token_for("editor")).get_json()["entries"]
    assert [e["title"] for e in entries] == ["创建草稿", "提交审核", "业务科室初审通过", "退回至业务科室初审"]
    assert [e["stage_title"] for e in entries][1:] == ["业务科室初审", "业务科室初审", "办公室审核"]
    login(client, "editor")
    page = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert "退回至业务科室初审" in page and "业务科室初审通过" in page


def test_the_decision_panel_follows_the_preview_in_the_page(client, demo):
    item = _at_office(demo)
    login(client, "auditor")
    page = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert page.index('id="preview-heading"') < page.index('id="decision-panel"') < page.index('id="history"')
    assert 'class="review-panel"' in page and 'id="checklist"' in page


# --- preview ------------------------------------------------------------------------------------------------


def _draft_with_image(demo):
    item = draft(demo)
    db.session.commit()
    return item


def test_the_public_layout_preview_works_for_a_draft_in_the_back_office_only(client, demo):
    item = draft(demo, body_html='<p>正文</p><p><img src="/attachments/1/a.png" alt="示意图"></p>')
    db.session.commit()
    login(client, "editor")
    response = client.get(f"/admin/items/{item.id}/preview")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="site-header"' in html and "尚未公开" in html and 'content="noindex' in html
    assert 'src="/admin/attachments/1/a.png"' in html
    assert response.headers["X-Robots-Tag"].startswith("noindex")
    assert "no-store" in response.headers["Cache-Control"]
    client.post("/logout")
    assert client.get(f"/admin/items/{item.id}/preview").status_code == 302  # login first
    assert client.get(f"/items/{item.id}").status_code == 404  # still not public


def test_a_signed_preview_link_opens_for_anyone_until_revoked(client, demo, app):
    item = draft(demo)
    db.session.commit()
    login(client, "editor")
    response = client.post(f"/admin/items/{item.id}/preview-link")
    assert response.status_code == 200
    url = re.search(r'id="preview-url" type="text" readonly value="([^"]+)"', response.get_data(as_text=True)).group(1)
    path = url[url.index("/preview/"):]
    client.post("/logout")

    opened = client.get(path)
    assert opened.status_code == 200
    assert item.title in opened.get_data(as_text=True) and "预览" in opened.get_data(as_text=True)
    assert opened.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert opened.headers["Cache-Control"] == "private, no-store"
    assert opened.headers["Referrer-Policy"] == "no-referrer"

    tampered = client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB"))
    assert tampered.status_code == 404 and "预览链接无效" in tampered.get_data(as_text=True)
    assert client.get("/preview/not-a-token").status_code == 404

    login(client, "editor")
    assert client.post(f"/admin/items/{item.id}/preview-link/revoke").status_code == 302
    client.post("/logout")
    revoked = client.get(path)
    assert revoked.status_code == 410 and "已被撤销" in revoked.get_data(as_text=True)


def test_an_expired_preview_link_is_gone(client, demo, monkeypatch):
    from cms.content.preview import issue_link_token

    item = draft(demo)
    db.session.commit()
    real = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - 8 * 86400)
    token = issue_link_token(item, user("editor"))
    db.session.commit()
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    expired = client.get(f"/preview/{token}")
    assert expired.status_code == 410 and "已过期" in expired.get_data(as_text=True)
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: real(self) - 6 * 86400)
    fresh = issue_link_token(item, user("editor"))
    monkeypatch.setattr(TimestampSigner, "get_timestamp", real)
    assert client.get(f"/preview/{fresh}").status_code == 200  # six days old: still valid


def test_preview_link_images_load_through_the_link_and_only_the_items_own(client, demo, app):
    from cms.content.attachments import add_attachment
    import io

    item = draft(demo)
    other = draft(demo, title="关于另一件事的通知")
    db.session.flush()
    mine = add_attachment(item, user("editor"), "图.png", io.BytesIO(PNG))
    theirs = add_attachment(other, user("editor"), "另.png", io.BytesIO(PNG))
    item.body_html = f'<p><img src="/attachments/{mine.id}/a.png" alt="示意图"></p>'
    db.session.commit()
    login(client, "editor")
    html = client.post(f"/admin/items/{item.id}/preview-link").get_data(as_text=True)
    path = re.search(r'value="https?://[^/]+(/preview/[^"]+)"', html).group(1)
    client.post("/logout")
    page = client.get(path).get_data(as_text=True)
    assert f'src="{path}/attachments/{mine.id}/a.png"' in page
    assert client.get(f"{path}/attachments/{mine.id}/a.png").status_code == 200
    assert client.get(f"{path}/attachments/{theirs.id}/x.png").status_code == 404


def test_only_people_working_on_the_item_may_send_its_preview_link(client, demo):
    item = draft(demo)
    db.session.commit()
    login(client, "leader")  # sees the item (same organization) but neither edits nor reviews it now
    page = client.get(f"/admin/items/{item.id}")
    if page.status_code == 200:
        assert "生成预览链接" not in page.get_data(as_text=True)
    assert client.post(f"/admin/items/{item.id}/preview-link").status_code in (403, 404)


def test_a_working_copy_preview_link_ends_with_the_copy(client, demo):
    from cms.content.preview import issue_link_token
    from cms.content.services import update_item

    item = publish(draft(demo))
    copy = update_item(item, user("editor"), item.version, summary="修订")
    db.session.commit()
    token = issue_link_token(copy, user("editor"))
    db.session.commit()
    assert client.get(f"/preview/{token}").status_code == 200
    fire(copy, user("editor"), "submit")
    fire(copy, user("chief"), "approve")
    fire(copy, user("auditor"), "approve", confidentiality_checked=True)
    fire(copy, user("leader"), "approve")  # the copy replaces the live text and goes away
    db.session.commit()
    assert client.get(f"/preview/{token}").status_code == 404
    assert db.session.get(Item, item.id).summary == "修订"

"""Issue 12: attachments while drafting (the draft is saved first), the editor's image button (an image is an
attachment of the item with required alt text) and tables kept by the sanitizer."""
import io
import re

from cms.content.catalog import get_column
from cms.content.models import Attachment, Item
from cms.content.sanitize import clean_html
from cms.extensions import db
from cms.workflow.engine import fire
from tests.conftest import login
from tests.workflow.helpers import draft, publish, user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%test\n"
FORM = {"type": "notice", "title": "关于开展2017年文化市场夜间巡查的通知", "body_html": "<p>各单位：……</p>",
        "doc_number": "", "written_date": "2017-04-01", "topic": "", "validity": "valid", "disclosure": "proactive",
        "withheld_reason": "", "five_public": "", "summary": ""}


def _form(demo, **extra):
    return {**FORM, "column_id": get_column(demo.id, "notices").id, **extra}


def test_a_new_item_saves_itself_first_and_takes_the_file(client, demo):
    login(client, "editor")
    response = client.post("/admin/items/new", data=_form(demo, then="attach",
                                                          attachment=(io.BytesIO(PDF), "通知附件.pdf")),
                           content_type="multipart/form-data")
    item = Item.query.filter_by(title=FORM["title"]).one()
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/admin/items/{item.id}/edit#attachments")
    assert [a.filename for a in item.attachments] == ["通知附件.pdf"]
    page = client.get(f"/admin/items/{item.id}/edit").get_data(as_text=True)
    assert "通知附件.pdf" in page and "草稿已保存，可继续添加附件" in page


def test_the_no_js_button_alone_saves_and_returns_to_the_attachments(client, demo):
    login(client, "editor")
    response = client.post("/admin/items/new", data=_form(demo, then="attach"), content_type="multipart/form-data")
    item = Item.query.filter_by(title=FORM["title"]).one()
    assert response.headers["Location"].endswith(f"/admin/items/{item.id}/edit#attachments")
    assert item.attachments == []


def test_a_disguised_file_is_refused_but_the_draft_is_kept(client, demo):
    login(client, "editor")
    response = client.post("/admin/items/new", data=_form(demo, then="attach",
                                                          attachment=(io.BytesIO(b"MZ\x90\x00evil"), "报告.pdf")),
                           content_type="multipart/form-data")
    item = Item.query.filter_by(title=FORM["title"]).one()
    assert response.status_code == 302 and item.attachments == []
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "草稿已保存，但附件未能上传：附件内容与扩展名不符" in page


def test_an_invalid_new_item_is_not_saved_and_says_why(client, demo):
    login(client, "editor")
    response = client.post("/admin/items/new", data=_form(demo, title="", then="attach",
                                                          attachment=(io.BytesIO(PDF), "a.pdf")),
                           content_type="multipart/form-data")
    assert response.status_code == 422 and Item.query.filter_by(title="").count() == 0
    assert Attachment.query.count() == 0 or all(a.item.title for a in Attachment.query)


def test_editing_with_a_file_saves_the_text_and_attaches(client, demo):
    item = draft(demo)
    db.session.commit()
    login(client, "editor")
    data = _form(demo, title="关于开展文化市场夜间巡查的通知（修改）", version=str(item.version), then="attach",
                 attachment=(io.BytesIO(PNG), "现场.png"))
    response = client.post(f"/admin/items/{item.id}/edit", data=data, content_type="multipart/form-data")
    assert response.status_code == 302 and response.headers["Location"].endswith("/edit#attachments")
    db.session.expire_all()
    item = db.session.get(Item, item.id)
    assert item.title.endswith("（修改）") and [a.filename for a in item.attachments] == ["现场.png"]


def test_image_upload_requires_alt_text_and_an_image(client, demo):
    item = draft(demo)
    db.session.commit()
    login(client, "editor")
    url = f"/admin/items/{item.id}/images"
    no_alt = client.post(url, data={"file": (io.BytesIO(PNG), "a.png"), "alt": " "}, content_type="multipart/form-data")
    assert no_alt.status_code == 422 and no_alt.get_json()["error"]["fields"] == {"alt": "required"}
    pdf = client.post(url, data={"file": (io.BytesIO(PDF), "a.pdf"), "alt": "图"}, content_type="multipart/form-data")
    assert pdf.status_code == 422 and "PNG" in pdf.get_json()["error"]["message"]
    disguised = client.post(url, data={"file": (io.BytesIO(PDF), "a.png"), "alt": "图"},
                            content_type="multipart/form-data")
    assert disguised.status_code == 422 and Attachment.query.count() == 0
    ok = client.post(url, data={"file": (io.BytesIO(PNG), "示意图.png"), "alt": "巡查路线示意图"},
                     content_type="multipart/form-data")
    assert ok.status_code == 200
    body = ok.get_json()
    assert body["src"] == f"/attachments/{body['id']}/{body['id']}.png" and body["alt"] == "巡查路线示意图"
    assert client.get(body["preview_src"]).status_code == 200
    client.post("/logout")
    login(client, "chief2")  # another section's chief: not an editor of this item
    refused = client.post(url, data={"file": (io.BytesIO(PNG), "b.png"), "alt": "x"}, content_type="multipart/form-data")
    assert refused.status_code in (403, 404)


def test_the_sanitizer_keeps_tables_and_attachment_images_and_stores_the_public_address():
    html = ('<table><tbody><tr><td data-row="row-1">项目</td><td data-row="row-1">金额</td></tr></tbody></table>'
            '<p><img src="/admin/attachments/7/7.png" alt="示意图"></p><p><img src="https://evil.example/x.png" alt="x"></p>')
    cleaned = clean_html(html)
    assert "<table><tbody><tr><td>项目</td><td>金额</td></tr></tbody></table>" in cleaned
    assert re.search(r'<img (alt="示意图" src="/attachments/7/7.png"|src="/attachments/7/7.png" alt="示意图")>', cleaned)
    assert "evil" not in cleaned


def test_images_follow_their_attachments_through_a_revision(client, demo):
    from cms.content.attachments import add_attachment
    from cms.content.services import update_item

    item = draft(demo)
    db.session.flush()
    image = add_attachment(item, user("editor"), "图.png", io.BytesIO(PNG))
    item.body_html = f'<p>正文</p><p><img src="/attachments/{image.id}/{image.id}.png" alt="示意图"></p>'
    db.session.commit()
    publish(item)
    assert client.get(f"/attachments/{image.id}/{image.id}.png").status_code == 200

    copy = update_item(item, user("editor"), item.version, summary="修订摘要")
    db.session.commit()
    own = copy.attachments[0]
    assert own.id != image.id and f"/attachments/{own.id}/" in copy.body_html
    fire(copy, user("editor"), "submit")
    fire(copy, user("chief"), "approve")
    fire(copy, user("auditor"), "approve", confidentiality_checked=True)
    fire(copy, user("leader"), "approve")
    db.session.commit()
    db.session.expire_all()
    live = db.session.get(Item, item.id)
    src = re.search(r'src="(/attachments/(\d+)/[^"]+)"', live.body_html)
    assert int(src.group(2)) in {a.id for a in live.attachments}
    assert client.get(src.group(1)).status_code == 200

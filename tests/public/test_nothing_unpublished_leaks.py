"""Nothing unpublished reaches the public: a unique token planted in every kind of unpublished item is
absent from every public surface, while a published control item is present."""
import io
from datetime import timedelta

from cms.clock import utcnow
from cms.content.attachments import add_attachment
from cms.content.scheduling import set_schedule
from cms.content.models import Column, Item
from cms.content.services import update_item
from cms.extensions import db
from cms.workflow.engine import fire
from tests.workflow.helpers import draft, publish, user

PDF = b"%PDF-1.4\n%%EOF\n"


def _plant(demo):
    """Create one item per unpublished kind; returns {kind: (token, item_id, attachment_id)}."""
    planted = {}

    def make(kind, **fields):
        token = f"泄露检测{kind}ZX{len(planted):03d}"
        item = draft(demo, title=f"标题{token}", body_html=f"<p>正文{token}</p>", **fields)
        attachment = add_attachment(item, user("editor"), f"附件{token}.pdf", io.BytesIO(PDF + token.encode()))
        planted[kind] = (token, item, attachment)
        return item

    make("draft")
    item = make("pending_section")
    fire(item, user("editor"), "submit")
    item = make("pending_office")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    item = make("pending_leader")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    fire(item, user("auditor"), "approve", confidentiality_checked=True)
    item = make("returned")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "return", comment="退回")
    item = make("retracted")
    publish(item)
    fire(item, user("auditor"), "retract", comment="撤下")
    # Signed off, waiting for its publication time (cms/content/scheduling.py).
    item = make("scheduled")
    set_schedule(item, user("editor"), item.version, publish_at=(utcnow() + timedelta(days=1)).isoformat() + "Z")
    publish(item)
    assert item.state == "scheduled"
    make("withheld", disclosure="withheld", withheld_reason="涉及商业秘密")
    item = make("on_request", disclosure="on_request")
    fire(item, user("editor"), "submit")
    # A working copy of a published item: the copy's new text must stay private.
    live = publish(draft(demo, title="公开的对照信息", body_html="<p>对照正文PUBLICCONTROL</p>"))
    token = "泄露检测working_copyZX999"
    copy = update_item(live, user("editor"), live.version, body_html=f"<p>修订{token}</p>", title=f"修订{token}")
    planted["working_copy"] = (token, copy, None)
    db.session.commit()
    return planted, live


def _public_pages(client, demo, ids):
    urls = ["/", "/catalog", "/feeds/all.xml", "/sitemap.xml", "/robots.txt"]
    for column in Column.query.filter_by(organization_id=demo.id):
        urls += [f"/columns/{column.code}", f"/feeds/{column.code}.xml"]
    for item_id in ids:
        urls += [f"/items/{item_id}", f"/items/{item_id}/print"]
    pages = {}
    for url in urls:
        response = client.get(url)
        pages[url] = (response.status_code, response.get_data(as_text=True))
    return pages


def test_no_public_surface_shows_unpublished_content(client, demo):
    planted, live = _plant(demo)
    ids = [item.id for _, item, _ in planted.values()]
    pages = _public_pages(client, demo, ids + [live.id])
    for url, (status, body) in pages.items():
        for kind, (token, _, _) in planted.items():
            assert token not in body, f"{kind} leaks on {url}"
    for item_id in ids:
        assert pages[f"/items/{item_id}"][0] == 404
        assert pages[f"/items/{item_id}/print"][0] == 404
        assert f"/items/{item_id}<" not in pages["/sitemap.xml"][1]
    # The control item is visible, with its live (not the working copy's) text.
    assert "PUBLICCONTROL" in pages[f"/items/{live.id}"][1]
    assert f"/items/{live.id}" in pages["/sitemap.xml"][1]
    assert "公开的对照信息" in pages["/feeds/all.xml"][1]
    for kind, (token, item, attachment) in planted.items():
        if attachment is not None:
            assert client.get(f"/attachments/{attachment.id}/x.pdf").status_code == 404, kind


def test_search_does_not_show_unpublished_content(client, demo):
    from flask import current_app

    if "public.search" not in current_app.view_functions:
        return  # the search page is tested with its own suite once it exists
    planted, _ = _plant(demo)
    for kind, (token, _, _) in planted.items():
        body = client.get("/search", query_string={"q": token}).get_data(as_text=True)
        assert f"标题{token}" not in body, kind
        api = client.get("/api/v1/search", query_string={"q": token}).get_json()
        assert api["total"] == 0, kind


def test_withdrawn_item_disappears_from_every_public_list(client, demo):
    item = publish(draft(demo, title="将被撤下的通知RETRACTME"))
    assert "RETRACTME" in client.get("/columns/notices").get_data(as_text=True)
    fire(db.session.get(Item, item.id), user("leader"), "retract", comment="有误")
    db.session.commit()
    for url in ("/", "/columns/notices", "/feeds/all.xml", "/feeds/notices.xml", "/sitemap.xml"):
        assert "RETRACTME" not in client.get(url).get_data(as_text=True), url

"""A cleanup of three documents (keep / amend / repeal): reviewed like any item, and on publication every
listed document's validity, history, page, search entry, feed and sitemap follow."""
from datetime import datetime

import pytest
from sqlalchemy import update

from cms.clock import local_today
from cms.content.models import Item
from cms.extensions import db
from cms.search.models import SearchOutbox
from cms.workflow.engine import fire, history_of
from tests.cleanups.helpers import no_interpretations_needed, published_policy
from tests.workflow.helpers import user


@pytest.fixture
def documents(demo):
    no_interpretations_needed(demo)
    keep, amend, repeal, new = (published_policy(demo, n) for n in (1, 2, 3, 4))
    # An old modification time, so the sitemap's lastmod visibly follows the cleanup.
    db.session.execute(update(Item).where(Item.id.in_([keep.id, amend.id, repeal.id]))
                       .values(updated_at=datetime(2021, 3, 1)).execution_options(synchronize_session=False))
    db.session.commit()
    return keep, amend, repeal, new


def _decisions(keep, amend, repeal, new):
    return [{"item_id": keep.id, "outcome": "keep", "note": "符合上位法，继续有效"},
            {"item_id": amend.id, "outcome": "amend", "replaced_by": new.id},
            {"item_id": repeal.id, "outcome": "repeal", "note": "上位法已废止"}]


def test_a_cleanup_of_three_documents_updates_every_public_surface(client, demo, token_for, login_as, documents):
    keep, amend, repeal, new = documents
    response = client.post("/api/v1/cleanups", headers=token_for("editor"), json={
        "title": "嘉峪关市文化广播影视新闻出版局关于2026年规范性文件清理结果的公告",
        "decisions": _decisions(*documents)})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert (body["type"], body["column"], body["state"]) == ("cleanup", "policies", "draft")
    assert [d["outcome"] for d in body["decisions"]] == ["keep", "amend", "repeal"]
    cleanup = db.session.get(Item, body["id"])
    login_as("chief")
    review = client.get(f"/admin/items/{cleanup.id}").get_data(as_text=True)
    assert "清理决定（发布时生效）" in review and repeal.title in review and "废止" in review

    # Reviewed like any item; nothing changes before the final sign-off.
    fire(cleanup, user("editor"), "submit")
    fire(cleanup, user("chief"), "approve")
    fire(cleanup, user("auditor"), "approve", confidentiality_checked=True)
    db.session.commit()
    assert db.session.get(Item, repeal.id).validity == "valid"
    fire(cleanup, user("leader"), "approve")
    queued = {row.item_id for row in SearchOutbox.query}
    assert {cleanup.id, keep.id, amend.id, repeal.id} <= queued  # in the publishing transaction
    db.session.commit()

    today = local_today()
    keep, amend, repeal = (db.session.get(Item, i.id) for i in (keep, amend, repeal))
    assert (keep.validity, amend.validity, repeal.validity) == ("valid", "amended", "abolished")
    assert keep.validity_changed_on == amend.validity_changed_on == repeal.validity_changed_on == today
    assert amend.replaced_by_id == new.id and repeal.replaced_by_id is None
    for doc in (keep, amend, repeal):
        entry = history_of(doc)[-1]
        assert entry.transition == "validity" and entry.inputs["cleanup"] == cleanup.id
        assert entry.actor.username == "leader"
    assert history_of(amend)[-1].inputs["replaced_by"] == new.id

    # Item pages.
    page = client.get(f"/items/{amend.id}").get_data(as_text=True)
    assert "已修订" in page and f'href="/items/{new.id}"' in page
    assert "本文件已废止" in client.get(f"/items/{repeal.id}").get_data(as_text=True)
    listing = client.get(f"/items/{cleanup.id}").get_data(as_text=True)
    assert "清理结果一览（共 3 件）" in listing
    for doc, label in ((keep, "继续有效"), (amend, "修改"), (repeal, "废止")):
        assert f'href="/items/{doc.id}"' in listing
        assert f'data-outcome="{ {"继续有效": "keep", "修改": "amend", "废止": "repeal"}[label] }"' in listing
    assert "上位法已废止" in listing

    # Search (the outbox was drained), feeds and sitemap.
    assert SearchOutbox.query.count() == 0
    found = client.get("/api/v1/search", query_string={"q": "规范性文件清理结果"}).get_json()["results"]
    assert cleanup.id in {hit["id"] for hit in found}
    assert f"/items/{cleanup.id}" in client.get("/feeds/all.xml").get_data(as_text=True)
    assert f"/items/{cleanup.id}" in client.get("/feeds/policies.xml").get_data(as_text=True)
    sitemap = client.get("/sitemap.xml").get_data(as_text=True)
    line = next(line for line in sitemap.splitlines() if f"/items/{repeal.id}<" in line)
    assert "2021-03-01" not in line and f"<lastmod>{db.session.get(Item, repeal.id).updated_at:%Y-%m-%d}</lastmod>" in line
    assert f"/items/{cleanup.id}<" in sitemap

    # The list of policies marks the repealed document.
    column = client.get("/columns/policies").get_data(as_text=True)
    assert "已废止" in column and "已修订" in column


def test_a_document_retracted_before_the_sign_off_stops_the_list(demo, token_for, client, documents):
    keep, amend, repeal, new = documents
    body = client.post("/api/v1/cleanups", headers=token_for("editor"), json={
        "title": "规范性文件清理结果", "decisions": _decisions(*documents)}).get_json()
    cleanup = db.session.get(Item, body["id"])
    fire(cleanup, user("editor"), "submit")
    fire(cleanup, user("chief"), "approve")
    fire(cleanup, user("auditor"), "approve", confidentiality_checked=True)
    fire(db.session.get(Item, repeal.id), user("auditor"), "retract", comment="内容有误")
    db.session.commit()
    response = client.post(f"/api/v1/items/{cleanup.id}/transitions", headers=token_for("leader"),
                           json={"name": "approve"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["items"] == {"not_published": [repeal.id]}
    assert db.session.get(Item, keep.id).validity_changed_on is None

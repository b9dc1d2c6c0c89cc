"""A rebuild is built aside: search keeps answering and publication keeps indexing during it, and what was
published or retracted meanwhile is replayed into the new index before it goes live (both backends)."""
import pytest

from cms.content.models import Item
from cms.errors import Conflict
from cms.extensions import db
from cms.search.backend import Query
from cms.search.models import SearchOutbox, SearchRebuild
from cms.search.service import drain, get_backend, reindex, search, verify
from cms.workflow.engine import fire
from tests.workflow.helpers import draft, publish, user


def verify_published():
    from cms.content.queries import public_items

    return public_items().with_entities(Item.id).all()


def index_ids(text):
    """What the index itself answers (not filtered against the database)."""
    return [h.id for h in get_backend().search(Query(text=text, per_page=50)).hits]


@pytest.fixture(params=[1, 2], ids=["one-writer", "two-writers"])
def rebuild_procs(request, app, monkeypatch):
    """Each test with one writer and with two (Whoosh: a forked helper process writing every other batch;
    PostgreSQL: two connections inserting in threads), which a real rebuild uses from 2,000 items."""
    import cms.search.rebuild as rebuild_module

    monkeypatch.setattr(rebuild_module, "PARALLEL_FROM", 0)
    monkeypatch.setitem(app.config, "CMS_SEARCH_REBUILD_PROCS", request.param)
    return request.param


@pytest.fixture
def published(demo, backend_name, rebuild_procs):
    items = [publish(draft(demo, title=f"重建测试文件{n}号REBUILDOLD", body_html=f"<p>正文第{n}段，场所管理。</p>"))
             for n in range(7)]
    reindex()
    return items


def test_search_answers_and_publication_goes_on_during_a_rebuild(demo, published, backend_name):
    seen = {}
    retracted = published[0]

    def during(count):
        if seen:
            return
        # Mid-rebuild (the new index has its first batch): the live index still answers everything ...
        seen["during"] = set(index_ids("REBUILDOLD"))
        seen["service"] = [h.id for h in search(Query(text="REBUILDOLD", per_page=50)).hits]
        # ... and a publication is indexed at once (the drain is not blocked by the rebuild), as is a retraction.
        item = publish(draft(demo, title="重建期间发布REBUILDNEW", body_html="<p>重建期间发布的信息。</p>"))
        fire(db.session.get(Item, retracted.id), user("auditor"), "retract", comment="撤下")
        db.session.commit()
        seen["new"] = item.id
        seen["new_live"] = index_ids("REBUILDNEW")
        seen["kept"] = SearchOutbox.query.filter(SearchOutbox.applied_at.isnot(None)).count()
        db.session.commit()  # end this "request": the swap waits for readers of the live table

    before = len(verify_published())
    total = reindex(progress=during, batch=2)

    assert seen["during"] == {i.id for i in published}
    assert set(seen["service"]) == {i.id for i in published}
    assert seen["new_live"] == [seen["new"]]  # applied to the live index during the rebuild
    assert seen["kept"] >= 2  # and kept for the replay
    # After the swap the new index has the item published during the rebuild and not the retracted one.
    assert index_ids("REBUILDNEW") == [seen["new"]]
    assert retracted.id not in index_ids("REBUILDOLD")
    assert set(index_ids("REBUILDOLD")) == {i.id for i in published[1:]}
    # The rebuild's own snapshot (the demo's items and the seven), less the retracted one if its batch was
    # read after the retraction.
    assert total in (before, before - 1)
    assert verify() == ([], [])
    run = SearchRebuild.query.order_by(SearchRebuild.id.desc()).first()
    assert run.state == "done" and run.items == total and run.replayed == 2
    assert SearchOutbox.query.count() == 0


def test_an_item_published_without_a_drain_during_the_rebuild_is_replayed(app, demo, published, backend_name):
    seen = {}

    def during(count):
        if not seen:
            app.config["CMS_SEARCH_SYNC"] = False  # no drain runs: only the replay can bring it in
            try:
                seen["id"] = publish(draft(demo, title="未同步发布REPLAYONLY")).id
            finally:
                app.config["CMS_SEARCH_SYNC"] = True
            seen["live"] = index_ids("REPLAYONLY")
            db.session.commit()

    reindex(progress=during, batch=3)
    assert seen["live"] == []
    assert index_ids("REPLAYONLY") == [seen["id"]]
    assert SearchOutbox.query.count() == 0 and verify() == ([], [])


def test_drains_keep_applied_rows_only_while_a_rebuild_runs(demo, published, backend_name):
    run = SearchRebuild(backend=backend_name, state="running", outbox_mark=0)
    db.session.add(run)
    db.session.commit()
    item = publish(draft(demo, title="保留行测试KEEPROW"))
    row = SearchOutbox.query.filter_by(item_id=item.id).one()
    assert row.applied_at is not None and index_ids("KEEPROW") == [item.id]
    with pytest.raises(Conflict):
        reindex()  # one rebuild at a time
    run.state = "failed"
    db.session.commit()
    drain()
    assert SearchOutbox.query.count() == 0


def test_a_failed_rebuild_leaves_the_live_index_alone(demo, published, backend_name):
    def boom(count):
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        reindex(progress=boom, batch=2)
    assert set(index_ids("REBUILDOLD")) == {i.id for i in published}
    assert SearchRebuild.query.order_by(SearchRebuild.id.desc()).first().state == "failed"
    db.session.commit()
    reindex()
    assert set(index_ids("REBUILDOLD")) == {i.id for i in published}


def test_a_batch_the_server_refuses_fails_the_parallel_rebuild_cleanly(demo, published, backend_name,
                                                                       rebuild_procs):
    """PostgreSQL, two connections: a row the server rejects (a NUL character) in one connection's batch
    fails the rebuild; the other connection's work is dropped with the build table, no connection is left
    holding it, and the live index and the next rebuild are untouched."""
    if backend_name != "postgres" or rebuild_procs == 1:
        pytest.skip("the connections of a parallel load are PostgreSQL's")
    from sqlalchemy import text

    from cms.search.backend import Document
    from cms.search.postgres_backend import BUILD_TABLE, PostgresBackend

    def doc(n, body="场所管理正文"):
        return Document(id=900000 + n, organization_id=published[0].organization_id, title=f"并行失败{n}",
                        body=body, doc_number="", index_no="", column="c", column_name="栏目", type="policy",
                        section="office", year=2026, five_public="", published_at=published[0].published_at)

    batches = [[doc(1), doc(2)], [doc(3), doc(4, body="坏\x00行")], [doc(5)], [doc(6)]]
    with pytest.raises(Exception):
        PostgresBackend().rebuild(iter(batches), procs=2)
    db.session.rollback()
    assert db.session.execute(text("SELECT to_regclass(:t)"), {"t": BUILD_TABLE}).scalar() is None
    waiting = db.session.execute(text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
        "AND state LIKE 'idle in transaction%' AND pid <> pg_backend_pid()")).scalar()
    assert waiting == 0
    assert set(index_ids("REBUILDOLD")) == {i.id for i in published}
    db.session.commit()
    reindex()
    assert set(index_ids("REBUILDOLD")) == {i.id for i in published}

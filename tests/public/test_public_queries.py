"""Public read path at scale: list queries load no bodies, counts and years follow changes, odd pages."""
from sqlalchemy import event

from cms.content import queries
from cms.extensions import db
from cms.workflow.engine import fire
from tests.workflow.helpers import draft, publish, user


def _statements(app, path, client):
    seen = []

    def record(conn, cursor, statement, params, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    return seen


def test_home_and_column_lists_never_select_bodies(app, client, demo, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_PAGE_CACHE", False)
    for path in ("/", "/columns/notices", "/columns/notices?page=2", "/catalog"):
        listing = [s for s in _statements(app, path, client) if "FROM items" in s]
        assert listing and not [s for s in listing if "body_html" in s], path


def test_column_years_and_counts_follow_publication_and_retraction(app, client, demo, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_PAGE_CACHE", False)
    from cms.content.catalog import get_column

    column = get_column(demo.id, "notices")
    before = queries.column_summary(column).total
    item = publish(draft(demo, title="计数测试通知", doc_number="嘉文广发〔2021〕1号"))
    assert queries.column_summary(column).total == before + 1
    assert item.index_year in queries.column_summary(column).years
    fire(item, user("auditor"), "retract", comment="撤下")
    db.session.commit()
    assert queries.column_summary(column).total == before
    assert "计数测试通知" not in client.get("/columns/notices").get_data(as_text=True)


def test_a_page_far_past_the_end_is_empty_not_an_error(app, client, demo, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_PAGE_CACHE", False)
    for path in ("/columns/notices?page=999999999999999999999", "/columns/notices?page=5000&year=2017"):
        response = client.get(path)
        assert response.status_code == 200
        if "999999999" not in path:  # beyond the 32-bit range a page number reads as absent (page 1)
            assert "暂无信息" in response.get_data(as_text=True)

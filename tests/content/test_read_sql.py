"""cms/read_sql.py: the public pages' statements on the driver's cursor give what Session.execute gives."""
from datetime import datetime

from sqlalchemy import Date, DateTime, Integer, bindparam, event, select, text

from cms.content.models import Item
from cms.extensions import db
from cms.read_sql import read_first, read_rows
from tests.workflow.helpers import draft, publish

# Only some columns typed, as the public list statements are.
LIST = text(
    "SELECT id, title, published_at, written_date, CAST(:tag AS INTEGER) AS tag FROM items"
    " WHERE organization_id = :org AND state = 'published' AND published_at <= :at"
    " ORDER BY published_at DESC, id DESC"
).columns(id=Integer, published_at=DateTime, written_date=Date)
UNTYPED = text("SELECT id, updated_at FROM items WHERE id = :id")
IN_LIST = select(Item.id).where(Item.id.in_(bindparam("ids", expanding=True))).order_by(Item.id)


def _through_session(statement, params):
    return [tuple(row) for row in db.session.execute(statement, params)]


def test_rows_values_and_types_match_the_session_path(demo):
    publish(draft(demo, title="读取路径一", written_date=datetime(2026, 3, 1).date()))
    publish(draft(demo, title="读取路径二"))
    db.session.commit()
    params = {"org": demo.id, "at": datetime(2100, 1, 1), "tag": 7}  # a bound datetime goes through its type
    rows = read_rows(LIST, params)
    assert rows == _through_session(LIST, params) and len(rows) >= 2
    assert all(type(row[2]) is datetime for row in rows)  # SQLite keeps the timestamp as text
    assert read_rows(LIST, {**params, "at": datetime(2000, 1, 1)}) == []
    named = read_rows(LIST, params, named=True)
    assert named[0].id == rows[0][0] and named[0].title == rows[0][1] and named[0].tag == 7
    assert "读取路径一" in {row.title for row in named}
    dated = [row for row in named if row.title == "读取路径一"][0]
    assert dated.written_date == datetime(2026, 3, 1).date()


def test_untyped_text_gives_the_driver_values_by_name(demo):
    item = publish(draft(demo, title="未声明类型"))
    db.session.commit()
    row = read_first(UNTYPED, {"id": item.id})
    assert (row.id, row.updated_at) == tuple(db.session.execute(UNTYPED, {"id": item.id}).first())
    assert read_first(UNTYPED, {"id": -1}) is None


def test_expanding_parameters_take_the_session_path(demo):
    ids = [i for (i,) in db.session.query(Item.id).order_by(Item.id).limit(3)]
    assert read_rows(IN_LIST, {"ids": ids}) == [(i,) for i in ids]
    assert [row.id for row in read_rows(IN_LIST, {"ids": ids[:1]}, named=True)] == ids[:1]


def test_reads_see_the_session_transaction(demo):
    """Same connection, same transaction: a flushed, uncommitted row is visible, and gone after rollback."""
    item = draft(demo, title="未提交的草稿")
    db.session.flush()
    assert read_first(UNTYPED, {"id": item.id}) is not None
    item_id = item.id
    db.session.rollback()
    assert read_first(UNTYPED, {"id": item_id}) is None


def test_statement_listeners_still_see_every_statement(demo):
    seen, org_id = [], demo.id

    def record(conn, cursor, statement, params, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        rows = read_rows(LIST, {"org": org_id, "at": datetime(2100, 1, 1), "tag": 1}, named=True)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    assert len(seen) == 1 and "FROM items" in seen[0]
    assert all(type(row.published_at) is datetime for row in rows)


def test_item_for_its_page_is_the_item_session_get_loads(demo):
    """The item page's loader (row through read_sql, instance joined to the session) gives every column as
    Session.get does, lazy relationships, the object already in the session, and a normal versioned update."""
    from sqlalchemy import inspect

    from cms.content.public_state import _item

    item = publish(draft(demo, title="页面加载的信息", doc_number="嘉文广发〔2026〕9号",
                         written_date=datetime(2026, 5, 4).date()))
    db.session.commit()
    item_id = item.id
    columns = [attr.key for attr in Item.__mapper__.column_attrs]
    expected = {key: getattr(item, key) for key in columns}
    db.session.expunge_all()
    loaded = _item(item_id)
    assert {key: getattr(loaded, key) for key in columns} == expected
    assert inspect(loaded).persistent and not db.session.dirty
    assert _item(item_id) is loaded and db.session.get(Item, item_id) is loaded
    assert loaded.column.code == "notices" and loaded.author.username == "editor" and loaded.attachments == []
    assert _item(-1) is None
    version = loaded.version
    loaded.title = "页面加载的信息（修改）"
    db.session.commit()
    db.session.expunge_all()
    again = db.session.get(Item, item_id)
    assert again.title == "页面加载的信息（修改）" and again.version == version + 1


def test_pending_changes_are_flushed_first_as_session_execute_does(demo):
    item = publish(draft(demo, title="改名之前"))
    db.session.commit()
    item.title = "改名之后"  # changed, not flushed
    assert read_first(UNTYPED_TITLE, {"id": item.id}).title == "改名之后"
    db.session.rollback()


UNTYPED_TITLE = text("SELECT id, title FROM items WHERE id = :id")

"""The column list page's two statements (one page of rows, the count) as text SQL, built once per shape.

A column page is asked for with any mix of year, topic, section, validity and title words; building the
same query through the ORM on every request (a dozen filter clauses coerced, the tree hashed for the
statement cache) cost more than running it. Here each *shape* (which filters are set, how many words,
whether the column cross-references items, the sort) is written once as text and kept; a request only
binds its values. The conditions are the public filter (``public_sql``) on the column's own items and the
items it cross-references (引用); the public listing indexes answer them.
"""
from sqlalchemy import Date, DateTime, Integer, bindparam, text

from cms.content.public_sql import PUBLIC_WHERE

FIELDS = "id, column_id, title, validity, published_at, index_no, doc_number, written_date"
_SHAPES = {}


def _like(value):
    """``value`` as a LIKE pattern matching it anywhere (``/`` escapes, as SQLAlchemy's ``autoescape``)."""
    return "%" + value.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _statements(shape):
    statements = _SHAPES.get(shape)
    if statements is not None:
        return statements
    has_refs, year, topic, section, validity, words, relevance = shape
    where = [PUBLIC_WHERE, "organization_id = :org",
             "(column_id = :col OR id IN :refs)" if has_refs else "column_id = :col"]
    for on, condition in ((year, "index_year = :year"), (topic, "topic = :topic"),
                          (section, "section_id = :section"), (validity, "validity = :validity")):
        if on:
            where.append(condition)
    if words:
        titles = " AND ".join(f"title LIKE :w{n} ESCAPE '/'" for n in range(words))
        where.append(f"(doc_number LIKE :q ESCAPE '/' OR ({titles}))")
    clause = " AND ".join(where)
    order = "published_at DESC, id DESC"
    if relevance:
        order = ("CASE WHEN doc_number = :exact THEN 0 WHEN doc_number LIKE :q ESCAPE '/' THEN 1"
                 " WHEN title = :exact THEN 2 WHEN title LIKE :q ESCAPE '/' THEN 3 ELSE 4 END, " + order)
    # ``bound_at``: the first row's ``published_at`` as stored (text on SQLite), where a deep page of the plain
    # list starts for later visits (``page_from_bound`` binds it back untouched, so the comparison is exact).
    rows = text(f"SELECT {FIELDS}, published_at AS bound_at FROM items WHERE {clause} ORDER BY {order}"
                " LIMIT :limit OFFSET :offset")
    count = text(f"SELECT count(id) FROM items WHERE {clause}")
    if has_refs:
        rows = rows.bindparams(bindparam("refs", expanding=True))
        count = count.bindparams(bindparam("refs", expanding=True))
    rows = rows.columns(id=Integer, column_id=Integer, published_at=DateTime, written_date=Date)
    statements = _SHAPES[shape] = (rows, count)
    return statements


def listing_statements(column, referenced, f, section_id):
    """``(rows statement, count statement, parameters)`` for column ``column`` under filters ``f``."""
    words = f.q.split() if f.q else []
    shape = (bool(referenced), bool(f.year), bool(f.topic), bool(section_id), bool(f.validity), len(words),
             f.sort == "relevance" and bool(f.q))
    params = {"org": column.organization_id, "col": column.id}
    if referenced:
        params["refs"] = list(referenced)
    if f.year:
        params["year"] = f.year
    if f.topic:
        params["topic"] = f.topic
    if section_id:
        params["section"] = section_id
    if f.validity:
        params["validity"] = f.validity
    if words:
        params["q"] = _like(f.q)
        params["exact"] = f.q
        params.update({f"w{n}": _like(w) for n, w in enumerate(words)})
    rows, count = _statements(shape)
    return rows, count, params


# ---------------------------------------------------------------- keyset pages of a plain column list

_PLAIN = f"{PUBLIC_WHERE} AND organization_id = :org AND column_id = :col"
# The page that starts at a kept ``(bound_at, id)`` (the first row of that page when ``OFFSET`` read it): a
# first visit read the whole list up to it, later visits seek there.
_FROM_BOUND = {
    with_year: text(
        f"SELECT {FIELDS} FROM items WHERE {_PLAIN}{' AND index_year = :year' if with_year else ''}"
        " AND published_at <= :at AND (published_at < :at OR id <= :id)"
        " ORDER BY published_at DESC, id DESC LIMIT :limit"
    ).columns(id=Integer, column_id=Integer, published_at=DateTime, written_date=Date)
    for with_year in (False, True)
}


def page_from_bound(column, year, bound, per_page):
    """``(statement, parameters)`` for the page starting at ``bound``: an index seek, however deep the page."""
    params = {"org": column.organization_id, "col": column.id, "at": bound[0], "id": bound[1], "limit": per_page}
    if year:
        params["year"] = year
    return _FROM_BOUND[bool(year)], params

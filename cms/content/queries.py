"""Read-side queries for public surfaces: only what the public may see, in one place.

Public pages must cost the same with 1,000 or 100,000 items, so:
- list queries load only the columns a list shows (``LIST_FIELDS``), never bodies;
- "latest items" queries filter on ``column_id`` (resolved beforehand) and order by
  ``published_at DESC, id DESC`` with a LIMIT, which the ``ix_items_public_*`` indexes answer without a sort;
- per-column year lists and counts (``column_summary``) are computed from a covering index once per content
  generation and kept in memory until an item of the organization changes.
"""
import threading
from dataclasses import dataclass

from sqlalchemy import bindparam, func, or_, select, text
from sqlalchemy.orm import joinedload, load_only

from cms.content.models import Column, ColumnReference, Item
from cms.content.public_sql import PUBLIC_WHERE
from cms.extensions import db
from cms.read_sql import read_rows

# What an item list shows (title, validity, dates, index number, 文号); never the body.
LIST_FIELDS = (
    Item.id, Item.organization_id, Item.column_id, Item.title, Item.validity, Item.published_at, Item.index_no,
    Item.index_year, Item.doc_number, Item.written_date, Item.type, Item.topic, Item.section_id, Item.state,
    Item.disclosure, Item.working_copy_of_id, Item.updated_at, Item.version,
)


def _public_filter(query):
    # ``working_copy_of_id + 0``: SQLite takes ``IS NULL`` on the column's UNIQUE index for a one-row lookup and
    # walks it over every item; the expression keeps it on the public listing indexes (see content/listing.py).
    return query.filter(
        Item.state == "published",
        (Item.working_copy_of_id + 0).is_(None),
        Item.disclosure == "proactive",
    )


def public_items():
    """Items visible to anonymous visitors: published originals with proactive disclosure.

    Listings show each item's column, so it is loaded in the same query.
    """
    return _public_filter(Item.query.options(joinedload(Item.column)))


def public_list():
    """Public items with only the list fields loaded (no body): for every list page."""
    return _public_filter(Item.query.options(load_only(*LIST_FIELDS)))


# Built once: the column lists ask for it on every request.
_REFERENCES = select(ColumnReference.item_id).where(ColumnReference.column_id == bindparam("column"))


def _referenced_ids(column):
    # Resolve the (few) references first: an IN over a subquery would keep the listing index unused.
    return [item_id for (item_id,) in read_rows(_REFERENCES, {"column": column.id})]


def public_items_in_column(column, query=None):
    """Public items of ``column``: its own items and the items it cross-references (引用)."""
    referenced = _referenced_ids(column)
    query = (query if query is not None else public_items()).filter(Item.organization_id == column.organization_id)
    if referenced:
        return query.filter(or_(Item.column_id == column.id, Item.id.in_(referenced)))
    return query.filter(Item.column_id == column.id)


def content_generation(organization_id):
    """Changes whenever any item of the organization changes (validator for cached listings)."""
    return db.session.query(func.max(Item.updated_at)).filter(Item.organization_id == organization_id).scalar()


def latest_public_items(org, column_codes=None, limit=8):
    """Newest public items of ``org`` (optionally only in the given columns), list fields only.

    Column codes are resolved to ids first: filtering through a join to ``columns`` keeps SQLite from
    walking the ``(organization_id, state, column_id, published_at)`` index in order.
    """
    query = public_list().filter(Item.organization_id == org.id)
    if column_codes:
        ids = [i for (i,) in db.session.query(Column.id).filter(Column.organization_id == org.id,
                                                                   Column.code.in_(column_codes))]
        if not ids:
            return []
        if len(ids) == 1:
            query = query.filter(Item.column_id == ids[0])
        else:
            query = query.filter(Item.column_id.in_(ids))
    return query.order_by(Item.published_at.desc(), Item.id.desc()).limit(limit).all()


_ROW_FIELDS = "id, column_id, title, validity, published_at, index_no, doc_number, written_date"
_LATEST = {}


def _latest_statement(blocks):
    """The UNION of ``blocks + 1`` newest-first index walks as one text statement, built once per block
    count (building and hashing the expression tree cost more than running it)."""
    from sqlalchemy import Date, DateTime, Integer, text

    from cms.content.public_sql import PUBLIC_WHERE

    statement = _LATEST.get(blocks)
    if statement is None:
        def walk(n):
            column = f" AND column_id = :c{n}" if n else ""
            return (f"SELECT * FROM (SELECT CAST(:b{n} AS INTEGER) AS block, {_ROW_FIELDS} FROM items"
                    f" WHERE organization_id = :org AND {PUBLIC_WHERE}{column}"
                    f" ORDER BY published_at DESC, id DESC LIMIT :n{n}) AS w{n}")
        sql = " UNION ALL ".join(walk(n) for n in range(blocks + 1))
        statement = _LATEST[blocks] = text(sql).columns(
            block=Integer, id=Integer, column_id=Integer, published_at=DateTime, written_date=Date)
    return statement


def latest_public_rows(organization_id, blocks, limit=8):
    """Newest public items overall and per column, in ONE statement of index walks (no ORM objects).

    ``blocks`` is ``{column_id: n}``; returns ``(latest, {column_id: rows})`` where rows carry the list
    fields (id, column_id, title, validity, published_at, index_no, doc_number, written_date).
    """
    params = {"org": organization_id, "b0": -1, "n0": limit}
    for n, (column_id, count) in enumerate(blocks.items(), start=1):
        params.update({f"b{n}": column_id, f"c{n}": column_id, f"n{n}": count})
    latest, by_column = [], {column_id: [] for column_id in blocks}
    for row in read_rows(_latest_statement(len(blocks)), params, named=True):
        (latest if row.block == -1 else by_column[row.block]).append(row)
    return latest, by_column


def get_public_item(item_id):
    """The public item ``item_id`` or None (with its column and section, which its page shows)."""
    return public_items().options(joinedload(Item.section), joinedload(Item.organization)).filter(
        Item.id == item_id).first()


def related_public_items(item, interpretations=True):
    """Public items linked to ``item``: the policy an interpretation interprets, a policy's interpretations
    (not looked up when the caller knows there are none: ``interpretations=False``)."""
    related = []
    if item.interprets_id:
        policy = public_list().filter(Item.id == item.interprets_id).first()
        if policy is not None:
            related.append(policy)
    if interpretations:
        related += public_list().filter(Item.interprets_id == item.id).order_by(Item.published_at).all()
    return related


# ---------------------------------------------------------------- per-column years and counts

@dataclass(frozen=True)
class ColumnSummary:
    """Public items of a column by index year (``None`` for items without one), and the total; with the
    topics and section ids its own public items have (the column page's filter choices), read in the same
    walk of the year index."""

    by_year: dict
    total: int
    topics: tuple = ()
    section_ids: tuple = ()

    @property
    def years(self):
        """Years with public items, newest first."""
        return sorted((y for y in self.by_year if y), reverse=True)

    def count(self, year=None):
        return self.total if year is None else self.by_year.get(year, 0)


class _SummaryCache:
    """Column summaries of one process, valid while the organization's content generation is unchanged."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = {}

    def get(self, key, generation):
        with self._lock:
            entry = self._entries.get(key)
        return entry[1] if entry is not None and entry[0] == generation else None

    def put(self, key, generation, value):
        with self._lock:
            if len(self._entries) > 5000:
                self._entries.clear()
            self._entries[key] = (generation, value)

    def clear(self):
        with self._lock:
            self._entries.clear()


summaries = _SummaryCache()


# One walk of the ``ix_items_public_year`` index (it carries the year, topic and section): the year counts
# and the filter choices of a column page come from the same rows. Two statements (a GROUP BY year, a
# DISTINCT topic, section) walked the column twice on its first visit.
_OWN_GROUPS = text(
    f"SELECT index_year, topic, section_id, count(id) FROM items WHERE {PUBLIC_WHERE}"
    " AND organization_id = :org AND column_id = :col GROUP BY index_year, topic, section_id")


def _compute_summary(column):
    by_year, topics, section_ids = {}, set(), set()
    for year, topic, section_id, n in read_rows(_OWN_GROUPS, {"org": column.organization_id, "col": column.id}):
        by_year[year] = by_year.get(year, 0) + n
        if topic:
            topics.add(topic)
        section_ids.add(section_id)
    referenced = _referenced_ids(column)
    if referenced:
        extra = (
            _public_filter(db.session.query(Item.index_year, func.count()))
            .filter(Item.id.in_(referenced), Item.column_id != column.id)
            .group_by(Item.index_year)
        )
        for year, n in extra:
            by_year[year] = by_year.get(year, 0) + n
    return ColumnSummary(by_year=by_year, total=sum(by_year.values()), topics=tuple(sorted(topics)),
                         section_ids=tuple(sorted(s for s in section_ids if s is not None)))


def column_summary(column, generation=None):
    """Years and counts of ``column``'s public items, recounted only after an item of its organization changed."""
    if generation is None:
        generation = content_generation(column.organization_id)
    summary = summaries.get(("column", column.id), generation)
    if summary is None:
        summary = _compute_summary(column)
        summaries.put(("column", column.id), generation, summary)
    return summary


def column_counts(org, generation=None):
    """``{column_id: number of its own public items}`` for the catalog, cached like ``column_summary``."""
    if generation is None:
        generation = content_generation(org.id)
    counts = summaries.get(("org", org.id), generation)
    if counts is None:
        counts = dict(
            db.session.query(Item.column_id, func.count())
            .filter(Item.organization_id == org.id, Item.state == "published", Item.disclosure == "proactive",
                    (Item.working_copy_of_id + 0).is_(None))
            .group_by(Item.column_id)
        )
        summaries.put(("org", org.id), generation, counts)
    return counts


class Page:
    """One page of a list, shaped like Flask-SQLAlchemy's pagination for the ``pager`` macro."""

    def __init__(self, items, page, per_page, total):
        self.items, self.page, self.per_page, self.total = items, page, per_page, total

    @property
    def pages(self):
        return max(1, -(-self.total // self.per_page)) if self.total else 0

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def prev_num(self):
        return self.page - 1 if self.has_prev else None

    @property
    def has_next(self):
        return self.page < self.pages

    @property
    def next_num(self):
        return self.page + 1 if self.has_next else None


def column_page(column, page, per_page, year=None, generation=None):
    """Page ``page`` of ``column``'s public items (newest first, list fields only) with the year list.

    Returns ``(Page, years)``; the count comes from ``column_summary``, so no COUNT query runs.
    """
    summary = column_summary(column, generation)
    total = summary.count(year or None)
    items = []
    if (page - 1) * per_page < total:  # past the last page: no query (and no huge OFFSET)
        query = public_items_in_column(column, public_list())
        if year:
            query = query.filter(Item.index_year == year)
        items = (query.order_by(Item.published_at.desc(), Item.id.desc())
                 .limit(per_page).offset((page - 1) * per_page).all())
    return Page(items, page, per_page, total), summary.years

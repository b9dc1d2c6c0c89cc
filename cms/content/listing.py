"""Column disclosure lists (信息公开目录): filters, sorting and paging from URL query parameters.

``/columns/<code>?topic=&section=&year=&q=&validity=&sort=date|relevance&page=`` -- every value is checked
against what the column holds; an unknown or invalid value is dropped and explained in a note, never an
error. Queries load list fields only (no bodies) and stay inside the ``(organization_id, state,
column_id, ...)`` index range of the column; the unfiltered count comes from the cached column summary.
"""
from dataclasses import dataclass, field

from sqlalchemy import func

from cms.content.models import Item
from cms.content.queries import Page, _referenced_ids, column_summary, summaries
from cms.content.types import VALIDITY
from cms.extensions import db
from cms.read_sql import read_rows

PER_PAGE = 20
MAX_Q = 100
MAX_PAGE = 10_000
SORTS = {"date": "按发布日期", "relevance": "按相关度"}


@dataclass(frozen=True)
class ColumnFacets:
    """The values a column's filters offer: topics, sections (``{code: (id, name)}``) and years."""

    topics: tuple
    sections: dict
    years: tuple


@dataclass
class ListingFilters:
    topic: str | None = None
    section: str | None = None  # section code
    year: int | None = None
    q: str | None = None
    validity: str | None = None
    sort: str = "date"
    page: int = 1
    notes: list = field(default_factory=list)

    @property
    def active(self):
        """True when anything narrows the list (the year alone is answered from the cached summary)."""
        return bool(self.topic or self.section or self.q or self.validity)

    def args(self):
        """The filters as query parameters (without ``page``), for links that keep them."""
        values = {"topic": self.topic, "section": self.section, "year": self.year, "q": self.q,
                  "validity": self.validity, "sort": self.sort if self.sort != "date" else None}
        return {k: v for k, v in values.items() if v not in (None, "")}

    def key(self):
        return (self.topic, self.section, self.year, self.q, self.validity, self.sort, self.page,
                tuple(self.notes))


def column_facets(column, generation):
    """Topics and sections present among the column's public items (cached per content generation); they come
    with the column summary's walk of the year index."""
    from cms.accounts.models import Section

    facets = summaries.get(("facets", column.id), generation)
    if facets is None:
        summary = column_summary(column, generation)
        sections = {}
        if summary.section_ids:
            for s in Section.query.filter(Section.id.in_(summary.section_ids)).order_by(Section.id):
                sections[s.code] = (s.id, s.name)
        facets = ColumnFacets(topics=summary.topics, sections=sections, years=tuple(summary.years))
        summaries.put(("facets", column.id), generation, facets)
    return facets


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def parse_filters(args, facets):
    """``ListingFilters`` from request args; what cannot be used is left out and noted (in Chinese)."""
    f = ListingFilters()
    notes = f.notes
    topic = (args.get("topic") or "").strip()
    if topic:
        if topic in facets.topics:
            f.topic = topic
        else:
            notes.append(f"本栏目没有主题分类“{topic[:50]}”，已忽略该条件。")
    section = (args.get("section") or "").strip()
    if section:
        if section in facets.sections:
            f.section = section
        else:
            notes.append(f"本栏目没有发布机构“{section[:50]}”，已忽略该条件。")
    year = (args.get("year") or "").strip()
    if year:
        number = _int(year)
        if number is not None and 1900 <= number <= 2200:
            f.year = number
        else:
            notes.append(f"年份“{year[:20]}”无效，已忽略该条件。")
    q = " ".join((args.get("q") or "").split())
    if q:
        if len(q) > MAX_Q:
            notes.append(f"关键词过长，已只使用前 {MAX_Q} 个字符。")
            q = q[:MAX_Q].strip()
        f.q = q
    validity = (args.get("validity") or "").strip()
    if validity:
        if validity in VALIDITY:
            f.validity = validity
        else:
            notes.append(f"有效性“{validity[:20]}”无效，已忽略该条件。")
    sort = (args.get("sort") or "").strip()
    if sort:
        if sort in SORTS:
            f.sort = sort
        else:
            notes.append(f"排序方式“{sort[:20]}”无效，已按发布日期排序。")
    page = (args.get("page") or "").strip()
    if page:
        number = _int(page)
        if number is not None and 1 <= number <= MAX_PAGE:
            f.page = number
        else:
            notes.append(f"页码“{page[:20]}”无效，已显示第 1 页。")
    return f


def _public_rows(query):
    """``query`` narrowed to public items, written so that the listing indexes answer it.

    ``working_copy_of_id`` has a UNIQUE index, and SQLite (without statistics) takes ``IS NULL`` on it for a
    one-row lookup: it walks that index over every original and sorts. ``working_copy_of_id + 0`` is the
    same condition with no index behind it, so the ``(organization_id, state, column_id, published_at, id)``
    index is used instead, on both databases.
    """
    return query.filter(Item.state == "published", (Item.working_copy_of_id + 0).is_(None),
                        Item.disclosure == "proactive")


def column_listing(column, f, facets, generation, per_page=PER_PAGE):
    """One page of the column's list under filters ``f``: a ``Page`` of list-field rows (no bodies), from
    two text statements built once per filter shape (``listing_sql``)."""
    from cms.content.listing_sql import listing_statements, page_from_bound

    section_id = facets.sections[f.section][0] if f.section else None
    referenced = _referenced_ids(column)
    rows, count, params = listing_statements(column, referenced, f, section_id)
    if f.active:
        # Counted once per filter set and content generation (every page of a filtered list shows it).
        count_key = ("count", column.id, f.topic, f.section, f.year, f.q, f.validity)
        total = summaries.get(count_key, generation)
        if total is None:
            total = read_rows(count, params)[0][0] or 0
            summaries.put(count_key, generation, total)
    else:
        total = column_summary(column, generation).count(f.year)
    items = []
    if (f.page - 1) * per_page < total:
        plain = not (f.active or f.sort != "date" or referenced)
        bounds = _kept_bounds(column, f, generation, per_page) if plain and f.page > KEYSET_FROM_PAGE else None
        bound = bounds.get(f.page) if bounds is not None else None
        if bound is not None:
            statement, seek = page_from_bound(column, f.year, bound, per_page)
            items = read_rows(statement, seek, named=True)
        else:
            page_params = {**params, "limit": per_page, "offset": (f.page - 1) * per_page}
            items = read_rows(rows, page_params, named=True)
            if bounds is not None and items and len(bounds) < MAX_KEPT_BOUNDS:
                bounds[f.page] = (items[0].bound_at, items[0].id)
    return Page(items, f.page, per_page, total)


# Past this page a plain column list (no filter but the year, no cross-references) is read from where the page
# starts (keyset) once that is known, instead of skipping ``OFFSET`` rows: page 300 of a column of 7,000 items
# skipped 6,000 index entries per request. The first pages skip a few hundred entries at most.
KEYSET_FROM_PAGE = 10
# Page starts kept per column and year (one entry of the summary cache each, at most this many pages in it).
MAX_KEPT_BOUNDS = 5000


def _kept_bounds(column, f, generation, per_page):
    """``{page: (published_at as stored, id)}``: where the deep pages of a plain list start, kept per worker,
    column, year and content generation. A page's first visit reads it by ``OFFSET`` and keeps where it
    starts; later visits seek there, an index seek however deep the page. Filtered lists and columns that
    cross-reference items of other columns always use ``OFFSET``."""
    key = ("bounds", column.id, f.year, per_page)
    bounds = summaries.get(key, generation)
    if bounds is None:
        bounds = {}
        summaries.put(key, generation, bounds)
    return bounds


def column_latest(org, generation):
    """``{column_id: newest published_at}`` of the organization's own public items (cached per generation)."""
    latest = summaries.get(("latest", org.id), generation)
    if latest is None:
        latest = dict(
            _public_rows(db.session.query(Item.column_id, func.max(Item.published_at)))
            .filter(Item.organization_id == org.id)
            .group_by(Item.column_id)
        )
        summaries.put(("latest", org.id), generation, latest)
    return latest

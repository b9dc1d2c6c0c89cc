"""What the public search page adds around the backend search: the validity filter, the list fields of the
hits (索引号, 文号, 有效性), and a suggestion when nothing is found.

The index knows nothing of validity (it changes without a re-index), so the validity filter is applied to
the first ``VALIDITY_WINDOW`` hits from the database; the page says so when the window was exceeded.
"""
import difflib
import re
from dataclasses import replace

from cms.content.models import Item
from cms.content.queries import public_items
from cms.content.sanitize import html_to_text
from cms.search.backend import Results
from cms.search.service import get_backend

VALIDITY_WINDOW = 500
_DOC_NO = re.compile(r"[〔\[（(]?\s*(19|20)\d{2}\s*[〕\]）)]?\s*\d+\s*号")
_YEAR = re.compile(r"(?:19|20)\d{2}")


def search_with_validity(query, validity):
    """``(Results, window_exceeded)``: hits whose item currently has ``validity``, paged in memory."""
    raw = get_backend().search(replace(query, page=1, per_page=VALIDITY_WINDOW))
    ids = [h.id for h in raw.hits]
    keep = set()
    if ids:
        keep = {i for (i,) in public_items().filter(Item.id.in_(ids), Item.validity == validity)
                .with_entities(Item.id)}
    hits = [h for h in raw.hits if h.id in keep]
    start = (query.page - 1) * query.per_page
    page_hits = hits[start:start + query.per_page]
    if page_hits:
        bodies = dict(public_items().filter(Item.id.in_([h.id for h in page_hits]))
                      .with_entities(Item.id, Item.body_html))
        for hit in page_hits:
            if not hit.body:
                hit.body = html_to_text(bodies.get(hit.id, ""))
    return Results(total=len(hits), hits=page_hits), raw.total > VALIDITY_WINDOW


def hit_fields(hits):
    """``{item id: (index_no, doc_number, validity)}`` for the hits (one body-free query)."""
    from cms.search.service import public_rows

    ids = [h.id for h in hits]
    if not ids:
        return {}
    rows = public_rows(ids)  # usually the statement the search itself ran for these hits
    return {i: (r.index_no or "", r.doc_number or "", r.validity) for i, r in rows.items()}


def wider_columns(query, limit=200):
    """When filters found nothing: ``(total, [(column code, column name, count)])`` for the same words
    without any filter (how many hits each column has, largest first)."""
    wide = replace(query, column=None, type=None, year=None, section=None, page=1, per_page=limit)
    results = get_backend().search(wide)
    counts = {}
    for hit in results.hits:
        code, name, n = counts.get(hit.column, (hit.column, hit.column_name, 0))
        counts[hit.column] = (code, name, n + 1)
    return results.total, sorted(counts.values(), key=lambda c: -c[2])


def closest_doc_number(organization_id, text, cutoff=0.6):
    """The public item whose 文号 is closest to ``text`` (when it looks like a 文号), or None."""
    text = " ".join((text or "").split())
    if not text or not (_DOC_NO.search(text) or "〔" in text or text.endswith("号")):
        return None
    query = public_items().filter(Item.organization_id == organization_id, Item.doc_number.isnot(None),
                                  Item.doc_number != "")
    year = _YEAR.search(text)
    if year:
        query = query.filter(Item.doc_number.contains(year.group(0)))
    else:
        query = query.filter(Item.doc_number.contains(text[:2], autoescape=True))
    rows = query.with_entities(Item.id, Item.title, Item.doc_number).limit(2000).all()
    best, score = None, cutoff
    for row in rows:
        ratio = difflib.SequenceMatcher(None, text, row.doc_number).ratio()
        if ratio > score:
            best, score = row, ratio
    return best

"""The public search page: filters (column, type, year, section, validity), sorting, the total, a
suggestion when nothing is found. Plain GET form and links: it works without JavaScript."""
from dataclasses import replace

from flask import render_template, request
from sqlalchemy import bindparam, select

from cms.accounts.models import Section
from cms.blueprints.public import bp
from cms.extensions import db
from cms.blueprints.public.page_cache import may_keep_page, search_pages
from cms.content.public_state import column_tree, public_state
from cms.content.types import ITEM_TYPES, VALIDITY
from cms.search.analyzer import highlight_terms, parse_query
from cms.search.params import query_from_args
from cms.search.public_filters import (VALIDITY_WINDOW, closest_doc_number, hit_fields, search_with_validity,
                                       wider_columns)
from cms.search.service import search
from cms.search.snippets import snippet


_SECTIONS = (select(Section.id, Section.code, Section.name)
             .where(Section.organization_id == bindparam("org")).order_by(Section.id))


def _sections(org):
    return db.session.execute(_SECTIONS, {"org": org.id}).all() if org is not None else []


def _checked_query(args, columns, sections):
    """The search query with every unusable filter dropped, and the notes that say so."""
    query = query_from_args(args)
    notes = []
    if query.column and query.column not in {c.code for c in columns}:
        notes.append(f"没有栏目“{query.column[:50]}”，已忽略该条件。")
        query = replace(query, column=None)
    if query.section and query.section not in {s.code for s in sections}:
        notes.append(f"没有发布机构“{query.section[:50]}”，已忽略该条件。")
        query = replace(query, section=None)
    if args.get("type") and query.type is None:
        notes.append(f"信息类型“{args.get('type')[:20]}”无效，已忽略该条件。")
    if args.get("year") and query.year is None:
        notes.append(f"年份“{args.get('year')[:20]}”无效，已忽略该条件。")
    if args.get("sort") and args.get("sort") not in ("date", "relevance"):
        notes.append(f"排序方式“{args.get('sort')[:20]}”无效，已按相关度排序。")
    validity = args.get("validity") or None
    if validity and validity not in VALIDITY:
        notes.append(f"有效性“{validity[:20]}”无效，已忽略该条件。")
        validity = None
    return query, validity, notes


@bp.get("/search")
def search_page():
    """The results page; a repeated search (the same words and filters) is served from this worker's cache
    while no item changed, for at most a minute (the index follows the database through the task queue)."""
    state = public_state()
    org = state.org if state is not None else None
    use_cache = org is not None and may_keep_page()
    if not use_cache:
        return _search_page(org)
    key = tuple(sorted((k, v[:200]) for k, v in request.args.items(multi=True)))
    validator = (state.generation, state.site_version)
    html = search_pages.get(key, validator)
    if html is None:
        html = _search_page(org)
        search_pages.put(key, validator, html)
    return html


def _search_page(org):
    columns = column_tree(org.id).visible if org else []
    sections = _sections(org)
    query, validity, notes = _checked_query(request.args, columns, sections)
    results, terms, fields, suggestion = None, [], {}, None
    if query.text:
        if validity:
            results, exceeded = search_with_validity(query, validity)
            if exceeded:
                notes.append(f"按有效性筛选时只检查前 {VALIDITY_WINDOW} 条结果，请增加关键词缩小范围。")
        else:
            results = search(query)
        terms = highlight_terms(query.text)
        fields = hit_fields(results.hits)
        if results.total == 0:
            suggestion = _suggest(org, query, validity)
    pages = ((results.total + query.per_page - 1) // query.per_page) if results else 0
    return render_template(
        "public/search.html", query=query, results=results, columns=columns, types=ITEM_TYPES,
        sections=sections, validity=validity, validity_labels=VALIDITY, notes=notes, fields=fields,
        suggestion=suggestion, snippet=lambda text: snippet(text, terms), pages=pages,
        truncated=parse_query(request.args.get("q") or "")[1],
    )


def _suggest(org, query, validity):
    """Same words without the filters (and in which columns), or the closest 文号."""
    suggestion = {"wider_total": 0, "columns": [], "doc": None}
    if query.column or query.type or query.year or query.section or validity:
        suggestion["wider_total"], suggestion["columns"] = wider_columns(query)
    if org is not None:
        suggestion["doc"] = closest_doc_number(org.id, query.text)
    return suggestion

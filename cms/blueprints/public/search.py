"""The public search page."""
from flask import render_template, request

from cms.blueprints.public import bp
from cms.content.columns import site_organization, visible_columns
from cms.content.types import ITEM_TYPES
from cms.search.analyzer import highlight_terms, parse_query
from cms.search.params import query_from_args
from cms.search.service import search
from cms.search.snippets import snippet


@bp.get("/search")
def search_page():
    query = query_from_args(request.args)
    org = site_organization()
    columns = visible_columns(org) if org else []
    results, terms = None, []
    if query.text:
        results = search(query)
        terms = highlight_terms(query.text)
    pages = ((results.total + query.per_page - 1) // query.per_page) if results else 0
    return render_template(
        "public/search.html", query=query, results=results, columns=columns, types=ITEM_TYPES,
        snippet=lambda text: snippet(text, terms), pages=pages,
        truncated=parse_query(request.args.get("q") or "")[1],
    )

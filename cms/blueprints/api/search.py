"""GET /api/v1/search: public search over published items."""
from flask import jsonify, request, url_for

from cms.blueprints.api import bp
from cms.search.analyzer import highlight_terms
from cms.search.params import query_from_args
from cms.search.service import search
from cms.search.snippets import snippet


@bp.get("/search")
def search_api():
    query = query_from_args(request.args)
    if not query.text:
        return jsonify(total=0, page=query.page, per_page=query.per_page, results=[])
    results = search(query)
    terms = highlight_terms(query.text)
    return jsonify(
        total=results.total,
        page=query.page,
        per_page=query.per_page,
        results=[
            {
                "id": hit.id,
                "title": hit.title,
                "url": url_for("public.item_detail", item_id=hit.id),
                "column": hit.column,
                "published_at": hit.published_at.isoformat() + "Z",
                "snippet": str(snippet(hit.body, terms)),
            }
            for hit in results.hits
        ],
    )

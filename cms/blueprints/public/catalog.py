"""The catalog (主动公开基本目录) and column pages."""
from flask import abort, current_app, redirect, render_template, request, url_for

from cms.blueprints.public import bp
from cms.content.columns import resolve_column_code, site_organization, visible_columns
from cms.content.models import Column
from cms.blueprints.public.page_cache import column_pages
from cms.content.listing import SORTS, column_facets, column_listing, parse_filters
from cms.content.queries import column_counts, content_generation
from cms.content.types import VALIDITY
from cms.clocks.budgets import budgets_by_year
from cms.clocks.models import BUDGET_KINDS

PER_PAGE = 20


@bp.get("/catalog")
def catalog():
    org = site_organization()
    if org is None:
        abort(404)
    columns = visible_columns(org)
    counts = column_counts(org)
    children = {}
    for column in columns:
        children.setdefault(column.parent_id, []).append(column)
    return render_template("public/catalog.html", org=org, children=children, counts=counts)


@bp.get("/columns/<code>")
def column_detail(code):
    org = site_organization()
    if org is None:
        abort(404)
    column = Column.query.filter_by(organization_id=org.id, code=code, retired=False).first()
    if column is None:
        target = resolve_column_code(org, code)
        if target is not None:
            return redirect(url_for("public.column_detail", code=target.code, **request.args), 301)
        abort(404)
    if not column.visible:
        abort(404)
    use_cache = current_app.config["CMS_PAGE_CACHE"]
    generation = content_generation(org.id)
    facets = column_facets(column, generation)
    filters = parse_filters(request.args, facets)
    key, validator = (column.id, filters.key()), (generation, column.name, column.positioning)
    html = column_pages.get(key, validator) if use_cache else None
    if html is None:
        html = _render_column(org, column, filters, facets, generation)
        if use_cache:
            column_pages.put(key, validator, html)
    return html


def _render_column(org, column, filters, facets, generation):
    # Counts come from the cached column summary (or one COUNT within the column); no bodies are loaded.
    items = column_listing(column, filters, facets, generation, PER_PAGE)
    first_plain = filters.page == 1 and not filters.active and not filters.year
    budget_years = budgets_by_year(column) if column.accepts_type("budget") and first_plain else None
    return render_template("public/column_detail.html", org=org, column=column, items=items, facets=facets,
                           filters=filters, years=facets.years, year=filters.year, budget_years=budget_years,
                           budget_kinds=BUDGET_KINDS, validity_labels=VALIDITY, sorts=SORTS)

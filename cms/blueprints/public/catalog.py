"""The catalog (主动公开基本目录) and column pages."""
from flask import abort, current_app, redirect, render_template, request, url_for
from sqlalchemy import func

from cms.blueprints.public import bp
from cms.content.columns import resolve_column_code, site_organization, visible_columns
from cms.content.models import Column, Item
from cms.blueprints.public.page_cache import column_pages
from cms.content.queries import content_generation, public_items, public_items_in_column
from cms.extensions import db
from cms.clocks.budgets import budgets_by_year
from cms.clocks.models import BUDGET_KINDS

PER_PAGE = 20


@bp.get("/catalog")
def catalog():
    org = site_organization()
    if org is None:
        abort(404)
    columns = visible_columns(org)
    counts = dict(
        db.session.query(Item.column_id, func.count(Item.id))
        .filter(Item.id.in_(public_items().with_entities(Item.id)))
        .group_by(Item.column_id)
        .all()
    )
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
    year = request.args.get("year", type=int)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    use_cache = current_app.config["CMS_PAGE_CACHE"]
    key, validator = (column.id, page, year), (content_generation(org.id), column.name, column.positioning)
    html = column_pages.get(key, validator) if use_cache else None
    if html is None:
        html = _render_column(org, column, page, year)
        if use_cache:
            column_pages.put(key, validator, html)
    return html


def _render_column(org, column, page, year):
    query = public_items_in_column(column)
    years = sorted({y for (y,) in query.with_entities(Item.index_year).distinct() if y}, reverse=True)
    if year:
        query = query.filter(Item.index_year == year)
    items = query.order_by(Item.published_at.desc(), Item.id.desc()).paginate(
        page=page, per_page=PER_PAGE, error_out=False
    )
    budget_years = budgets_by_year(column) if column.accepts_type("budget") and page == 1 else None
    return render_template("public/column_detail.html", org=org, column=column, items=items, years=years,
                           year=year, budget_years=budget_years, budget_kinds=BUDGET_KINDS)

"""The catalog (主动公开基本目录) and column pages."""
from flask import abort, redirect, render_template, request, url_for

from cms.blueprints.public import bp
from cms.content.columns import resolve_column_code, site_organization, visible_columns
from cms.content.public_state import column_tree, public_state
from cms.blueprints.public.page_cache import column_pages, kept_page, may_keep_page
from cms.content.listing import SORTS, column_facets, column_latest, column_listing, parse_filters
from cms.site import service as site_settings
from cms.pages.store import page_store
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
    generation = content_generation(org.id)
    counts = column_counts(org, generation)
    latest = column_latest(org, generation)
    children = {}
    visible_ids = {c.id for c in columns}
    for column in columns:
        # A column whose parent is hidden or retired is shown at the top level.
        parent = column.parent_id if column.parent_id in visible_ids else None
        children.setdefault(parent, []).append(column)
    by_code = {c.code: c for c in columns}
    return render_template("public/catalog.html", org=org, children=children, counts=counts, latest=latest,
                           entries=standard_entries(by_code))


def standard_entries(by_code):
    """The standard entries of a disclosure column (信息公开指南, 制度, 法定主动公开内容, 年报, 依申请公开)."""
    settings = site_settings.current()
    guide = by_code.get("guide")
    reports = by_code.get("annual-reports")
    entries = [
        ("信息公开指南", url_for("public.disclosure_guide") if settings.guide_html or guide is None
         else url_for("public.column_detail", code="guide"), "公开的范围、方式、程序和依申请公开的办理流程"),
        ("信息公开制度", url_for("public.disclosure_rules"), "本机关政府信息公开工作制度"),
        ("法定主动公开内容", url_for("public.catalog") + "#catalog-tree", "按《条例》第二十条等规定主动公开的信息"),
    ]
    if reports is not None:
        entries.append(("信息公开年报", url_for("public.column_detail", code=reports.code), "历年政府信息公开工作年度报告"))
    entries.append(("依申请公开", url_for("public.apply"), "在线提交政府信息公开申请，查询办理进度"))
    return entries


@bp.get("/columns/<code>")
def column_detail(code):
    state = public_state()
    if state is None:
        abort(404)
    org = state.org
    tree = column_tree(org.id)
    column = tree.by_code.get(code)
    if column is None or column.retired:
        target = resolve_column_code(org, code)
        if target is not None:
            return redirect(url_for("public.column_detail", code=target.code, **request.args), 301)
        abort(404)
    if not column.visible:
        abort(404)
    use_cache = may_keep_page()
    generation = state.generation
    facets = column_facets(column, generation)
    filters = parse_filters(request.args, facets)
    key = (column.id, filters.key())
    # The page shows its column's name, positioning and trail (ancestors' names): the tree's signature.
    validator = (generation, tree.signature, state.site_version)
    # Pages without title words are a bounded set (column x filters x page): kept in the shared store too.
    shared = use_cache and not filters.q
    html = None
    if shared:
        html = kept_page(column_pages, key, validator, shared_key=("column",) + key)
    elif use_cache:
        html = column_pages.get(key, validator)
    if html is None:
        html = _render_column(org, column, filters, facets, generation)
        if use_cache:
            column_pages.put(key, validator, html)
        if shared:
            page_store().put(("column",) + key, validator, html)
    return html


def _render_column(org, column, filters, facets, generation):
    # Counts come from the cached column summary (or one COUNT within the column); no bodies are loaded.
    items = column_listing(column, filters, facets, generation, PER_PAGE)
    first_plain = filters.page == 1 and not filters.active and not filters.year
    budget_years = budgets_by_year(column) if column.accepts_type("budget") and first_plain else None
    return render_template("public/column_detail.html", org=org, column=column, items=items, facets=facets,
                           filters=filters, years=facets.years, year=filters.year, budget_years=budget_years,
                           budget_kinds=BUDGET_KINDS, validity_labels=VALIDITY, sorts=SORTS)

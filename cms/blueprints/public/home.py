"""Home page (the health check lives in cms/blueprints/health.py)."""
from flask import render_template

from cms.blueprints.public import bp
from cms.blueprints.public.page_cache import column_pages, may_keep_page
from cms.content.columns import site_organization, visible_columns
from cms.content.queries import content_generation, latest_public_rows
from cms.site import service as site_settings

# Columns whose latest items the home page shows.
HOME_BLOCKS = ("notices", "policies", "work-news", "interpretations")


@bp.get("/")
def home():
    org = site_organization()
    if org is None:
        return render_template("public/home.html", org=org, columns=[], blocks=[], latest=[])
    use_cache = may_keep_page()
    columns = [c for c in visible_columns(org) if c.parent_id is None]
    # Valid while no item changed and the column tree (names, order, visibility) is the same.
    validator = (content_generation(org.id), tuple((c.id, c.code, c.name) for c in columns),
                 site_settings.version())
    html = column_pages.get(("home", org.id), validator) if use_cache else None
    if html is None:
        by_code = {c.code: c for c in columns}
        block_columns = [by_code[code] for code in HOME_BLOCKS if code in by_code]
        latest, rows = latest_public_rows(org.id, {c.id: 6 for c in block_columns}, limit=8)
        blocks = [(c, rows[c.id]) for c in block_columns]
        html = render_template("public/home.html", org=org, columns=columns, blocks=blocks, latest=latest)
        if use_cache:
            column_pages.put(("home", org.id), validator, html)
    return html

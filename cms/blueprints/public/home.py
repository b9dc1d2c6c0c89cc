"""Home page (the health check lives in cms/blueprints/health.py)."""
from flask import render_template

from cms.blueprints.public import bp
from cms.blueprints.public.page_cache import column_pages, may_keep_page
from cms.content.public_state import column_tree, public_state
from cms.content.queries import latest_public_rows

# Columns whose latest items the home page shows.
HOME_BLOCKS = ("notices", "policies", "work-news", "interpretations")


@bp.get("/")
def home():
    state = public_state()
    if state is None:
        return render_template("public/home.html", org=None, columns=[], blocks=[], latest=[])
    org = state.org
    use_cache = may_keep_page()
    tree = column_tree(org.id)
    columns = [c for c in tree.visible if c.parent_id is None]
    # Valid while no item changed and the column tree (names, order, visibility) is the same.
    validator = (state.generation, tree.signature, state.site_version)
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

"""Home page (the health check lives in cms/blueprints/health.py)."""
from flask import render_template

from cms.blueprints.public import bp
from cms.content.columns import site_organization, visible_columns
from cms.content.queries import latest_public_items

# Columns whose latest items the home page shows.
HOME_BLOCKS = ("notices", "policies", "work-news", "interpretations")


@bp.get("/")
def home():
    org = site_organization()
    columns, blocks, latest = [], [], []
    if org is not None:
        columns = [c for c in visible_columns(org) if c.parent_id is None]
        by_code = {c.code: c for c in columns}
        blocks = [(by_code[code], latest_public_items(org, [code], limit=6)) for code in HOME_BLOCKS if code in by_code]
        latest = latest_public_items(org, limit=8)
    return render_template("public/home.html", org=org, columns=columns, blocks=blocks, latest=latest)

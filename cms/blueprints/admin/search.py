"""The search box in the back-office header."""
from flask import render_template, request
from flask_login import current_user

from cms.blueprints.admin import bp
from cms.content.admin_search import LIMIT, search_items
from cms.content.workflow import item_state_labels


@bp.get("/search")
def item_search():
    q = (request.args.get("q") or "").strip()[:100]
    return render_template("admin/search.html", q=q, items=search_items(current_user, q), limit=LIMIT,
                           states=item_state_labels())

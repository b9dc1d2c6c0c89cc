"""The back-office home page: what waits for me, my drafts, items returned to me."""
from flask import render_template, request
from flask_login import current_user

from cms.clock import utcnow
from cms.content.item_filters import dashboard_counts
from cms.content.returns import return_notices
from cms.content.services import editor_sections
from cms.content.workflow import item_state_labels, my_items
from cms.content.worklist import DEFAULT_LIMIT, worklist_page

from cms.blueprints.admin import bp


@bp.get("/")
def dashboard():
    returned = my_items(current_user, "returned")
    # A page of the worklist (urgent first, then due first) and the counts per stage; ?stage= narrows it.
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    stage = request.args.get("stage") or None
    if stage is not None and not stage.startswith("pending_"):
        stage = None
    return render_template(
        "admin/dashboard.html",
        worklist=worklist_page(current_user, limit=DEFAULT_LIMIT, offset=min(page - 1, 100_000) * DEFAULT_LIMIT,
                               state=stage),
        worklist_stage=stage,
        drafts=my_items(current_user, "draft"),
        returned=returned,
        return_notes=return_notices(returned),
        states=item_state_labels(),
        is_editor=bool(editor_sections(current_user)),
        now_utc=utcnow(),
        counts=dashboard_counts(current_user),
    )

"""The back-office home page: what waits for me, my drafts, items returned to me."""
from flask import render_template
from flask_login import current_user

from cms.clock import utcnow
from cms.content.item_filters import dashboard_counts
from cms.content.returns import return_notices
from cms.content.services import editor_sections
from cms.content.workflow import item_state_labels, item_worklist_by_stage, my_items

from cms.blueprints.admin import bp


@bp.get("/")
def dashboard():
    returned = my_items(current_user, "returned")
    return render_template(
        "admin/dashboard.html",
        worklist=item_worklist_by_stage(current_user),
        drafts=my_items(current_user, "draft"),
        returned=returned,
        return_notes=return_notices(returned),
        states=item_state_labels(),
        is_editor=bool(editor_sections(current_user)),
        now_utc=utcnow(),
        counts=dashboard_counts(current_user),
    )

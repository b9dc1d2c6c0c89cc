"""The back-office home page: what waits for me, my drafts, items returned to me."""
from flask import render_template
from flask_login import current_user

from cms.content.returns import return_notices
from cms.content.services import editor_sections
from cms.workflow.definitions import ITEM_STATES
from cms.workflow.worklist import item_worklist_by_stage, my_items

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
        states=ITEM_STATES,
        is_editor=bool(editor_sections(current_user)),
    )

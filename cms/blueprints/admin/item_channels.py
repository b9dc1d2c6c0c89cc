"""The channel ticks of the item editor (templates/admin/_channels_field.html), saved with the item."""
from flask import request
from flask_login import current_user

from cms.channels import CHANNELS
from cms.channels.services import channels_of, enabled_channels, set_item_channels
from cms.blueprints.admin import bp

FORM_MARKER = "channels_shown"  # the partial was on the page: an empty tick list means "website only"


def save_channel_choice(item):
    """Store the ticked channels of the submitted editor form on ``item`` (the draft or working copy saved).

    Raises ValidationError (field ``channels``) for a channel unknown or not enabled for the bureau.
    """
    if request.form.get(FORM_MARKER) != "1":
        return None
    return set_item_channels(item, request.form.getlist("channels"))


def _organization_id(item):
    if item is not None:
        return item.organization_id
    orgs = sorted(m.section.organization_id for m in current_user.memberships if m.role == "editor")
    return orgs[0] if orgs else None


@bp.app_template_global()
def channel_field(item=None):
    """What the editor's channel ticks show: the bureau's enabled channels and which are ticked."""
    org_id = _organization_id(item)
    enabled = enabled_channels(org_id) if org_id is not None else []
    if request.method == "POST" and request.form.get(FORM_MARKER) == "1":
        ticked = set(request.form.getlist("channels"))
    else:
        ticked = set(channels_of(item)) if item is not None else set()
    # A channel disabled after it was ticked stays visible (so the editor sees it will be dropped).
    shown = enabled + [c for c in ticked if c in CHANNELS and c != "website" and c not in enabled]
    return {"choices": [(code, CHANNELS[code], code in ticked, code in enabled) for code in shown],
            "marker": FORM_MARKER}

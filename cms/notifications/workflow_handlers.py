"""Who hears about an item's transition: the next stage's reviewers, and the author on return and publication."""
from flask import url_for

from cms.notifications.services import notify
from cms.workflow import events
from cms.workflow.engine import stage_reviewers, workflow_for


def _reviewers(item):
    """The people who can approve the item's stage now (the same rule as the buttons, in one query)."""
    return stage_reviewers(item)


def _link(item_id):
    try:
        return url_for("admin.item_view", item_id=item_id)
    except RuntimeError:  # outside a request (CLI): a relative link is enough
        return f"/admin/items/{item_id}"


def on_transition(evt):
    if evt.subject_type != "item":
        return
    item = evt.subject
    title = item.title[:80]
    if evt.to_state.startswith("pending_"):
        label = workflow_for(item).states.get(evt.to_state, evt.to_state)
        notify(_reviewers(item), f"《{title}》等待您审核（{label}）", _link(item.id))
    elif evt.to_state == "returned":
        comment = (evt.data or {}).get("comment") or ""
        notify([item.author], f"《{title}》被退回修改：{comment}", _link(item.id))
    elif evt.to_state == "retracted":
        notify([item.author], f"《{title}》已被撤下", _link(item.id))


def on_published(evt):
    item = evt.subject
    notify([item.author, item.last_editor], f"《{item.title[:80]}》已发布", _link(item.id))


def on_stage_approved(evt):
    """A countersign is still waiting for others: tell the reviewers who have not approved yet."""
    if evt.subject_type != "item":
        return
    item = evt.subject
    data = evt.data or {}
    notify(_reviewers(item), f"《{item.title[:80]}》会签进行中（{data.get('have')}/{data.get('need')}），等待您审核",
           _link(item.id))


events.subscribe("transition", on_transition, phase="in_transaction")
events.subscribe("stage_approved", on_stage_approved, phase="in_transaction")
events.subscribe("published", on_published, phase="in_transaction")
events.subscribe("revised", on_published, phase="in_transaction")

"""Bulk actions from the item list and the worklist: approve, return with a comment, retract, or move to
another column — each item checked on its own (cms/content/bulk.py), then a summary of what succeeded and
what was refused, with the reason."""
from flask import render_template, request
from flask_login import current_user

from cms.blueprints.admin import bp
from cms.content.bulk import MAX_ITEMS, fire_many, move_many, titles_for
from cms.content.models import Column
from cms.content.workflow import item_state_labels, item_worklist_query
from cms.extensions import db

ACTIONS = {
    "approve": "审核通过",
    "return": "退回修改",
    "retract": "撤下（已发布）/撤回定时发布",
    "move": "移动到其他栏目",
}


def _columns():
    from cms.blueprints.admin.items import _columns_for

    return _columns_for(current_user)


def _selected():
    """The ticked item ids and the version each was shown with (stale → that item is refused with 409)."""
    ids, versions = [], {}
    for raw in request.form.getlist("items")[:MAX_ITEMS]:
        if raw.isdigit() and len(raw) < 10 and int(raw) not in ids:
            ids.append(int(raw))
    for item_id in ids:
        raw = request.form.get(f"version_{item_id}", "")
        if raw.isdigit() and len(raw) < 10:
            versions[item_id] = int(raw)
    return ids, versions


def _summary(action, results, error=None, status=200):
    titles = titles_for(current_user, [r.id for r in results])
    states = item_state_labels()
    return render_template("admin/bulk_result.html", action=action, action_label=ACTIONS.get(action, action),
                           results=results, titles=titles, states=states, error=error,
                           succeeded=[r for r in results if r.ok], refused=[r for r in results if not r.ok],
                           back=request.form.get("back") or ""), status


@bp.post("/items/bulk")
def item_bulk():
    action = request.form.get("action", "")
    if action not in ACTIONS:
        return _summary(action, [], "请选择批量操作。", 400)
    ids, versions = _selected()
    if not ids:
        return _summary(action, [], "请至少勾选一条信息。", 400)
    comment = (request.form.get("comment") or "").strip()[:2000] or None
    if action == "move":
        raw = request.form.get("column", "")
        column = db.session.get(Column, int(raw)) if raw.isdigit() and len(raw) < 10 else None
        if column is None or column not in _columns():
            return _summary(action, [], "请选择目标栏目。", 400)
        results = move_many(current_user, ids, column.id, versions=versions)
    else:
        inputs = {"comment": comment}
        if request.form.get("confidentiality_checked"):
            inputs["confidentiality_checked"] = True
        results = fire_many(current_user, action, ids, versions=versions, **inputs)
    return _summary(action, results)


@bp.get("/worklist")
def worklist_bulk():
    """The items waiting for the user's review, with the bulk bar (approve or return several)."""
    from sqlalchemy.orm import joinedload

    from cms.content.models import Item

    items = (item_worklist_query(current_user).options(joinedload(Item.column), joinedload(Item.section))
             .limit(500).all())
    return render_template("admin/worklist.html", items=items, states=item_state_labels())


def bulk_bar_context():
    return {"bulk_actions": ACTIONS, "bulk_columns": _columns()}


@bp.app_context_processor
def _bulk_bar():
    # Only the two list screens render the bar; the columns are read lazily there.
    return {"bulk_bar_context": bulk_bar_context}

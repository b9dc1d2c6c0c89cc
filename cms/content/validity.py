"""Validity of published documents (有效性): a change by the office (one-off) or by a published cleanup list
leaves the same trace: the new validity with its date, the replacing document when amended, a revision,
a history entry and a ``validity_changed`` event (search index, feeds, sitemap and cached pages follow).
"""
from cms.clock import local_today
from cms.content.models import Item
from cms.content.types import VALIDITY
from cms.errors import Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.workflow import events


def can_change_validity(user, item):
    """The office of the item's organization: its auditors, its head (office section chief), the director."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return any(m.section.organization_id == item.organization_id and (
        m.role in ("office_auditor", "director") or (m.role == "section_chief" and m.section.kind == "office"))
        for m in user.memberships)


def is_published_original(item):
    return item is not None and item.state == "published" and item.working_copy_of_id is None


def check_replacement(item, replaced_by_id):
    """The replacing document: a published original of the same organization, not the item itself."""
    replacement = db.session.get(Item, replaced_by_id) if isinstance(replaced_by_id, int) else None
    if (replacement is None or replacement.id == item.id or replacement.organization_id != item.organization_id
            or not is_published_original(replacement)):
        return None
    return replacement


def apply_validity(item, user, validity, *, replaced_by=None, note=None, changed_on=None, cleanup=None):
    """Write the change and its trace (no permission check: callers decide who may). Flushes."""
    from cms.content.services import record_revision
    from cms.workflow.engine import record_history

    changed_on = changed_on or local_today()
    item.validity = validity
    item.validity_changed_on = changed_on
    item.replaced_by_id = replaced_by.id if replaced_by is not None and validity == "amended" else None
    # An open revision of the document would bring its old validity back at its sign-off: it follows too.
    copy = Item.query.filter_by(working_copy_of_id=item.id).first()
    if copy is not None:
        copy.validity, copy.validity_changed_on = validity, changed_on
    label = VALIDITY[validity]
    text = f"有效性变更为{label}（{changed_on.isoformat()}）"
    if item.replaced_by_id:
        text += f"，由《{replaced_by.title[:80]}》修订"
    if cleanup is not None:
        text += f"，依据清理结果《{cleanup.title[:80]}》"
    record_revision(item, user, note=text[:200])
    inputs = {"validity": validity, "changed_on": changed_on.isoformat()}
    if item.replaced_by_id:
        inputs["replaced_by"] = item.replaced_by_id
    if cleanup is not None:
        inputs["cleanup"] = cleanup.id
    record_history(item, user, "validity", item.state, item.state, comment=(note or text)[:2000], inputs=inputs)
    db.session.flush()
    events.emit(events.Event(name="validity_changed", subject_type="item", subject_id=item.id, subject=item,
                             actor_id=getattr(user, "id", None), data=inputs))
    return item


def change_validity(item, user, validity, *, replaced_by_id=None, note=None, expected_version=None):
    """A one-off change by the office. 403 for anyone else, 409 on a stale version, 422 on bad input."""
    if not can_change_validity(user, item):
        raise NotAllowed("只有办公室可以变更文件有效性")
    if expected_version is not None and expected_version != item.version:
        raise Conflict("该信息已被他人修改，请刷新后重试", fields={"version": "stale"}, current_version=item.version)
    errors = {}
    if validity not in VALIDITY:
        errors["validity"] = "invalid"
    if not is_published_original(item):
        errors["item"] = "not_published"
    if note is not None and (not isinstance(note, str) or len(note) > 500):
        errors["note"] = "invalid"
    replacement = None
    if validity == "amended":
        if replaced_by_id is None:
            errors["replaced_by"] = "required"
        else:
            replacement = check_replacement(item, replaced_by_id)
            if replacement is None:
                errors["replaced_by"] = "invalid"
    elif replaced_by_id is not None:
        errors["replaced_by"] = "only_for_amended"
    if errors:
        messages = {"validity": "有效性取值无效", "item": "只能变更已发布文件的有效性",
                    "replaced_by": "“已修订”须指明本机关已发布的修订后文件", "note": "说明过长"}
        raise ValidationError("；".join(messages[k] for k in errors), fields=errors)
    return apply_validity(item, user, validity, replaced_by=replacement, note=(note or "").strip() or None)


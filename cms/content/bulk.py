"""Bulk actions on items: one transition (or a column move) on several items, each on its own.

Every item goes through exactly what the single-item screen or API call would do — ``fire()`` with its
guard, conditions and the version the caller decided on, or ``update_item`` plus the one-place rule for a
move — in its own transaction, so one refusal never stops (or undoes) the others. Each result carries the
status code the single-item API would have answered (200/403/404/409/422) and the Chinese reason.
"""
from dataclasses import dataclass

from cms.content.models import Column, Item
from cms.errors import ConditionFailed, DomainError, ValidationError
from cms.extensions import db

MAX_ITEMS = 100


@dataclass
class BulkResult:
    id: int
    status: int
    state: str | None = None
    version: int | None = None
    title: str | None = None
    error: dict | None = None

    @property
    def ok(self):
        return self.status == 200

    def to_json(self):
        data = {"id": self.id, "status": self.status}
        if self.state is not None:
            data["state"] = self.state
        if self.version is not None:
            data["version"] = self.version
        if self.error is not None:
            data["error"] = self.error
        return data


def clean_ids(values):
    """The item ids of a request, in order, without repeats; ValidationError for anything else."""
    if not isinstance(values, list) or not values:
        raise ValidationError("请至少选择一条信息", fields={"items": "required"})
    if len(values) > MAX_ITEMS:
        raise ValidationError(f"一次最多处理 {MAX_ITEMS} 条信息", fields={"items": "too_many"})
    ids = []
    for value in values:
        if isinstance(value, str) and value.isdigit() and len(value) < 10:
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 2**31 - 1:
            raise ValidationError("信息编号必须是正整数", fields={"items": "invalid"})
        if value not in ids:
            ids.append(value)
    return ids


def clean_versions(values):
    """``{id: version}`` (keys may be strings, as JSON has them); ValidationError for anything else."""
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise ValidationError("versions 必须是 {信息编号: 版本号} 对象", fields={"versions": "invalid"})
    out = {}
    for key, value in values.items():
        if not (isinstance(key, str) and key.isdigit() and len(key) < 10) and not isinstance(key, int):
            raise ValidationError("versions 的键必须是信息编号", fields={"versions": "invalid"})
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValidationError("versions 的值必须是版本号（整数）", fields={"versions": "invalid"})
        out[int(key)] = value
    return out


def _refused(item_id, exc, title=None):
    error = {"code": exc.code, "message": exc.message}
    if exc.fields:
        error["fields"] = exc.fields
    return BulkResult(item_id, exc.status, error=error, title=title)


def _visible_item(user, item_id):
    from cms.content.services import get_item_for

    return get_item_for(user, item_id)  # NotFound for a missing item or one the user may not see


def fire_many(user, name, item_ids, versions=None, **inputs):
    """Fire ``name`` on every item of ``item_ids``; returns ``[BulkResult]`` in the same order. Commits."""
    from cms.workflow.engine import fire

    versions = versions or {}
    results = []
    for item_id in item_ids:
        title = None
        try:
            item = _visible_item(user, item_id)
            title = item.title
            result = fire(item, user, name, expected_version=versions.get(item_id), **inputs)
            state, version = result.state, result.version
            db.session.commit()
            results.append(BulkResult(item_id, 200, state=state, version=version, title=title))
        except DomainError as exc:
            db.session.rollback()
            results.append(_refused(item_id, exc, title))
    return results


def move_many(user, item_ids, column_id, versions=None):
    """Move drafts and returned items to another column — the editor's column change, refused when the
    one-place rule finds the same information in another column. Returns ``[BulkResult]``. Commits."""
    from cms.content import one_place
    from cms.content.services import update_item

    versions = versions or {}
    results = []
    for item_id in item_ids:
        title = None
        try:
            item = _visible_item(user, item_id)
            title = item.title
            column = db.session.get(Column, column_id)
            if column is None or column.organization_id != item.organization_id or column.retired:
                raise ValidationError("目标栏目不存在或已停用", fields={"column": "invalid"})
            version = versions.get(item_id, item.version)
            if item.working_copy_of_id is not None or item.state == "published":
                raise ValidationError("已发布信息及其修订稿不能更换栏目", fields={"column_id": "fixed"})
            changed = update_item(item, user, version, column_id=column.id)
            conflicts = one_place.check(changed).conflicts
            if conflicts:
                raise ConditionFailed(one_place.refusal_message(one_place.describe(conflicts[0], user)),
                                      fields={"one_place": "conflict"})
            state, new_version = changed.state, changed.version
            db.session.commit()
            results.append(BulkResult(item_id, 200, state=state, version=new_version, title=title))
        except DomainError as exc:
            db.session.rollback()
            results.append(_refused(item_id, exc, title))
    return results


def titles_for(user, item_ids):
    """``{id: title}`` of the items ``user`` may see (for a summary naming what was refused)."""
    from cms.content.services import can_view

    rows = Item.query.filter(Item.id.in_(list(item_ids) or [-1])).all()
    return {i.id: i.title for i in rows if can_view(user, i)}


__all__ = ["BulkResult", "clean_ids", "clean_versions", "fire_many", "move_many", "titles_for"]

"""Column (栏目) services: the tree, lookups, and the admin operations (create, rename, move, reorder,
retire, merge). Every change is audited."""
import re

from cms.accounts.audit import record_audit
from cms.accounts.models import Organization
from cms.content.models import Column, ColumnRedirect, Item
from cms.content.types import ITEM_TYPES
from cms.errors import Conflict, ValidationError
from cms.extensions import db
from cms.workflow.definitions import ITEM_WORKFLOWS

_CODE_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


def site_organization():
    """The organization the public site shows (the first one on a single-bureau installation)."""
    return Organization.query.order_by(Organization.id).first()


def visible_columns(org):
    """Columns shown to the public, in tree order."""
    return (
        Column.query.filter_by(organization_id=org.id, retired=False, visible=True)
        .order_by(Column.position, Column.id)
        .all()
    )


def resolve_column_code(org, code):
    """The column an old (merged or renamed) code now points to, or None."""
    seen = set()
    while code and code not in seen:
        seen.add(code)
        redirect = ColumnRedirect.query.filter_by(organization_id=org.id, old_code=code).first()
        if redirect is None:
            return None
        column = db.session.get(Column, redirect.column_id)
        if column is not None and not column.retired:
            return column
        code = column.code if column is not None else None
    return None


def _validate(org, code, name, accepts, workflow, parent, column=None):
    errors = {}
    if code is not None and not _CODE_RE.match(code):
        errors["code"] = "invalid"
    if name is not None and not name.strip():
        errors["name"] = "required"
    if accepts is not None and (not accepts or any(t not in ITEM_TYPES for t in accepts)):
        errors["accepts"] = "invalid"
    if workflow is not None and workflow not in ITEM_WORKFLOWS:
        errors["workflow"] = "invalid"
    if parent is not None:
        if parent.organization_id != org.id:
            errors["parent"] = "invalid"
        node = parent
        while node is not None and column is not None:
            if node.id == column.id:
                errors["parent"] = "cycle"
                break
            node = node.parent
    if errors:
        problems = {"invalid": "无效", "required": "不能为空", "cycle": "不能是本栏目或其下级栏目"}
        text = "；".join(f"{_COLUMN_LABELS.get(name, name)}{problems.get(problem, '有误')}"
                        for name, problem in errors.items())
        raise ValidationError(f"栏目信息有误：{text}", fields=errors)


_COLUMN_LABELS = {"code": "栏目代码（小写字母、数字和连字符）", "name": "栏目名称", "accepts": "接受的信息类型",
                  "workflow": "审核流程", "parent": "上级栏目"}


def create_column(org, code, name, accepts, actor, positioning=None, workflow="three_stage", parent=None):
    """Add a column to ``org``'s catalog."""
    code = (code or "").strip().lower()
    _validate(org, code, name, accepts, workflow, parent)
    if Column.query.filter_by(organization_id=org.id, code=code).first() or \
            ColumnRedirect.query.filter_by(organization_id=org.id, old_code=code).first():
        raise ValidationError(f"栏目代码 {code} 已被使用", fields={"code": "duplicate"})
    position = (db.session.query(db.func.max(Column.position)).filter_by(organization_id=org.id).scalar() or 0) + 1
    column = Column(organization=org, code=code, name=name.strip(), accepts=list(accepts), workflow=workflow,
                    positioning=(positioning or "").strip() or None, parent=parent, position=position)
    db.session.add(column)
    db.session.flush()
    record_audit("column.create", actor, target=f"column:{code}", details={"name": name, "accepts": list(accepts)})
    return column


def update_column(column, actor, name=None, positioning=None, accepts=None, workflow=None, visible=None,
                  parent=False):
    """Rename a column, change its positioning statement, accepted types, workflow, visibility or parent."""
    org = column.organization
    _validate(org, None, name, accepts, workflow, parent if parent is not False else None, column)
    changes = {}
    for attr, value in (("name", name and name.strip()), ("positioning", positioning), ("accepts", accepts),
                        ("workflow", workflow), ("visible", visible)):
        if value is not None and getattr(column, attr) != value:
            changes[attr] = [getattr(column, attr), value]
            setattr(column, attr, value)
    if parent is not False and column.parent_id != (parent.id if parent else None):
        changes["parent"] = [column.parent_id, parent.id if parent else None]
        column.parent = parent
    if changes:
        record_audit("column.update", actor, target=f"column:{column.code}", details=changes)
    db.session.flush()
    return column


def reorder_columns(org, codes, actor):
    """Set the order of ``org``'s columns to the given list of codes (others keep their relative order)."""
    columns = {c.code: c for c in Column.query.filter_by(organization_id=org.id)}
    unknown = [c for c in codes if c not in columns]
    if unknown:
        raise ValidationError(f"未知栏目：{', '.join(unknown)}", fields={"codes": "unknown"})
    ordered = list(codes) + [c for c in sorted(columns, key=lambda k: columns[k].position) if c not in codes]
    for position, code in enumerate(ordered, start=1):
        columns[code].position = position
    record_audit("column.reorder", actor, target=f"org:{org.code}", details={"order": ordered})
    db.session.flush()


def retire_column(column, actor):
    """Retire a column: refused while it still holds items that are published or under review."""
    live = Item.query.filter(Item.column_id == column.id, Item.state != "retracted",
                             Item.state != "draft", Item.state != "returned").count()
    if live:
        raise Conflict(f"栏目“{column.name}”中还有 {live} 条信息，请先合并或移走", fields={"column": "not_empty"})
    column.retired = True
    record_audit("column.retire", actor, target=f"column:{column.code}")
    db.session.flush()
    return column


def merge_columns(source, target, actor):
    """Move every item of ``source`` into ``target``, retire ``source`` and redirect its code to ``target``."""
    if source.id == target.id or source.organization_id != target.organization_id:
        raise ValidationError("只能合并同一机关的两个不同栏目", fields={"target": "invalid"})
    types = {t for (t,) in db.session.query(Item.type).filter(Item.column_id == source.id).distinct()}
    missing = types - set(target.accepts or [])
    if missing:
        raise ValidationError(
            f"目标栏目不接受以下信息类型：{', '.join(ITEM_TYPES.get(t, t) for t in sorted(missing))}",
            fields={"target": "accepts"},
        )
    moved = Item.query.filter_by(column_id=source.id).update({"column_id": target.id}, synchronize_session=False)
    for child in list(source.children):
        child.parent = target
    source.retired = True
    db.session.add(ColumnRedirect(organization_id=source.organization_id, old_code=source.code, column_id=target.id))
    ColumnRedirect.query.filter_by(column_id=source.id).update({"column_id": target.id}, synchronize_session=False)
    record_audit("column.merge", actor, target=f"column:{source.code}",
                 details={"into": target.code, "items": moved})
    db.session.flush()
    return moved


def add_reference(column, item, actor):
    """List a published item of another column in ``column`` as a cross-reference (引用), not a copy."""
    from cms.content.models import ColumnReference

    if item is None or not item.is_public or item.organization_id != column.organization_id:
        raise ValidationError("只能引用本机关已发布的信息", fields={"item_id": "invalid"})
    if item.column_id == column.id:
        raise ValidationError("信息已在本栏目中", fields={"item_id": "same_column"})
    existing = ColumnReference.query.filter_by(column_id=column.id, item_id=item.id).first()
    if existing:
        return existing
    reference = ColumnReference(column_id=column.id, item_id=item.id, created_by_id=getattr(actor, "id", None))
    db.session.add(reference)
    record_audit("column.reference", actor, target=f"column:{column.code}", details={"item": item.id})
    db.session.flush()
    return reference

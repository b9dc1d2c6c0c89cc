"""Item services: create, edit (with revisions and working copies), view and edit permissions.

Services flush, never commit. The state column is written only by the workflow engine.
"""
from datetime import date

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.util import identity_key
from sqlalchemy.orm.exc import StaleDataError

from cms.clock import utcnow
from cms.content.models import Attachment, Column, Item, ItemRevision, is_review_state
from cms.content.sanitize import clean_html, html_to_text
from cms.content.types import DISCLOSURE, FIVE_PUBLIC, ITEM_TYPES, VALIDITY
from cms.errors import Conflict, NotAllowed, NotFound, ValidationError
from cms.extensions import db

# The fields an editor changes; a revision snapshots exactly these.
EDITABLE_FIELDS = (
    "title", "summary", "body_html", "doc_number", "written_date", "topic", "validity",
    "validity_changed_on", "disclosure", "withheld_reason", "five_public", "normative", "type", "column_id",
    "interprets_id", "enforcement", "interpretation_form",
)
EDITABLE_STATES = ("draft", "returned")
MAX_ID = 2**31 - 1  # ids are 32-bit integer columns on both databases
REVIEW_STATES = ("pending_section", "pending_office", "pending_leader")


# ---------------------------------------------------------------- permissions

def _roles_in(user, section_id):
    return {m.role for m in user.memberships if m.section_id == section_id}


def _org_ids(user):
    return {m.section.organization_id for m in user.memberships}


def can_view(user, item):
    """Staff in the item's organization may see it in the back office; the public sees only public items."""
    if item.is_public:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if item.author_id == user.id or _roles_in(user, item.section_id):
        return True
    # Office auditors audit every section; admins manage the organization.
    if any(
        m.section.organization_id == item.organization_id and m.role in ("office_auditor", "director", "admin")
        for m in user.memberships
    ):
        return True
    # Reviewers of another section (a countersign), delegates, and whoever already acted on the item.
    from cms.workflow.engine import available_transitions
    from cms.workflow.models import WorkflowHistory

    if available_transitions(item, user):
        return True
    return db.session.query(WorkflowHistory.id).filter(
        WorkflowHistory.subject_type == "item", WorkflowHistory.subject_id == item.id,
        db.or_(WorkflowHistory.actor_id == user.id, WorkflowHistory.on_behalf_of_id == user.id),
    ).first() is not None


def can_edit(user, item):
    """Authors and editors of the item's section edit drafts and returned items (and published ones,
    through a working copy)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if item.state not in EDITABLE_STATES + ("published",):
        return False
    return item.author_id == user.id or "editor" in _roles_in(user, item.section_id)


def editor_sections(user):
    """Sections where ``user`` may draft items."""
    return [m.section for m in user.memberships if m.role == "editor"]


# ---------------------------------------------------------------- validation

def _parse_date(value, field):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"日期格式应为 YYYY-MM-DD：{value}", fields={field: "invalid_date"}) from None


def _clean_fields(fields):
    """Normalize and validate editable fields given as plain values (from a form or JSON)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(
            f"未知字段：{', '.join(sorted(unknown))}", fields={name: "unknown" for name in unknown}
        )
    out = {}
    errors = {}
    for name, value in fields.items():
        if name in ("title", "summary", "doc_number", "topic", "withheld_reason"):
            if value is not None and not isinstance(value, str):
                errors[name] = "must_be_string"
                continue
            value = (value or "").strip() or None
            if name == "title" and value is None:
                errors[name] = "required"  # before any query: an autoflush must never meet a NULL title
                continue
            limits = {"title": 500, "doc_number": 100, "topic": 100}
            if value and name in limits and len(value) > limits[name]:
                errors[name] = "too_long"
                continue
        elif name == "body_html":
            if value is not None and not isinstance(value, str):
                errors[name] = "must_be_string"
                continue
            value = clean_html(value or "")
        elif name in ("written_date", "validity_changed_on"):
            try:
                value = _parse_date(value, name)
            except ValidationError:
                errors[name] = "invalid_date"
                continue
        elif name == "validity":
            if value not in VALIDITY:
                errors[name] = "invalid"
                continue
        elif name == "disclosure":
            if value not in DISCLOSURE:
                errors[name] = "invalid"
                continue
        elif name == "five_public":
            value = value or None
            if value is not None and value not in FIVE_PUBLIC:
                errors[name] = "invalid"
                continue
        elif name == "type":
            if value not in ITEM_TYPES:
                errors[name] = "invalid"
                continue
        elif name == "normative":
            if not isinstance(value, bool):
                if value in ("on", "true", "1", 1):
                    value = True
                elif value in ("", "false", "0", 0, None):
                    value = False
                else:
                    errors[name] = "must_be_boolean"
                    continue
        elif name == "column_id":
            if not isinstance(value, int):
                errors[name] = "invalid"
                continue
        elif name == "interprets_id":
            if value in ("", 0):
                value = None
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                      or not 1 <= value <= MAX_ID):
                errors[name] = "invalid"  # an id out of the column's range is no item (and must not reach SQL)
                continue
        elif name == "interpretation_form":
            from cms.content.interpretations import FORMS

            value = value or None
            if value is not None and value not in FORMS:
                errors[name] = "invalid"
                continue
        elif name == "enforcement":
            from cms.content.enforcement import clean_enforcement

            value = clean_enforcement(value)  # raises with the sub-fields named
        out[name] = value
    if errors:
        raise ValidationError(_describe(errors), fields=errors)
    return out


_FIELD_LABELS = {
    "title": "标题", "summary": "摘要", "body_html": "正文", "doc_number": "文号", "written_date": "成文日期",
    "topic": "主题分类", "validity": "有效性", "disclosure": "公开属性", "withheld_reason": "不予公开理由",
    "five_public": "五公开", "normative": "规范性文件", "type": "信息类型", "column": "栏目", "column_id": "栏目",
    "validity_changed_on": "有效性变更日期", "section": "发布机构", "interprets_id": "所解读的政策文件",
    "enforcement": "执法公示信息", "interpretation_form": "解读形式",
}


def _describe(errors):
    return "以下字段有误：" + "、".join(_FIELD_LABELS.get(name, name) for name in errors)


def _check_item(item):
    """Rules that involve several fields."""
    # No autoflush while checking: the edited row may point at an id that does not exist yet to be refused.
    with db.session.no_autoflush:
        _check_item_rules(item)


def _check_item_rules(item):
    errors = {}
    if not item.title:
        errors["title"] = "required"
    if item.disclosure == "withheld" and not item.withheld_reason:
        errors["withheld_reason"] = "required"
    if item.column is not None and not item.column.accepts_type(item.type):
        errors["type"] = "not_accepted"
    if item.enforcement and item.type != "enforcement":
        errors["enforcement"] = "only_for_enforcement"
    from cms.content import interpretations

    if item.interprets_id is not None:
        # A policy in review may be named: its interpretation is signed off and released with it.
        policy = db.session.get(Item, item.interprets_id)
        if item.type != "interpretation" or not interpretations.linkable_policy(item, policy):
            errors["interprets_id"] = "invalid"
    errors.update(interpretations.field_errors(item))
    if errors:
        message = _describe(errors)
        if errors.get("type") == "not_accepted":
            message = f"栏目“{item.column.name}”不接受“{ITEM_TYPES.get(item.type, item.type)}”类信息"
        elif errors.get("withheld_reason"):
            message = "公开属性为“不予公开”时必须填写理由"
        elif errors.get("title"):
            message = "标题不能为空"
        elif errors.get("interprets_id"):
            message = "政策解读只能关联本机关的政策文件"
        elif errors.get("section") == "not_drafting_section":
            message = interpretations.SECTION_MESSAGE
        elif errors.get("interpretation_form"):
            message = "只有政策解读可以填写解读形式"
        elif errors.get("enforcement"):
            message = "只有“行政执法”类信息可以填写执法公示信息"
        raise ValidationError(message, fields=errors)


# ---------------------------------------------------------------- revisions

def snapshot(item):
    """The editable fields of ``item`` as JSON-friendly values."""
    data = {}
    for name in EDITABLE_FIELDS:
        value = getattr(item, name)
        data[name] = value.isoformat() if isinstance(value, date) else value
    data["attachments"] = [{"filename": a.filename, "sha256": a.sha256} for a in item.attachments]
    return data


def record_revision(item, user, note=None):
    """Keep the item's current state as a new revision."""
    number = (db.session.query(db.func.max(ItemRevision.number)).filter_by(item_id=item.id).scalar() or 0) + 1
    revision = ItemRevision(item=item, number=number, snapshot=snapshot(item), note=note,
                            created_by_id=getattr(user, "id", None))
    db.session.add(revision)
    return revision


def current_revision_number(item):
    return db.session.query(db.func.max(ItemRevision.number)).filter_by(item_id=item.id).scalar()


def diff_snapshots(old: dict, new: dict):
    """What changed from snapshot ``old`` to ``new``: ``[FieldChange]`` per field, Chinese labels, inline."""
    from cms.content.diff import field_changes

    return field_changes(old, new, EDITABLE_FIELDS)


def diff_revisions(a: ItemRevision, b: ItemRevision):
    """Diff two revisions of an item."""
    return diff_snapshots(a.snapshot, b.snapshot)


def diff_against_live(item):
    """For a working copy: what it changes compared with the live published version."""
    if item.working_copy_of is None:
        return []
    return diff_snapshots(snapshot(item.working_copy_of), snapshot(item))


# ---------------------------------------------------------------- create and edit

def _resolve_section(user, column, section=None):
    sections = [s for s in editor_sections(user) if s.organization_id == column.organization_id]
    if section is not None:
        if section not in sections:
            raise NotAllowed("您不是该科室的编辑，不能以其名义起草信息")
        return section
    if not sections:
        raise NotAllowed("您没有编辑角色，不能起草信息")
    if len(sections) > 1:
        raise ValidationError("您是多个科室的编辑，请选择发布机构", fields={"section": "required"})
    return sections[0]


def create_item(user, column, section=None, **fields):
    """Draft a new item in ``column`` as ``user`` (an editor of ``section``)."""
    if column is None or column.retired:
        raise ValidationError("栏目不存在或已停用", fields={"column": "invalid"})
    section = _resolve_section(user, column, section)
    fields.setdefault("type", (column.accepts or [None])[0])
    fields.setdefault("disclosure", "proactive")
    values = _clean_fields(fields)
    item = Item(
        organization_id=column.organization_id,
        column=column,
        section=section,
        author=user,
        last_editor=user,
        workflow=column.workflow,
        state="draft",
        body_html="",
        validity="valid",
    )
    for name, value in values.items():
        setattr(item, name, value)
    item.column = column  # column_id in fields is ignored for creation
    _check_item(item)
    db.session.add(item)
    db.session.flush()
    record_revision(item, user, note="创建")
    from cms.workflow.engine import record_history

    record_history(item, user, "create", None, "draft")
    db.session.flush()
    return item


def update_item(item, user, version, **fields):
    """Save changes to ``item``; returns the item actually changed (a working copy for published items).

    ``version`` is the version the editor started from: a stale version raises Conflict.
    """
    try:
        version = int(version)
    except (TypeError, ValueError):
        raise ValidationError("版本号无效，请刷新后再编辑", fields={"version": "invalid"}) from None
    if version != item.version:
        raise Conflict("该信息已被他人修改，请刷新后再编辑", fields={"version": "stale"}, current_version=item.version)
    if is_review_state(item.state):
        raise Conflict("信息正在审核中，请先撤回或等待退回后再修改", fields={"state": item.state})
    if not can_edit(user, item):
        raise NotAllowed("您无权修改此信息")
    from cms.content.locks import check_lock

    check_lock(item, user)
    if item.state == "published":
        # The live row's version stands for "the latest edit of the item or its working copy": claiming it
        # first serializes concurrent edits (one wins, the rest are stale) and so guards the working copy's
        # creation too.
        _claim_version(item, version)
        item = _working_copy_for_edit(item, user)
    elif item.state not in EDITABLE_STATES:
        raise Conflict("当前状态下不能修改", fields={"state": item.state})
    elif item.working_copy_of_id is not None:
        _bump_version(item.working_copy_of_id)  # an edit of the copy makes the live version stale
    values = _clean_fields(fields)
    if "column_id" in values and values["column_id"] != item.column_id:
        column = db.session.get(Column, values["column_id"])
        if column is None or column.organization_id != item.organization_id or column.retired:
            raise ValidationError("栏目不存在或已停用", fields={"column_id": "invalid"})
        if item.working_copy_of_id is not None:
            raise ValidationError("已发布信息的修订不能更换栏目", fields={"column_id": "fixed"})
        item.column = column
        if item.workflow != column.workflow:
            item.workflow, item.workflow_version, item.return_stage = column.workflow, None, None
    for name, value in values.items():
        if name != "column_id":
            setattr(item, name, value)
    item.last_editor = user
    _check_item(item)
    from cms.content.images import relink_images

    relink_images(item)
    try:
        db.session.flush()
    except (StaleDataError, OperationalError) as exc:
        # OperationalError: SQLite refused the write because another writer committed after this
        # transaction's snapshot — the same stale edit, seen from SQLite.
        db.session.rollback()
        raise Conflict("该信息已被他人修改，请刷新后再编辑", fields={"version": "stale"}) from exc
    record_revision(item, user, note="修改")
    db.session.flush()
    return item


def _stale_edit(exc=None):
    db.session.rollback()
    return Conflict("该信息已被他人修改，请刷新后再编辑", fields={"version": "stale"})


def _claim_version(item, version):
    """Compare-and-swap ``item``'s version: succeed only if nobody edited it since ``version``."""
    try:
        result = db.session.execute(
            update(Item).where(Item.id == item.id, Item.version == version).values(version=Item.version + 1)
            .execution_options(synchronize_session=False))
    except OperationalError as exc:
        raise _stale_edit() from exc
    if result.rowcount != 1:
        raise _stale_edit()
    db.session.expire(item, ["version"])


def _bump_version(item_id):
    try:
        db.session.execute(update(Item).where(Item.id == item_id).values(version=Item.version + 1)
                           .execution_options(synchronize_session=False))
    except OperationalError as exc:
        raise _stale_edit() from exc
    live = db.session.identity_map.get(identity_key(Item, item_id))
    if live is not None:
        db.session.expire(live, ["version"])


def _working_copy_for_edit(item, user):
    try:
        return create_working_copy(item, user)
    except (IntegrityError, OperationalError, StaleDataError) as exc:  # a concurrent checkout won
        raise _stale_edit() from exc


def open_working_copy(item):
    """The open working copy of a published item, if any."""
    return Item.query.filter_by(working_copy_of_id=item.id).first()


def create_working_copy(item, user):
    """Check out a published item for revision; the live version stays public until sign-off."""
    existing = open_working_copy(item)
    if existing is not None:
        if is_review_state(existing.state):
            raise Conflict("该信息的修订稿正在审核中", fields={"state": existing.state})
        return existing
    copy = Item(
        organization_id=item.organization_id,
        column_id=item.column_id,
        section_id=item.section_id,
        author=user,
        last_editor=user,
        working_copy_of_id=item.id,
        workflow=item.workflow,
        state="draft",
    )
    for name in EDITABLE_FIELDS:
        setattr(copy, name, getattr(item, name))
    db.session.add(copy)
    db.session.flush()
    copy_attachments(item, copy)
    record_revision(copy, user, note=f"修订已发布信息 {item.index_no}")
    from cms.workflow.engine import record_history

    record_history(copy, user, "checkout", None, "draft", inputs={"working_copy_of": item.id})
    db.session.flush()
    return copy


def copy_attachments(source, target):
    """Give ``target`` the attachments of ``source`` (rows only: the stored bytes are shared by hash)."""
    for attachment in source.attachments:
        db.session.add(Attachment(
            item_id=target.id, filename=attachment.filename, content_type=attachment.content_type,
            size=attachment.size, sha256=attachment.sha256, position=attachment.position,
            uploaded_by_id=attachment.uploaded_by_id, extraction_status=attachment.extraction_status,
            extracted_text=attachment.extracted_text,
        ))
    db.session.flush()
    from cms.content.images import relink_images

    db.session.refresh(target, ["attachments"])
    if relink_images(target):
        db.session.flush()


def get_item_for(user, item_id):
    """The item ``item_id`` if ``user`` may see it; NotFound otherwise (never reveals existence)."""
    item = db.session.get(Item, item_id)
    if item is None or not can_view(user, item):
        raise NotFound("信息不存在或您无权查看")
    return item


def set_validity(item, user, validity, changed_on=None):
    """Mark a published document as expired, abolished or amended (规范性文件清理); the page stays."""
    if validity not in VALIDITY:
        raise ValidationError("有效性取值无效", fields={"validity": "invalid"})
    allowed = any(
        m.role in ("office_auditor",) and m.section.organization_id == item.organization_id
        for m in user.memberships
    ) or item.section_id in {m.section_id for m in user.memberships if m.role in ("leader", "editor")}
    if not allowed:
        raise NotAllowed("您无权变更有效性")
    from cms.content.validity import apply_validity

    # The same trace as the office's screen and cleanup lists: revision, history entry, validity_changed.
    return apply_validity(item, user, validity, changed_on=_parse_date(changed_on, "validity_changed_on"))

"""Policy interpretations (政策解读): "谁起草、谁解读", and policies and their interpretations organized,
signed off and released together (同步组织、同步审签、同步发布).

A bureau setting (``InterpretationSetting``) names what needs an interpretation (default: type ``policy``
and every normative item) and a mode:

- ``sync`` (default): the final sign-off of such an item is refused ("解读材料未同步审签") unless an
  interpretation that ``interprets`` it waits at its own final stage; the sign-off then publishes both in
  one transaction with the same ``published_at``;
- ``lag``: the policy may go first; the interpretation is due within N working days (a reminder, then an
  overdue flag, from the queue's tick).

This module registers its conditions and effects with the workflow engine; the item envelope
(``cms/content/workflow.py``) names them.
"""
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from cms.accounts import permissions
from cms.clock import to_local, utcnow
from cms.content.index_numbers import assign_index_number
from cms.content.interpretation_models import InterpretationDue, InterpretationSetting
from cms.content.models import Item
from cms.errors import ConditionFailed, Conflict, NotAllowed, ValidationError
from cms.extensions import db
from cms.workflow import events
from cms.workflow.conditions import condition, get_condition
from cms.workflow.engine import EffectResult, effect, record_history, workflow_for

FORMS = {"text": "文字解读", "graphic": "图解", "video": "视频解读", "expert": "专家解读",
         "press_conference": "新闻发布会解读"}
MODES = {"sync": "同步审签、同步发布", "lag": "允许解读材料滞后发布"}
DEFAULT_TYPES = ("policy",)
MAX_LAG_DAYS = 60
NOT_IN_SYNC = "解读材料未同步审签"


# ---------------------------------------------------------------- the bureau's setting

def setting_for(organization_id):
    """The organization's setting, or an unsaved one with the defaults."""
    row = InterpretationSetting.query.filter_by(organization_id=organization_id).first()
    if row is None:
        row = InterpretationSetting(organization_id=organization_id, item_types=list(DEFAULT_TYPES),
                                    include_normative=True, mode="sync", lag_days=0)
    return row


def setting_version(row):
    """The version the caller must send back to change ``row`` (0 for the unsaved default)."""
    return (row.version or 0) if row.id is not None else 0


def setting_to_json(row):
    return {"item_types": list(row.item_types or []), "include_normative": bool(row.include_normative),
            "mode": row.mode, "lag_days": row.lag_days, "version": setting_version(row)}


def can_manage_setting(user, organization_id):
    """The office (auditors, its head), the director and admins of the organization."""
    return any(m.section.organization_id == organization_id and (
        m.role in ("office_auditor", "director", "admin") or (m.role == "section_chief" and m.section.kind == "office"))
        for m in user.memberships)


def update_setting(user, organization_id, *, item_types=None, include_normative=None, mode=None, lag_days=None,
                   expected_version=None):
    """Change the organization's setting (only what is given); ValidationError names each bad field.

    ``expected_version`` (the screen always sends it, the API may) must be the version the caller read:
    otherwise, or when another change lands first, Conflict (409).
    """
    from cms.content.types import ITEM_TYPES

    if not can_manage_setting(user, organization_id):
        raise NotAllowed("只有办公室或系统管理员可以修改政策解读设置")
    row = setting_for(organization_id)
    if expected_version is not None and expected_version != setting_version(row):
        raise Conflict("政策解读设置已被他人修改，请刷新后重试", fields={"version": "stale"},
                       current_version=setting_version(row))
    errors = {}
    if item_types is not None:
        if (not isinstance(item_types, list) or any(not isinstance(t, str) or t not in ITEM_TYPES for t in item_types)
                or "interpretation" in item_types):
            errors["item_types"] = "invalid"
        else:
            row.item_types = sorted(set(item_types))
    if include_normative is not None:
        if not isinstance(include_normative, bool):
            errors["include_normative"] = "must_be_boolean"
        else:
            row.include_normative = include_normative
    if mode is not None:
        if mode not in MODES:
            errors["mode"] = "invalid"
        else:
            row.mode = mode
    if lag_days is not None:
        if isinstance(lag_days, bool) or not isinstance(lag_days, int) or not 0 <= lag_days <= MAX_LAG_DAYS:
            errors["lag_days"] = "invalid"
        else:
            row.lag_days = lag_days
    if row.mode == "lag" and not row.lag_days and "lag_days" not in errors:
        errors["lag_days"] = "required"
    if errors:
        raise ValidationError("政策解读设置有误：" + "、".join(sorted(errors)), fields=errors)
    row.updated_by_id = user.id
    if row.id is None:
        db.session.add(row)
    try:
        db.session.flush()
    except (StaleDataError, IntegrityError, OperationalError) as exc:
        # Another change of the same setting committed first (a second first-save hits the unique key).
        db.session.rollback()
        raise Conflict("政策解读设置已被他人修改，请刷新后重试", fields={"version": "stale"}) from exc
    return row


def needs_interpretation(item, setting=None):
    """True when the organization's setting says ``item`` must be released with an interpretation."""
    if item.type == "interpretation":
        return False
    setting = setting or setting_for(item.organization_id)
    return item.type in (setting.item_types or ()) or (bool(setting.include_normative) and bool(item.normative))


# ---------------------------------------------------------------- links

def interpretations_of(policy):
    """Interpretations (originals, not working copies) that interpret ``policy``, oldest first.

    Working copies are left out in Python: with ``working_copy_of_id IS NULL`` in the WHERE clause SQLite
    walks the unique index on that column (every original matches) instead of ``ix_items_interprets_id``,
    reading the whole catalog (~20 ms at 10,000 items) for a list of a few rows.
    """
    rows = (Item.query.filter(Item.interprets_id == policy.id, Item.type == "interpretation")
            .order_by(Item.id).all())
    return [i for i in rows if i.working_copy_of_id is None]


def interpreted_by_ids(policy):
    return [i.id for i in interpretations_of(policy)]


def links_for(items):
    """For a page of items, in two queries: ``({policy_id: [interpretation ids]}, {policy_id: due row})`` --
    the same answers as ``interpreted_by_ids`` and ``due_of`` item by item, without a query per row."""
    ids = [i.id for i in items]
    interpreted = {}
    dues = {}
    if ids:
        rows = (Item.query.filter(Item.interprets_id.in_(ids), Item.type == "interpretation")
                .with_entities(Item.interprets_id, Item.id, Item.working_copy_of_id)
                .order_by(Item.id).all())
        for policy_id, interpretation_id, copy_of in rows:  # working copies left out here (see above)
            if copy_of is None:
                interpreted.setdefault(policy_id, []).append(interpretation_id)
        dues = {d.policy_id: d for d in InterpretationDue.query.filter(InterpretationDue.policy_id.in_(ids))
                .order_by(InterpretationDue.id.desc())}
    return interpreted, dues


def at_final_stage(item):
    """True when ``item`` has passed every stage but the last (it waits for the final sign-off)."""
    try:
        workflow = workflow_for(item)
    except KeyError:
        return False
    return bool(workflow.stages) and item.state == workflow.stages[-1].state


def allowed_section_ids(policy):
    """The sections that may interpret ``policy``: its drafting section, and the sections that countersign
    a stage of its workflow (``scope: sections``)."""
    ids = {policy.section_id}
    try:
        workflow = workflow_for(policy)
    except KeyError:
        return ids
    codes = {code for stage in workflow.stages if stage.scope == "sections" for code in stage.sections}
    if codes:
        from cms.accounts.models import Section

        ids |= {sid for (sid,) in db.session.query(Section.id).filter(
            Section.organization_id == policy.organization_id, Section.code.in_(codes))}
    return ids


def linkable_policy(item, policy):
    """Whether interpretation ``item`` may name ``policy``: same organization, an original document that
    needs or accepts an interpretation, not retracted."""
    return (policy is not None and policy.organization_id == item.organization_id
            and policy.working_copy_of_id is None and policy.type not in ("interpretation", "cleanup")
            and (policy.type == "policy" or needs_interpretation(policy))
            and policy.state != "retracted" and policy.id not in (item.id, item.working_copy_of_id))


def field_errors(item):
    """Rules on an interpretation's own fields, checked on create and update: ``{field: code}``."""
    errors = {}
    if item.interpretation_form is not None and item.type != "interpretation":
        errors["interpretation_form"] = "only_for_interpretation"
    if item.type == "interpretation" and item.interprets_id is not None:
        policy = db.session.get(Item, item.interprets_id)
        section_id = item.section.id if item.section is not None else item.section_id  # not flushed yet
        if policy is not None and linkable_policy(item, policy) and section_id not in allowed_section_ids(policy):
            errors["section"] = "not_drafting_section"
    return errors


SECTION_MESSAGE = "谁起草、谁解读：政策解读须由所解读文件的起草科室（或会签科室）发布"


# ---------------------------------------------------------------- workflow conditions

@condition("interpretation_rules")
def _interpretation_rules(user, item, ctx):
    """On submit: the section rule, and a video interpretation carries its video and a poster image."""
    if item.type != "interpretation":
        return
    if item.interprets_id is None:
        raise ConditionFailed("政策解读须关联所解读的政策文件", fields={"interprets": "required"})
    policy = db.session.get(Item, item.interprets_id)
    if not linkable_policy(item, policy):
        raise ConditionFailed("政策解读只能关联本机关的政策文件", fields={"interprets": "invalid"})
    if item.section_id not in allowed_section_ids(policy):
        raise ConditionFailed(SECTION_MESSAGE, fields={"section": "not_drafting_section"})
    if item.interpretation_form == "video":
        kinds = [(a.content_type or "").split("/")[0] for a in item.attachments]
        missing = [name for name, kind in (("video", "video"), ("poster", "image")) if kind not in kinds]
        if missing:
            raise ConditionFailed("视频解读须上传视频文件附件及封面图片（海报）",
                                  fields={f"attachments.{name}": "required" for name in missing})


def _fire_check(user, interp, ctx):
    """May ``user`` sign the interpretation off together with its policy? Guard and publishing conditions."""
    from cms.workflow.engine import _guard_allows

    workflow = workflow_for(interp)
    transition = workflow.find("approve", interp.state)
    sub_ctx = {"subject_type": "item", "_at": ctx.get("_at") or utcnow(), "_stage": workflow.stages[-1].code,
               "_first_state": workflow.stages[0].state}
    allowed, _ = _guard_allows(transition, user, interp, sub_ctx)
    if not allowed:
        raise ConditionFailed(f"您无权审定解读材料《{interp.title[:60]}》，不能同步发布",
                              fields={"interpretation": "not_allowed"}, interpretation=interp.id)
    for name in ("proactive_only", "column_accepts_type", "one_place_clear"):
        try:
            get_condition(name)(user, interp, sub_ctx)
        except ConditionFailed as exc:
            raise ConditionFailed(f"解读材料《{interp.title[:60]}》不能发布：{exc.message}",
                                  fields={"interpretation": "not_publishable"}, interpretation=interp.id) from None


@condition("interpretation_in_sync")
def _interpretation_in_sync(user, item, ctx):
    """At the final sign-off: a policy that needs an interpretation has one waiting (sync mode); an
    interpretation is never published before its policy."""
    if item.working_copy_of_id is not None:
        return  # a revision of a published document: its interpretation was released with it
    if item.type == "interpretation":
        policy = db.session.get(Item, item.interprets_id) if item.interprets_id else None
        if policy is not None and policy.state != "published":
            raise ConditionFailed("所解读的政策文件尚未审定：解读材料将在政策文件审定时同步发布",
                                  fields={"interprets": "policy_not_published"})
        return
    setting = setting_for(item.organization_id)
    if not needs_interpretation(item, setting):
        return
    interps = interpretations_of(item)
    waiting = [i for i in interps if at_final_stage(i)]
    for interp in waiting:
        _fire_check(user, interp, ctx)
    if setting.mode == "sync" and not waiting and not any(i.state == "published" for i in interps):
        raise ConditionFailed(NOT_IN_SYNC + "：请先将政策解读提交审核至最后环节，再审定本文件",
                              fields={"interpretation": "not_in_sync"})


# ---------------------------------------------------------------- workflow effect

def _publish_along(user, policy, interp, published_at):
    workflow = workflow_for(interp)
    from_state = interp.state
    stage = workflow.stage_for_state(from_state)
    if interp.workflow_version is None:
        interp.workflow_version = workflow.version
    interp.state = "published"
    interp.stage_entered_at = None
    interp.stage_due_at = None
    interp.return_stage = None
    assign_index_number(interp, published_at)
    interp.published_at = published_at
    record_history(interp, user, "approve", from_state, "published", comment="与所解读的政策文件同步审定发布",
                   inputs={"with_policy": policy.id}, stage=stage.code if stage else None)
    return from_state


@effect("publish_interpretations")
def _publish_interpretations(user, item, ctx):
    """At a policy's first publication: its waiting interpretations are published with it (same instant);
    in lag mode without one, the interpretation's due date starts. An interpretation's publication
    settles its policy's due date."""
    if item.working_copy_of_id is not None or item.published_at is None:
        return None
    if item.type == "interpretation":
        due = InterpretationDue.query.filter_by(policy_id=item.interprets_id, satisfied_at=None).first()
        if due is not None:
            due.satisfied_at = item.published_at
            due.interpretation_id = item.id
        return None
    setting = setting_for(item.organization_id)
    published = []
    for interp in interpretations_of(item):
        if at_final_stage(interp):
            published.append((interp, _publish_along(user, item, interp, item.published_at)))
    if published:
        db.session.flush()  # the interpretations' rows (state, index number) before their events
        for interp, from_state in published:
            for name in ("transition", "published"):
                events.emit(events.Event(name=name, subject_type="item", subject_id=interp.id, transition="approve",
                                         from_state=from_state, to_state="published", actor_id=user.id,
                                         data={"comment": "与所解读的政策文件同步审定发布"}, subject=interp))
        return EffectResult(data={"interpretations": [i.id for i, _ in published]})
    if (setting.mode == "lag" and needs_interpretation(item, setting)
            and not any(i.state == "published" for i in interpretations_of(item))):
        start_due(item, setting.lag_days)
    return None


# ---------------------------------------------------------------- lag mode: due dates, reminders, overdue

def start_due(policy, lag_days, now=None):
    """Start the clock of ``policy``'s interpretation: due at the end of the N-th working day."""
    from cms.workflow.due import due_at

    now = now or policy.published_at or utcnow()
    due = InterpretationDue.query.filter_by(policy_id=policy.id).first()
    if due is None:
        due = InterpretationDue(organization_id=policy.organization_id, policy_id=policy.id)
        db.session.add(due)
    due.due_at = due_at({"working_days": lag_days}, now)
    # The reminder goes out one working day before the due date (at once when only one day is allowed).
    due.remind_at = due_at({"working_days": lag_days - 1}, now) if lag_days > 1 else now
    return due


def due_of(policy):
    return InterpretationDue.query.filter_by(policy_id=policy.id).first()


def due_to_json(due, now=None):
    if due is None:
        return None
    now = now or utcnow()
    return {
        "due_at": due.due_at.isoformat() + "Z" if due.due_at else None,
        "reminded": due.reminded_at is not None,
        "overdue": due.satisfied_at is None and (due.overdue_at is not None
                                                 or (due.due_at is not None and now > due.due_at)),
        "satisfied_at": due.satisfied_at.isoformat() + "Z" if due.satisfied_at else None,
        "interpretation": due.interpretation_id,
    }


def _drafters(policy):
    from cms.accounts.models import Membership, User

    people = (User.query.join(Membership, Membership.user_id == User.id)
              .filter(Membership.section_id == policy.section_id, Membership.role.in_(("editor", "section_chief")))
              .distinct().all())
    return people + ([policy.author] if policy.author not in people else [])


def send_interpretation_reminders(now=None):
    """Remind the drafting section of interpretations coming due, flag and escalate overdue ones (to the
    office head). Idempotent: each happens once per policy. Returns ``[(policy_id, kind)]``."""
    from cms.notifications.services import notify

    now = now or utcnow()
    sent = []
    open_dues = (InterpretationDue.query.filter(InterpretationDue.satisfied_at.is_(None),
                                                InterpretationDue.due_at.isnot(None))
                 .order_by(InterpretationDue.due_at, InterpretationDue.id).all())
    for due in open_dues:
        policy = due.policy
        if policy is None or policy.state != "published":
            continue
        due_text = to_local(due.due_at).strftime("%Y-%m-%d")
        link = f"/admin/items/{policy.id}"
        if due.reminded_at is None and due.remind_at is not None and now >= due.remind_at:
            due.reminded_at = now
            notify(_drafters(policy), f"《{policy.title[:80]}》的政策解读应于 {due_text} 前发布，请抓紧办理", link)
            sent.append((policy.id, "reminder"))
        if due.overdue_at is None and now > due.due_at:
            due.overdue_at = now
            notify(permissions.office_heads(policy.organization_id) + _drafters(policy),
                   f"督办：《{policy.title[:80]}》的政策解读已超过发布期限（{due_text}）", link)
            sent.append((policy.id, "overdue"))
    db.session.flush()
    return sent

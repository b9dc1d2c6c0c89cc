"""The request desk as a workflow of the engine: its definition, guards, conditions and effects.

registered → (supplement requested → supplement received) → assigned to a section → (consultation) →
reply drafted → office audit (with the confidentiality review) → leader sign-off → replied → closed.
Every step is a transition, so it is checked, compare-and-swapped and written to the history.
"""
from datetime import date

from cms import clock
from cms.applications import deadlines
from cms.applications.models import Application
from cms.applications.types import (
    CONSULTATION_DAYS,
    CONSULTATION_PARTIES,
    DEFAULT_SUPPLEMENT_PERIOD,
    MAX_EXTENSION_DAYS,
    RESULT_REASONS,
    RESULTS,
    STATES,
)
from cms.applications.calendar import add_working_days
from cms.errors import ConditionFailed
from cms.workflow.conditions import condition
from cms.workflow.definitions import Transition, Workflow, register_workflow
from cms.workflow.engine import SubjectType, effect, register_subject_type
from cms.workflow.guards import guard
from sqlalchemy import false

# --- who ------------------------------------------------------------------------------------------------


def desk_org_ids(user):
    """Organizations whose request desk ``user`` staffs: office auditors, and the head of the office."""
    return {m.section.organization_id for m in user.memberships
            if m.role == "office_auditor" or (m.role == "section_chief" and m.section.kind == "office")}


def office_head_org_ids(user):
    return {m.section.organization_id for m in user.memberships
            if m.role == "section_chief" and m.section.kind == "office"}


def _section_ids(user, roles):
    return {m.section_id for m in user.memberships if m.role in roles}


def is_desk(user, application):
    return application.organization_id in desk_org_ids(user)


def _desk_scope(user, model):
    orgs = desk_org_ids(user)
    return model.organization_id.in_(orgs) if orgs else false()


@guard("application_desk", scope=_desk_scope)
def _desk(user, application, ctx):
    if is_desk(user, application):
        return True, ""
    return False, "只有办公室（政府信息公开申请受理）人员可以执行此操作"


@guard("application_office_head")
def _office_head(user, application, ctx):
    if application.organization_id in office_head_org_ids(user):
        return True, ""
    return False, "延长答复期限须经政府信息公开工作机构负责人（办公室主任）同意"


def _assigned_scope(user, model):
    ids = _section_ids(user, ("editor", "section_chief"))
    return model.section_id.in_(ids) if ids else false()


@guard("application_section", scope=_assigned_scope)
def _assigned_section(user, application, ctx):
    if application.section_id in _section_ids(user, ("editor", "section_chief")) or is_desk(user, application):
        return True, ""
    return False, "只有承办科室或办公室人员可以办理"


def _leader_scope(user, model):
    ids = _section_ids(user, ("leader",))
    return model.section_id.in_(ids) if ids else false()


@guard("application_leader", scope=_leader_scope)
def _leader(user, application, ctx):
    if application.section_id in _section_ids(user, ("leader",)):
        return True, ""
    return False, "只有分管承办科室的领导可以审定答复"


# --- the definition ---------------------------------------------------------------------------------------

_EXTENDABLE = ("registered", "assigned", "consulting", "pending_office", "pending_leader")

APPLICATION_DESK = register_workflow(
    Workflow(
        name="application_desk",
        title="依申请公开办理",
        states=STATES,
        initial="submitted",
        transitions=(
            Transition("register", "登记受理", ("submitted",), "registered", guard="application_desk",
                       effects=("application_register",), worklist=True),
            Transition("request_supplement", "告知补正", ("registered", "assigned"), "supplement_requested",
                       guard="application_desk", conditions=("comment_required", "supplement_window"),
                       effects=("application_request_supplement",)),
            Transition("receive_supplement", "收到补正", ("supplement_requested",), "registered",
                       guard="application_desk", conditions=("supplement_date_valid",),
                       effects=("application_receive_supplement",)),
            Transition("abandon", "逾期未补正，不再处理", ("supplement_requested",), "closed",
                       guard="application_desk", conditions=("supplement_overdue",),
                       effects=("application_abandon",)),
            Transition("assign", "交承办科室", ("registered",), "assigned", guard="application_desk",
                       conditions=("section_in_organization",), effects=("application_assign",), worklist=True),
            Transition("reassign", "改派承办科室", ("assigned",), "assigned", guard="application_desk",
                       conditions=("section_in_organization",), effects=("application_assign",)),
            Transition("consult", "征求第三方/其他机关意见", ("assigned",), "consulting",
                       guard="application_section", conditions=("comment_required", "consultation_party"),
                       effects=("application_consult",)),
            Transition("end_consultation", "意见征求结束", ("consulting",), "assigned",
                       guard="application_section", effects=("application_end_consultation",)),
            Transition("draft_reply", "提交答复意见", ("assigned",), "pending_office",
                       guard="application_section", conditions=("reply_complete",),
                       effects=("application_draft_reply",), worklist=True),
            Transition("approve", "办公室审核通过", ("pending_office",), "pending_leader",
                       guard="application_desk", conditions=("reply_separation", "confidentiality_checked"),
                       worklist=True),
            Transition("approve", "领导审定，答复申请人", ("pending_leader",), "replied",
                       guard="application_leader", conditions=("reply_separation",),
                       effects=("application_reply",), worklist=True),
            Transition("return", "退回承办科室", ("pending_office",), "assigned", guard="application_desk",
                       conditions=("comment_required",)),
            Transition("return", "退回承办科室", ("pending_leader",), "assigned", guard="application_leader",
                       conditions=("comment_required",)),
            *(Transition("extend", "延长答复期限", (state,), state, guard="application_office_head",
                         conditions=("comment_required", "extension_allowed"), effects=("application_extend",))
              for state in _EXTENDABLE),
            Transition("withdraw", "申请人撤回申请", ("submitted", "registered", "supplement_requested", "assigned",
                                               "consulting"), "closed",
                       guard="application_desk", conditions=("comment_required",),
                       effects=("application_withdraw",)),
            Transition("close", "送达完毕，办结", ("replied",), "closed", guard="application_desk",
                       effects=("application_close",), worklist=True),
        ),
    )
)

register_subject_type(SubjectType(name="application", model=Application, workflow_of=lambda a: a.workflow))


# --- conditions --------------------------------------------------------------------------------------------


def _int_input(ctx, name, default=None, low=None, high=None, label=""):
    value = ctx.get(name, default)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        value = int(value.strip())
    if value is None or isinstance(value, bool) or not isinstance(value, int):
        raise ConditionFailed(f"请填写{label}（整数）", fields={name: "required"})
    if (low is not None and value < low) or (high is not None and value > high):
        raise ConditionFailed(f"{label}应在 {low}–{high} 之间", fields={name: "out_of_range"})
    return value


def _date_input(ctx, name, label):
    value = ctx.get(name)
    if value in (None, ""):
        return clock.local_today()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ConditionFailed(f"{label}格式应为 YYYY-MM-DD", fields={name: "invalid"}) from None


@condition("supplement_window")
def _supplement_window(user, a, ctx):
    today = clock.local_today()
    last = deadlines.supplement_request_deadline(a)
    if today > last:
        raise ConditionFailed(
            f"补正告知须在收到申请之日起7个工作日内一次性提出（最迟 {last.isoformat()}），已超过期限",
            fields={"supplement": "too_late"},
        )
    _int_input(ctx, "period", DEFAULT_SUPPLEMENT_PERIOD, 1, 60, "补正期限（工作日）")


@condition("supplement_date_valid")
def _supplement_date_valid(user, a, ctx):
    received = _date_input(ctx, "received_on", "收到补正日期")
    if received < a.supplement_requested_on or received > clock.local_today():
        raise ConditionFailed("收到补正日期应在告知补正之后、且不晚于今天", fields={"received_on": "out_of_range"})


@condition("supplement_overdue")
def _supplement_overdue(user, a, ctx):
    if a.supplement_due_on is None or clock.local_today() <= a.supplement_due_on:
        due = a.supplement_due_on.isoformat() if a.supplement_due_on else "未设定"
        raise ConditionFailed(f"补正期限（{due}）尚未届满，不能按逾期未补正处理", fields={"supplement": "not_overdue"})


@condition("section_in_organization")
def _section_in_organization(user, a, ctx):
    from cms.accounts.models import Section
    from cms.extensions import db

    section_id = _int_input(ctx, "section_id", label="承办科室")
    section = db.session.get(Section, section_id)
    if section is None or section.organization_id != a.organization_id:
        raise ConditionFailed("请选择本机关的承办科室", fields={"section_id": "invalid"})


@condition("consultation_party")
def _consultation_party(user, a, ctx):
    if ctx.get("party") not in CONSULTATION_PARTIES:
        raise ConditionFailed("请选择征求意见的对象（第三方或其他行政机关）", fields={"party": "required"})


@condition("reply_complete")
def _reply_complete(user, a, ctx):
    result = ctx.get("result")
    if result not in RESULTS:
        raise ConditionFailed("请选择办理结果", fields={"result": "required"})
    reasons = RESULT_REASONS[result]
    reason = ctx.get("result_reason")
    if isinstance(reason, str) and reason.strip().isdigit():
        reason = int(reason)
    if reasons:
        if isinstance(reason, bool) or reason not in reasons:
            raise ConditionFailed(f"“{RESULTS[result]}”须选择具体理由（1–{len(reasons)}）",
                                  fields={"result_reason": "required"})
    elif reason not in (None, "", 0):
        raise ConditionFailed(f"“{RESULTS[result]}”没有细分理由", fields={"result_reason": "not_applicable"})
    text = ctx.get("reply_text")
    if not isinstance(text, str) or not text.strip():
        raise ConditionFailed("请填写答复正文", fields={"reply_text": "required"})
    if len(text) > 20000:
        raise ConditionFailed("答复正文过长", fields={"reply_text": "too_long"})


@condition("reply_separation")
def _reply_separation(user, a, ctx):
    from cms.workflow.models import WorkflowHistory

    if user.id == a.reply_drafted_by_id:
        raise ConditionFailed("不能审核自己起草的答复", fields={"actor": "separation_of_duties"})
    entries = (WorkflowHistory.query.filter_by(subject_type="application", subject_id=a.id)
               .order_by(WorkflowHistory.id.desc()).all())
    for entry in entries:
        if entry.transition == "draft_reply":
            break
        if entry.transition == "approve" and entry.actor_id == user.id:
            raise ConditionFailed("同一人对同一答复只能审核一个环节", fields={"actor": "separation_of_duties"})


@condition("extension_allowed")
def _extension_allowed(user, a, ctx):
    if a.extension_days:
        raise ConditionFailed("答复期限只能延长一次", fields={"days": "already_extended"})
    _int_input(ctx, "days", MAX_EXTENSION_DAYS, 1, MAX_EXTENSION_DAYS, "延长天数（工作日）")
    if a.due_on is not None and clock.local_today() > a.due_on:
        raise ConditionFailed("答复期限已届满，不能再延长", fields={"days": "too_late"})


# --- effects -----------------------------------------------------------------------------------------------


@effect("application_register")
def _register(user, a, ctx):
    today = clock.local_today()
    a.received_on = deadlines.online_receipt(deadlines.to_local_date(a.submitted_at), today)
    a.clock_start_on = a.received_on
    deadlines.recompute(a)


@effect("application_request_supplement")
def _request_supplement(user, a, ctx):
    today = clock.local_today()
    period = _int_input(ctx, "period", DEFAULT_SUPPLEMENT_PERIOD, 1, 60, "补正期限（工作日）")
    a.supplement_requested_on = today
    a.supplement_due_on = add_working_days(today, period)
    a.supplement_notice = ctx["comment"].strip()
    a.supplement_count += 1
    deadlines.recompute(a)


@effect("application_receive_supplement")
def _receive_supplement(user, a, ctx):
    received = _date_input(ctx, "received_on", "收到补正日期")
    a.supplement_received_on = received
    a.clock_start_on = received  # the 20 days count again from the supplement
    a.paused_days = 0  # an extension already granted stays (one per application)
    deadlines.recompute(a)


def _conclude(a, ctx, result, reason):
    """Closed without a reply letter: the result the annual report counts, and the day it was reached."""
    a.result, a.result_reason = result, reason
    a.concluded_on = clock.local_today()


@effect("application_abandon")
def _abandon(user, a, ctx):
    _conclude(a, ctx, "other", 1)  # 申请人无正当理由逾期不补正


@effect("application_assign")
def _assign(user, a, ctx):
    a.section_id = _int_input(ctx, "section_id", label="承办科室")
    a.assigned_on = clock.local_today()


@effect("application_consult")
def _consult(user, a, ctx):
    today = clock.local_today()
    a.consultation_party = ctx["party"]
    a.consultation_started_on = today
    a.consultation_due_on = add_working_days(today, CONSULTATION_DAYS)


@effect("application_end_consultation")
def _end_consultation(user, a, ctx):
    a.paused_days += deadlines.consultation_pause(a, clock.local_today())
    deadlines.recompute(a)


@effect("application_draft_reply")
def _draft_reply(user, a, ctx):
    a.result = ctx["result"]
    reason = ctx.get("result_reason")
    a.result_reason = int(reason) if RESULT_REASONS[a.result] and reason not in (None, "") else None
    a.reply_text = ctx["reply_text"].strip()
    a.reply_drafted_by_id = user.id


@effect("application_reply")
def _reply(user, a, ctx):
    from cms.applications.letters import assign_letter_number

    a.replied_on = clock.local_today()
    a.concluded_on = a.replied_on
    assign_letter_number(a)
    ctx.setdefault("_emit", []).append("application_replied")


@effect("application_extend")
def _extend(user, a, ctx):
    a.extension_days = _int_input(ctx, "days", MAX_EXTENSION_DAYS, 1, MAX_EXTENSION_DAYS, "延长天数（工作日）")
    a.extended_on = clock.local_today()
    a.extension_reason = ctx["comment"].strip()
    deadlines.recompute(a)
    ctx.setdefault("_emit", []).append("application_extended")


@effect("application_withdraw")
def _withdraw(user, a, ctx):
    _conclude(a, ctx, "other", 3)  # 其他


@effect("application_close")
def _close(user, a, ctx):
    pass

"""Building the annual report draft from the data, the remedies it counts, and the sign-off condition.

The draft is an item of type ``annual_report`` in the column ``annual-reports``, reviewed like any item; its
body is generated from the tables and the texts the office writes. Every build runs the national consistency
checks; a failed check blocks the final sign-off (condition ``annual_report_checks_pass``).
"""
from datetime import date

from cms import clock
from cms.accounts.models import Section
from cms.applications.services import get_for
from cms.applications.workflow import desk_org_ids
from cms.clock import utcnow
from cms.content.catalog import get_column
from cms.content.models import Item
from cms.content.sanitize import clean_html
from cms.content.services import can_view, record_revision
from cms.errors import ConditionFailed, Conflict, NotAllowed, NotFound, ValidationError
from cms.extensions import db
from cms.reports.models import REMEDY_KINDS, REMEDY_OUTCOMES, AnnualReport, Remedy
from cms.reports.tables import build_tables, money, run_checks
from cms.workflow.conditions import condition

TEXT_FIELDS = {"overview": "一、总体情况", "problems": "五、存在的主要问题及改进情况", "other": "六、其他需要报告的事项"}
INPUT_FIELDS = ("fees_amount", "processing_fees", "rules", *TEXT_FIELDS)
TEXT_LIMIT = 20000


def due_on(year):
    """Published by 31 January of the next year (条例第五十条)."""
    return date(year + 1, 1, 31)


# ---------------------------------------------------------------- permissions


def office_org_ids(user):
    """Organizations whose report ``user`` may build: office auditors and the head of the office."""
    return desk_org_ids(user)


def _organization_for(user):
    orgs = office_org_ids(user)
    if not orgs:
        raise NotAllowed("只有办公室审核人员或办公室负责人可以生成政府信息公开工作年度报告")
    return min(orgs)


# ---------------------------------------------------------------- input


def _check_year(year):
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= clock.local_today().year:
        raise ValidationError(f"year 应为 2000 至 {clock.local_today().year} 之间的年份", fields={"year": "invalid"})
    return year


def clean_inputs(data, previous=None):
    """Validate what the office enters; fields not given keep their previous values."""
    out = dict(previous or {})
    errors = {}
    unknown = set(data) - set(INPUT_FIELDS)
    for name in unknown:
        errors[name] = "unknown"
    for name in ("fees_amount", "processing_fees"):
        if name in data:
            value = data[name]
            if isinstance(value, bool) or not isinstance(value, (int, float, str, type(None))):
                errors[name] = "wrong_type"
                continue
            try:
                out[name] = money(value)
            except (ValueError, ArithmeticError):
                errors[name] = "invalid_amount"
    if "rules" in data:
        rules = data["rules"]
        if not isinstance(rules, dict) or set(rules) - {"issued", "repealed", "in_force"} or any(
                isinstance(v, bool) or not isinstance(v, int) or v < 0 for v in rules.values()):
            errors["rules"] = "invalid"
        else:
            out["rules"] = {k: rules.get(k, 0) for k in ("issued", "repealed", "in_force")}
    for name in TEXT_FIELDS:
        if name in data:
            value = data[name]
            if value is not None and not isinstance(value, str):
                errors[name] = "must_be_string"
            elif value and len(value) > TEXT_LIMIT:
                errors[name] = "too_long"
            else:
                out[name] = (value or "").strip()
    if errors:
        raise ValidationError(f"年报填报内容有误：{', '.join(sorted(errors))}", fields=errors)
    return out


# ---------------------------------------------------------------- build


def _office_section(user, organization_id):
    own = [m.section for m in user.memberships
           if m.section.organization_id == organization_id and m.section.kind == "office"]
    if own:
        return own[0]
    section = Section.query.filter_by(organization_id=organization_id, kind="office").order_by(Section.id).first()
    if section is None:
        raise ValidationError("本机关尚未设置办公室", fields={"section": "missing"})
    return section


def render_body(report):
    from flask import render_template

    return clean_html(render_template("reports/annual_report_body.html", report=report,
                                      texts=TEXT_FIELDS, inputs=report.inputs or {}))


def build_report(user, year, data=None):
    """Build (or rebuild) the draft for ``year`` from the data; returns the ``AnnualReport``."""
    organization_id = _organization_for(user)
    year = _check_year(year)
    report = AnnualReport.query.filter_by(organization_id=organization_id, year=year).first()
    if report is not None and report.item.state not in ("draft", "returned"):
        raise Conflict("年报已提交审核或已发布，不能重新生成；请先退回或撤回", fields={"state": report.item.state})
    inputs = clean_inputs(data or {}, report.inputs if report else None)
    if report is None:
        column = get_column(organization_id, "annual-reports")
        if column is None or column.retired or not column.accepts_type("annual_report"):
            raise ValidationError("栏目“政府信息公开年报”不存在或已停用", fields={"column": "missing"})
        from cms.accounts.models import Organization

        org = db.session.get(Organization, organization_id)
        item = Item(organization_id=organization_id, column=column, section=_office_section(user, organization_id),
                    author=user, last_editor=user, workflow=column.workflow, state="draft", type="annual_report",
                    title=f"{org.name}{year}年政府信息公开工作年度报告", disclosure="proactive", validity="valid",
                    body_html="")
        db.session.add(item)
        db.session.flush()
        report = AnnualReport(organization_id=organization_id, year=year, item=item)
        db.session.add(report)
        created = True
    else:
        created = False
    report.inputs = inputs
    report.tables = build_tables(organization_id, year, inputs)
    report.checks = run_checks(report.tables, inputs)
    report.built_at = utcnow()
    report.built_by_id = user.id
    item = report.item
    item.body_html = render_body(report)
    item.written_date = clock.local_today()
    item.last_editor = user
    db.session.flush()
    record_revision(item, user, note="根据数据生成年报" if created else "根据数据重新生成年报")
    if created:
        from cms.workflow.engine import record_history

        record_history(item, user, "create", None, "draft")
    db.session.flush()
    return report


def get_report(user, year):
    """The report for ``year`` of the caller's organization, if the caller may see its item."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise ValidationError("year 无效", fields={"year": "invalid"})
    for org_id in sorted(user.organization_ids):
        report = AnnualReport.query.filter_by(organization_id=org_id, year=year).first()
        if report is not None and (org_id in office_org_ids(user) or can_view(user, report.item)):
            return report
    raise NotFound(f"{year}年的年报尚未生成或您无权查看")


def report_json(report):
    return {
        "year": report.year,
        "item_id": report.item_id,
        "state": report.item.state,
        "due_on": due_on(report.year).isoformat(),
        "built_at": report.built_at.isoformat() + "Z",
        "inputs": report.inputs,
        "tables": report.tables,
        "checks": report.checks,
        "passed": not report.failed_checks,
    }


# ---------------------------------------------------------------- sign-off


@condition("annual_report_checks_pass")
def _annual_report_checks_pass(user, item, ctx):
    """Only for items of type annual_report built from the data: every consistency check must pass."""
    if getattr(item, "type", None) != "annual_report":
        return
    report = AnnualReport.query.filter_by(item_id=item.working_copy_of_id or item.id).first()
    if report is None:
        return
    failed = report.failed_checks
    if failed:
        raise ConditionFailed(
            "年报未通过一致性校验，不能审定发布：" + "；".join(f"{c['title']}（{c['message']}）" for c in failed),
            fields={"checks": "failed"}, checks=[c["code"] for c in failed],
        )


# ---------------------------------------------------------------- remedies


def _date(value, name, required=True):
    if value in (None, ""):
        if required:
            raise ValidationError(f"缺少 {name}", fields={name: "required"})
        return None
    if not isinstance(value, str):
        raise ValidationError(f"{name} 应为 YYYY-MM-DD", fields={name: "wrong_type"})
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(f"{name} 应为 YYYY-MM-DD", fields={name: "invalid_date"}) from None


def record_remedy(user, code, data):
    """Record a reconsideration or lawsuit against the reply of application ``code`` (office only)."""
    application = get_for(user, code=code)
    if application.organization_id not in office_org_ids(user):
        raise NotAllowed("只有办公室人员可以登记行政复议、行政诉讼情况")
    unknown = set(data) - {"kind", "filed_on", "outcome", "decided_on"}
    if unknown:
        raise ValidationError(f"未知字段：{', '.join(sorted(unknown))}", fields={n: "unknown" for n in unknown})
    kind, outcome = data.get("kind"), data.get("outcome") or "pending"
    if kind not in REMEDY_KINDS:
        raise ValidationError("kind 应为 reconsideration、litigation_direct 或 litigation_after_reconsideration",
                              fields={"kind": "invalid"})
    if outcome not in REMEDY_OUTCOMES:
        raise ValidationError("outcome 应为 upheld、corrected、other 或 pending", fields={"outcome": "invalid"})
    filed_on = _date(data.get("filed_on"), "filed_on")
    decided_on = _date(data.get("decided_on"), "decided_on", required=False)
    today = clock.local_today()
    if filed_on > today:
        raise ValidationError("filed_on 不能晚于今天", fields={"filed_on": "in_future"})
    if application.replied_on is None and application.concluded_on is None:
        raise ValidationError("该申请尚未答复，不能登记复议或诉讼", fields={"code": "not_replied"})
    if outcome == "pending" and decided_on is not None:
        raise ValidationError("尚未审结的案件不能填写 decided_on", fields={"decided_on": "not_allowed"})
    if outcome != "pending":
        if decided_on is None:
            raise ValidationError("已审结的案件须填写 decided_on", fields={"decided_on": "required"})
        if decided_on < filed_on or decided_on > today:
            raise ValidationError("decided_on 应在 filed_on 与今天之间", fields={"decided_on": "invalid"})
    remedy = Remedy(application=application, kind=kind, filed_on=filed_on, outcome=outcome, decided_on=decided_on,
                    created_by_id=user.id)
    db.session.add(remedy)
    db.session.flush()
    return remedy


def remedy_json(remedy):
    return {"id": remedy.id, "application": remedy.application.code, "kind": remedy.kind,
            "filed_on": remedy.filed_on.isoformat(), "outcome": remedy.outcome,
            "decided_on": remedy.decided_on.isoformat() if remedy.decided_on else None}




# ---------------------------------------------------------------- reminders


def remind_annual_reports(today=None):
    """From 2 January: remind the office, once a day, while last year's report is not published.

    Returns ``{organization_code: users_notified}``.
    """
    from cms.accounts.models import Membership, Organization
    from cms.notifications.models import Notification
    from cms.notifications.services import notify

    today = today or clock.local_today()
    if (today.month, today.day) < (1, 2):
        return {}
    year = today.year - 1
    sent = {}
    for org in Organization.query.order_by(Organization.id):
        report = AnnualReport.query.filter_by(organization_id=org.id, year=year).first()
        if report is not None and report.item.state == "published":
            continue
        days_left = (due_on(year) - today).days
        state = "尚未生成" if report is None else "尚未发布"
        message = (f"{year}年政府信息公开工作年度报告{state}，应于{due_on(year).isoformat()}前发布"
                   + (f"（还剩{days_left}天）。" if days_left >= 0 else f"（已逾期{-days_left}天）。"))
        users = [m.user for m in Membership.query.join(Section).filter(Section.organization_id == org.id)
                 if m.role == "office_auditor" or (m.role == "section_chief" and m.section.kind == "office")]
        # The message names the days left, so it differs every day: sent once per user and day.
        already = {n.user_id for n in Notification.query.filter(Notification.message == message)}
        users = [u for u in users if u.id not in already]
        link = f"/admin/annual-reports/{year}" if report is not None else "/admin/annual-reports"
        sent[org.code] = notify(users, message, link=link) if users else 0
    db.session.flush()
    return sent

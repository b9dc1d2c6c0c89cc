"""Reading the audit log: Chinese labels, filters, and exports (CSV, XLSX) shared by the screen and the API."""
import csv
import io
from datetime import datetime, time, timedelta

from cms.accounts.models import AuditLog, User
from cms.clock import to_local
from cms.errors import ValidationError

ACTION_LABELS = {
    "login": "登录", "login.failed": "登录失败", "logout": "退出登录", "logout.everywhere": "退出全部登录",
    "token.create": "签发接口令牌", "token.revoke": "吊销接口令牌",
    "org.create": "创建机关", "section.create": "创建科室", "section.update": "修改科室",
    "user.create": "创建用户", "user.update": "修改用户", "user.password": "修改密码",
    "membership.add": "授予角色", "membership.remove": "撤销角色",
    "column.create": "新建栏目", "column.update": "修改栏目", "column.reorder": "调整栏目顺序",
    "column.retire": "停用栏目", "column.merge": "合并栏目", "column.reference": "栏目引用信息",
    "item.create": "起草信息", "item.submit": "提交审核", "item.approve": "审核通过", "item.return": "退回修改",
    "item.withdraw": "撤回", "item.retract": "撤下已发布信息", "item.publish": "发布",
    "calendar.set_day": "设置工作日历", "calendar.delete_day": "删除日历设置",
    "application.register": "登记依申请公开", "application.correct": "更正申请信息",
    "application.test_link": "生成渠道测试链接", "application.export": "导出申请台账",
    "audit.export": "导出审计日志", "site.update": "修改网站设置", "org.letter_pattern": "设置答复书文号格式",
    "application.document_add": "上传答复材料", "application.document_remove": "删除答复材料",
    "item.publish_scheduled": "定时发布",
    "transition_on_behalf": "代理审批", "delegation_create": "设置代理审批", "delegation_revoke": "撤销代理审批",
    "workflow.create": "新建审核流程", "workflow.update": "修改审核流程", "calendar.import_notice": "导入放假通知",
}
ACTION_LABELS.update({"item.preview_link": "生成预览链接", "item.preview_revoke": "撤销预览链接"})
OBJECT_LABELS = {"user": "用户", "section": "科室", "column": "栏目", "item": "信息", "org": "机关",
                 "workflow": "审核流程", "delegation": "代理审批", "application": "申请"}
DETAIL_LABELS = {"name": "名称", "kind": "类型", "section": "科室", "role": "角色", "state": "状态", "from": "原状态",
                 "to": "新状态", "comment": "意见", "channel": "渠道", "fields": "字段", "accepts": "接受类型",
                 "order": "顺序", "item": "信息", "format": "格式", "count": "条数", "filters": "筛选条件",
                 "pattern": "格式", "stage": "审核环节", "workflow": "审核流程", "transition": "操作",
                 "on_behalf_of": "代理对象", "quorum": "会签进度", "version": "版本"}
PER_PAGE = 50
MAX_EXPORT_ROWS = 100_000


def action_label(action):
    if action in ACTION_LABELS:
        return ACTION_LABELS[action]
    prefix, _, rest = action.partition(".")
    if prefix == "application":
        from cms.applications.workflow import APPLICATION_DESK

        titles = {t.name: t.title for t in APPLICATION_DESK.transitions}
        return f"依申请公开：{titles.get(rest, rest)}"
    if prefix == "item":
        return f"信息：{rest}"
    return action


def entry_action_label(entry):
    """The action of one entry; a workflow transition is named as its definition names it (a custom
    stage's “相关科室会签通过”, the last stage's “审定发布”), falling back to ``action_label``."""
    from cms.workflow import labels

    details = entry.details if isinstance(entry.details, dict) else {}
    code, version = details.get("workflow"), details.get("version")
    prefix, _, rest = entry.action.partition(".")
    if code and prefix == "item" and rest:
        title = labels.transition_title(rest, details.get("from"), code, version)
        if title:
            return title
    if code and entry.action == "transition_on_behalf":
        title = labels.transition_title(details.get("transition"), details.get("from"), code, version)
        if title:
            return f"代理审批：{title}"
    return action_label(entry.action)


def object_label(target):
    if not target:
        return ""
    kind, sep, rest = target.partition(":")
    return f"{OBJECT_LABELS[kind]} {rest}" if sep and kind in OBJECT_LABELS else target


def details_text(details):
    """``details`` as a reader reads them: "名称：市场科；类型：section"."""
    if not details:
        return ""
    if not isinstance(details, dict):
        return str(details)
    from cms.workflow import labels

    parts = []
    states = _state_labels()
    code, version = details.get("workflow"), details.get("version")
    for key, value in details.items():
        if key == "version" and code:
            continue  # shown with the workflow
        if key == "workflow" and isinstance(value, str):
            workflow = labels.workflow_of(value, version)
            value = f"{workflow.title}（第{version}版）" if workflow is not None and version else (
                workflow.title if workflow is not None else value)
        elif key in ("from", "to", "state") and isinstance(value, str):
            value = labels.state_label(value, code, version) if code else (
                states.get(value) or labels.state_label(value))
        elif key == "stage" and isinstance(value, str):
            value = labels.stage_title(value, code, version)
        if isinstance(value, (list, tuple)):
            value = " → ".join("" if v is None else str(v) for v in value) if len(value) == 2 else "、".join(
                str(v) for v in value)
        parts.append(f"{DETAIL_LABELS.get(key, key)}：{value}")
    return "；".join(parts)


def _state_labels():
    from cms.applications.types import STATES as APPLICATION_STATES
    from cms.workflow.definitions import ITEM_STATES

    return {**APPLICATION_STATES, **ITEM_STATES}


def _parse_day(value, name):
    if not value:
        return None
    try:
        return datetime.strptime(value.strip()[:10], "%Y-%m-%d").date()
    except ValueError:
        raise ValidationError(f"日期格式应为 YYYY-MM-DD：{value[:20]}", fields={name: "invalid_date"}) from None


def audit_query(actor=None, action=None, target=None, date_from=None, date_to=None):
    """AuditLog entries matching the filters, newest first. Dates are local (Beijing) calendar days."""
    query = AuditLog.query
    if actor:
        actor = actor.strip()[:64]
        user_ids = [u.id for u in User.query.filter((User.username == actor) | (User.name == actor))]
        query = query.filter((AuditLog.actor_name == actor) | AuditLog.actor_id.in_(user_ids or [-1]))
    if action:
        action = action.strip()[:64]
        codes = [code for code, label in ACTION_LABELS.items() if label == action] or [action]
        query = query.filter(AuditLog.action.in_(codes) | AuditLog.action.like(f"{action}.%"))
    if target:
        target = target.strip()[:200]
        # "item:7" names one object; a bare word searches within object names.
        query = query.filter(AuditLog.target == target if ":" in target else AuditLog.target.contains(target))
    start, end = _parse_day(date_from, "from"), _parse_day(date_to, "to")
    if start and end and start > end:
        raise ValidationError("开始日期不能晚于结束日期", fields={"from": "after_to"})
    offset = timedelta(hours=8)  # stored as UTC, filtered by Beijing calendar days
    if start:
        query = query.filter(AuditLog.at >= datetime.combine(start, time()) - offset)
    if end:
        query = query.filter(AuditLog.at < datetime.combine(end + timedelta(days=1), time()) - offset)
    return query.order_by(AuditLog.id.desc())


def entry_json(entry):
    local = to_local(entry.at)
    return {"id": entry.id, "at": entry.at.isoformat() + "Z", "at_local": local.strftime("%Y-%m-%d %H:%M:%S"),
            "actor": entry.actor_name, "action": entry.action, "action_label": entry_action_label(entry),
            "object": entry.target, "object_label": object_label(entry.target), "ip": entry.ip,
            "details": entry.details, "details_text": details_text(entry.details)}


HEADER = ["时间", "操作人", "操作", "对象", "IP", "详情"]


def _rows(query):
    for entry in query.limit(MAX_EXPORT_ROWS).yield_per(1000):
        local = to_local(entry.at)
        yield [local.strftime("%Y-%m-%d %H:%M:%S"), entry.actor_name or "", entry_action_label(entry),
               object_label(entry.target), entry.ip or "", details_text(entry.details)]


def _safe(value):
    # A cell starting with = + - @ is a formula to a spreadsheet: keep it text.
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def export_csv(query):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for row in _rows(query):
        writer.writerow([_safe(v) for v in row])
    return "\ufeff" + out.getvalue()


def export_xlsx(query):
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("审计日志")
    sheet.append(HEADER)
    for row in _rows(query):
        sheet.append([_safe(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

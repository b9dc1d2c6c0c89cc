"""The yearly assessment (年度综合目标考核) of disclosure work per section, and the half-year report.

Figures per section for a period: items published per column; median and 90th-percentile hours spent in each
review stage and the stages done within their due dates (from the workflow history and the stage workflows'
due clocks); returns per item sent to review; applications answered on time; enforcement decisions published
within 7 working days; and the on-time metrics of ``cms.reports.assessment_metrics`` (incident clocks, proposal
replies, and whatever a package registers there, e.g. consultations). Each is shown as an SVG chart with its
data table.
"""
import io
import math
from collections import defaultdict
from datetime import date
from statistics import median

from cms.accounts.models import Section
from cms.applications.models import Application
from cms.clock import local_today, to_local
from cms.content.enforcement import enforcement_status
from cms.content.models import Column, Item
from cms.errors import NotFound, ValidationError
from cms.reports.assessment_metrics import BUILTIN_METRICS, registered_metrics, utc_bounds
from cms.workflow import due as due_clock
from cms.workflow.definitions import get_workflow
from cms.workflow.models import WorkflowHistory

STAGES = {"pending_section": "科室审核", "pending_office": "办公室审核", "pending_leader": "分管领导审定"}

# Points of the built-in measures in the 100-point ranking (registered metrics add theirs; the sum is scaled
# back to 100). A measure with nothing due in the period counts as fully met.
WEIGHTS = {"applications": 30, "enforcement": 15, "stage_due": 15, "returns": 20}
METRIC_WEIGHTS = {"incidents": 10, "proposals": 10}


def _utc_bounds(start, end):
    return utc_bounds(start, end)


def parse_period(raw_from, raw_to, today):
    """``from``/``to`` query values (YYYY-MM-DD); default: this year up to today."""
    try:
        start = date.fromisoformat(raw_from) if raw_from else date(today.year, 1, 1)
        end = date.fromisoformat(raw_to) if raw_to else today
    except ValueError:
        raise ValidationError("日期格式应为 YYYY-MM-DD", fields={"from": "invalid_date"}) from None
    if end < start:
        raise ValidationError("结束日期不能早于开始日期", fields={"to": "before_from"})
    if (end - start).days > 3 * 366:
        raise ValidationError("统计区间不能超过三年", fields={"to": "too_long"})
    return start, end


def percentile(values, p):
    """Nearest-rank percentile (p in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _metrics():
    return [*BUILTIN_METRICS, *registered_metrics()]


class _Stages:
    """Stage titles and due clocks from the (pinned versions of the) stage workflows items follow."""

    def __init__(self):
        self._workflows = {}
        self.titles = dict(STAGES)

    def _workflow(self, name, version):
        key = (name, version)
        if key not in self._workflows:
            try:
                self._workflows[key] = get_workflow(name, version)
            except (NotFound, KeyError, ValueError):  # a workflow removed since: no titles, no clocks
                self._workflows[key] = None
        return self._workflows[key]

    def stage(self, workflow_key, state):
        workflow = self._workflow(*workflow_key) if workflow_key else None
        stage = workflow.stage_for_state(state) if workflow is not None and workflow.stages else None
        if stage is not None:
            self.titles.setdefault(state, stage.title)
        return stage


def _new_row(section):
    return {"code": section.code, "name": section.name, "published": defaultdict(int), "published_total": 0,
            "stage_hours": defaultdict(list), "stage_due": defaultdict(lambda: {"due": 0, "on_time": 0}),
            "returns": 0, "submitted": 0, "reviewed_items": set(),
            "applications": {"answered": 0, "on_time": 0},
            "enforcement": {"published": 0, "on_time": 0}, "metrics": {}, "late": []}


def _review_stages(rows, organization_id, lo, hi, stages):
    """Time per stage, stages done within their due dates and returns, from the workflow history."""
    items = {item_id: (section_id, title, (workflow, version)) for item_id, section_id, title, workflow, version
             in Item.query.filter(Item.organization_id == organization_id)
             .with_entities(Item.id, Item.section_id, Item.title, Item.workflow, Item.workflow_version)}
    history = (WorkflowHistory.query.filter(WorkflowHistory.subject_type == "item",
                                            WorkflowHistory.subject_id.in_(list(items) or [0]),
                                            WorkflowHistory.at < hi)
               .order_by(WorkflowHistory.subject_id, WorkflowHistory.at, WorkflowHistory.id).all())
    entered = {}
    for entry in history:
        section_id, title, workflow_key = items[entry.subject_id]
        row = rows.get(section_id)
        if row is None or entry.from_state == entry.to_state:  # a countersignature short of its quorum
            continue
        in_period = entry.at >= lo
        key = (entry.subject_id, entry.from_state)
        if key in entered:
            since = entered.pop(key)
            stage = stages.stage(workflow_key, entry.from_state)
            if in_period and (stage is not None or entry.from_state in STAGES):
                row["stage_hours"][entry.from_state].append((entry.at - since).total_seconds() / 3600)
                due = due_clock.due_at(stage.due, since) if stage is not None else None
                if due is not None:
                    counts = row["stage_due"][entry.from_state]
                    counts["due"] += 1
                    if entry.at <= due:
                        counts["on_time"] += 1
                    else:
                        row["late"].append(f"《{title}》{stages.titles.get(entry.from_state, entry.from_state)}"
                                           f"超期（应于 {_local(due)} 前完成，实际 {_local(entry.at)}）")
        if entry.to_state in STAGES or entry.to_state.startswith("pending_"):
            entered[(entry.subject_id, entry.to_state)] = entry.at
        if in_period and entry.transition == "return":
            row["returns"] += 1
        if in_period and entry.transition == "submit":
            row["submitted"] += 1
            row["reviewed_items"].add(entry.subject_id)


def _local(instant):
    return to_local(instant).strftime("%Y-%m-%d %H:%M")


def _enforcement(rows, organization_id, lo, hi, start, end):
    published = (Item.query.filter(Item.organization_id == organization_id, Item.working_copy_of_id.is_(None),
                                   Item.type == "enforcement", Item.published_at >= lo, Item.published_at < hi)
                 .order_by(Item.published_at, Item.id).all())
    for item in published:
        row = rows.get(item.section_id)
        if row is None or not item.enforcement:
            continue
        row["enforcement"]["published"] += 1
        if enforcement_status(item.enforcement, item.published_at) == "met":
            row["enforcement"]["on_time"] += 1
        else:
            row["late"].append(f"执法公示《{item.title}》（决定 {item.enforcement['decided_on']}，"
                               f"期限 {item.enforcement.get('due_on') or '未知'}）")
    # Decisions not published at all although their 7 working days ran out within the period.
    today = local_today()
    waiting = (Item.query.filter(Item.organization_id == organization_id, Item.working_copy_of_id.is_(None),
                                 Item.type == "enforcement", Item.published_at.is_(None),
                                 Item.state.notin_(("retracted",)))
               .order_by(Item.id).all())
    for item in waiting:
        row = rows.get(item.section_id)
        due = (item.enforcement or {}).get("due_on")
        if row is None or not due or not start.isoformat() <= due <= end.isoformat():
            continue
        if enforcement_status(item.enforcement, None, today) == "overdue":
            row["enforcement"]["published"] += 1
            row["late"].append(f"执法公示《{item.title}》尚未公示（决定 {item.enforcement['decided_on']}，期限 {due}）")


def assessment(organization_id, start, end):
    """The figures per section for local days ``start`` .. ``end``."""
    lo, hi = _utc_bounds(start, end)
    sections = Section.query.filter_by(organization_id=organization_id).order_by(Section.id).all()
    columns = (Column.query.filter_by(organization_id=organization_id, retired=False)
               .order_by(Column.position, Column.id).all())
    rows = {s.id: _new_row(s) for s in sections}

    published = (Item.query.filter(Item.organization_id == organization_id, Item.working_copy_of_id.is_(None),
                                   Item.published_at >= lo, Item.published_at < hi)
                 .with_entities(Item.section_id, Item.column_id).all())
    column_codes = {c.id: c.code for c in columns}
    for section_id, column_id in published:
        row = rows.get(section_id)
        if row is None:
            continue
        row["published"][column_codes.get(column_id, "other")] += 1
        row["published_total"] += 1
    _enforcement(rows, organization_id, lo, hi, start, end)
    stages = _Stages()
    _review_stages(rows, organization_id, lo, hi, stages)

    applications = (Application.query.filter(Application.organization_id == organization_id,
                                             Application.is_test.is_(False), Application.replied_on.isnot(None),
                                             Application.replied_on >= start, Application.replied_on <= end).all())
    for a in applications:
        row = rows.get(a.section_id)
        if row is None:
            continue
        row["applications"]["answered"] += 1
        if a.due_on is not None and a.replied_on <= a.due_on:
            row["applications"]["on_time"] += 1
        else:
            row["late"].append(f"依申请公开 {a.code}（答复 {a.replied_on.isoformat()}，期限 "
                               f"{a.due_on.isoformat() if a.due_on else '未知'}）")

    metrics = _metrics()
    for metric in metrics:
        found = metric.collect(organization_id, start, end)
        for section_id, row in rows.items():
            got = found.get(section_id) or {"total": 0, "on_time": 0, "late": []}
            row["metrics"][metric.code] = {"total": got["total"], "on_time": got["on_time"]}
            row["late"].extend(got.get("late") or [])

    stage_order = list(STAGES) + sorted(set(stages.titles) - set(STAGES))
    out = []
    for row in rows.values():
        stage_figures = {}
        for stage in stage_order:
            values = row["stage_hours"].get(stage) or []
            due = row["stage_due"].get(stage) or {"due": 0, "on_time": 0}
            stage_figures[stage] = {"count": len(values),
                                    "median_hours": round(median(values), 1) if values else None,
                                    "p90_hours": round(percentile(values, 90), 1) if values else None,
                                    "due": due["due"], "on_time": due["on_time"]}
        row["stages"] = stage_figures
        row["stages_due"] = {"due": sum(s["due"] for s in stage_figures.values()),
                             "on_time": sum(s["on_time"] for s in stage_figures.values())}
        del row["stage_hours"], row["stage_due"]
        row["reviewed"] = len(row.pop("reviewed_items"))
        row["published"] = {c.code: row["published"].get(c.code, 0) for c in columns}
        row["returns_per_item"] = round(row["returns"] / row["reviewed"], 2) if row["reviewed"] else None
        row["score"] = _score(row, metrics)
        out.append(row)
    ranked = sorted(out, key=lambda r: (-r["score"], r["code"]))
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    return {"from": start.isoformat(), "to": end.isoformat(),
            "columns": [{"code": c.code, "name": c.name} for c in columns],
            "stages": [{"code": k, "name": stages.titles[k]} for k in stage_order],
            "metrics": [{"code": m.code, "title": m.title, "total_label": m.total_label,
                         "on_time_label": m.on_time_label} for m in metrics],
            "sections": out}


def _rate(part, whole):
    return part / whole if whole else 1.0


def _score(row, metrics):
    """A 100-point ranking: the on-time rates and few returns, weighted (``WEIGHTS``, metric weights)."""
    returns = row["returns"] / row["reviewed"] if row["reviewed"] else 0
    parts = [(WEIGHTS["applications"], _rate(row["applications"]["on_time"], row["applications"]["answered"])),
             (WEIGHTS["enforcement"], _rate(row["enforcement"]["on_time"], row["enforcement"]["published"])),
             (WEIGHTS["stage_due"], _rate(row["stages_due"]["on_time"], row["stages_due"]["due"])),
             (WEIGHTS["returns"], max(0.0, 1 - returns))]
    for metric in metrics:
        figures = row["metrics"][metric.code]
        parts.append((METRIC_WEIGHTS.get(metric.code, metric.weight), _rate(figures["on_time"], figures["total"])))
    total = sum(w for w, _ in parts)
    return round(100 * sum(w * r for w, r in parts) / total, 1)


# ---------------------------------------------------------------- charts


def bar_chart_svg(title, bars, unit=""):
    """A horizontal bar chart as an SVG string (server-rendered, no script); ``bars`` is ``[(label, value)]``."""
    from markupsafe import escape

    width, left, bar_h, gap = 560, 140, 18, 8
    height = 30 + len(bars) * (bar_h + gap)
    top = max([v for _, v in bars if v is not None] + [0]) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{escape(title)}" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f'<title>{escape(title)}</title>',
             f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>']
    for i, (label, value) in enumerate(bars):
        y = 26 + i * (bar_h + gap)
        length = 0 if value is None else int((width - left - 60) * value / top)
        parts.append(f'<text x="0" y="{y + 13}" font-size="12">{escape(label)}</text>')
        parts.append(f'<rect x="{left}" y="{y}" width="{length}" height="{bar_h}" fill="#1677ff"></rect>')
        shown = "—" if value is None else f"{value}{unit}"
        parts.append(f'<text x="{left + length + 4}" y="{y + 13}" font-size="12">{escape(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def charts(data):
    """``[(title, svg, header, rows)]``: every chart with the table of its data."""
    sections = data["sections"]
    out = []
    bars = [(s["name"], s["published_total"]) for s in sections]
    out.append(("各科室发布信息数", bar_chart_svg("各科室发布信息数", bars, "条"),
                ["科室", *[c["name"] for c in data["columns"]], "合计"],
                [[s["name"], *[s["published"][c["code"]] for c in data["columns"]], s["published_total"]]
                 for s in sections]))
    for stage in data["stages"]:
        code = stage["code"]
        bars = [(s["name"], s["stages"][code]["median_hours"]) for s in sections]
        out.append((f"{stage['name']}用时", bar_chart_svg(f"{stage['name']}用时中位数（小时）", bars, "h"),
                    ["科室", "次数", "中位数（小时）", "90%分位（小时）", "有时限次数", "按时完成次数"],
                    [[s["name"], s["stages"][code]["count"], s["stages"][code]["median_hours"],
                      s["stages"][code]["p90_hours"], s["stages"][code]["due"], s["stages"][code]["on_time"]]
                     for s in sections]))
    out.append(("审核环节按时完成", bar_chart_svg("审核环节按时完成率", [
        (s["name"], _percent(s["stages_due"]["on_time"], s["stages_due"]["due"])) for s in sections], "%"),
        ["科室", "有时限的环节次数", "按时完成次数", "按时率（%）"],
        [[s["name"], s["stages_due"]["due"], s["stages_due"]["on_time"],
          _percent(s["stages_due"]["on_time"], s["stages_due"]["due"])] for s in sections]))
    out.append(("每件退回次数", bar_chart_svg("每件信息被退回次数", [(s["name"], s["returns_per_item"])
                                                          for s in sections]),
                ["科室", "送审信息数", "提交次数", "退回次数", "每件退回"],
                [[s["name"], s["reviewed"], s["submitted"], s["returns"], s["returns_per_item"]] for s in sections]))
    out.append(("依申请公开按时答复", bar_chart_svg("依申请公开按时答复（件）",
                                             [(s["name"], s["applications"]["on_time"]) for s in sections], "件"),
                ["科室", "答复件数", "按时答复件数"],
                [[s["name"], s["applications"]["answered"], s["applications"]["on_time"]] for s in sections]))
    out.append(("执法决定按时公示", bar_chart_svg("执法决定按时公示（件）",
                                           [(s["name"], s["enforcement"]["on_time"]) for s in sections], "件"),
                ["科室", "应公示件数", "7个工作日内公示件数"],
                [[s["name"], s["enforcement"]["published"], s["enforcement"]["on_time"]] for s in sections]))
    for metric in data["metrics"]:
        code = metric["code"]
        out.append((metric["title"], bar_chart_svg(f"{metric['title']}（件）",
                                                   [(s["name"], s["metrics"][code]["on_time"]) for s in sections],
                                                   "件"),
                    ["科室", metric["total_label"], metric["on_time_label"]],
                    [[s["name"], s["metrics"][code]["total"], s["metrics"][code]["on_time"]] for s in sections]))
    out.append(("综合排名", bar_chart_svg("综合得分", [(s["name"], s["score"]) for s in sections], "分"),
                ["排名", "科室", "得分"],
                [[s["rank"], s["name"], s["score"]] for s in sorted(sections, key=lambda s: s["rank"])]))
    return out


def _percent(part, whole):
    return round(100 * part / whole, 1) if whole else None


def render_xlsx(data):
    """One sheet per chart's data table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for index, (title, _svg, header, rows) in enumerate(charts(data), start=1):
        ws = workbook.create_sheet(f"{index}.{title}"[:31].replace("/", "／"))
        ws.append([f"{title}（{data['from']} 至 {data['to']}）"])
        ws["A1"].font = Font(bold=True)
        ws.append(header)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def half_year_period(year, half):
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def render_half_year_docx(organization, year, half):
    """The half-year report for the head of the bureau: figures, the late list, the sections ranked."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from cms.reports.documents import _paragraph, _table, official_document

    start, end = half_year_period(year, half)
    data = assessment(organization.id, start, end)
    document = official_document()
    _paragraph(document, f"{organization.name}{year}年{'上' if half == 1 else '下'}半年政务公开工作情况报告",
               WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=22, indent=False)
    sections = data["sections"]
    total_published = sum(s["published_total"] for s in sections)
    answered = sum(s["applications"]["answered"] for s in sections)
    on_time = sum(s["applications"]["on_time"] for s in sections)
    stages_due = sum(s["stages_due"]["due"] for s in sections)
    stages_on_time = sum(s["stages_due"]["on_time"] for s in sections)
    summary = (f"统计区间：{start.isoformat()}至{end.isoformat()}。本期共发布信息{total_published}条；"
               f"答复依申请公开{answered}件，其中按时答复{on_time}件；"
               f"有时限的审核环节{stages_due}次，按时完成{stages_on_time}次")
    for metric in data["metrics"]:
        total = sum(s["metrics"][metric["code"]]["total"] for s in sections)
        done = sum(s["metrics"][metric["code"]]["on_time"] for s in sections)
        summary += f"；{metric['title']}：{metric['total_label']}{total}，{metric['on_time_label']}{done}"
    _paragraph(document, summary + "。")
    _paragraph(document, "一、主要数据", font="黑体")
    for title, _svg, header, rows in charts(data):
        _paragraph(document, title, WD_ALIGN_PARAGRAPH.CENTER, indent=False, size=12)
        _table(document, [header], [["" if v is None else v for v in row] for row in rows])
    _paragraph(document, "二、逾期事项", font="黑体")
    late = [f"{s['name']}：{entry}" for s in sections for entry in s["late"]]
    for line in late or ["本期无逾期事项。"]:
        _paragraph(document, line)
    _paragraph(document, "三、科室排名", font="黑体")
    for s in sorted(sections, key=lambda s: s["rank"]):
        _paragraph(document, f"第{s['rank']}名：{s['name']}（{s['score']}分）")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()

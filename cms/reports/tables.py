"""The tables of the annual report in the national format (国办公开办函〔2021〕30号), computed from the records,
and the national consistency checks run on every build."""
from datetime import date
from decimal import Decimal

from cms import clock
from cms.applications.models import Application
from cms.applications.statistics import received_date
from cms.applications.types import APPLICANT_TYPES, RESULT_REASONS, RESULTS
from cms.content.enforcement import KINDS
from cms.content.models import Item
from cms.reports.models import REMEDY_KINDS, REMEDY_OUTCOMES, Remedy

APPLICANT_COLUMNS = (*APPLICANT_TYPES, "total")
APPLICANT_COLUMN_LABELS = {**APPLICANT_TYPES, "total": "总计"}
ORGANIZATION_GROUP = "法人或其他组织"
RESULT_HEADINGS = {
    "disclosed": "（一）予以公开",
    "partly_disclosed": "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
    "withheld": "（三）不予公开",
    "unavailable": "（四）无法提供",
    "not_processed": "（五）不予处理",
    "other": "（六）其他处理",
}
REMEDY_GROUP_LABELS = {
    "reconsideration": "行政复议",
    "litigation_direct": "行政诉讼（未经复议直接起诉）",
    "litigation_after_reconsideration": "行政诉讼（复议后起诉）",
}
REMEDY_COLUMNS = (*REMEDY_OUTCOMES, "total")
REMEDY_COLUMN_LABELS = {**REMEDY_OUTCOMES, "total": "总计"}
DOCUMENT_COLUMNS = {"issued": "本年制发件数", "repealed": "本年废止件数", "in_force": "现行有效件数"}
DECISION_COLUMN = "本年处理决定数量"
FEES_COLUMN = "本年收费金额（万元）"


def application_rows():
    """``[(key, label, level, counted)]`` in the national order; headings are not counted."""
    rows = [("new", "一、本年新收政府信息公开申请数量", 0, True),
            ("carried_over", "二、上年结转政府信息公开申请数量", 0, True),
            ("results", "三、本年度办理结果", 0, False)]
    for result in RESULTS:
        reasons = RESULT_REASONS[result]
        rows.append((f"result.{result}", RESULT_HEADINGS[result], 1, not reasons))
        for number, reason in reasons.items():
            rows.append((f"result.{result}.{number}", f"{number}.{reason}", 2, True))
    rows.append(("result.total", "（七）总计", 1, True))
    rows.append(("carried_forward", "四、结转下年度继续办理", 0, True))
    return rows


def _year_bounds(year):
    return date(year, 1, 1), date(year, 12, 31)


def applications_table(organization_id, year):
    start, end = _year_bounds(year)
    rows = application_rows()
    counts = {key: dict.fromkeys(APPLICANT_COLUMNS, 0) for key, _, _, counted in rows if counted}
    unclassified = []

    def add(key, applicant_type):
        counts[key][applicant_type] += 1
        counts[key]["total"] += 1

    applications = (Application.query.filter(Application.organization_id == organization_id,
                                             Application.is_test.is_(False)).order_by(Application.id).all())
    for a in applications:
        received = received_date(a)
        if received > end:
            continue
        concluded = a.concluded_on
        if received < start and (concluded is None or concluded >= start):
            add("carried_over", a.applicant_type)
        if received >= start:
            add("new", a.applicant_type)
        if concluded is not None and start <= concluded <= end:
            reasons = RESULT_REASONS.get(a.result)
            if reasons is None or (reasons and a.result_reason not in reasons):
                unclassified.append(a.code)  # counted nowhere: the balance check names it
            else:
                add(f"result.{a.result}.{a.result_reason}" if reasons else f"result.{a.result}", a.applicant_type)
                add("result.total", a.applicant_type)
        if concluded is None or concluded > end:
            add("carried_forward", a.applicant_type)
    return {
        "columns": [{"key": c, "label": APPLICANT_COLUMN_LABELS[c]} for c in APPLICANT_COLUMNS],
        "column_groups": [{"label": ORGANIZATION_GROUP, "keys": [c for c in APPLICANT_TYPES if c != "person"]}],
        "rows": [{"key": key, "label": label, "level": level, "counts": counts.get(key)}
                 for key, label, level, _ in rows],
        "unclassified": unclassified,
    }


def remedies_table(organization_id, year):
    """Cases filed in ``year``; a case not decided by 31 December counts as 尚未审结."""
    start, end = _year_bounds(year)
    counts = {kind: dict.fromkeys(REMEDY_COLUMNS, 0) for kind in REMEDY_KINDS}
    bad_dates = []
    remedies = (Remedy.query.join(Application)
                .filter(Application.organization_id == organization_id, Application.is_test.is_(False),
                        Remedy.filed_on >= start, Remedy.filed_on <= end).order_by(Remedy.id).all())
    for r in remedies:
        outcome = r.outcome
        if outcome != "pending" and (r.decided_on is None or r.decided_on > end):
            outcome = "pending"
        if r.decided_on is not None and r.decided_on < r.filed_on:
            bad_dates.append(r.application.code)
        counts[r.kind][outcome] += 1
        counts[r.kind]["total"] += 1
    return {
        "columns": [{"key": c, "label": REMEDY_COLUMN_LABELS[c]} for c in REMEDY_COLUMNS],
        "groups": [{"key": k, "label": REMEDY_GROUP_LABELS[k], "counts": counts[k]} for k in REMEDY_KINDS],
        "bad_dates": bad_dates,
    }


def _published_year(item):
    return clock.to_local(item.published_at).year if item.published_at else None


def active_table(organization_id, year, inputs):
    """二、主动公开: normative documents from the policy items, decisions from the enforcement register."""
    start, end = _year_bounds(year)
    normative = {k: 0 for k in DOCUMENT_COLUMNS}
    policies = Item.query.filter(Item.organization_id == organization_id, Item.type == "policy",
                                 Item.normative.is_(True), Item.state == "published",
                                 Item.working_copy_of_id.is_(None)).all()
    for item in policies:
        issued_on = item.written_date or (clock.to_local(item.published_at).date() if item.published_at else None)
        if issued_on is None or issued_on > end:
            continue
        if issued_on >= start:
            normative["issued"] += 1
        changed = item.validity_changed_on
        ended = item.validity in ("abolished", "expired")
        if ended and changed is not None and start <= changed <= end:
            normative["repealed"] += 1
        # In force on 31 December: still valid, or its validity changed only after the year.
        if item.validity == "valid" or (changed is not None and changed > end):
            normative["in_force"] += 1
    decisions = dict.fromkeys(KINDS, 0)
    enforcement_items = Item.query.filter(Item.organization_id == organization_id, Item.type == "enforcement",
                                          Item.working_copy_of_id.is_(None), Item.state != "retracted",
                                          Item.enforcement.isnot(None)).all()
    for item in enforcement_items:
        record = item.enforcement or {}
        decided = record.get("decided_on")
        if decided and start <= date.fromisoformat(decided) <= end and record.get("kind") in decisions:
            decisions[record["kind"]] += 1
    rules = inputs.get("rules") or {}
    return {
        "documents": {
            "columns": [{"key": k, "label": v} for k, v in DOCUMENT_COLUMNS.items()],
            "rows": [{"key": "rules", "label": "规章", "counts": {k: int(rules.get(k) or 0) for k in DOCUMENT_COLUMNS}},
                     {"key": "normative", "label": "行政规范性文件", "counts": normative}],
        },
        "decisions": {"column": DECISION_COLUMN,
                      "rows": [{"key": k, "label": v, "count": decisions[k]} for k, v in KINDS.items()]},
        "fees": {"label": "行政事业性收费", "column": FEES_COLUMN, "amount": inputs.get("fees_amount")},
    }


def build_tables(organization_id, year, inputs):
    return {
        "active": active_table(organization_id, year, inputs),
        "applications": applications_table(organization_id, year),
        "remedies": remedies_table(organization_id, year),
    }


# ---------------------------------------------------------------- checks

def _check(code, title, problems):
    return {"code": code, "title": title, "passed": not problems,
            "message": "通过" if not problems else "；".join(problems)}


def run_checks(tables, inputs):
    """The national consistency checks, each ``{code, title, passed, message}``; all are listed every build."""
    apps = tables["applications"]
    rows = {r["key"]: r["counts"] for r in apps["rows"] if r["counts"] is not None}
    labels = {c["key"]: c["label"] for c in apps["columns"]}
    checks = []

    problems = []
    for col in labels:
        left = rows["new"][col] + rows["carried_over"][col]
        right = rows["result.total"][col] + rows["carried_forward"][col]
        if left != right:
            problems.append(f"{labels[col]}列：一（{rows['new'][col]}）+ 二（{rows['carried_over'][col]}）= {left}，"
                            f"三（七）（{rows['result.total'][col]}）+ 四（{rows['carried_forward'][col]}）= {right}")
    checks.append(_check("applications_balance", "申请情况：一 + 二 = 三（七）+ 四（各列）", problems))

    problems = []
    result_keys = [k for k in rows if k.startswith("result.") and k != "result.total"]
    for col in labels:
        total = sum(rows[k][col] for k in result_keys)
        if total != rows["result.total"][col]:
            problems.append(f"{labels[col]}列：（一）至（六）之和 {total} ≠（七）总计 {rows['result.total'][col]}")
    checks.append(_check("applications_results_total", "办理结果：（七）总计 =（一）至（六）各项之和", problems))

    problems = []
    for key, counts in rows.items():
        parts = sum(counts[c] for c in labels if c != "total")
        if parts != counts["total"]:
            problems.append(f"{key}：各类申请人之和 {parts} ≠ 总计 {counts['total']}")
    checks.append(_check("applications_total_column", "总计列 = 自然人 + 法人或其他组织各项", problems))

    problems = []
    if apps.get("unclassified"):
        problems.append(f"本年办结但未记录办理结果或具体情形的申请：{'、'.join(apps['unclassified'][:20])}")
    checks.append(_check("applications_results_classified", "每件本年办结的申请均有办理结果及具体情形", problems))

    problems = []
    for group in tables["remedies"]["groups"]:
        counts = group["counts"]
        parts = sum(counts[k] for k in REMEDY_OUTCOMES)
        if parts != counts["total"]:
            problems.append(f"{group['label']}：维持、纠正、其他、尚未审结之和 {parts} ≠ 总计 {counts['total']}")
    if tables["remedies"].get("bad_dates"):
        problems.append(f"决定日期早于提起日期：{'、'.join(tables['remedies']['bad_dates'][:20])}")
    checks.append(_check("remedies_totals", "行政复议、行政诉讼：总计 = 维持 + 纠正 + 其他 + 尚未审结", problems))

    problems = []
    for row in tables["active"]["documents"]["rows"]:
        if any(v < 0 for v in row["counts"].values()):
            problems.append(f"{row['label']}：件数不能为负")
    if tables["active"]["fees"]["amount"] is None:
        problems.append("尚未填写行政事业性收费本年收费金额（无收费请填 0）")
    checks.append(_check("active_disclosure_complete", "主动公开：各项已填写且不为负", problems))

    missing = [label for key, label in (("overview", "一、总体情况"), ("problems", "五、存在的主要问题及改进情况"),
                                        ("other", "六、其他需要报告的事项")) if not (inputs.get(key) or "").strip()]
    checks.append(_check("texts_written", "一、五、六部分已撰写",
                         [f"尚未撰写：{'、'.join(missing)}"] if missing else []))
    return checks


def money(value):
    """A non-negative amount with two decimals, as a string; None stays None."""
    if value is None or value == "":
        return None
    amount = Decimal(str(value))
    if amount.is_nan() or amount < 0 or amount >= Decimal("100000000"):
        raise ValueError(value)
    return f"{amount.quantize(Decimal('0.01'))}"

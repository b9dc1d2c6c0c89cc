"""Figures for the annual report's table on applications (computed from the records, test applications excluded).

Rows follow the national table: new this year, carried over from last year, the year's results by category
and sub-reason, and those carried into next year; columns are the applicant types (natural person; legal
persons and other organizations by kind, with their subtotal) and the total.
"""
from datetime import date

from cms.applications import deadlines
from cms.applications.models import Application
from cms.applications.types import APPLICANT_TYPES, ORGANIZATION_TYPES, RESULT_REASONS, RESULTS

COLUMNS = ("person", *ORGANIZATION_TYPES, "organizations", "total")
COLUMN_LABELS = {**APPLICANT_TYPES, "organizations": "法人或其他组织小计", "total": "总计"}


def _rows():
    rows = [("new", "一、本年新收政府信息公开申请数量"), ("carried_over", "二、上年结转政府信息公开申请数量")]
    for result, label in RESULTS.items():
        reasons = RESULT_REASONS[result]
        if not reasons:
            rows.append((f"result.{result}", f"三、本年度办理结果 — {label}"))
            continue
        for number, reason in reasons.items():
            rows.append((f"result.{result}.{number}", f"三、本年度办理结果 — {label} — {number}. {reason}"))
        rows.append((f"result.{result}.subtotal", f"三、本年度办理结果 — {label}（小计）"))
    rows.append(("result.total", "三、本年度办理结果 — 总计"))
    rows.append(("carried_forward", "四、结转下年度继续办理"))
    return rows


ROWS = _rows()


def received_date(application):
    return application.received_on or deadlines.to_local_date(application.submitted_at)


def annual_statistics(organization_id, year):
    """``{"year", "columns", "column_labels", "rows": [{"key", "label", "counts": {column: n}}]}``."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    counts = {key: dict.fromkeys(COLUMNS, 0) for key, _ in ROWS}

    def add(key, applicant_type):
        row = counts[key]
        row[applicant_type] += 1
        if applicant_type != "person":
            row["organizations"] += 1
        row["total"] += 1

    applications = Application.query.filter(
        Application.organization_id == organization_id, Application.is_test.is_(False)
    ).all()
    for a in applications:
        received = received_date(a)
        if received > end:
            continue
        concluded = a.concluded_on
        if received < start and (concluded is None or concluded >= start):
            add("carried_over", a.applicant_type)
        if start <= received:
            add("new", a.applicant_type)
        if concluded is not None and start <= concluded <= end and a.result:
            if RESULT_REASONS[a.result]:
                add(f"result.{a.result}.{a.result_reason}", a.applicant_type)
                add(f"result.{a.result}.subtotal", a.applicant_type)
            else:
                add(f"result.{a.result}", a.applicant_type)
            add("result.total", a.applicant_type)
        if concluded is None or concluded > end:
            add("carried_forward", a.applicant_type)
    return {
        "year": year,
        "columns": list(COLUMNS),
        "column_labels": COLUMN_LABELS,
        "rows": [{"key": key, "label": label, "counts": counts[key]} for key, label in ROWS],
    }

"""The assessment per section against a hand-computed fixture; charts with tables, XLSX, the half-year DOCX."""
import io
from datetime import date, datetime

import pytest

from cms.accounts.models import Section
from cms.extensions import db
from cms.reports.assessment import assessment, percentile
from cms.workflow.models import WorkflowHistory
from tests.reports.helpers import application, published_item


def _history(item, *steps):
    for at, transition, from_state, to_state in steps:
        db.session.add(WorkflowHistory(subject_type="item", subject_id=item.id, transition=transition,
                                       from_state=from_state, to_state=to_state, at=at))


@pytest.fixture
def fixture(demo):
    a = published_item(demo, "notices", "notice", "通知甲", date(2026, 3, 1), date(2026, 3, 3), 501)
    _history(a, (datetime(2026, 3, 2, 1), "submit", "draft", "pending_section"),
             (datetime(2026, 3, 2, 3), "approve", "pending_section", "pending_office"),      # 2 h
             (datetime(2026, 3, 2, 7), "approve", "pending_office", "pending_leader"),       # 4 h
             (datetime(2026, 3, 3, 1), "approve", "pending_leader", "published"))            # 18 h
    b = published_item(demo, "policies", "policy", "政策乙", date(2026, 4, 1), date(2026, 4, 2), 502)
    _history(b, (datetime(2026, 4, 1, 0), "submit", "draft", "pending_section"),
             (datetime(2026, 4, 1, 10), "return", "pending_section", "returned"),            # 10 h
             (datetime(2026, 4, 2, 0), "submit", "returned", "pending_section"),
             (datetime(2026, 4, 2, 4), "approve", "pending_section", "pending_office"),      # 4 h
             (datetime(2026, 4, 2, 5), "approve", "pending_office", "pending_leader"),       # 1 h
             (datetime(2026, 4, 2, 6), "approve", "pending_leader", "published"))            # 1 h
    record = {"kind": "penalty", "decision_no": "罚1", "decided_on": "2026-03-02", "party": "某公司",
              "party_type": "organization", "party_id": None, "summary": "罚款", "due_on": "2026-03-11"}
    published_item(demo, "enforcement", "enforcement", "按时公示", date(2026, 3, 2), date(2026, 3, 5), 503,
                   enforcement=record)
    published_item(demo, "enforcement", "enforcement", "逾期公示", date(2026, 3, 2), date(2026, 3, 20), 504,
                   enforcement=record)
    market = Section.query.filter_by(organization_id=demo.id, code="market").one()
    on_time = application(demo, "person", date(2026, 2, 10), date(2026, 3, 10), "disclosed")
    late = application(demo, "person", date(2026, 3, 30), date(2026, 4, 30), "disclosed")
    on_time.section_id = late.section_id = market.id
    on_time.due_on, late.due_on = date(2026, 3, 20), date(2026, 4, 28)
    db.session.commit()
    return demo


def test_percentile_is_nearest_rank():
    assert percentile([2, 10, 4], 90) == 10 and percentile([1, 4], 90) == 4 and percentile([5], 50) == 5


def test_the_figures_match_the_hand_computed_fixture(fixture):
    data = assessment(fixture.id, date(2026, 1, 1), date(2026, 6, 30))
    market = next(s for s in data["sections"] if s["code"] == "market")
    assert market["published"]["notices"] == 1 and market["published"]["policies"] == 1
    assert market["published"]["enforcement"] == 2 and market["published_total"] == 4
    assert market["stages"]["pending_section"] == {"count": 3, "median_hours": 4.0, "p90_hours": 10.0}
    assert market["stages"]["pending_office"] == {"count": 2, "median_hours": 2.5, "p90_hours": 4.0}
    assert market["stages"]["pending_leader"] == {"count": 2, "median_hours": 9.5, "p90_hours": 18.0}
    assert (market["returns"], market["submitted"], market["returns_per_item"]) == (1, 3, 0.33)
    assert market["applications"] == {"answered": 2, "on_time": 1}
    assert market["enforcement"] == {"published": 2, "on_time": 1}
    assert market["score"] == 55.0 and market["rank"] == 4
    assert len(market["late"]) == 2
    broadcast = next(s for s in data["sections"] if s["code"] == "broadcast")
    assert broadcast["published_total"] == 0 and broadcast["stages"]["pending_office"]["median_hours"] is None
    # Outside the period nothing counts.
    later = assessment(fixture.id, date(2026, 7, 1), date(2026, 7, 31))
    assert next(s for s in later["sections"] if s["code"] == "market")["published_total"] == 0


def test_the_screen_shows_svg_charts_with_their_tables_and_exports_xlsx(client, fixture, login_as):
    login_as("auditor")
    response = client.get("/admin/assessment?from=2026-01-01&to=2026-06-30")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert page.count("<svg") >= 6 and "科室审核用时中位数" in page and "<td>55.0</td>" in page
    response = client.get("/admin/assessment.xlsx?from=2026-01-01&to=2026-06-30")
    assert response.status_code == 200
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.data))
    assert len(workbook.sheetnames) >= 6
    assert client.get("/admin/assessment?from=2026-13-01").status_code == 422
    assert client.get("/admin/assessment?from=2026-06-01&to=2026-01-01").status_code == 422
    assert client.get("/admin/assessment/half-year.docx?year=2026&half=3").status_code == 422
    assert client.get("/admin/assessment/half-year.docx?year=2026&half=1").status_code == 200


def test_editors_do_not_see_the_assessment(client, demo, login_as):
    login_as("editor")
    assert client.get("/admin/assessment").status_code == 403


def test_half_year_report_cli_writes_a_docx(app, fixture, tmp_path):
    out = tmp_path / "h1.docx"
    result = app.test_cli_runner().invoke(args=["cms", "report", "half-year", "--year", "2026", "--half", "1",
                                                "-o", str(out)])
    assert result.exit_code == 0, result.output
    from docx import Document

    document = Document(str(out))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2026年上半年政务公开工作情况报告" in text and "二、逾期事项" in text and "第4名：市场科（55.0分）" in text
    assert "逾期公示" in text
    result = app.test_cli_runner().invoke(args=["cms", "report", "half-year", "--year", "2026", "--half", "3"])
    assert result.exit_code == 2

"""The assessment per section against a hand-computed fixture; charts with tables, XLSX, the half-year DOCX."""
import io
from datetime import date, datetime

import pytest

from cms.accounts.models import Section, User
from cms.clocks.models import Incident, IncidentClock, Proposal
from cms.extensions import db
from cms.reports import assessment_metrics
from cms.reports.assessment import assessment, percentile
from cms.workflow import store
from cms.workflow.models import WorkflowHistory
from tests.reports.helpers import application, published_item


def _history(item, *steps):
    for at, transition, from_state, to_state in steps:
        db.session.add(WorkflowHistory(subject_type="item", subject_id=item.id, transition=transition,
                                       from_state=from_state, to_state=to_state, at=at))


def _incidents_and_proposals(demo, market):
    user = User.query.filter_by(username="editor").one()
    quiet = Incident(organization_id=demo.id, section_id=market.id, title="噪声投诉", level="other",
                     discovered_at=datetime(2026, 3, 1, 0), created_by_id=user.id)
    quiet.clocks.append(IncidentClock(kind="response", hours=48, due_at=datetime(2026, 3, 3, 0),
                                      met_at=datetime(2026, 3, 2, 0)))                    # on time
    major = Incident(organization_id=demo.id, section_id=market.id, title="食品安全事件", level="major",
                     discovered_at=datetime(2026, 5, 1, 0), created_by_id=user.id)
    major.clocks.append(IncidentClock(kind="authoritative_info", hours=5, due_at=datetime(2026, 5, 1, 5),
                                      met_at=datetime(2026, 5, 1, 6)))                    # met late
    major.clocks.append(IncidentClock(kind="press_conference", hours=24, due_at=datetime(2026, 5, 2, 0)))  # never
    db.session.add_all([quiet, major])

    def proposal(number, due_on, replied_on):
        db.session.add(Proposal(organization_id=demo.id, kind="npc_suggestion", session="十六届五次", number=number,
                                title=f"关于{number}的建议", proposer="张代表", lead_section_id=market.id,
                                co_section_ids=[], assigned_on=date(2026, 3, 1), due_on=due_on, co_due_on=due_on,
                                state="replied" if replied_on else "assigned", replied_on=replied_on,
                                replied_late=None if replied_on is None else replied_on > due_on,
                                created_by_id=user.id))

    proposal("1", date(2026, 5, 1), date(2026, 4, 20))   # on time
    proposal("2", date(2026, 6, 1), date(2026, 6, 10))   # late
    proposal("3", date(2026, 6, 20), None)               # never replied
    proposal("4", date(2026, 9, 1), None)                # due after the period: not counted


@pytest.fixture
def fixture(demo, monkeypatch):
    # The hand-computed figures and scores cover the built-in measures only: packages' registered metrics
    # (e.g. consultations' feedback, tested in tests/consultations) are left out here.
    monkeypatch.setattr(assessment_metrics, "EXTRA_METRICS", [])
    # Due clocks on the section stage (5 h) and the leader's stage (12 h): a new version of three_stage.
    definition = dict(store.load("three_stage")[0])
    definition["stages"] = [dict(s) for s in definition["stages"]]
    definition["stages"][0]["due"] = {"hours": 5}
    definition["stages"][2]["due"] = {"hours": 12}
    store.save_definition(definition)
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
    _incidents_and_proposals(demo, market)
    db.session.commit()
    return demo


def test_percentile_is_nearest_rank():
    assert percentile([2, 10, 4], 90) == 10 and percentile([1, 4], 90) == 4 and percentile([5], 50) == 5


def test_the_figures_match_the_hand_computed_fixture(fixture):
    data = assessment(fixture.id, date(2026, 1, 1), date(2026, 6, 30))
    market = next(s for s in data["sections"] if s["code"] == "market")
    assert market["published"]["notices"] == 1 and market["published"]["policies"] == 1
    assert market["published"]["enforcement"] == 2 and market["published_total"] == 4
    # Section stage: 2 h, 10 h, 4 h against 5 h; office: no clock; leader: 18 h, 1 h against 12 h.
    assert market["stages"]["pending_section"] == {"count": 3, "median_hours": 4.0, "p90_hours": 10.0,
                                                   "due": 3, "on_time": 2}
    assert market["stages"]["pending_office"] == {"count": 2, "median_hours": 2.5, "p90_hours": 4.0,
                                                  "due": 0, "on_time": 0}
    assert market["stages"]["pending_leader"] == {"count": 2, "median_hours": 9.5, "p90_hours": 18.0,
                                                  "due": 2, "on_time": 1}
    assert market["stages_due"] == {"due": 5, "on_time": 3}
    # One return over two items sent to review (three submissions).
    assert (market["returns"], market["submitted"], market["reviewed"], market["returns_per_item"]) == (1, 3, 2, 0.5)
    assert market["applications"] == {"answered": 2, "on_time": 1}
    assert market["enforcement"] == {"published": 2, "on_time": 1}
    assert market["metrics"]["incidents"] == {"total": 3, "on_time": 1}
    assert market["metrics"]["proposals"] == {"total": 3, "on_time": 1}
    assert "consultations" not in market["metrics"]
    # 30×1/2 + 15×1/2 + 15×3/5 + 20×(1 − 1/2) + 10×1/3 + 10×1/3 = 48.17 of 100.
    assert market["score"] == 48.2 and market["rank"] == 4
    late = "\n".join(market["late"])
    assert len(market["late"]) == 8, late
    assert "《通知甲》分管领导审定超期" in late and "《政策乙》科室审核超期" in late
    assert "食品安全事件" in late and "噪声投诉" not in late and "建议提案 3" in late and "建议提案 4" not in late
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
    assert page.count("<svg") >= 9 and "科室审核用时中位数" in page and "<td>48.2</td>" in page
    assert "舆情回应按时" in page and "建议提案按时答复" in page and "审核环节按时完成" in page
    response = client.get("/admin/assessment.xlsx?from=2026-01-01&to=2026-06-30")
    assert response.status_code == 200
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.data))
    assert len(workbook.sheetnames) >= 9
    sheet = next(workbook[n] for n in workbook.sheetnames if "审核环节按时完成" in n)
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    assert rows[1][:3] == ["科室", "有时限的环节次数", "按时完成次数"] and ["市场科", 5, 3, 60.0] in rows
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
    assert "2026年上半年政务公开工作情况报告" in text and "二、逾期事项" in text and "第4名：市场科（48.2分）" in text
    assert "逾期公示" in text and "《政策乙》科室审核超期" in text and "食品安全事件" in text
    assert "有时限的审核环节5次，按时完成3次" in text and "舆情回应按时：到期时限数3，按时完成数1" in text
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in document.tables]
    stage_table = next(t for t in tables if t[0][:2] == ["科室", "有时限的环节次数"])
    assert ["市场科", "5", "3", "60.0"] in stage_table
    result = app.test_cli_runner().invoke(args=["cms", "report", "half-year", "--year", "2026", "--half", "3"])
    assert result.exit_code == 2


def test_a_registered_metric_is_shown_and_nothing_before(client, fixture, login_as, monkeypatch):
    monkeypatch.setattr(assessment_metrics, "EXTRA_METRICS", [])
    login_as("auditor")
    assert "意见征集按时反馈" not in client.get("/admin/assessment?from=2026-01-01&to=2026-06-30").get_data(True)
    market = Section.query.filter_by(organization_id=fixture.id, code="market").one()

    def consultations(organization_id, start, end):
        assert (start, end) == (date(2026, 1, 1), date(2026, 6, 30))
        return {market.id: {"total": 2, "on_time": 2, "late": []}}

    assessment_metrics.register_metric(assessment_metrics.Metric(
        "consultations", "意见征集按时反馈", "征集次数", "按时反馈次数", consultations, weight=20))
    data = assessment(fixture.id, date(2026, 1, 1), date(2026, 6, 30))
    market_row = next(s for s in data["sections"] if s["code"] == "market")
    assert market_row["metrics"]["consultations"] == {"total": 2, "on_time": 2}
    assert market_row["score"] == round(100 * (48.1667 + 20) / 120, 1)
    page = client.get("/admin/assessment?from=2026-01-01&to=2026-06-30").get_data(True)
    assert "意见征集按时反馈" in page and "按时反馈次数" in page

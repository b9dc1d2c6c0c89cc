"""The annual report from the data: national tables, consistency checks, sign-off, DOCX and XLSX."""
import io
from datetime import date

import pytest

from cms.applications.models import Application
from cms.extensions import db
from cms.reports.models import AnnualReport
from tests.reports.helpers import application, office_auditor_two, seed_year

TEXTS = {"overview": "2026年，本局认真贯彻落实《中华人民共和国政府信息公开条例》。",
         "problems": "政策解读形式还不够丰富。", "other": "无其他需要报告的事项。"}


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("cms.clock.local_today", lambda: date(2026, 12, 20))


def _enforcement(kind, decided_on, party="张三", party_type="person"):
    return {"kind": kind, "decision_no": f"嘉文执{decided_on}号", "decided_on": decided_on, "party": party,
            "party_type": party_type, "party_id": "11010519491231002X", "summary": "依法作出决定"}


def _seed_register(client, headers):
    for i, (kind, decided) in enumerate((("license", "2026-03-02"), ("penalty", "2026-04-01"),
                                         ("penalty", "2026-04-08"), ("coercion", "2026-05-05"),
                                         ("penalty", "2025-12-01"))):
        response = client.post("/api/v1/items", headers=headers, json={
            "column": "enforcement", "title": f"行政执法决定公示{i}", "body_html": f"<p>决定{i}</p>",
            "enforcement": _enforcement(kind, decided)})
        assert response.status_code == 201, response.get_json()


def _rows(report):
    return {r["key"]: r["counts"] for r in report["tables"]["applications"]["rows"]}


def test_a_year_of_records_gives_the_national_tables_and_passing_checks(client, demo, token_for, today):
    codes = seed_year(demo)
    auditor = token_for("auditor")
    _seed_register(client, token_for("editor"))
    for code, body in ((codes["withheld"], {"kind": "reconsideration", "filed_on": "2026-04-01", "outcome": "upheld",
                                            "decided_on": "2026-05-20"}),
                       (codes["unavailable"], {"kind": "litigation_direct", "filed_on": "2026-05-01"}),
                       (codes["not_processed"], {"kind": "litigation_after_reconsideration", "filed_on": "2026-06-01",
                                                 "outcome": "corrected", "decided_on": "2026-09-01"})):
        response = client.post(f"/api/v1/applications/{code}/remedies", headers=auditor, json=body)
        assert response.status_code == 201, response.get_json()

    response = client.post("/api/v1/annual-reports", headers=auditor,
                           json={"year": 2026, "fees_amount": "1.5", "processing_fees": 0, **TEXTS})
    assert response.status_code == 201, response.get_json()
    report = client.get("/api/v1/annual-reports/2026", headers=auditor).get_json()
    assert report["year"] == 2026 and report["item_id"] and report["due_on"] == "2027-01-31"
    assert set(report["tables"]) == {"active", "applications", "remedies"}

    rows = _rows(report)
    zero = dict.fromkeys(["person", "enterprise", "research", "public_interest", "legal_service", "other_org"], 0)

    def counts(**values):
        out = {**zero, **values}
        out["total"] = sum(values.values())
        return out

    assert rows["new"] == counts(person=3, research=1, legal_service=1, public_interest=1, other_org=1)
    assert rows["carried_over"] == counts(person=1, enterprise=1)
    assert rows["result.disclosed"] == counts(person=2)
    assert rows["result.partly_disclosed"] == counts(person=1)
    assert rows["result.withheld.4"] == counts(research=1)
    assert rows["result.unavailable.1"] == counts(legal_service=1)
    assert rows["result.not_processed.2"] == counts(public_interest=1)
    assert rows["result.other.1"] == counts(other_org=1)
    assert rows["result.withheld.1"] == counts()
    assert rows["result.total"] == counts(person=3, research=1, legal_service=1, public_interest=1, other_org=1)
    assert rows["carried_forward"] == counts(person=1, enterprise=1)
    labels = [r["label"] for r in report["tables"]["applications"]["rows"]]
    assert labels[0] == "一、本年新收政府信息公开申请数量" and labels[-1] == "四、结转下年度继续办理"
    assert "（七）总计" in labels and "8.属于行政查询事项" in labels
    assert [c["label"] for c in report["tables"]["applications"]["columns"]] == [
        "自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]

    active = report["tables"]["active"]
    documents = {r["key"]: r["counts"] for r in active["documents"]["rows"]}
    # Issued 甲 and 丁; repealed 乙 (abolished) and 丁 (expired); in force 甲, 丙 and the demo's 2017 document.
    assert documents["normative"] == {"issued": 2, "repealed": 2, "in_force": 3}
    assert documents["rules"] == {"issued": 0, "repealed": 0, "in_force": 0}
    assert {r["key"]: r["count"] for r in active["decisions"]["rows"]} == {"license": 1, "penalty": 2, "coercion": 1}
    assert active["fees"]["amount"] == "1.50"

    remedies = {g["key"]: g["counts"] for g in report["tables"]["remedies"]["groups"]}
    assert remedies["reconsideration"] == {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 1}
    assert remedies["litigation_direct"] == {"upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1}
    assert remedies["litigation_after_reconsideration"] == {"upheld": 0, "corrected": 1, "other": 0, "pending": 0,
                                                            "total": 1}

    assert report["checks"] and all(c["passed"] for c in report["checks"]), report["checks"]
    assert "applications_balance" in {c["code"] for c in report["checks"]}

    # The draft is an item of type annual_report in the annual-reports column, reviewed like any item.
    item = client.get(f"/api/v1/items/{report['item_id']}", headers=auditor).get_json()
    assert item["type"] == "annual_report" and item["column"] == "annual-reports" and item["state"] == "draft"
    assert "三、收到和处理政府信息公开申请情况" in item["body_html"]


def _review_to_leader(client, demo, token_for, item_id):
    office_auditor_two(demo)
    for username, body in (("auditor", {"name": "submit"}), ("officehead", {"name": "approve"}),
                           ("auditor2", {"name": "approve", "confidentiality_checked": True})):
        response = client.post(f"/api/v1/items/{item_id}/transitions", headers=token_for(username), json=body)
        assert response.status_code == 200, (username, response.get_json())


def test_an_inconsistent_year_fails_a_named_check_and_blocks_sign_off_until_fixed(client, demo, token_for, today):
    application(demo, "person", date(2026, 2, 1), date(2026, 2, 20), "disclosed")
    broken = application(demo, "enterprise", date(2026, 3, 1), date(2026, 3, 20), "withheld", None)
    db.session.commit()
    auditor = token_for("auditor")
    report = client.post("/api/v1/annual-reports", headers=auditor,
                         json={"year": 2026, "fees_amount": 0, **TEXTS}).get_json()
    failed = {c["code"]: c for c in report["checks"] if not c["passed"]}
    assert set(failed) == {"applications_balance", "applications_results_classified"}
    assert "商业企业列" in failed["applications_balance"]["message"]
    assert broken.code in failed["applications_results_classified"]["message"]
    assert report["passed"] is False

    _review_to_leader(client, demo, token_for, report["item_id"])
    leader = token_for("leader")
    response = client.post(f"/api/v1/items/{report['item_id']}/transitions", headers=leader, json={"name": "approve"})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "condition_failed" and "applications_balance" in error["checks"]
    assert "一 + 二 = 三（七）+ 四" in error["message"]

    # A report under review cannot be rebuilt; the leader returns it, the office fixes the record and rebuilds.
    assert client.post("/api/v1/annual-reports", headers=auditor, json={"year": 2026}).status_code == 409
    response = client.post(f"/api/v1/items/{report['item_id']}/transitions", headers=leader,
                           json={"name": "return", "comment": "请核对统计数据"})
    assert response.status_code == 200
    Application.query.filter_by(id=broken.id).update({"result_reason": 4})
    db.session.commit()
    report = client.post("/api/v1/annual-reports", headers=auditor, json={"year": 2026}).get_json()
    assert report["passed"] is True, report["checks"]
    for username, body in (("auditor", {"name": "submit"}), ("officehead", {"name": "approve"}),
                           ("auditor2", {"name": "approve", "confidentiality_checked": True}),
                           ("leader", {"name": "approve"})):
        response = client.post(f"/api/v1/items/{report['item_id']}/transitions", headers=token_for(username),
                               json=body)
        assert response.status_code == 200, (username, response.get_json())
    assert response.get_json()["state"] == "published"


def test_missing_texts_and_fees_fail_their_checks(client, demo, token_for, today):
    report = client.post("/api/v1/annual-reports", headers=token_for("auditor"), json={"year": 2026}).get_json()
    failed = {c["code"] for c in report["checks"] if not c["passed"]}
    assert failed == {"texts_written", "active_disclosure_complete"}


def test_docx_and_xlsx_open_with_the_national_labels(client, demo, token_for, today):
    seed_year(demo)
    auditor = token_for("auditor")
    client.post("/api/v1/annual-reports", headers=auditor, json={"year": 2026, "fees_amount": "0", **TEXTS})

    response = client.get("/api/v1/annual-reports/2026.docx", headers=auditor)
    assert response.status_code == 200 and "wordprocessingml" in response.content_type
    from docx import Document

    document = Document(io.BytesIO(response.data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "2026年政府信息公开工作年度报告" in text and "五、存在的主要问题及改进情况" in text
    assert TEXTS["overview"] in text
    cells = {cell.text for table in document.tables for row in table.rows for cell in row.cells}
    for label in ("自然人", "法人或其他组织", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "总计",
                  "一、本年新收政府信息公开申请数量", "（七）总计", "四、结转下年度继续办理", "行政复议", "尚未审结",
                  "规章", "行政规范性文件", "本年制发件数", "行政许可", "行政事业性收费"):
        assert label in cells, label
    assert document.styles["Normal"].font.name == "FangSong"

    response = client.get("/api/v1/annual-reports/2026.xlsx", headers=auditor)
    assert response.status_code == 200 and "spreadsheetml" in response.content_type
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(response.data))
    assert workbook.sheetnames[:3] == ["二、主动公开", "三、申请情况", "四、行政复议行政诉讼"]
    sheet = workbook["三、申请情况"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    first_column = [row[0] for row in values]
    assert "一、本年新收政府信息公开申请数量" in first_column and "（七）总计" in first_column
    new_row = values[first_column.index("一、本年新收政府信息公开申请数量")]
    assert new_row[1:] == [3, 0, 1, 1, 1, 1, 7]
    assert "商业企业" in values[2]


@pytest.mark.parametrize("body, status", [
    ({}, 422),
    ({"year": "2026"}, 422),
    ({"year": True}, 422),
    ({"year": 1999}, 422),
    ({"year": 2031}, 422),
    ({"year": 2026, "fees_amount": "-1"}, 422),
    ({"year": 2026, "fees_amount": "abc"}, 422),
    ({"year": 2026, "fees_amount": "NaN"}, 422),
    ({"year": 2026, "rules": {"issued": -1}}, 422),
    ({"year": 2026, "rules": [1]}, 422),
    ({"year": 2026, "overview": 5}, 422),
    ({"year": 2026, "colour": "red"}, 422),
])
def test_bad_report_input_is_a_clear_4xx(client, demo, token_for, today, body, status):
    response = client.post("/api/v1/annual-reports", headers=token_for("auditor"), json=body)
    assert response.status_code == status, response.get_json()
    assert response.get_json()["error"]["message"]
    assert AnnualReport.query.count() == 0


def test_only_the_office_builds_and_unknown_years_are_404(client, demo, token_for, today):
    for username in ("editor", "chief", "leader", "admin"):
        response = client.post("/api/v1/annual-reports", headers=token_for(username), json={"year": 2026})
        assert response.status_code == 403, username
    auditor = token_for("auditor")
    assert client.post("/api/v1/annual-reports", headers=auditor, data="{not json",
                       content_type="application/json").status_code == 400
    for url in ("/api/v1/annual-reports/2019", "/api/v1/annual-reports/2019.docx", "/api/v1/annual-reports/2019.xlsx"):
        assert client.get(url, headers=auditor).status_code == 404
    client.post("/api/v1/annual-reports", headers=auditor, json={"year": 2026})
    # Staff who cannot see the draft item do not see the report either.
    assert client.get("/api/v1/annual-reports/2026", headers=token_for("editor2")).status_code == 404
    assert client.get("/api/v1/annual-reports/2026", headers=token_for("officehead")).status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"kind": "appeal", "filed_on": "2026-04-01"}, "kind"),
    ({"kind": "reconsideration"}, "filed_on"),
    ({"kind": "reconsideration", "filed_on": "2026-13-01"}, "filed_on"),
    ({"kind": "reconsideration", "filed_on": "2027-12-01"}, "filed_on"),
    ({"kind": "reconsideration", "filed_on": "2026-04-01", "outcome": "won"}, "outcome"),
    ({"kind": "reconsideration", "filed_on": "2026-04-01", "outcome": "upheld"}, "decided_on"),
    ({"kind": "reconsideration", "filed_on": "2026-04-01", "outcome": "upheld", "decided_on": "2026-03-01"},
     "decided_on"),
    ({"kind": "reconsideration", "filed_on": "2026-04-01", "decided_on": "2026-05-01"}, "decided_on"),
    ({"kind": "reconsideration", "filed_on": 20260401}, "filed_on"),
    ({"kind": "reconsideration", "filed_on": "2026-04-01", "court": "x"}, "court"),
])
def test_bad_remedy_input_is_a_clear_422(client, demo, token_for, today, body, field):
    a = application(demo, "person", date(2026, 3, 1), date(2026, 3, 20), "withheld", 1)
    db.session.commit()
    response = client.post(f"/api/v1/applications/{a.code}/remedies", headers=token_for("auditor"), json=body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_remedies_need_a_replied_application_and_the_office(client, demo, token_for, today):
    open_one = application(demo, "person", date(2026, 12, 1))
    replied = application(demo, "person", date(2026, 3, 1), date(2026, 3, 20), "disclosed")
    db.session.commit()
    body = {"kind": "reconsideration", "filed_on": "2026-04-01"}
    auditor = token_for("auditor")
    assert client.post(f"/api/v1/applications/{open_one.code}/remedies", headers=auditor, json=body).status_code == 422
    assert client.post("/api/v1/applications/NOPE/remedies", headers=auditor, json=body).status_code == 404
    assert client.post(f"/api/v1/applications/{replied.code}/remedies", headers=token_for("editor"),
                       json=body).status_code in (403, 404)
    response = client.post(f"/api/v1/applications/{replied.code}/remedies", headers=auditor, json=body)
    assert response.status_code == 201 and response.get_json()["outcome"] == "pending"


def test_the_office_builds_the_report_in_the_back_office(client, demo, login_as, today):
    seed_year(demo)
    login_as("auditor")
    assert client.get("/admin/annual-reports").status_code == 200
    response = client.post("/admin/annual-reports", data={"year": 2026, "fees_amount": "2", **TEXTS})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    page = client.get("/admin/annual-reports/2026").get_data(as_text=True)
    assert "一致性校验" in page and "check-failed" not in page and "三、收到和处理政府信息公开申请情况" in page
    response = client.get("/admin/annual-reports/2026.docx")
    assert response.status_code == 200 and "wordprocessingml" in response.content_type
    assert client.get("/admin/annual-reports/2026.xlsx").status_code == 200
    # The form is the whole of what the office writes: emptied texts fail their check on the next build.
    assert client.post("/admin/annual-reports", data={"year": 2026, "fees_amount": "2"}).status_code == 302
    assert "check-failed" in client.get("/admin/annual-reports/2026").get_data(as_text=True)
    assert client.post("/admin/annual-reports", data={"year": 2026, "fees_amount": "-3"}).status_code == 422
    assert client.post("/admin/annual-reports", data={"year": "x"}).status_code == 422


def test_other_staff_cannot_open_the_report_screens(client, demo, login_as, today):
    login_as("editor")
    assert client.get("/admin/annual-reports").status_code == 403
    assert client.get("/admin/annual-reports/2026").status_code == 404


def test_from_2_january_the_office_is_reminded_once_a_day_until_published(client, demo, token_for, monkeypatch):
    from cms.notifications.models import Notification
    from cms.reports.annual import remind_annual_reports

    assert remind_annual_reports(date(2027, 1, 1)) == {}
    assert remind_annual_reports(date(2027, 1, 2)) == {demo.code: 2}  # the office auditor and the office head
    db.session.commit()
    assert remind_annual_reports(date(2027, 1, 2)) == {demo.code: 0}
    messages = {n.message for n in Notification.query.all()}
    assert any("2026年政府信息公开工作年度报告尚未生成" in m and "2027-01-31" in m for m in messages)

"""The audit log: transitions, logins and permission changes in Chinese, filters, CSV/XLSX export, admin only."""
import csv
import io

from openpyxl import load_workbook

from cms.accounts.models import AuditLog
from cms.extensions import db
from tests.conftest import login
from tests.workflow.helpers import draft, publish


def test_every_transition_and_login_is_in_the_log_in_chinese(client, demo, token_for):
    item = publish(draft(demo))
    actions = [e.action for e in AuditLog.query.filter_by(target=f"item:{item.id}").order_by(AuditLog.id)]
    assert actions == ["item.submit", "item.approve", "item.approve", "item.approve"]
    login(client, "admin")
    page = client.get("/admin/audit", query_string={"object": f"item:{item.id}"}).get_data(as_text=True)
    assert "提交审核" in page and "审核通过" in page and f"信息 {item.id}" in page
    assert "item.submit" not in page and "{&#34;" not in page
    body = client.get("/api/v1/audit", headers=token_for("admin"), query_string={"action": "登录"}).get_json()
    assert body["total"] >= 1 and all(e["action_label"] == "登录" for e in body["entries"])


def test_filters_by_person_action_and_dates(client, demo, token_for):
    before = AuditLog.query.filter_by(actor_name="chief").count()
    publish(draft(demo))
    headers = token_for("admin")
    by_chief = client.get("/api/v1/audit", headers=headers, query_string={"actor": "chief"}).get_json()
    assert by_chief["total"] == before + 1 and by_chief["entries"][0]["action"] == "item.approve"
    by_name = client.get("/api/v1/audit", headers=headers, query_string={"actor": "chief"}).get_json()
    assert all(e["actor"] == "chief" for e in by_name["entries"])
    none = client.get("/api/v1/audit", headers=headers, query_string={"from": "2000-01-01", "to": "2000-01-02"})
    assert none.get_json()["total"] == 0
    assert client.get("/api/v1/audit", headers=headers, query_string={"from": "yesterday"}).status_code == 422
    assert client.get("/api/v1/audit", headers=headers,
                      query_string={"from": "2026-02-01", "to": "2026-01-01"}).status_code == 422


def test_exports_are_audited_and_carry_chinese_labels(client, demo, token_for):
    item = publish(draft(demo))
    headers = token_for("admin")
    response = client.get("/api/v1/audit.csv", headers=headers, query_string={"action": "审核通过",
                                                                            "object": f"item:{item.id}"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["时间", "操作人", "操作", "对象", "IP", "详情"] and len(rows) == 4
    # Filtered by the action "审核通过"; each row names the approval as the item's definition titles it.
    assert [r[2] for r in rows[1:]] == ["审定发布", "办公室审核通过", "科室审核通过"]
    assert "原状态：待分管领导审定；新状态：已发布" in rows[1][5]
    login(client, "admin")
    xlsx = client.get("/admin/audit", query_string={"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert [c.value for c in sheet[1]] == ["时间", "操作人", "操作", "对象", "IP", "详情"]
    assert AuditLog.query.filter_by(action="audit.export").count() == 2


def test_only_admins_read_the_log(client, demo, token_for):
    assert client.get("/api/v1/audit", headers=token_for("auditor")).status_code == 403
    assert client.get("/api/v1/audit.csv", headers=token_for("leader")).status_code == 403
    assert client.get("/api/v1/audit").status_code == 401
    login(client, "auditor")
    assert client.get("/admin/audit").status_code == 403
    db.session.rollback()

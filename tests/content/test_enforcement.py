"""The enforcement register (双公示): the decision on enforcement items, due in 7 working days, masked in public."""
from datetime import date

import pytest

from cms.content.enforcement import mask_id_number, mask_person_name
from cms.content.models import Item
from cms.extensions import db
from tests.reports.helpers import published_item

RECORD = {"kind": "penalty", "decision_no": "嘉文罚〔2026〕3号", "decided_on": "2026-03-02", "party": "张三",
          "party_type": "person", "party_id": "11010519491231002X", "summary": "警告并罚款二千元"}


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr("cms.clock.local_today", lambda: date(2026, 12, 20))


def test_masking_rules():
    assert mask_person_name("张三") == "张*" and mask_person_name("欧阳娜娜") == "欧***"
    assert mask_id_number("11010519491231002X") == "110105********002X"


def test_api_stores_the_decision_with_its_due_date(client, demo, token_for, today):
    headers = token_for("editor")
    response = client.post("/api/v1/items", headers=headers, json={
        "column": "enforcement", "title": "行政处罚决定公示", "body_html": "<p>处罚决定</p>", "enforcement": RECORD})
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    # Decided Monday 2 March 2026: seven working days later is Wednesday 11 March.
    assert data["enforcement"]["due_on"] == "2026-03-11"
    assert data["enforcement_late"] is True  # still unpublished in December
    response = client.patch(f"/api/v1/items/{data['id']}", headers=headers, json={
        "version": data["version"], "enforcement": {**RECORD, "kind": "license", "decided_on": "2026-12-18"}})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["enforcement"]["kind"] == "license"
    assert response.get_json()["enforcement"]["due_on"] == "2026-12-29"
    assert response.get_json()["enforcement_late"] is False


@pytest.mark.parametrize("record, field", [
    ({**RECORD, "kind": "fine"}, "enforcement.kind"),
    ({**RECORD, "party_type": "alien"}, "enforcement.party_type"),
    ({**RECORD, "decided_on": "2026-02-30"}, "enforcement.decided_on"),
    ({**RECORD, "decided_on": "2027-01-05"}, "enforcement.decided_on"),
    ({k: v for k, v in RECORD.items() if k != "party"}, "enforcement.party"),
    ({**RECORD, "summary": 5}, "enforcement.summary"),
    ({**RECORD, "decision_no": "号" * 101}, "enforcement.decision_no"),
    ({**RECORD, "extra": "x"}, "enforcement.extra"),
])
def test_bad_enforcement_records_are_422_naming_the_field(client, demo, token_for, today, record, field):
    response = client.post("/api/v1/items", headers=token_for("editor"), json={
        "column": "enforcement", "title": "公示", "enforcement": record})
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]
    assert Item.query.filter_by(title="公示").count() == 0


def test_enforcement_records_belong_to_enforcement_items_only(client, demo, token_for, today):
    headers = token_for("editor")
    response = client.post("/api/v1/items", headers=headers, json={"column": "notices", "title": "通知",
                                                                    "enforcement": RECORD})
    assert response.status_code == 422 and "enforcement" in response.get_json()["error"]["fields"]
    response = client.post("/api/v1/items", headers=headers, json={"column": "enforcement", "title": "公示",
                                                                    "enforcement": "penalty"})
    assert response.status_code == 422


def test_public_page_masks_a_natural_persons_name_and_id(client, demo, today):
    record = {**RECORD, "due_on": "2026-03-11"}
    person = published_item(demo, "enforcement", "enforcement", "处罚决定（自然人）", date(2026, 3, 2),
                            date(2026, 3, 5), 201, enforcement=record)
    company = published_item(demo, "enforcement", "enforcement", "处罚决定（企业）", date(2026, 3, 2),
                             date(2026, 3, 20), 202, enforcement={**record, "party": "某某文化传媒有限公司",
                                                                  "party_type": "organization",
                                                                  "party_id": "91620200MA0000000X"})
    db.session.commit()
    page = client.get(f"/items/{person.id}").get_data(as_text=True)
    assert "张*" in page and "110105********002X" in page
    assert "张三" not in page and "11010519491231002X" not in page
    assert "嘉文罚〔2026〕3号" in page and "行政处罚决定公示" in page
    page = client.get(f"/items/{company.id}").get_data(as_text=True)
    assert "某某文化传媒有限公司" in page and "91620200MA0000000X" in page


def test_late_flag_against_the_publication_date(client, demo, token_for, today):
    record = {**RECORD, "due_on": "2026-03-11"}
    on_time = published_item(demo, "enforcement", "enforcement", "按时", date(2026, 3, 2), date(2026, 3, 11), 301,
                             enforcement=record)
    late = published_item(demo, "enforcement", "enforcement", "逾期", date(2026, 3, 2), date(2026, 3, 12), 302,
                          enforcement=record)
    db.session.commit()
    headers = token_for("editor")
    assert client.get(f"/api/v1/items/{on_time.id}", headers=headers).get_json()["enforcement_late"] is False
    assert client.get(f"/api/v1/items/{late.id}", headers=headers).get_json()["enforcement_late"] is True


def test_the_editor_form_saves_the_decision(client, demo, login_as, today):
    from cms.content.catalog import get_column

    login_as("editor")
    column = get_column(demo.id, "enforcement")
    response = client.post("/admin/items/new", data={
        "column_id": column.id, "type": "enforcement", "title": "许可决定公示", "disclosure": "proactive",
        "validity": "valid", "five_public": "result", "enforcement_kind": "license", "enforcement_decision_no": "嘉文许〔2026〕9号",
        "enforcement_decided_on": "2026-12-01", "enforcement_party": "李四", "enforcement_party_type": "person",
        "enforcement_summary": "准予许可"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    item = Item.query.filter_by(title="许可决定公示").one()
    assert item.enforcement["kind"] == "license" and item.enforcement["due_on"] == "2026-12-10"
    page = client.get(f"/admin/items/{item.id}/edit").get_data(as_text=True)
    assert "嘉文许〔2026〕9号" in page
    assert "执法决定公示时限" in client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    response = client.post("/admin/items/new", data={
        "column_id": column.id, "type": "enforcement", "title": "缺日期", "disclosure": "proactive",
        "validity": "valid", "five_public": "result", "enforcement_kind": "license", "enforcement_party": "李四"})
    assert response.status_code == 422


def test_unpublished_decisions_near_their_due_date_are_reminded_once_a_day(client, demo, token_for, today):
    from cms.content.enforcement import remind_unpublished

    headers = token_for("editor")
    client.post("/api/v1/items", headers=headers, json={"column": "enforcement", "title": "待公示",
                                                         "enforcement": {**RECORD, "decided_on": "2026-12-18"}})
    # Due 29 December: nothing on the 20th, the author and the chief on the 27th, once.
    assert remind_unpublished(date(2026, 12, 20)) == 0
    assert remind_unpublished(date(2026, 12, 27)) == 2
    db.session.commit()
    assert remind_unpublished(date(2026, 12, 27)) == 0
    assert remind_unpublished(date(2026, 12, 30)) == 2

"""Annual-report figures computed from the records: new, carried over, results by sub-reason, carried forward."""
from datetime import date

import pytest

from cms.applications.statistics import annual_statistics
from cms.extensions import db
from tests.applications.helpers import Today, payload, registered, step, to_reply


def _row(stats, key):
    return next(r for r in stats["rows"] if r["key"] == key)["counts"]


@pytest.fixture
def today(monkeypatch):
    return Today(monkeypatch, date(2024, 12, 20))


def test_counts_by_applicant_type_and_result_across_years(demo, today):
    # Received in 2024, replied in 2025: carried over into 2025.
    old = registered(demo, date(2024, 12, 20))
    # A company's request received and withheld in 2025.
    today.set(date(2025, 3, 3))
    company = registered(demo, date(2025, 3, 3), applicant_type="enterprise", applicant_name="嘉峪关某某文化有限公司",
                         id_type="credit_code", id_number="91620200MA71234567", contact_person="李经理")
    to_reply(demo, company, result="withheld", reason=4)
    today.set(date(2025, 1, 10))
    to_reply(demo, old, result="disclosed")
    # Received late in 2025 and still open at the end of the year: carried into 2026.
    today.set(date(2025, 12, 25))
    still_open = registered(demo, date(2025, 12, 25), applicant_type="legal_service", applicant_name="某律师事务所",
                            id_type="credit_code", id_number="31620000MD1234567A", contact_person="周律师")
    # Abandoned after a supplement request.
    today.set(date(2025, 6, 2))
    abandoned = registered(demo, date(2025, 6, 2))
    step(abandoned, "auditor", "request_supplement", comment="请补充", period=3)
    today.set(date(2025, 6, 20))
    step(abandoned, "auditor", "abandon")
    # A test application never counts.
    from cms.applications.services import register_by_staff
    from tests.applications.helpers import user

    register_by_staff(user("auditor"), demo, payload(channel="in_person", received_on="2025-05-05"), is_test=True)
    db.session.commit()

    stats = annual_statistics(demo.id, 2025)
    assert _row(stats, "carried_over") == {**_zero(stats), "person": 1, "total": 1}
    assert _row(stats, "new")["person"] == 1 and _row(stats, "new")["enterprise"] == 1
    assert _row(stats, "new")["legal_service"] == 1 and _row(stats, "new")["organizations"] == 2
    assert _row(stats, "new")["total"] == 3
    assert _row(stats, "result.disclosed")["person"] == 1
    assert _row(stats, "result.withheld.4")["enterprise"] == 1
    assert _row(stats, "result.withheld.subtotal")["total"] == 1
    assert _row(stats, "result.other.1")["person"] == 1
    assert _row(stats, "result.total")["total"] == 3
    assert _row(stats, "carried_forward") == {**_zero(stats), "legal_service": 1, "organizations": 1, "total": 1}
    # The 2024 table carries the old one forward; 2026 carries the open one over.
    assert _row(annual_statistics(demo.id, 2024), "carried_forward")["total"] == 1
    assert _row(annual_statistics(demo.id, 2026), "carried_over")["total"] == 1
    assert still_open.state == "registered"


def _zero(stats):
    return dict.fromkeys(stats["columns"], 0)


def test_rows_follow_the_national_table():
    stats = annual_statistics(0, 2025)
    keys = [r["key"] for r in stats["rows"]]
    assert keys[:2] == ["new", "carried_over"]
    assert [k for k in keys if k.startswith("result.withheld.") and k[-1].isdigit()] == [
        f"result.withheld.{n}" for n in range(1, 9)]
    assert len([k for k in keys if k.startswith("result.unavailable.") and k[-1].isdigit()]) == 3
    assert len([k for k in keys if k.startswith("result.not_processed.") and k[-1].isdigit()]) == 5
    assert len([k for k in keys if k.startswith("result.other.") and k[-1].isdigit()]) == 3
    assert keys[-1] == "carried_forward"
    assert stats["columns"] == ["person", "enterprise", "research", "public_interest", "legal_service", "other_org",
                                "organizations", "total"]

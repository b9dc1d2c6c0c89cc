"""A year of records for the annual report: applications, remedies, normative documents, enforcement decisions."""
from datetime import date, datetime

from cms.accounts import services as accounts
from cms.accounts.models import Section, User
from cms.applications.models import Application
from cms.content.catalog import get_column
from cms.content.models import Item
from cms.extensions import db

_seq = {"n": 0}


def application(org, applicant_type, received_on, concluded_on=None, result=None, reason=None, is_test=False):
    _seq["n"] += 1
    person = applicant_type == "person"
    a = Application(
        organization_id=org.id, code=f"Y{_seq['n']:05d}", channel="in_person", applicant_type=applicant_type,
        applicant_name="王小明" if person else "某某有限公司", contact_person=None if person else "李四",
        id_type="resident_id" if person else "credit_code",
        id_number="11010519491231002X" if person else "91620200MA0000000X", delivery="email",
        email="a@example.cn", description="申请公开某文件", received_on=received_on,
        state="replied" if concluded_on else "assigned", concluded_on=concluded_on,
        replied_on=concluded_on, result=result, result_reason=reason, is_test=is_test,
    )
    db.session.add(a)
    db.session.flush()
    return a


def published_item(org, column_code, item_type, title, written_date, published_on, seq, **fields):
    column = get_column(org.id, column_code)
    section = Section.query.filter_by(organization_id=org.id, code="market").one()
    author = User.query.filter_by(username="editor").one()
    published_at = datetime(published_on.year, published_on.month, published_on.day, 2, 0)
    item = Item(organization_id=org.id, column=column, section=section, author=author, last_editor=author,
                type=item_type, title=title, body_html=f"<p>{title}</p>", written_date=written_date,
                state="published", workflow=column.workflow, disclosure="proactive",
                index_no=f"{org.code}/{published_on.year}-{seq:05d}", index_year=published_on.year, index_seq=seq,
                published_at=published_at, **fields)
    db.session.add(item)
    db.session.flush()
    return item


def office_auditor_two(org):
    """A second office auditor: the first one builds the report and may not audit it too."""
    user = accounts.create_user("auditor2", "周审核", "Demo-2026-gov")
    office = Section.query.filter_by(organization_id=org.id, code="office").one()
    accounts.add_membership(user, office, "office_auditor")
    db.session.commit()
    return user


def seed_year(org):
    """2026, with 2025 behind it. See the expected tables in test_annual_report.py."""
    # Concluded within 2025: counts nowhere in 2026.
    application(org, "person", date(2025, 3, 1), date(2025, 3, 20), "disclosed")
    # Carried over from 2025.
    application(org, "person", date(2025, 12, 20), date(2026, 1, 15), "disclosed")
    application(org, "enterprise", date(2025, 12, 28))
    # New in 2026.
    application(org, "person", date(2026, 2, 10), date(2026, 3, 1), "disclosed")
    application(org, "person", date(2026, 3, 2), date(2026, 3, 20), "partly_disclosed")
    withheld = application(org, "research", date(2026, 3, 5), date(2026, 3, 25), "withheld", 4)
    unavailable = application(org, "legal_service", date(2026, 4, 1), date(2026, 4, 20), "unavailable", 1)
    not_processed = application(org, "public_interest", date(2026, 4, 2), date(2026, 4, 22), "not_processed", 2)
    application(org, "other_org", date(2026, 5, 6), date(2026, 6, 30), "other", 1)
    application(org, "person", date(2026, 12, 10))
    application(org, "person", date(2026, 6, 1), date(2026, 6, 2), "disclosed", is_test=True)  # not counted
    # Normative documents (规范性文件) and one ordinary policy.
    published_item(org, "policies", "policy", "规范性文件甲", date(2026, 3, 1), date(2026, 3, 5), 101, normative=True)
    published_item(org, "policies", "policy", "规范性文件乙", date(2024, 5, 1), date(2024, 5, 6), 102, normative=True,
                   validity="abolished", validity_changed_on=date(2026, 6, 30))
    published_item(org, "policies", "policy", "规范性文件丙", date(2023, 1, 1), date(2023, 1, 5), 103, normative=True)
    published_item(org, "policies", "policy", "规范性文件丁", date(2026, 1, 10), date(2026, 1, 12), 104,
                   normative=True, validity="expired", validity_changed_on=date(2026, 11, 1))
    published_item(org, "policies", "policy", "一般政策文件", date(2026, 2, 1), date(2026, 2, 3), 105)
    db.session.commit()
    return {"withheld": withheld.code, "unavailable": unavailable.code, "not_processed": not_processed.code}

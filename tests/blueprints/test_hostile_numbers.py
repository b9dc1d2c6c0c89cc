"""Numbers out of any column's range in query strings and form fields: a normal page or a 4xx, never a 500
(PostgreSQL refuses integers beyond 64 bits in a query; SQLite raises OverflowError)."""
import pytest

from cms.extensions import db
from tests.applications.helpers import payload, registered
from tests.conftest import login

HUGE = str(10**30)
PAGES = ["/admin/applications?section={n}&page={n}", "/admin/items?page={n}", "/admin/audit?page={n}",
         "/columns/notices?page={n}&year={n}", "/search?q=通知&page={n}"]


@pytest.mark.parametrize("number", [HUGE, str(2**63), "-" + HUGE, str(2**31)])
def test_huge_numbers_in_query_strings(client, demo, number, token_for):
    login(client, "admin")
    for url in PAGES:
        response = client.get(url.format(n=number))
        assert response.status_code < 500, url
    client.post("/logout")
    login(client, "auditor")
    assert client.get(f"/admin/applications?section={number}&page={number}").status_code < 500
    headers = token_for("auditor")
    for url in (f"/api/v1/applications?page={number}&per_page={number}", f"/api/v1/search?q=x&page={number}"):
        response = client.get(url, headers=headers)
        assert response.status_code < 500 and response.is_json, url


def test_huge_section_in_the_desk_assign_form(client, demo):
    from datetime import date

    application = registered(demo, date(2025, 1, 20))
    db.session.commit()
    login(client, "auditor")
    for number in (HUGE, str(2**63), str(2**31), "-1"):
        response = client.post(f"/admin/applications/{application.id}/transitions",
                               data={"name": "assign", "section_id": number})
        assert response.status_code in (400, 409, 422), number
    assert payload()  # the helper module stays imported for the fixtures above

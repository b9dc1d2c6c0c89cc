"""Masking applies to every screen exactly as it does in the API: section staff and leaders never see the
applicant's full name or contact details -- not on the case screen, the letter preview, the DOCX letter, the
lists or the edit screen; the desk sees everything."""
import io
import zipfile
from datetime import date

import pytest

from cms.applications.masking import applicant_view
from tests.applications.helpers import RESIDENT_ID, Today, registered, section, step, to_reply

PERSON = "欧阳小明"
CONTACT_PERSON = "司马相如"
SECRETS = [PERSON, CONTACT_PERSON, RESIDENT_ID, "13912345678", "wang@example.cn"]


@pytest.fixture
def today(monkeypatch):
    return Today(monkeypatch, date(2025, 2, 21))


def _docx_text(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read("word/document.xml").decode("utf-8")


def _cases(demo):
    drafted = registered(demo, date(2025, 1, 20), applicant_name=PERSON)
    step(drafted, "auditor", "assign", section_id=section(demo, "market").id)
    step(drafted, "editor", "draft_reply", result="disclosed", reply_text="现将该信息提供给您。")
    replied = to_reply(demo, registered(demo, date(2025, 1, 20), applicant_name=PERSON))
    company = registered(demo, date(2025, 1, 20), applicant_type="enterprise",
                         applicant_name="嘉峪关市某某文化传媒有限公司", id_type="other", id_number="ORG-2025-0001",
                         contact_person=CONTACT_PERSON)
    company = to_reply(demo, company)
    return [drafted, replied, company]


@pytest.mark.parametrize("username", ["chief", "leader", "editor"])
def test_section_staff_never_see_full_personal_data(client, demo, login_as, today, username):
    cases = _cases(demo)
    login_as(username)
    pages = {"/admin/applications": client.get("/admin/applications")}
    for a in cases:
        for url in (f"/admin/applications/{a.id}", f"/admin/applications/{a.id}/letter",
                    f"/admin/applications/{a.id}/letter.docx"):
            pages[url] = client.get(url)
        assert client.get(f"/admin/applications/{a.id}/edit").status_code == 403
    for url, response in pages.items():
        assert response.status_code == 200, url
        text = _docx_text(response.data) if url.endswith(".docx") else response.get_data(as_text=True)
        for secret in SECRETS:
            assert secret not in text, (username, url, secret)
    # What they do see is exactly the API's masking.
    masked = applicant_view(cases[0], full=False)["applicant_name"]
    assert masked == "欧**明"
    assert masked in pages[f"/admin/applications/{cases[0].id}/letter"].get_data(as_text=True)
    assert masked in _docx_text(pages[f"/admin/applications/{cases[1].id}/letter.docx"].data)
    company_letter = pages[f"/admin/applications/{cases[2].id}/letter"].get_data(as_text=True)
    assert "嘉峪关市某某文化传媒有限公司（联系人：司**如）" in company_letter


def test_the_desk_still_sees_and_prints_full_details(client, demo, login_as, today):
    cases = _cases(demo)
    login_as("auditor")
    page = client.get(f"/admin/applications/{cases[0].id}").get_data(as_text=True)
    assert PERSON in page and RESIDENT_ID in page
    assert PERSON in client.get(f"/admin/applications/{cases[1].id}/letter").get_data(as_text=True)
    assert PERSON in _docx_text(client.get(f"/admin/applications/{cases[1].id}/letter.docx").data)
    assert f"（联系人：{CONTACT_PERSON}）" in _docx_text(client.get(f"/admin/applications/{cases[2].id}/letter.docx").data)

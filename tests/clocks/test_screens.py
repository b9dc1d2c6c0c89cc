"""Back-office screens: the response desk with countdowns and timeliness, the proposal register and case."""
from cms.clocks.models import Incident, Proposal
from cms.extensions import db
from tests.conftest import login


def test_office_registers_an_incident_and_sees_the_countdown(client, demo):
    login(client, "auditor")
    page = client.get("/admin/incidents")
    assert page.status_code == 200 and "登记舆情事件" in page.get_data(as_text=True)
    response = client.post("/admin/incidents", data={
        "title": "网传演出票务纠纷", "level": "major", "discovered_at": "2026-11-30T23:10", "section": "market"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    incident = Incident.query.one()
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    # 23:10 Beijing time + 5 h = 04:10 next day; the countdown script reads the UTC instant.
    assert "2026-12-01 04:10" in html and 'data-due="2026-11-30T20:10:00Z"' in html
    assert "/static/js/countdown.js" in html and "<script>" not in html
    done = client.post(f"/admin/incidents/{incident.id}", data={"kind": "authoritative_info", "at": "2026-12-01T03:00"})
    assert done.status_code == 302
    listing = client.get("/admin/incidents?state=all").get_data(as_text=True)
    assert "按时完成" in listing and "2026年回应及时率" in listing


def test_incident_screens_refuse_bad_input_and_wrong_roles(client, demo):
    login(client, "auditor")
    bad = client.post("/admin/incidents", data={"title": "x", "level": "major", "discovered_at": "昨天",
                                                "section": "market"})
    assert bad.status_code == 422 and "日期时间" in bad.get_data(as_text=True)
    client.post("/logout")
    login(client, "editor")
    assert "登记舆情事件" not in client.get("/admin/incidents").get_data(as_text=True)
    refused = client.post("/admin/incidents", data={
        "title": "网传演出票务纠纷", "level": "major", "discovered_at": "2026-11-30T23:10", "section": "market"})
    assert refused.status_code in (403, 422)
    assert Incident.query.count() == 0
    assert client.get("/admin/incidents/999").status_code == 404


def test_proposal_register_case_and_letter(client, demo, token_for):
    login(client, "officehead")
    response = client.post("/admin/proposals", data={
        "kind": "cppcc_proposal", "session": "市政协十届五次会议", "number": "8", "title": "关于发展夜间文旅经济的提案",
        "proposer": "李委员", "lead_section": "market", "co_sections": "broadcast", "assigned_on": "2026-11-30"})
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    proposal = Proposal.query.one()
    assert proposal.due_on.isoformat() == "2027-02-28"
    html = client.get(f"/admin/proposals/{proposal.id}").get_data(as_text=True)
    assert "2027-02-28" in html and "广电科" in html
    duplicate = client.post("/admin/proposals", data={
        "kind": "cppcc_proposal", "session": "市政协十届五次会议", "number": "8", "title": "重复",
        "proposer": "李委员", "lead_section": "market", "assigned_on": "2026-11-30"})
    assert duplicate.status_code == 422 and "已登记" in duplicate.get_data(as_text=True)
    assert client.get(f"/admin/proposals/{proposal.id}/letter.docx").status_code == 409  # no reply yet
    assert "关于发展夜间文旅经济的提案" in client.get("/admin/proposals?year=2026").get_data(as_text=True)
    db.session.commit()

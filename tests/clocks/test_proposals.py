"""NPC suggestions and CPPCC proposals: due dates, duplicates, opinions, the reply through review, the three
disclosure kinds on the public site, feedback and reopening, the letter and the yearly summary."""
import io
from datetime import date

import pytest

from cms.clocks.models import Proposal
from cms.clocks.proposals import add_months
from cms.content.models import Item
from cms.extensions import db
from tests.conftest import login
from tests.workflow.helpers import publish

REPLY = "<p>关于加强公共文化服务的建议收悉。我局已将相关事项列入2027年工作计划，逐步推进。</p>"
SUMMARY = "<p>答复摘要：相关事项已列入工作计划。</p>"


def _payload(**overrides):
    data = {"kind": "npc_suggestion", "session": "市十届人大五次会议", "number": "12",
            "title": "关于加强公共文化服务的建议", "proposer": "王某某", "lead_section": "market",
            "co_sections": ["broadcast"], "assigned_on": "2026-10-15"}
    data.update(overrides)
    return data


def _create(client, token_for, **overrides):
    response = client.post("/api/v1/proposals", json=_payload(**overrides), headers=token_for("auditor"))
    assert response.status_code == 201, response.get_json()
    return response.get_json()


@pytest.mark.parametrize("start, months, expected", [
    (date(2026, 11, 30), 3, date(2027, 2, 28)),
    (date(2023, 11, 30), 3, date(2024, 2, 29)),
    (date(2026, 5, 31), 1, date(2026, 6, 30)),
    (date(2026, 10, 15), 3, date(2027, 1, 15)),
    (date(2026, 12, 31), 1, date(2027, 1, 31)),
])
def test_months_after_clamp_to_the_end_of_the_month(start, months, expected):
    assert add_months(start, months) == expected


def test_registration_sets_due_dates_30_november_to_end_of_february(client, demo, token_for):
    body = _create(client, token_for, assigned_on="2026-11-30")
    assert (body["due_on"], body["co_due_on"]) == ("2027-02-28", "2026-12-30")
    assert body["state"] == "assigned" and body["co_sections"] == ["broadcast"]


def test_the_same_session_and_number_twice_is_a_conflict(client, demo, token_for):
    _create(client, token_for)
    again = client.post("/api/v1/proposals", json=_payload(title="另一件"), headers=token_for("officehead"))
    assert again.status_code == 409
    assert again.get_json()["error"]["fields"] == {"number": "duplicate"}
    assert client.post("/api/v1/proposals", json=_payload(number="13"), headers=token_for("leader")).status_code == 201


def test_co_section_chief_gives_an_opinion_the_lead_section_sees_it(client, demo, token_for):
    proposal = _create(client, token_for)
    url = f"/api/v1/proposals/{proposal['id']}/opinions"
    ok = client.post(url, json={"section": "broadcast", "body": "广电科意见：同意。"}, headers=token_for("chief2"))
    assert ok.status_code == 201, ok.get_json()
    seen = client.get(f"/api/v1/proposals/{proposal['id']}", headers=token_for("editor")).get_json()
    assert seen["opinions"][0]["section"] == "broadcast" and seen["opinions"][0]["body"] == "广电科意见：同意。"
    assert client.post(url, json={"section": "broadcast", "body": "x"}, headers=token_for("editor2")).status_code == 403
    wrong = client.post(url, json={"section": "market", "body": "x"}, headers=token_for("chief"))
    assert wrong.status_code == 422 and wrong.get_json()["error"]["fields"] == {"section": "not_a_co_section"}
    assert client.post(url, json={"section": "broadcast"}, headers=token_for("chief2")).status_code == 422


def _reply(client, token_for, proposal_id, **overrides):
    data = {"category": "B", "reply_html": REPLY, "disclosure": "full"}
    data.update(overrides)
    return client.post(f"/api/v1/proposals/{proposal_id}/reply", json=data, headers=token_for("editor"))


def _sign_off(item_id):
    item = db.session.get(Item, item_id)
    publish(item)
    db.session.expire_all()
    return db.session.get(Item, item_id)


def test_full_reply_is_reviewed_like_any_item_and_published_in_full(client, demo, token_for):
    proposal = _create(client, token_for)
    response = _reply(client, token_for, proposal["id"])
    assert response.status_code == 201, response.get_json()
    item = response.get_json()["item"]
    assert (item["type"], item["column"], item["state"]) == ("proposal_reply", "proposals", "draft")
    assert response.get_json()["proposal"]["state"] == "replying"
    assert client.get(f"/items/{item['id']}").status_code == 404  # nothing public before sign-off
    _sign_off(item["id"])
    body = client.get(f"/api/v1/proposals/{proposal['id']}", headers=token_for("auditor")).get_json()
    assert body["state"] == "replied" and body["replied_on"] and body["late"] is False
    page = client.get(f"/items/{item['id']}")
    assert page.status_code == 200 and "逐步推进" in page.get_data(as_text=True)


def test_summary_disclosure_publishes_only_the_summary(client, demo, token_for):
    proposal = _create(client, token_for)
    missing = _reply(client, token_for, proposal["id"], disclosure="summary")
    assert missing.status_code == 422 and "summary_html" in missing.get_json()["error"]["fields"]
    item = _reply(client, token_for, proposal["id"], disclosure="summary", summary_html=SUMMARY).get_json()["item"]
    _sign_off(item["id"])
    html = client.get(f"/items/{item['id']}").get_data(as_text=True)
    assert "相关事项已列入工作计划" in html and "逐步推进" not in html
    # The letter to the proposer still carries the full reply.
    letter = client.get(f"/api/v1/proposals/{proposal['id']}/letter", headers=token_for("editor"))
    assert letter.status_code == 200
    from docx import Document

    text = "\n".join(p.text for p in Document(io.BytesIO(letter.data)).paragraphs)
    assert "逐步推进" in text and "王某某代表：" in text and "B类" in text


def test_withheld_reply_needs_a_reason_and_publishes_nothing(client, demo, token_for):
    proposal = _create(client, token_for)
    missing = _reply(client, token_for, proposal["id"], disclosure="withheld")
    assert missing.status_code == 422 and "withheld_reason" in missing.get_json()["error"]["fields"]
    item = _reply(client, token_for, proposal["id"], disclosure="withheld",
                  withheld_reason="涉及尚在研究的内部事项").get_json()["item"]
    signed = _sign_off(item["id"])
    assert signed.state == "published" and signed.disclosure == "withheld" and not signed.is_public
    assert client.get(f"/items/{item['id']}").status_code == 404
    assert "公共文化服务" not in client.get("/columns/proposals").get_data(as_text=True)
    body = client.get(f"/api/v1/proposals/{proposal['id']}", headers=token_for("auditor")).get_json()
    assert body["state"] == "replied" and body["withheld_reason"] == "涉及尚在研究的内部事项"


def test_unsatisfied_feedback_reopens_with_one_more_month(client, demo, token_for, monkeypatch):
    proposal = _create(client, token_for)
    early = client.post(f"/api/v1/proposals/{proposal['id']}/feedback", json={"satisfaction": "satisfied"},
                        headers=token_for("auditor"))
    assert early.status_code == 409  # not replied yet
    item = _reply(client, token_for, proposal["id"]).get_json()["item"]
    assert _reply(client, token_for, proposal["id"]).status_code == 409  # a reply is already in review
    _sign_off(item["id"])
    monkeypatch.setattr("cms.clock.local_today", lambda: date(2026, 8, 31))
    response = client.post(f"/api/v1/proposals/{proposal['id']}/feedback",
                           json={"satisfaction": "unsatisfied", "note": "希望加快进度"}, headers=token_for("auditor"))
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["state"], body["due_on"], body["reopened_count"]) == ("reopened", "2026-09-30", 1)
    second = _reply(client, token_for, proposal["id"], category="A")
    assert second.status_code == 201
    assert second.get_json()["item"]["title"].endswith("（再次办理）")
    bad = client.post(f"/api/v1/proposals/{proposal['id']}/feedback", json={"satisfaction": "meh"},
                      headers=token_for("auditor"))
    assert bad.status_code == 422


def test_yearly_summary_counts_kinds_categories_disclosure_and_satisfaction(client, demo, token_for):
    proposal = _create(client, token_for)
    _create(client, token_for, kind="cppcc_proposal", session="市政协十届五次会议", number="7")
    item = _reply(client, token_for, proposal["id"], category="A").get_json()["item"]
    _sign_off(item["id"])
    client.post(f"/api/v1/proposals/{proposal['id']}/feedback", json={"satisfaction": "satisfied"},
                headers=token_for("auditor"))
    kinds = client.get("/api/v1/proposals/summary?year=2026", headers=token_for("leader")).get_json()["kinds"]
    npc, cppcc = kinds["npc_suggestion"], kinds["cppcc_proposal"]
    assert (npc["total"], npc["replied"], npc["on_time"], cppcc["total"], cppcc["replied"]) == (1, 1, 1, 1, 0)
    assert npc["category"]["A"] == 1 and npc["disclosure"]["full"] == 1 and npc["satisfaction"]["satisfied"] == 1
    login(client, "auditor")
    xlsx = client.get("/admin/proposals/summary.xlsx?year=2026")
    assert xlsx.status_code == 200
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert rows[0][:4] == ["人大代表建议", 1, 1, 1] and rows[-1][0] == "合计" and rows[-1][1] == 2


@pytest.mark.parametrize("username", ["editor", "chief", "chief2", "admin"])
def test_only_the_office_leaders_and_the_director_register_proposals(client, demo, token_for, username):
    assert client.post("/api/v1/proposals", json=_payload(), headers=token_for(username)).status_code == 403


def test_reply_needs_an_editor_of_the_lead_section(client, demo, token_for):
    proposal = _create(client, token_for)
    for username in ("editor2", "auditor", "chief"):
        response = client.post(f"/api/v1/proposals/{proposal['id']}/reply", headers=token_for(username),
                               json={"category": "A", "reply_html": REPLY, "disclosure": "full"})
        assert response.status_code == 403, username
    assert client.post(f"/api/v1/proposals/{proposal['id']}/feedback", json={"satisfaction": "satisfied"},
                       headers=token_for("editor")).status_code == 403


@pytest.mark.parametrize("overrides, field", [
    ({"kind": "petition"}, "kind"),
    ({"assigned_on": "2026-02-30"}, "assigned_on"),
    ({"assigned_on": "2099-01-01"}, "assigned_on"),
    ({"lead_section": "nowhere"}, "lead_section"),
    ({"co_sections": "broadcast"}, "co_sections"),
    ({"co_sections": ["market"]}, "co_sections"),
    ({"co_sections": ["nowhere"]}, "co_sections"),
    ({"title": ""}, "title"),
    ({"number": True}, "number"),
    ({"extra": 1}, "extra"),
])
def test_bad_proposal_input_is_a_clear_422(client, demo, token_for, overrides, field):
    response = client.post("/api/v1/proposals", json=_payload(**overrides), headers=token_for("auditor"))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


def test_bad_reply_input_and_unknown_proposals(client, demo, token_for):
    proposal = _create(client, token_for)
    for overrides, field in [({"category": "D"}, "category"), ({"disclosure": "partial"}, "disclosure"),
                             ({"reply_html": ""}, "reply_html"), ({"reply_html": "<script>x</script>"}, "reply_html"),
                             ({"reply_html": 5}, "reply_html")]:
        response = _reply(client, token_for, proposal["id"], **overrides)
        assert response.status_code == 422, overrides
        assert field in response.get_json()["error"]["fields"], overrides
    headers = token_for("auditor")
    assert client.get("/api/v1/proposals/999999", headers=headers).status_code == 404
    assert client.get("/api/v1/proposals/999999/letter", headers=headers).status_code == 404
    assert client.get(f"/api/v1/proposals/{proposal['id']}/letter", headers=headers).status_code == 409
    assert client.get("/api/v1/proposals/summary?year=abc", headers=headers).status_code == 422
    assert client.post("/api/v1/proposals", data="[]", headers={**headers, "Content-Type": "application/json"}
                       ).status_code == 400
    assert Proposal.query.count() == 1

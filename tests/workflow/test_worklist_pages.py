"""Worklist pages: counts per stage, paging, the same definitions as the buttons and the API transitions,
and urgent items (responses to an open incident) first, reviewed in hours."""
from datetime import timedelta

import pytest

from cms.clock import utcnow
from cms.content.models import Item
from cms.content.worklist import parse_paging, worklist_page
from cms.content.workflow import item_worklist_query
from cms.errors import ValidationError
from cms.extensions import db
from cms.workflow.engine import available_transitions, fire
from tests.workflow.helpers import draft, user
from tests.workflow.stage_helpers import OFFICE, define, delegate, item_in, person, stage

MAJOR = {"title": "景区拥挤网络舆情", "level": "major", "section": "market", "summary": "网传景区拥挤"}


def _approvers(item, who):
    return "approve" in [t.name for t in available_transitions(item, who)]


def _open_incident(client, headers, **extra):
    discovered = (utcnow() + timedelta(hours=8) - timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M:%S")
    response = client.post("/api/v1/incidents", json={**MAJOR, "discovered_at": discovered, **extra},
                           headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["id"]


def test_counts_pages_buttons_and_api_transitions_agree_on_custom_workflows(client, demo, token_for):
    deputy = person("deputy", [("museum", "editor")])
    person("director", [("office", "director")])
    delegate(user("leader"), deputy)
    define("big", [stage("section", "section_chief"),
                   stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all",
                         title="相关科室会签"),
                   OFFICE, stage("leader", "leader"), stage("director", "director", "organization")],
           on_return="resume")
    define("two_of", [stage("panel", "section_chief", "organization", quorum=2), OFFICE])
    items = []
    for n, code in enumerate(("big", "big", "big", "two_of", "three_stage")):
        item = item_in(demo, code, title=f"分页一致性第{n}号", doc_number=f"嘉文广发〔2018〕{n}号")
        fire(item, user("editor"), "submit")
        items.append(item)
    fire(items[1], user("chief"), "approve")  # -> pending_cosign
    fire(items[1], user("chief2"), "approve")  # one of two sections
    fire(items[2], user("chief"), "approve")
    fire(items[3], user("officehead"), "approve")  # one of two approvers
    db.session.commit()
    everyone = ("chief", "chief2", "officehead", "auditor", "leader", "editor", "deputy", "director")
    for username in everyone:
        who = user(username)
        expected = {i.id: i.state for i in Item.query.all() if _approvers(i, who)}
        page = worklist_page(who, limit=2)
        by_state = {}
        for state in expected.values():
            by_state[state] = by_state.get(state, 0) + 1
        assert page.counts == by_state, username
        assert page.total == len(expected) and len(page.items) == min(2, len(expected))
        seen = []
        for offset in range(0, page.total, 2):
            seen += [i.id for i in worklist_page(who, limit=2, offset=offset).items]
        assert sorted(seen) == sorted(expected) and seen == [i.id for i in item_worklist_query(who)], username
        # The API answers with the same page, the same counts, and offers "approve" on exactly those items.
        headers = token_for(username)
        body = client.get("/api/v1/worklist", headers=headers, query_string={"limit": 200}).get_json()
        assert [i["id"] for i in body["items"]] == seen and body["counts"] == by_state
        assert body["total"] == len(expected)
        for candidate in Item.query.all():
            offered = client.get(f"/api/v1/items/{candidate.id}/transitions", headers=headers)
            names = [t["name"] for t in offered.get_json()["transitions"]] if offered.status_code == 200 else []
            assert ("approve" in names) == (candidate.id in expected), (username, candidate.title)
        for state, count in by_state.items():
            narrowed = client.get("/api/v1/worklist", headers=headers, query_string={"state": state}).get_json()
            assert narrowed["total"] == count and {i["state"] for i in narrowed["items"]} == {state}


def test_a_countersign_stage_shows_its_approvals_in_the_worklist(client, demo, token_for):
    define("joint", [stage("cosign", "section_chief", "sections", sections=["market", "broadcast"], quorum="all",
                           title="相关科室会签"), OFFICE, stage("leader", "leader")])
    item = item_in(demo, "joint", title="联合通知")
    fire(item, user("editor"), "submit")
    fire(item, user("chief"), "approve")
    db.session.commit()
    body = client.get("/api/v1/worklist", headers=token_for("chief2")).get_json()
    [entry] = body["items"]
    assert entry["stage"]["code"] == "cosign" and entry["stage"]["title"] == "相关科室会签"
    assert [a["actor"] for a in entry["stage"]["approvals"]] == ["chief"]
    assert client.get("/api/v1/worklist", headers=token_for("chief")).get_json()["items"] == []


@pytest.mark.parametrize("query, field", [({"limit": "0"}, "limit"), ({"limit": "201"}, "limit"),
                                          ({"limit": "ten"}, "limit"), ({"offset": "-1"}, "offset"),
                                          ({"state": "published"}, "state")])
def test_bad_paging_is_a_422_naming_the_field(client, demo, token_for, query, field):
    response = client.get("/api/v1/worklist", headers=token_for("chief"), query_string=query)
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_parse_paging_defaults():
    assert parse_paging(None, None) == (50, 0)
    assert parse_paging("10", "20") == (10, 20)
    with pytest.raises(ValidationError):
        parse_paging("1.5", None)


# --- urgent items (issue 15) ------------------------------------------------------------------------------


def test_an_urgent_item_is_due_in_an_hour_per_stage_and_comes_first(client, demo, token_for, app):
    define("slow", [stage("section", "section_chief", due={"working_days": 5}), OFFICE, stage("leader", "leader")])
    early = item_in(demo, "slow", title="普通通知一")
    fire(early, user("editor"), "submit")
    response = draft(demo, column="responses", title="关于网传景区拥挤的回应", type="response")
    auditor = token_for("auditor")
    db.session.commit()
    incident_id = _open_incident(client, auditor)
    assert client.post(f"/api/v1/incidents/{incident_id}/items", json={"item_id": response.id},
                       headers=auditor).status_code == 201
    late = item_in(demo, "slow", title="普通通知二")
    fire(late, user("editor"), "submit")
    fire(response, user("editor"), "submit")
    db.session.commit()
    assert response.stage_due_at - response.stage_entered_at == timedelta(hours=1)
    assert late.stage_due_at - late.stage_entered_at > timedelta(days=5)
    # Urgent first, in the query, the page and the API (flagged), whatever the due dates say.
    chief = user("chief")
    assert [i.id for i in item_worklist_query(chief)][0] == response.id
    page = worklist_page(chief)
    assert page.items[0].id == response.id and page.is_urgent(page.items[0])
    assert not any(page.is_urgent(i) for i in page.items[1:])
    body = client.get("/api/v1/worklist", headers=token_for("chief")).get_json()
    assert [(i["id"], i["urgent"]) for i in body["items"]][0] == (response.id, True)
    assert all(i["urgent"] is False for i in body["items"][1:])
    # Every following stage is due in an hour too.
    fire(response, chief, "approve")
    assert response.stage_due_at - response.stage_entered_at == timedelta(hours=1)


def test_the_urgent_stage_hours_are_a_setting(client, demo, token_for, app, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_URGENT_STAGE_HOURS", 2)
    response = draft(demo, column="responses", title="关于网传停电的回应", type="response")
    db.session.commit()
    auditor = token_for("auditor")
    incident_id = _open_incident(client, auditor, level="other")
    client.post(f"/api/v1/incidents/{incident_id}/items", json={"item_id": response.id}, headers=auditor)
    fire(response, user("editor"), "submit")
    assert response.stage_due_at - response.stage_entered_at == timedelta(hours=2)


def test_linking_an_item_already_in_review_makes_its_stage_due_within_the_hour(client, demo, token_for):
    item = draft(demo, column="responses", title="关于网传涨价的回应", type="response")
    fire(item, user("editor"), "submit")
    db.session.commit()
    version = item.version
    assert item.stage_due_at is None
    auditor = token_for("auditor")
    incident_id = _open_incident(client, auditor, level="other")
    assert client.post(f"/api/v1/incidents/{incident_id}/items", json={"item_id": item.id},
                       headers=auditor).status_code == 201
    db.session.expire_all()
    item = db.session.get(Item, item.id)
    assert item.stage_due_at is not None and item.stage_due_at - utcnow() <= timedelta(hours=1)
    assert item.version == version  # the reviewers' open screens stay current


def test_once_the_incident_is_answered_the_item_is_no_longer_first(client, demo, token_for):
    first = draft(demo, title="早提交的通知")
    fire(first, user("editor"), "submit")
    response = draft(demo, column="responses", title="关于网传拥堵的回应", type="response")
    db.session.commit()
    auditor = token_for("auditor")
    incident_id = _open_incident(client, auditor, level="other")
    client.post(f"/api/v1/incidents/{incident_id}/items", json={"item_id": response.id}, headers=auditor)
    fire(response, user("editor"), "submit")
    db.session.commit()
    chief = user("chief")
    assert [i.id for i in item_worklist_query(chief)][0] == response.id
    met = client.post(f"/api/v1/incidents/{incident_id}/milestones", headers=auditor,
                      json={"kind": "response", "at": utcnow().strftime("%Y-%m-%dT%H:%M:%S+00:00")})
    assert met.status_code in (200, 201), met.get_json()
    # Its stage keeps the hour it was given (now the sooner due date): still sorted by due date.
    body = client.get("/api/v1/worklist", headers=token_for("chief")).get_json()
    assert all(i["urgent"] is False for i in body["items"])
    assert {i["id"] for i in body["items"]} == {first.id, response.id}


def test_the_dashboard_tags_urgent_items_and_lists_them_first(client, demo, token_for, login_as):
    plain = draft(demo, title="普通待审通知")
    fire(plain, user("editor"), "submit")
    response = draft(demo, column="responses", title="关于网传景区踩踏的回应", type="response")
    db.session.commit()
    auditor = token_for("auditor")
    incident_id = _open_incident(client, auditor)
    client.post(f"/api/v1/incidents/{incident_id}/items", json={"item_id": response.id}, headers=auditor)
    fire(response, user("editor"), "submit")
    db.session.commit()
    login_as("chief")
    page = client.get("/admin/").get_data(as_text=True)
    assert page.index("关于网传景区踩踏的回应") < page.index("普通待审通知")
    row = page[page.rindex("<tr", 0, page.index("关于网传景区踩踏的回应")):page.index("关于网传景区踩踏的回应")]
    assert "紧急" in row and 'data-urgent="1"' in row
    plain_row = page[page.rindex("<tr", 0, page.index("普通待审通知")):page.index("普通待审通知")]
    assert "紧急" not in plain_row
    assert "待科室审核（2）" in page

"""Comments from the public: 201 pending, 409 outside the period, 404 unpublished; moderation and handling;
personal data masked outside the owning section and the office; only published comments on the public page,
names as 张*."""
from datetime import timedelta

from cms.consultations.closing import status_of
from cms.consultations.models import ConsultationComment
from cms.consultations.periods import end_of, start_of
from cms.consultations.records import record_of
from cms.content.models import Item
from cms.extensions import db
from tests.consultations.helpers import comment, create, period, published_consultation


def test_a_comment_on_an_open_consultation_waits_for_moderation(client, demo, token_for):
    item = published_consultation(client, token_for)
    response = comment(client, item.id, name="张三丰", contact="13912345678", wants_reply=True)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["state"] == "pending"
    stored = db.session.get(ConsultationComment, response.get_json()["id"])
    assert (stored.name, stored.contact, stored.wants_reply, stored.channel) == ("张三丰", "13912345678", True, "api")
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "建议延长经营场所消防检查" not in page  # pending: not public
    assert "提交意见" in page and "剩余" in page


def test_unpublished_or_unknown_consultations_are_404(client, demo, token_for):
    draft = create(client, token_for("editor")).get_json()
    assert comment(client, draft["id"]).status_code == 404
    assert comment(client, 999999).status_code == 404
    assert comment(client, 2**40).status_code == 404
    notice = client.post("/api/v1/items", headers=token_for("editor"), json={
        "column": "notices", "type": "notice", "title": "关于举办培训班的通知"}).get_json()
    assert comment(client, notice["id"]).status_code == 404


def test_before_opening_and_after_closing_is_409(client, demo, token_for):
    upcoming = published_consultation(client, token_for, period(start_offset=3, days=40), title="即将开始的征集公告")
    response = comment(client, upcoming.id)
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "consultation_closed"
    ended = published_consultation(client, token_for, period(start_offset=-50, days=40), title="已经结束的征集公告")
    response = comment(client, ended.id)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "consultation_closed"
    assert ConsultationComment.query.count() == 0


def test_the_period_runs_to_the_end_of_closes_on_beijing_time(client, demo, token_for):
    item = published_consultation(client, token_for)
    record = record_of(item)
    assert status_of(record, now=start_of(record.opens_on) - timedelta(seconds=1)) == "upcoming"
    assert status_of(record, now=start_of(record.opens_on)) == "open"
    assert status_of(record, now=end_of(record.closes_on) - timedelta(seconds=1)) == "open"
    assert status_of(record, now=end_of(record.closes_on)) == "closed"


def test_bad_comments_are_422(client, demo, token_for):
    item = published_consultation(client, token_for)
    cases = [({"body": ""}, "body"), ({"body": "意" * 2001}, "body"), ({"body": 5}, "body"),
             ({"body": "好", "wants_reply": True}, "contact"), ({"body": "好", "wants_reply": "yes"}, "wants_reply"),
             ({"body": "好", "name": "张" * 101}, "name"), ({"body": "好", "email": "x"}, "email")]
    for payload, field in cases:
        response = client.post(f"/api/v1/consultations/{item.id}/comments", json=payload)
        assert response.status_code == 422, payload
        assert field in response.get_json()["error"]["fields"], payload
    assert client.post(f"/api/v1/consultations/{item.id}/comments", data="not json",
                       content_type="application/json").status_code == 400
    assert client.post(f"/api/v1/consultations/{item.id}/comments", json=["body"]).status_code == 400
    assert comment(client, item.id, body="意" * 2000).status_code == 201


def _ids(client, item, n=2):
    return [comment(client, item.id, body=f"第{i}条意见：建议明确检查频次。", name="张三丰" if i == 0 else None,
                    contact="zhang@example.cn" if i == 0 else None).get_json()["id"] for i in range(n)]


def test_moderation_publishes_and_rejects_and_the_public_sees_only_published_names_masked(client, demo, token_for):
    item = published_consultation(client, token_for)
    first, second = _ids(client, item)
    chief = token_for("chief")
    published = client.post(f"/api/v1/comments/{first}/transitions", headers=chief, json={"name": "publish",
                                                                                         "version": 1})
    assert published.status_code == 200, published.get_json()
    assert published.get_json()["state"] == "published"
    rejected = client.post(f"/api/v1/comments/{second}/transitions", headers=chief,
                           json={"name": "reject", "reason": "与本次征集无关"})
    assert rejected.get_json()["state"] == "rejected"
    again = client.post(f"/api/v1/comments/{second}/transitions", headers=chief, json={"name": "reject"})
    assert again.status_code == 409
    stale = client.post(f"/api/v1/comments/{first}/transitions", headers=chief, json={"name": "reject", "version": 1})
    assert stale.status_code == 409 and stale.get_json()["error"]["fields"] == {"version": "stale"}
    page = client.get(f"/items/{item.id}").get_data(as_text=True)
    assert "第0条意见" in page and "第1条意见" not in page
    assert "张*" in page and "张三丰" not in page and "zhang@example.cn" not in page


def test_other_sections_see_contacts_masked_and_cannot_moderate(client, demo, token_for):
    item = published_consultation(client, token_for)
    first, _ = _ids(client, item)
    owner = client.get(f"/api/v1/consultations/{item.id}/comments", headers=token_for("chief")).get_json()
    assert owner["comments"][0]["name"] == "张三丰" and owner["comments"][0]["contact"] == "zhang@example.cn"
    office = client.get(f"/api/v1/consultations/{item.id}/comments", headers=token_for("auditor")).get_json()
    assert office["comments"][0]["contact"] == "zhang@example.cn"
    other = client.get(f"/api/v1/consultations/{item.id}/comments", headers=token_for("editor2")).get_json()
    assert other["comments"][0]["name"] == "张*丰" and other["comments"][0]["contact"] == "z***@example.cn"
    assert other["comments"][0]["masked"] is True
    refused = client.post(f"/api/v1/comments/{first}/transitions", headers=token_for("editor2"),
                          json={"name": "publish"})
    assert refused.status_code == 403
    assert client.patch(f"/api/v1/comments/{first}", headers=token_for("editor2"),
                        json={"handling": "adopted"}).status_code == 403
    assert client.get(f"/api/v1/consultations/{item.id}/comments").status_code == 401


def test_handling_needs_a_reason_when_not_adopted(client, demo, token_for):
    item = published_consultation(client, token_for)
    first, _ = _ids(client, item)
    headers = token_for("editor")
    missing = client.patch(f"/api/v1/comments/{first}", headers=headers, json={"handling": "not_adopted"})
    assert missing.status_code == 422 and missing.get_json()["error"]["fields"] == {"reason": "required"}
    bad = client.patch(f"/api/v1/comments/{first}", headers=headers, json={"handling": "maybe", "reason": "x"})
    assert bad.status_code == 422 and bad.get_json()["error"]["fields"] == {"handling": "invalid"}
    ok = client.patch(f"/api/v1/comments/{first}", headers=headers,
                      json={"handling": "not_adopted", "reason": "与上位法规定不一致", "theme": "检查频次"})
    assert ok.status_code == 200, ok.get_json()
    assert (ok.get_json()["handling"], ok.get_json()["theme"]) == ("not_adopted", "检查频次")
    stale = client.patch(f"/api/v1/comments/{first}", headers=headers, json={"handling": "adopted", "version": 1})
    assert stale.status_code == 409


def test_comment_routes_refuse_bad_input(client, demo, token_for):
    item = published_consultation(client, token_for)
    first, _ = _ids(client, item)
    headers = token_for("chief")
    for body, status in (({}, 422), ({"name": "delete"}, 422), ({"name": 3}, 422), ({"name": "publish", "x": 1}, 422),
                         ({"name": "publish", "version": "1"}, 422)):
        assert client.post(f"/api/v1/comments/{first}/transitions", headers=headers, json=body).status_code == status
    assert client.post(f"/api/v1/comments/{first}/transitions", headers=headers, data="{",
                       content_type="application/json").status_code == 400
    assert client.post("/api/v1/comments/999999/transitions", headers=headers, json={"name": "publish"}).status_code == 404
    assert client.patch(f"/api/v1/comments/{first}", headers=headers, json={}).status_code == 422
    assert client.patch(f"/api/v1/comments/{first}", headers=headers,
                        json={"handling": "adopted", "theme": "题" * 51}).status_code == 422
    assert client.patch("/api/v1/comments/999999", headers=headers, json={"handling": "adopted"}).status_code == 404
    assert client.get("/api/v1/consultations/999999/comments", headers=headers).status_code == 404
    assert Item.query.filter_by(type="consultation").count() == 1

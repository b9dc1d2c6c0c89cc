"""The public list and comment form (honeypot, time stamp, CSRF, rate limit), the editor's period fields and the
staff screen: moderation, handling, closing early, export and drafting the feedback."""
from datetime import date, timedelta

import pytest

from cms.consultations.models import ConsultationComment
from cms.consultations.records import record_of
from cms.content.catalog import get_column
from cms.content.models import Item
from cms.extensions import db
from tests.consultations.helpers import comment, period, published_consultation


def _form(**extra):
    from cms.applications.antispam import form_token

    data = {"body": "建议在办法中明确经营场所的消防检查频次。", "name": "王五", "contact": "", "form_token": form_token(),
            "website": ""}
    data.update(extra)
    return data


def test_public_list_shows_open_ones_first_with_days_left(client, demo, token_for):
    closed = published_consultation(client, token_for, period(start_offset=-50, days=40), title="已结束的征集公告")
    open_item = published_consultation(client, token_for, period(start_offset=-1, days=31), title="征集中的公告")
    draft = client.post("/api/v1/items", headers=token_for("editor"), json={
        "column": "consultations", "type": "consultation", "title": "未发布的征集公告",
        "consultation": period()}).get_json()
    html = client.get("/consultations").get_data(as_text=True)
    assert html.index("征集中的公告") < html.index("已结束的征集公告")
    assert "剩余29天" in html and "未发布的征集公告" not in html
    assert closed.id and open_item.id and draft["id"]


def test_the_comment_form_on_the_item_page(client, demo, token_for, app):
    item = published_consultation(client, token_for)
    with app.test_request_context():
        response = client.post(f"/consultations/{item.id}/comments", data=_form())
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    stored = ConsultationComment.query.one()
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "意见已提交" in receipt and f">{stored.id}<" in receipt
    assert client.get(f"/consultations/{item.id + 1}/thanks").status_code == 302  # no receipt for another one
    assert (stored.name, stored.channel, stored.state) == ("王五", "web", "pending")


def test_the_form_refuses_robots_and_bad_input(client, demo, token_for, app):
    item = published_consultation(client, token_for)
    with app.test_request_context():
        assert client.post(f"/consultations/{item.id}/comments", data=_form(website="http://spam")).status_code == 400
        assert client.post(f"/consultations/{item.id}/comments", data=_form(form_token="forged")).status_code == 400
        long = client.post(f"/consultations/{item.id}/comments", data=_form(body="意" * 2001))
        assert long.status_code == 422 and "2000" in long.get_data(as_text=True)
        reply = client.post(f"/consultations/{item.id}/comments", data=_form(wants_reply="y"))
        assert reply.status_code == 422 and "联系方式" in reply.get_data(as_text=True)
        assert client.post("/consultations/999999/comments", data=_form()).status_code == 404
    assert ConsultationComment.query.count() == 0


def test_the_form_needs_its_csrf_token(app, demo, token_for, client):
    item = published_consultation(client, token_for)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        with app.test_request_context():
            response = client.post(f"/consultations/{item.id}/comments", data=_form())
        assert response.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert ConsultationComment.query.count() == 0


def test_comments_are_rate_limited_like_the_application_form(app, demo, token_for, client):
    item = published_consultation(client, token_for)
    app.config["CMS_COMMENT_RATE_LIMIT"] = "2 per hour"
    try:
        assert comment(client, item.id).status_code == 201
        with app.test_request_context():
            assert client.post(f"/consultations/{item.id}/comments", data=_form()).status_code == 302
        limited = comment(client, item.id)
        assert limited.status_code == 429 and limited.get_json()["error"]["code"] == "too_many_requests"
    finally:
        app.config["CMS_COMMENT_RATE_LIMIT"] = "30 per hour"


def test_the_editor_saves_the_period_and_refuses_a_short_one(client, demo, login_as):
    login_as("editor")
    column = get_column(demo.id, "consultations")
    today = date.today()
    data = {"column_id": column.id, "type": "consultation", "title": "关于征求《演出场所管理办法》意见的公告",
            "body_html": "<p>现公开征求意见。</p>", "disclosure": "proactive", "validity": "valid", "five_public": "",
            "consultation_kind": "major_decision", "consultation_opens_on": today.isoformat(),
            "consultation_closes_on": (today + timedelta(days=9)).isoformat()}
    refused = client.post("/admin/items/new", data=data)
    assert refused.status_code == 422 and "须填写缩短期限的理由" in refused.get_data(as_text=True)
    assert Item.query.filter_by(type="consultation").count() == 0
    data["consultation_shortened_reason"] = "汛期临近，须尽快出台"
    saved = client.post("/admin/items/new", data=data)
    assert saved.status_code == 302, [l for l in saved.get_data(as_text=True).splitlines() if "error" in l or "flash" in l]
    item = Item.query.filter_by(type="consultation").one()
    assert record_of(item).shortened_reason == "汛期临近，须尽快出台"
    edit = client.get(f"/admin/items/{item.id}/edit").get_data(as_text=True)
    assert "汛期临近，须尽快出台" in edit and 'value="major_decision" selected' in edit


def test_staff_screen_moderates_handles_closes_exports_and_drafts_feedback(client, demo, token_for, login_as):
    item = published_consultation(client, token_for)
    cid = comment(client, item.id, name="赵六", contact="13800001111").get_json()["id"]
    login_as("chief")
    listing = client.get("/admin/consultations")
    assert listing.status_code == 200 and item.title in listing.get_data(as_text=True)
    view = client.get(f"/admin/consultations/{item.id}").get_data(as_text=True)
    assert "13800001111" in view
    stale = client.post(f"/admin/consultations/{item.id}/comments/{cid}/transitions", data={"name": "publish",
                                                                                           "version": "7"})
    assert stale.status_code == 409
    assert client.post(f"/admin/consultations/{item.id}/comments/{cid}/transitions",
                       data={"name": "publish", "version": "1"}).status_code == 302
    assert db.session.get(ConsultationComment, cid).state == "published"
    missing = client.post(f"/admin/consultations/{item.id}/comments/{cid}/handling",
                          data={"handling": "not_adopted", "version": "2"})
    assert missing.status_code == 422
    assert client.post(f"/admin/consultations/{item.id}/comments/{cid}/handling",
                       data={"handling": "adopted", "theme": "消防", "version": "2"}).status_code == 302
    export = client.get(f"/admin/consultations/{item.id}/export.xlsx")
    assert export.status_code == 200 and export.data[:2] == b"PK"
    assert client.post(f"/admin/consultations/{item.id}/close", data={"reason": "", "version": "1"}).status_code == 422
    assert client.post(f"/admin/consultations/{item.id}/close",
                       data={"reason": "情况发生重大变化", "version": "1"}).status_code == 302
    refused = client.post(f"/admin/consultations/{item.id}/feedback")
    assert refused.status_code == 403  # the section chief is no editor: the feedback is drafted by an editor
    client.post("/logout")
    login_as("editor")
    drafted = client.post(f"/admin/consultations/{item.id}/feedback")
    assert drafted.status_code == 302
    feedback_id = record_of(item).feedback_item_id
    assert feedback_id is not None
    review = client.get(f"/admin/items/{feedback_id}").get_data(as_text=True)
    assert f'href="/admin/consultations/{item.id}"' in review
    assert "处理公众意见" in client.get(f"/admin/items/{item.id}").get_data(as_text=True)


def test_other_sections_see_the_screen_masked_and_cannot_act(client, demo, token_for, login_as):
    item = published_consultation(client, token_for)
    cid = comment(client, item.id, name="赵六", contact="13800001111").get_json()["id"]
    login_as("editor2")
    view = client.get(f"/admin/consultations/{item.id}").get_data(as_text=True)
    assert "13800001111" not in view and "138****1111" in view
    assert client.post(f"/admin/consultations/{item.id}/comments/{cid}/transitions",
                       data={"name": "publish", "version": "1"}).status_code == 403
    assert client.get(f"/admin/consultations/{item.id}/export.xlsx").status_code == 403
    assert client.get("/admin/consultations/999999").status_code == 404
    assert client.post("/admin/consultations", data={"feedback_working_days": "5"}).status_code == 403


@pytest.mark.parametrize("value, status", [("0", 422), ("abc", 422), ("20", 302)])
def test_the_setting_on_the_staff_screen(client, demo, login_as, value, status):
    login_as("auditor")
    assert client.post("/admin/consultations", data={"feedback_working_days": value}).status_code == status


def test_feedback_extends_a_column_made_before_the_feedback_type(client, demo, token_for):
    from tests.consultations.test_closing_and_feedback import _ended

    column = get_column(demo.id, "consultations")
    column.accepts = ["consultation"]
    db.session.commit()
    item, _ids = _ended(client, token_for)
    response = client.post(f"/api/v1/consultations/{item.id}/feedback", headers=token_for("editor"))
    assert response.status_code == 201, response.get_json()
    assert "consultation_feedback" in get_column(demo.id, "consultations").accepts


def test_the_demo_loads_one_open_consultation_once(client, demo):
    from cms.consultations.demo import seed_demo_consultation

    item = seed_demo_consultation(demo)
    db.session.commit()
    assert item.is_public and record_of(item).kind == "major_decision"
    assert seed_demo_consultation(demo).id == item.id
    assert "剩余30天" in client.get("/consultations").get_data(as_text=True)

"""The editor form's schedule fields (Beijing time), the list and review screen showing the schedule."""
from datetime import timedelta

from cms.clock import to_local, utcnow
from cms.content.catalog import get_column
from cms.content.models import Item
from cms.extensions import db
from tests.admin.test_item_screens import FORM
from tests.conftest import login
from tests.workflow.helpers import publish


def _local_input(delta):
    return to_local(utcnow() + delta).strftime("%Y-%m-%dT%H:%M")


def test_new_item_with_schedule_then_list_and_review_screen_show_it(client, demo):
    login(client, "editor")
    form = client.get("/admin/items/new").get_data(as_text=True)
    assert 'name="publish_at"' in form and 'name="expires_at"' in form and "定时发布时间" in form
    publish_at = _local_input(timedelta(days=2))
    data = {**FORM, "column_id": get_column(demo.id, "notices").id, "publish_at": publish_at,
            "expires_at": _local_input(timedelta(days=40))}
    assert client.post("/admin/items/new", data=data).status_code == 302
    item = Item.query.filter_by(title=FORM["title"]).one()
    assert to_local(item.publish_at).strftime("%Y-%m-%dT%H:%M") == publish_at
    listing = client.get("/admin/items").get_data(as_text=True)
    assert "定时 " + publish_at.replace("T", " ") in listing
    edit = client.get(f"/admin/items/{item.id}/edit").get_data(as_text=True)
    assert f'value="{publish_at}"' in edit
    publish(item)
    view = client.get(f"/admin/items/{item.id}").get_data(as_text=True)
    assert "将于" in view and publish_at.replace("T", " ") in view and "定时发布" in view


def test_form_refuses_a_past_time_and_keeps_the_typed_text(client, demo):
    login(client, "editor")
    data = {**FORM, "column_id": get_column(demo.id, "notices").id, "publish_at": "2020-01-01T09:00"}
    response = client.post("/admin/items/new", data=data)
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "定时发布时间不能早于当前时间" in page and FORM["title"] in page
    assert Item.query.filter_by(title=FORM["title"]).count() == 0


def test_unchanged_schedule_is_not_rechecked_and_clearing_works(client, demo):
    login(client, "editor")
    data = {**FORM, "column_id": get_column(demo.id, "notices").id, "publish_at": _local_input(timedelta(days=1))}
    client.post("/admin/items/new", data=data)
    item = Item.query.filter_by(title=FORM["title"]).one()
    edit = {**data, "version": item.version, "publish_at": ""}
    assert client.post(f"/admin/items/{item.id}/edit", data=edit).status_code == 302
    db.session.expire_all()
    assert db.session.get(Item, item.id).publish_at is None

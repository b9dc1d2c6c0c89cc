"""Edits of a published item are decided on a version: no lost update, never a second working copy."""
import threading

import pytest

from cms.content.models import Item
from cms.extensions import db
from tests.workflow.helpers import draft, publish


@pytest.fixture
def live(demo):
    return publish(draft(demo, title="关于公布2017年文化市场检查结果的通知"))


def _patch(client, headers, item_id, **data):
    return client.patch(f"/api/v1/items/{item_id}", headers=headers, json=data)


def test_two_patches_with_the_same_version_the_second_is_409(client, live, token_for):
    headers = token_for("editor")
    version = live.version
    first = _patch(client, headers, live.id, version=version, summary="第一次修改")
    assert first.status_code == 200
    second = _patch(client, headers, live.id, version=version, summary="第二次修改，基于旧版本")
    assert second.status_code == 409
    copy = Item.query.filter_by(working_copy_of_id=live.id).one()
    assert copy.summary == "第一次修改"


def test_the_version_returned_after_an_edit_continues_the_edit(client, live, token_for):
    headers = token_for("editor")
    _patch(client, headers, live.id, version=live.version, summary="一")
    current = client.get(f"/api/v1/items/{live.id}", headers=headers).get_json()["version"]
    assert _patch(client, headers, live.id, version=current, summary="二").status_code == 200
    assert Item.query.filter_by(working_copy_of_id=live.id).one().summary == "二"


def test_an_edit_of_the_working_copy_makes_the_live_version_stale(client, live, token_for):
    headers = token_for("editor")
    stale_live_version = live.version
    copy_json = _patch(client, headers, live.id, version=stale_live_version, summary="一").get_json()
    assert copy_json["id"] != live.id
    assert _patch(client, headers, copy_json["id"], version=copy_json["version"], summary="二").status_code == 200
    live_version_now = client.get(f"/api/v1/items/{live.id}", headers=headers).get_json()["version"]
    assert _patch(client, headers, live.id, version=live_version_now - 1, summary="旧").status_code == 409
    assert Item.query.filter_by(working_copy_of_id=live.id).one().summary == "二"


def test_the_live_item_stays_public_and_unchanged_while_edited(client, live, token_for):
    headers = token_for("editor")
    _patch(client, headers, live.id, version=live.version, title="新标题")
    page = client.get(f"/items/{live.id}")
    assert page.status_code == 200 and "关于公布2017年文化市场检查结果的通知" in page.get_data(as_text=True)


@pytest.mark.concurrency
def test_twenty_parallel_patches_one_wins_no_500_no_second_working_copy(app, live, token_for):
    headers = token_for("editor")
    version, item_id = live.version, live.id
    count = 20
    barrier = threading.Barrier(count)
    statuses = [None] * count

    def work(index):
        with app.app_context():
            client = app.test_client()
            barrier.wait(timeout=30)
            statuses[index] = client.patch(f"/api/v1/items/{item_id}", headers=headers,
                                           json={"version": version, "summary": f"并发修改{index}"}).status_code
            db.session.remove()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses.count(200) == 1, statuses
    assert statuses.count(409) == count - 1, statuses
    db.session.expire_all()
    assert Item.query.filter_by(working_copy_of_id=item_id).count() == 1

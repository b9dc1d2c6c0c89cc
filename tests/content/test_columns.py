"""Column administration: create, rename, move, reorder, retire, merge with redirects, cross-references."""
import pytest

from cms.accounts.models import AuditLog, User
from cms.content import columns as services
from cms.content.catalog import get_column
from cms.content.models import Item
from cms.errors import Conflict, ValidationError
from cms.extensions import db
from tests.conftest import login
from tests.workflow.helpers import draft, publish


def admin():
    return User.query.filter_by(username="admin").one()


def test_create_move_rename_and_reorder(demo):
    parent = get_column(demo.id, "notices")
    column = services.create_column(demo, "tenders", "招标公告", ["notice"], admin(), positioning="政府采购招标", parent=parent)
    assert column.parent_id == parent.id
    services.update_column(column, admin(), name="招标采购公告", parent=None)
    assert column.name == "招标采购公告" and column.parent_id is None
    services.reorder_columns(demo, ["tenders", "policies"], admin())
    assert get_column(demo.id, "tenders").position == 1 and get_column(demo.id, "policies").position == 2
    actions = [a.action for a in AuditLog.query.filter(AuditLog.action.like("column.%"))]
    assert actions == ["column.create", "column.update", "column.reorder"]


@pytest.mark.parametrize("code, accepts", [("Bad Code", ["notice"]), ("ok", []), ("ok", ["spaceship"]), ("policies", ["policy"])])
def test_bad_column_input(demo, code, accepts):
    with pytest.raises(ValidationError):
        services.create_column(demo, code, "名称", accepts, admin())


def test_moving_a_column_under_its_own_child_is_refused(demo):
    parent = services.create_column(demo, "a", "甲", ["notice"], admin())
    child = services.create_column(demo, "b", "乙", ["notice"], admin(), parent=parent)
    with pytest.raises(ValidationError):
        services.update_column(parent, admin(), parent=child)


def test_retire_refuses_columns_with_items(demo):
    with pytest.raises(Conflict):
        services.retire_column(get_column(demo.id, "policies"), admin())
    empty = services.create_column(demo, "empty", "空栏目", ["notice"], admin())
    services.retire_column(empty, admin())
    assert empty.retired


def test_merge_moves_items_and_keeps_links_working(client, demo):
    source = services.create_column(demo, "announcements", "公告", ["notice"], admin())
    item = publish(draft(demo, column="announcements", title="关于公告栏目的信息"))
    moved = services.merge_columns(source, get_column(demo.id, "notices"), admin())
    db.session.commit()
    assert moved == 1
    assert db.session.get(Item, item.id).column.code == "notices"
    response = client.get("/columns/announcements?year=2026")
    assert response.status_code == 301
    assert response.headers["Location"].endswith("/columns/notices?year=2026")
    assert "关于公告栏目的信息" in client.get("/columns/notices").get_data(as_text=True)


def test_merge_refuses_a_target_that_does_not_accept_the_items(demo):
    publish(draft(demo, column="notices", title="通知甲"))
    with pytest.raises(ValidationError):
        services.merge_columns(get_column(demo.id, "notices"), get_column(demo.id, "policies"), admin())


def test_cross_reference_lists_the_item_without_a_second_publication(client, demo):
    policy = publish(draft(demo, column="policies", type="policy", title="文化市场管理办法全文", doc_number="嘉文广发〔2019〕1号"))
    services.add_reference(get_column(demo.id, "notices"), policy, admin())
    db.session.commit()
    page = client.get("/columns/notices").get_data(as_text=True)
    assert "文化市场管理办法全文" in page
    assert Item.query.filter_by(title="文化市场管理办法全文").count() == 1
    with pytest.raises(ValidationError):
        services.add_reference(get_column(demo.id, "notices"), draft(demo, title="草稿"), admin())


def test_column_screens_are_admin_only_and_work(client, demo):
    notices = get_column(demo.id, "notices")
    for username in ("editor", "auditor", "leader"):
        login(client, username)
        assert client.get("/admin/columns").status_code == 403
        assert client.post(f"/admin/columns/{notices.id}/retire").status_code == 403
        client.post("/logout")
    login(client, "admin")
    assert "通知公告" in client.get("/admin/columns").get_data(as_text=True)
    response = client.post("/admin/columns/new", data={"code": "heritage", "name": "非遗保护", "parent_id": 0,
                                                       "positioning": "非物质文化遗产", "accepts": ["news", "notice"],
                                                       "workflow": "two_stage", "visible": "y"})
    assert response.status_code == 302
    heritage = get_column(demo.id, "heritage")
    assert heritage.workflow == "two_stage" and heritage.accepts == ["news", "notice"]
    assert client.post("/admin/columns/new", data={"code": "heritage", "name": "x", "parent_id": 0,
                                                   "accepts": ["news"], "workflow": "three_stage"}).status_code == 422
    assert client.post(f"/admin/columns/{heritage.id}/merge", data={"merge-target_id": notices.id}).status_code == 302
    assert get_column(demo.id, "heritage").retired

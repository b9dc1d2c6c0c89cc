"""The interpretation setting (sync or lag mode) on the back-office screen: the office changes it with the
version it was shown (stale → 409), CSRF on the form, other roles refused; the API carries the version too."""
import re

import pytest

from cms.content.interpretations import setting_for
from cms.extensions import db
from tests.conftest import login


def _post(client, version, **fields):
    data = {"version": str(version), "mode": "sync", "include_normative": "y", "item_types": ["policy"]}
    data.update(fields)
    return client.post("/admin/interpretation-setting", data=data)


def test_office_switches_to_lag_mode_and_back(client, demo):
    login(client, "auditor")
    page = client.get("/admin/interpretation-setting").get_data(as_text=True)
    assert "政策解读设置" in page and 'name="version" type="hidden" value="0"' in page
    assert 'value="policy" checked' in page and "允许解读材料滞后发布" in page
    assert "解读设置</a>" in client.get("/admin/").get_data(as_text=True)
    response = _post(client, 0, mode="lag", lag_days="5", item_types=["policy", "plan"], include_normative="")
    assert response.status_code == 302
    row = setting_for(demo.id)
    assert (row.mode, row.lag_days, row.item_types, row.include_normative, row.version) == (
        "lag", 5, ["plan", "policy"], False, 1)
    page = client.get("/admin/interpretation-setting").get_data(as_text=True)
    assert 'name="version" type="hidden" value="1"' in page and 'value="plan" checked' in page
    assert re.search(r'<input checked[^>]*value="lag"', page)
    assert _post(client, 1, mode="sync").status_code == 302
    db.session.expire_all()
    assert (setting_for(demo.id).mode, setting_for(demo.id).version) == ("sync", 2)


def test_stale_version_is_409_and_keeps_the_setting(client, demo, token_for):
    login(client, "auditor")
    assert _post(client, 0, mode="lag", lag_days="3").status_code == 302
    # Someone else changes it through the API with the version they read.
    api = client.put("/api/v1/interpretation-setting", headers=token_for("officehead"),
                     json={"mode": "sync", "version": 1})
    assert api.status_code == 200 and api.get_json()["version"] == 2
    stale = _post(client, 1, mode="lag", lag_days="10")
    assert stale.status_code == 409
    page = stale.get_data(as_text=True)
    assert "已被他人修改" in page and 'name="version" type="hidden" value="2"' in page
    db.session.expire_all()
    assert (setting_for(demo.id).mode, setting_for(demo.id).lag_days) == ("sync", 3)
    stale_api = client.put("/api/v1/interpretation-setting", headers=token_for("officehead"),
                           json={"mode": "lag", "version": 1})
    assert stale_api.status_code == 409 and stale_api.get_json()["error"]["fields"] == {"version": "stale"}


@pytest.mark.parametrize("fields, status", [
    ({"mode": "lag", "lag_days": ""}, 422),      # lag without days
    ({"mode": "lag", "lag_days": "61"}, 422),
    ({"mode": "lag", "lag_days": "三"}, 422),
    ({"mode": "later"}, 422),
    ({"item_types": ["nothing"]}, 422),
    ({"item_types": ["interpretation"]}, 422),
    ({"version": "x"}, 400),
    ({"version": ""}, 400),
])
def test_bad_input_is_4xx_with_a_message(client, demo, fields, status):
    login(client, "auditor")
    version = fields.pop("version", 0)
    response = _post(client, version, **fields)
    assert response.status_code == status
    assert 'class="flash flash-error"' in response.get_data(as_text=True)
    assert setting_for(demo.id).id is None  # nothing saved


@pytest.mark.parametrize("username", ["editor", "chief", "leader", "editor2"])
def test_other_roles_are_refused(client, demo, username):
    login(client, username)
    assert client.get("/admin/interpretation-setting").status_code == 403
    assert _post(client, 0, mode="lag", lag_days="5").status_code == 403
    assert "解读设置</a>" not in client.get("/admin/").get_data(as_text=True)


def test_admin_reaches_it_from_the_site_settings_and_csrf_is_checked(app, client, demo):
    login(client, "admin")
    site = client.get("/admin/site").get_data(as_text=True)
    assert 'id="interpretation-setting-link"' in site
    assert client.get("/admin/interpretation-setting").status_code == 200
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert _post(client, 0, mode="lag", lag_days="5").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert setting_for(demo.id).id is None

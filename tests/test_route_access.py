"""Every back-office route refuses anonymous visitors; every API route except the public ones needs a token.
Built from the URL map, so a new route is covered the day it is added."""
import re

import pytest

PUBLIC_API = {"/api/v1/", "/api/v1/openapi.json", "/api/v1/tokens", "/api/v1/search", "/api/v1/applications",
              "/api/v1/applications/<code>", "/api/v1/applications/<code>/status",
              "/api/v1/consultations/<int:item_id>/comments"}  # POST is public; its GET's token: tests/consultations
PUBLIC_API_METHODS = {("GET", "/api/v1/site")}  # reading is public; changing needs a token


def _routes(app, prefix):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(prefix):
            url = re.sub(r"<(?:int:)?[^>]+>", "1", rule.rule)
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield method, url, rule.rule


def test_every_back_office_route_needs_a_login(app, client, demo):
    checked = 0
    for method, url, rule in _routes(app, "/admin"):
        response = client.open(url, method=method)
        assert response.status_code == 302 and "/login" in response.headers["Location"], (method, rule)
        checked += 1
    assert checked > 20


def test_every_private_api_route_needs_a_token(app, client, demo):
    checked = 0
    for method, url, rule in _routes(app, "/api/v1"):
        if rule in PUBLIC_API or (method, rule) in PUBLIC_API_METHODS:
            continue
        response = client.open(url, method=method, json={})
        assert response.status_code == 401, (method, rule)
        assert response.get_json()["error"]["code"] == "unauthorized"
        checked += 1
    assert checked >= 8


@pytest.mark.parametrize("username", ["editor", "chief", "auditor", "leader"])
def test_admin_only_screens_refuse_other_roles(app, client, demo, username):
    from tests.conftest import login

    login(client, username)
    for url in ("/admin/sections", "/admin/users", "/admin/audit", "/admin/columns", "/admin/columns/new"):
        assert client.get(url).status_code == 403, url

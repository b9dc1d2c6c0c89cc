"""Site settings: GET /api/v1/site (public), PUT (admin, versioned), the admin screen, and the public footer."""
import pytest

from cms.blueprints.public.page_cache import column_pages, item_pages
from cms.site.models import SiteSettings

FULL = {
    "host_org": "嘉峪关市文化广播影视新闻出版局", "site_code": "6202000001", "icp_record": "陇ICP备12345678号",
    "police_record": "甘公网安备62020002000001号",
    "contact": {"address": "嘉峪关市新华中路1号", "phone": "0937-6221234", "email": "gk@example.gov.cn"},
    "privacy_html": "<p>本网站尊重并保护用户隐私。</p><script>alert(1)</script>",
}


def _put(client, headers, body):
    return client.put("/api/v1/site", json=body, headers=headers)


def test_get_is_public_and_empty_at_first(client, demo):
    response = client.get("/api/v1/site")
    assert response.status_code == 200
    body = response.get_json()
    assert body["host_org"] == "" and body["contact"] == {"address": "", "phone": "", "email": ""}
    assert body["version"] == 0


def test_admin_sets_the_settings_and_privacy_html_is_sanitized(client, demo, token_for):
    headers = token_for("admin")
    response = _put(client, headers, dict(FULL, version=0))
    assert response.status_code == 200, response.get_json()
    body = client.get("/api/v1/site").get_json()
    assert body["host_org"] == FULL["host_org"] and body["contact"]["email"] == "gk@example.gov.cn"
    assert "<script" not in body["privacy_html"] and "本网站尊重并保护用户隐私" in body["privacy_html"]
    assert body["version"] == 1


def test_put_needs_an_admin_token_and_the_current_version(client, demo, token_for):
    assert _put(client, {}, dict(FULL, version=0)).status_code == 401
    assert _put(client, token_for("editor"), dict(FULL, version=0)).status_code == 403
    admin = token_for("admin")
    assert _put(client, admin, FULL).status_code == 422  # no version
    assert _put(client, admin, dict(FULL, version=0)).status_code == 200
    stale = _put(client, admin, dict(FULL, host_org="别的", version=0))
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "conflict"
    assert SiteSettings.query.one().host_org == FULL["host_org"]


@pytest.mark.parametrize("body, field", [
    ({"contact": {"email": "not-an-email"}}, "contact.email"),
    ({"site_code": "62-02"}, "site_code"),
    ({"host_org": 12}, "host_org"),
    ({"contact": "x"}, "contact"),
    ({"host_org": "长" * 201}, "host_org"),
])
def test_bad_values_are_422_naming_the_field(client, demo, token_for, body, field):
    response = _put(client, token_for("admin"), dict(body, version=0))
    assert response.status_code == 422
    assert field in response.get_json()["error"]["fields"]


def test_footer_shows_only_what_is_set(client, demo, token_for):
    html = client.get("/").get_data(as_text=True)
    for absent in ("网站标识码", "ICP 备案编号", "公安机关备案号", "隐私声明", "联系我们：", "党政机关网站标识"):
        assert absent not in html
    assert 'href="/sitemap">网站地图' in html
    _put(client, token_for("admin"), {"host_org": "某某局", "contact": {"phone": "0937-1"}, "version": 0})
    html = client.get("/").get_data(as_text=True)
    assert "主办单位：<span id=\"footer-host\">某某局</span>" in html and "电话：0937-1" in html
    assert "地址：" not in html and "网站标识码" not in html and "隐私声明" not in html


def test_full_footer_and_privacy_page(client, demo, token_for):
    _put(client, token_for("admin"), dict(FULL, version=0))
    html = client.get("/catalog").get_data(as_text=True)
    for text in ("主办单位", FULL["host_org"], "网站标识码", "6202000001", "陇ICP备12345678号",
                 "甘公网安备62020002000001号", "党政机关网站标识", 'href="/privacy">隐私声明', "嘉峪关市新华中路1号",
                 "0937-6221234", "mailto:gk@example.gov.cn"):
        assert text in html, text
    privacy = client.get("/privacy").get_data(as_text=True)
    assert "本网站尊重并保护用户隐私" in privacy and "alert(1)" not in privacy


def test_cached_pages_show_a_settings_change(app, client, demo, token_for):
    app.config["CMS_PAGE_CACHE"] = True
    column_pages.clear()
    item_pages.clear()
    try:
        for url in ("/", "/columns/notices", "/items/1"):
            assert "新主办单位" not in client.get(url).get_data(as_text=True)
        _put(client, token_for("admin"), {"host_org": "新主办单位", "version": 0})
        for url in ("/", "/columns/notices", "/items/1"):
            assert "新主办单位" in client.get(url).get_data(as_text=True), url
    finally:
        app.config["CMS_PAGE_CACHE"] = False
        column_pages.clear()
        item_pages.clear()


def test_admin_screen_saves_with_the_version(client, demo, login_as):
    login_as("admin")
    page = client.get("/admin/site")
    assert page.status_code == 200 and "网站设置" in page.get_data(as_text=True)
    response = client.post("/admin/site", data={"version": "0", "host_org": "屏幕设置的主办单位",
                                                "contact_email": "a@b.cn"})
    assert response.status_code == 302
    assert "屏幕设置的主办单位" in client.get("/").get_data(as_text=True)
    stale = client.post("/admin/site", data={"version": "0", "host_org": "过期的"})
    assert stale.status_code == 409 and "已被他人修改" in stale.get_data(as_text=True)
    bad = client.post("/admin/site", data={"version": "1", "contact_email": "nope"})
    assert bad.status_code == 422


def test_admin_screen_is_admin_only(client, demo, login_as):
    login_as("editor")
    assert client.get("/admin/site").status_code == 403
    assert client.post("/admin/site", data={"version": "0", "host_org": "x"}).status_code == 403

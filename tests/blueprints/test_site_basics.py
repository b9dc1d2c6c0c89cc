"""Every response carries security headers; the home page is Chinese; health check answers."""
from tests.conftest import login


def test_home_page_is_chinese(client, demo):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in page
    assert "主动公开基本目录" in page
    assert 'role="main"' in page or "<main" in page


def test_security_headers_on_every_kind_of_response(client, demo):
    for url in ("/", "/login", "/healthz", "/no-such-page", "/api/v1/"):
        response = client.get(url)
        csp = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp, url
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["Referrer-Policy"]


def test_no_inline_script_in_layouts(client, demo):
    pages = [client.get("/").get_data(as_text=True), client.get("/login").get_data(as_text=True)]
    login(client, "admin")
    pages.append(client.get("/admin/").get_data(as_text=True))
    for page in pages:
        assert "<script>" not in page and "onclick=" not in page


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_static_assets_are_local(client):
    page = client.get("/").get_data(as_text=True)
    assert "http://" not in page.replace('http://www.w3.org', '') and "https://" not in page

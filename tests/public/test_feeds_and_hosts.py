"""Feeds, the sitemap and robots.txt build absolute URLs from CMS_SITE_URL, never from the request's Host
header; hosts outside CMS_TRUSTED_HOSTS are refused with 400; RSS descriptions are plain text."""
import re
import xml.etree.ElementTree as ET

import pytest

from tests.workflow.helpers import draft, publish

SURFACES = ["/feeds/all.xml", "/feeds/notices.xml", "/sitemap.xml", "/robots.txt"]


@pytest.fixture
def site(app, demo, monkeypatch):
    monkeypatch.setitem(app.config, "CMS_SITE_URL", "https://gk.example.gov.cn")
    return publish(draft(demo, title="关于站点地址的通知"))


def _absolute_urls(text):
    return re.findall(r"https?://[^\s<\"']+", text)


def test_absolute_urls_come_from_the_site_url(client, site):
    for url in SURFACES:
        response = client.get(url, headers={"Host": "localhost"})
        assert response.status_code == 200, url
        urls = [u for u in _absolute_urls(response.get_data(as_text=True))
                if "sitemaps.org" not in u and "w3.org" not in u and "purl.org" not in u
                and "rssboard.org" not in u and "cyber.harvard.edu" not in u
                and "lkiesow/python-feedgen" not in u]
        assert urls, url
        assert all(u.startswith("https://gk.example.gov.cn/") for u in urls), (url, urls)
    feed = client.get("/feeds/all.xml").get_data(as_text=True)
    assert f"https://gk.example.gov.cn/items/{site.id}" in feed
    robots = client.get("/robots.txt").get_data(as_text=True)
    assert "Sitemap: https://gk.example.gov.cn/sitemap.xml" in robots


def test_site_url_defaults_to_the_embedded_server(app, client, demo):
    assert app.config["CMS_SITE_URL"] == "http://127.0.0.1:5000"
    robots = client.get("/robots.txt", headers={"Host": "localhost:8080"}).get_data(as_text=True)
    assert "Sitemap: http://127.0.0.1:5000/sitemap.xml" in robots


@pytest.mark.parametrize("host", ["evil.example", "localhost.evil.example", "127.0.0.1.evil.example",
                                  "gk.example.gov.cn.evil.example"])
def test_untrusted_hosts_are_refused_everywhere(client, site, host):
    for url in SURFACES + ["/", "/login", "/api/v1/columns", "/admin/"]:
        response = client.get(url, headers={"Host": host})
        assert response.status_code == 400, (url, host)
        assert host not in response.get_data(as_text=True)
    response = client.get("/api/v1/columns", headers={"Host": host})
    assert response.is_json and response.get_json()["error"]["code"] == "bad_request"


def test_trusted_hosts_follow_the_setting(app, client, site, monkeypatch):
    assert set(app.config["TRUSTED_HOSTS"]) >= {"127.0.0.1", "localhost"}
    monkeypatch.setitem(app.config, "TRUSTED_HOSTS", ["gk.example.gov.cn", "localhost"])
    assert client.get("/robots.txt", headers={"Host": "gk.example.gov.cn"}).status_code == 200
    assert client.get("/robots.txt", headers={"Host": "127.0.0.1:5000"}).status_code == 400


def test_rss_descriptions_are_plain_text(client, demo):
    publish(draft(demo, title="正文带标记的通知",
                  body_html="<p>第一段 <strong>加粗</strong> &lt;script&gt;alert(1)&lt;/script&gt;</p><p>第二段</p>"))
    publish(draft(demo, title="摘要带标记的通知", summary='<img src=x onerror="alert(2)">摘要 & 说明'))
    root = ET.fromstring(client.get("/feeds/all.xml").data)
    descriptions = [d.text or "" for d in root.iter("description")]
    assert len(descriptions) >= 3  # the channel's and the items'
    for text in descriptions:
        assert "<" not in text and ">" not in text, text  # nothing a reader would render as markup
    joined = "\n".join(descriptions)
    assert "第一段 加粗" in joined and "第二段" in joined
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in joined  # shown as text, not run
    assert "摘要 &amp; 说明" in joined

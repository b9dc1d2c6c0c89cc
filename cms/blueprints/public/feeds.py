"""RSS feeds, the sitemap and robots.txt: public items only.

Absolute URLs come from ``CMS_SITE_URL``, never from the request (a forged Host header must not end up in
links that crawlers and feed readers keep).
"""
from datetime import timezone
from html import escape

from feedgen.feed import FeedGenerator
from flask import Response, abort, current_app, url_for

from cms.blueprints.public import bp
from cms.content.columns import site_organization, visible_columns
from cms.content.models import Column, Item
from cms.content.queries import public_items, public_items_in_column
from cms.content.sanitize import html_to_text

FEED_SIZE = 50
SUMMARY_CHARS = 200


def site_url(path="/"):
    """The absolute URL of ``path`` on the public site."""
    return current_app.config["CMS_SITE_URL"].rstrip("/") + path


def feed_description(item):
    """Plain text for ``<description>``: readers render it as HTML, so the text is HTML-escaped (a summary or
    body that talks about ``<script>`` shows those characters and runs nothing)."""
    text = html_to_text(item.summary) if item.summary else html_to_text(item.body_html)
    text = " ".join(text.split())
    if len(text) > SUMMARY_CHARS:
        text = text[:SUMMARY_CHARS].rstrip() + "……"
    return escape(text, quote=False)


def _feed(title, link, items, feed_url):
    generator = FeedGenerator()
    generator.title(title)
    generator.link(href=link, rel="alternate")
    generator.link(href=feed_url, rel="self")
    generator.description(title)
    generator.language("zh-CN")
    for item in reversed(items):  # feedgen prepends entries
        entry = generator.add_entry()
        url = site_url(url_for("public.item_detail", item_id=item.id))
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(item.title)
        entry.link(href=url)
        entry.description(feed_description(item))
        entry.pubDate(item.published_at.replace(tzinfo=timezone.utc))
        entry.category(term=item.column.name)
    return Response(generator.rss_str(pretty=True), mimetype="application/rss+xml; charset=utf-8")


@bp.get("/feeds/all.xml")
def feed_all():
    org = site_organization()
    if org is None:
        abort(404)
    items = (public_items().filter(Item.organization_id == org.id)
             .order_by(Item.published_at.desc(), Item.id.desc()).limit(FEED_SIZE).all())
    return _feed(f"{org.name} - 政府信息公开", site_url(), items, site_url(url_for("public.feed_all")))


@bp.get("/feeds/<code>.xml")
def feed_column(code):
    org = site_organization()
    column = Column.query.filter_by(organization_id=org.id, code=code, retired=False, visible=True).first() if org else None
    if column is None:
        abort(404)
    items = (public_items_in_column(column).order_by(Item.published_at.desc(), Item.id.desc())
             .limit(FEED_SIZE).all())
    link = site_url(url_for("public.column_detail", code=code))
    return _feed(f"{org.name} - {column.name}", link, items, site_url(url_for("public.feed_column", code=code)))


@bp.get("/sitemap.xml")
def sitemap():
    org = site_organization()
    root = site_url("")
    urls = [(root + "/", None), (root + url_for("public.catalog"), None)]
    if org is not None:
        urls += [(root + url_for("public.column_detail", code=c.code), None) for c in visible_columns(org)]
        rows = (public_items().filter(Item.organization_id == org.id)
                .with_entities(Item.id, Item.updated_at).order_by(Item.id).limit(50000))
        urls += [(root + url_for("public.item_detail", item_id=i), updated) for i, updated in rows]
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for loc, updated in urls:
        lastmod = f"<lastmod>{updated.strftime('%Y-%m-%d')}</lastmod>" if updated else ""
        lines.append(f"  <url><loc>{loc}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return Response("\n".join(lines), mimetype="application/xml")


@bp.get("/robots.txt")
def robots():
    body = "User-agent: *\nDisallow: /admin/\nDisallow: /api/\nDisallow: /login\n" \
           f"Sitemap: {site_url(url_for('public.sitemap'))}\n"
    return Response(body, mimetype="text/plain")

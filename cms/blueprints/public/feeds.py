"""RSS feeds, the sitemap and robots.txt: public items only."""
from datetime import timezone

from feedgen.feed import FeedGenerator
from flask import Response, abort, request, url_for

from cms.blueprints.public import bp
from cms.content.columns import site_organization, visible_columns
from cms.content.models import Column, Item
from cms.content.queries import public_items, public_items_in_column
from cms.content.sanitize import html_to_text

FEED_SIZE = 50


def _feed(title, link, items, feed_url):
    generator = FeedGenerator()
    generator.title(title)
    generator.link(href=link, rel="alternate")
    generator.link(href=feed_url, rel="self")
    generator.description(title)
    generator.language("zh-CN")
    for item in reversed(items):  # feedgen prepends entries
        entry = generator.add_entry()
        url = request.url_root.rstrip("/") + url_for("public.item_detail", item_id=item.id)
        entry.id(url)
        entry.guid(url, permalink=True)
        entry.title(item.title)
        entry.link(href=url)
        entry.description(item.summary or html_to_text(item.body_html)[:200])
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
    return _feed(f"{org.name} - 政府信息公开", request.url_root, items, request.url)


@bp.get("/feeds/<code>.xml")
def feed_column(code):
    org = site_organization()
    column = Column.query.filter_by(organization_id=org.id, code=code, retired=False, visible=True).first() if org else None
    if column is None:
        abort(404)
    items = (public_items_in_column(column).order_by(Item.published_at.desc(), Item.id.desc())
             .limit(FEED_SIZE).all())
    link = request.url_root.rstrip("/") + url_for("public.column_detail", code=code)
    return _feed(f"{org.name} - {column.name}", link, items, request.url)


@bp.get("/sitemap.xml")
def sitemap():
    org = site_organization()
    root = request.url_root.rstrip("/")
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
           f"Sitemap: {request.url_root.rstrip('/')}/sitemap.xml\n"
    return Response(body, mimetype="text/plain")

"""Standard pages of the site: 信息公开指南, 信息公开制度 (text set in the site settings), 隐私声明 and the
human-readable 网站地图 (``/sitemap``; the XML one stays at ``/sitemap.xml``)."""
from flask import abort, redirect, render_template, url_for

from cms.blueprints.public import bp
from cms.content.columns import site_organization, visible_columns
from cms.content.models import Column
from cms.site import service as site_settings


def _text_page(title, html, empty):
    return render_template("public/text_page.html", title=title, html=html, empty=empty)


@bp.get("/disclosure/guide")
def disclosure_guide():
    settings = site_settings.current()
    if not settings.guide_html:
        org = site_organization()
        if org is not None and Column.query.filter_by(organization_id=org.id, code="guide", retired=False,
                                                      visible=True).first():
            return redirect(url_for("public.column_detail", code="guide"))
    return _text_page("政府信息公开指南", settings.guide_html, "本机关政府信息公开指南正在编制中。")


@bp.get("/disclosure/rules")
def disclosure_rules():
    return _text_page("政府信息公开制度", site_settings.current().rules_html, "本机关政府信息公开制度正在编制中。")


@bp.get("/privacy")
def privacy():
    settings = site_settings.current()
    if not settings.privacy_html:
        abort(404)
    return _text_page("隐私声明", settings.privacy_html, "")


@bp.get("/sitemap")
def sitemap_page():
    org = site_organization()
    columns = visible_columns(org) if org else []
    children, ids = {}, {c.id for c in columns}
    for column in columns:
        children.setdefault(column.parent_id if column.parent_id in ids else None, []).append(column)
    return render_template("public/sitemap.html", children=children, settings=site_settings.current())

"""Preview an item as the public will see it (any state), and issue or revoke its signed preview links."""
from flask import flash, make_response, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm

from cms.blueprints.admin import bp
from cms.content.preview import admin_body, issue_link_token, may_share, preview_days, public_page_context, revoke_links
from cms.content.services import get_item_for
from cms.errors import NotAllowed
from cms.extensions import db


@bp.get("/items/<int:item_id>/preview")
def item_preview(item_id):
    item = get_item_for(current_user, item_id)
    page = render_template("public/item_preview.html", **public_page_context(item),
                           preview_body=admin_body(item.body_html), attachment_prefix="/admin/attachments",
                           back_url=url_for("admin.item_view", item_id=item.id))
    response = make_response(page)
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _shareable(item_id):
    item = get_item_for(current_user, item_id)
    if not may_share(current_user, item):
        raise NotAllowed("您不能分享此信息的预览链接")
    if not FlaskForm().validate_on_submit():
        raise NotAllowed("请求无效，请刷新页面后重试")
    return item


@bp.post("/items/<int:item_id>/preview-link")
def item_preview_link_issue(item_id):
    item = _shareable(item_id)
    token = issue_link_token(item, current_user)
    from cms.accounts.audit import record_audit

    record_audit("item.preview_link", current_user, target=f"item:{item.id}", details={"days": preview_days()})
    db.session.commit()
    url = request.host_url.rstrip("/") + url_for("public.item_preview_link", token=token)
    return render_template("admin/preview_link.html", item=item, url=url, days=preview_days(),
                           breadcrumbs=[("信息管理", url_for("admin.item_list")),
                                        (item.title, url_for("admin.item_view", item_id=item.id)), ("预览链接", None)])


@bp.post("/items/<int:item_id>/preview-link/revoke")
def item_preview_link_revoke(item_id):
    item = _shareable(item_id)
    revoke_links(item, current_user)
    from cms.accounts.audit import record_audit

    record_audit("item.preview_revoke", current_user, target=f"item:{item.id}")
    db.session.commit()
    flash("此前发出的预览链接均已失效。", "success")
    return redirect(url_for("admin.item_view", item_id=item.id))

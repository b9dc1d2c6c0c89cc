"""App-level error pages: JSON under /api/, the back-office page under /admin, a helpful public page
elsewhere. Blueprint handlers cover errors raised inside their views; these cover routing errors
(unknown URLs, wrong methods) and anything that escapes."""
from flask import Response, current_app, render_template, request
from werkzeug.exceptions import HTTPException, SecurityError

from cms.extensions import db

MESSAGES = {
    400: "请求无效。",
    403: "您没有权限访问此页面。",
    404: "您访问的页面不存在，可能已被移动或删除。",
    405: "不支持此请求方法。",
    413: "上传的内容过大。",
    429: "请求过于频繁，请稍后再试。",
    500: "服务器内部错误，请稍后再试。",
}


def _render(status, description=None, shown=None):
    message = shown or MESSAGES.get(status, description or "出错了。")
    if request.path.startswith("/api/"):
        from cms.blueprints.api import error_response

        codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 429: "too_many_requests",
                 400: "bad_request", 500: "internal_error"}
        return error_response(status, codes.get(status, "error"), message)
    if request.path.startswith("/admin"):
        return render_template("admin/error.html", message=message, status=status), status
    return render_template("public/error.html", message=message, status=status), status


UNTRUSTED_HOST = "请求的主机名不在本站允许的范围内（CMS_TRUSTED_HOSTS）。"


def _untrusted_host():
    """400 for a Host header outside CMS_TRUSTED_HOSTS. No URL can be built for such a request (Flask has no
    URL adapter for it), so the answer is a page without links, and it never repeats the forged host."""
    if request.path.startswith("/api/"):
        from cms.blueprints.api import error_response

        return error_response(400, "bad_request", UNTRUSTED_HOST)
    body = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>请求无效</title></head>'
            f"<body><h1>请求无效</h1><p>{UNTRUSTED_HOST}</p></body></html>")
    return Response(body, status=400, mimetype="text/html")


def init_error_pages(app):
    @app.errorhandler(HTTPException)
    def _http(exc):
        if exc.code and exc.code < 400:
            return exc
        if isinstance(exc, SecurityError):
            return _untrusted_host()
        from cms.blueprints.api import keep_exception_headers

        shown = exc.description if getattr(exc, "show_description", False) else None
        response, status = _render(exc.code or 500, exc.description, shown)
        return keep_exception_headers(exc, current_app.make_response(response)), status

    @app.errorhandler(Exception)
    def _unexpected(exc):
        db.session.rollback()
        app.logger.exception("unexpected error")
        return _render(500)

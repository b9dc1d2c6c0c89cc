"""App-level error pages: JSON under /api/, the back-office page under /admin, a helpful public page
elsewhere. Blueprint handlers cover errors raised inside their views; these cover routing errors
(unknown URLs, wrong methods) and anything that escapes."""
from flask import current_app, render_template, request
from werkzeug.exceptions import HTTPException

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


def init_error_pages(app):
    @app.errorhandler(HTTPException)
    def _http(exc):
        if exc.code and exc.code < 400:
            return exc
        from cms.blueprints.api import keep_exception_headers

        shown = exc.description if getattr(exc, "show_description", False) else None
        response, status = _render(exc.code or 500, exc.description, shown)
        return keep_exception_headers(exc, current_app.make_response(response)), status

    @app.errorhandler(Exception)
    def _unexpected(exc):
        db.session.rollback()
        app.logger.exception("unexpected error")
        return _render(500)

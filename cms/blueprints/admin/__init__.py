"""The back office: every route needs a logged-in staff user; admin screens need the admin role."""
from functools import wraps

from flask import Blueprint, abort, render_template
from flask_login import current_user

from cms.errors import DomainError

bp = Blueprint("admin", __name__)


@bp.before_request
def _require_login():
    # One access check for the whole back office; object-level checks live in the services.
    if not current_user.is_authenticated:
        from flask import redirect, request, url_for

        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    return None


def admin_required(view):
    """Only users holding the admin role may use this screen."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapped


@bp.errorhandler(DomainError)
def _domain_error(exc):
    return render_template("admin/error.html", message=exc.message, status=exc.status), exc.status


@bp.errorhandler(403)
def _forbidden(_exc):
    return render_template("admin/error.html", message="您没有权限执行此操作。", status=403), 403


@bp.errorhandler(404)
def _not_found(_exc):
    return render_template("admin/error.html", message="页面不存在或您无权查看。", status=404), 404


from cms.blueprints.admin import (  # noqa: E402,F401
    annual_reports,
    assessment,
    applications,
    attachments,
    calendar,
    calendar_notice,
    columns,
    dashboard,
    incidents,
    items,
    notifications,
    people,
    workflows,
    proposals,
)
from cms.blueprints.admin import application_documents, bulk  # noqa: E402,F401
from cms.blueprints.admin import channels, item_channels  # noqa: E402,F401
from cms.blueprints.admin import validity  # noqa: E402,F401
from cms.blueprints.admin import consultations  # noqa: E402,F401
from cms.blueprints.admin import cleanups, interpretation_setting  # noqa: E402,F401
from cms.blueprints.admin import drafting, navigation, preview, search  # noqa: E402,F401

from cms.blueprints.admin import site_settings  # noqa: E402,F401

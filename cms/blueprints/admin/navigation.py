"""Back-office breadcrumbs: a view may pass its own ``breadcrumbs`` list of ``(label, url or None)``;
otherwise the trail is 工作台 › the section the URL belongs to › the page's title (see
``templates/admin/_breadcrumbs.html``)."""
from flask import request, url_for

from cms.blueprints.admin import bp

# The first path segment under /admin/ → (label, endpoint of the section's index page).
SECTIONS = {
    "items": ("信息管理", "admin.item_list"),
    "applications": ("依申请公开", "admin.application_dashboard"),
    "annual-reports": ("年度报告", "admin.annual_report_list"),
    "assessment": ("考核", "admin.assessment_view"),
    "delegations": ("代理审批", "admin.delegation_list"),
    "incidents": ("舆情回应", "admin.incident_list"),
    "proposals": ("建议提案", "admin.proposal_list"),
    "columns": ("栏目管理", "admin.column_list"),
    "workflows": ("审核流程", "admin.workflow_list"),
    "sections": ("科室管理", "admin.section_list"),
    "users": ("用户管理", "admin.user_list"),
    "audit": ("审计日志", "admin.audit_list"),
    "notifications": ("通知", "admin.notification_list"),
    "calendar": ("工作日历", "admin.calendar_days"),
    "search": ("搜索", "admin.item_search"),
}


def section_crumb():
    """``(label, url, is_current)`` of the section the current admin URL belongs to, or None."""
    path = request.path
    if not path.startswith("/admin/"):
        return None
    segment = path[len("/admin/"):].split("/", 1)[0]
    found = SECTIONS.get(segment)
    if found is None:
        return None
    label, endpoint = found
    try:
        url = url_for(endpoint)
    except Exception:  # an endpoint another build does not have: no link, the label still orients
        return label, None, False
    return label, url, url == path


@bp.app_context_processor
def _breadcrumb_context():
    return {"admin_section_crumb": section_crumb}

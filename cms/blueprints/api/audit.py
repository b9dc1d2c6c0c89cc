"""The audit log for administrators: filtered entries with Chinese labels, and a CSV export."""
from flask import Response, jsonify, request

from cms.accounts.audit import record_audit
from cms.accounts.audit_log import PER_PAGE, audit_query, entry_json, export_csv
from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.errors import NotAllowed
from cms.extensions import db


def _query():
    user = api_user()
    if not user.is_admin:
        raise NotAllowed("只有系统管理员可以查看审计日志")
    args = request.args
    return audit_query(args.get("actor"), args.get("action"), args.get("object"), args.get("from"), args.get("to"))


@bp.get("/audit")
@token_required
def audit_entries():
    """``?actor=&action=&object=&from=&to=&page=`` → ``{total, page, per_page, entries}``, newest first."""
    query = _query()
    raw = request.args.get("page", "1")
    page = int(raw) if raw.isdigit() and 0 < len(raw) < 7 else 1
    entries = query.paginate(page=max(page, 1), per_page=PER_PAGE, error_out=False)
    return jsonify(total=entries.total, page=entries.page, per_page=PER_PAGE,
                   entries=[entry_json(e) for e in entries.items])


@bp.get("/audit.csv")
@token_required
def audit_csv():
    query = _query()
    record_audit("audit.export", api_user(), details={"format": "csv", "filters": {
        k: v for k, v in request.args.items() if k in ("actor", "action", "object", "from", "to") and v}})
    db.session.commit()
    return Response(export_csv(query), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})

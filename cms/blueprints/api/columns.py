"""GET /api/v1/columns: the catalog of the caller's organization(s)."""
from flask import jsonify

from cms.blueprints.api import bp
from cms.blueprints.api.auth import api_user, token_required
from cms.content.models import Column


@bp.get("/columns")
@token_required
def column_list():
    org_ids = api_user().organization_ids
    columns = (
        Column.query.filter(Column.organization_id.in_(org_ids), Column.retired.is_(False))
        .order_by(Column.organization_id, Column.position, Column.id)
        .all()
    )
    by_id = {c.id: c for c in columns}
    return jsonify([
        {
            "code": c.code,
            "name": c.name,
            "parent": by_id[c.parent_id].code if c.parent_id in by_id else None,
            "accepts": list(c.accepts or []),
            "workflow": c.workflow,
        }
        for c in columns
    ])

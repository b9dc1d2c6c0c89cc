"""Home page and health check."""
from flask import jsonify, render_template
from sqlalchemy import text

from cms.accounts.models import Organization
from cms.content.models import Column
from cms.blueprints.public import bp
from cms.extensions import db



@bp.get("/")
def home():
    org = Organization.query.order_by(Organization.id).first()
    columns = []
    if org is not None:
        columns = (
            Column.query.filter_by(organization_id=org.id, retired=False, visible=True, parent_id=None)
            .order_by(Column.position, Column.id)
            .all()
        )
    return render_template("public/home.html", org=org, columns=columns)


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # any database failure means unhealthy
        db.session.rollback()
        return jsonify(status="error", database=str(exc.__class__.__name__)), 503
    return jsonify(status="ok", database="ok")

"""``/healthz`` for load balancers and monitoring: 200 when every dependency is ok, else 503."""
from flask import Blueprint, jsonify

from cms.health import check_health

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    healthy, report = check_health()
    response = jsonify(report)
    response.status_code = 200 if healthy else 503
    response.headers["Cache-Control"] = "no-store"
    return response

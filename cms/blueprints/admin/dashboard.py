"""The back-office home page."""
from flask import render_template

from cms.blueprints.admin import bp


@bp.get("/")
def dashboard():
    return render_template("admin/dashboard.html")

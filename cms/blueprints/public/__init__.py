"""The public disclosure site: one module per surface (home, catalog, items, search, feeds, apply...)."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from cms.blueprints.public import apply, attachments, catalog, feeds, home, items, search  # noqa: E402,F401
from cms.blueprints.public import application_documents  # noqa: E402,F401
from cms.blueprints.public import consultations  # noqa: E402,F401
from cms.blueprints.public import preview  # noqa: E402,F401
from cms.blueprints.public import site_context, site_pages, trail  # noqa: E402,F401

"""The site settings in every template (the public footer shows what is set)."""
from sqlalchemy.exc import SQLAlchemyError

from cms.blueprints.public import bp
from cms.extensions import db
from cms.site import service
from cms.site.service import SiteView


@bp.app_context_processor
def _site_info():
    try:
        return {"site_info": service.current()}
    except SQLAlchemyError:  # error pages render even when the database does not answer
        db.session.rollback()
        return {"site_info": SiteView()}

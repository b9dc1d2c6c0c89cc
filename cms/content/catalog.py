"""Creating and reading the column tree."""
from cms.content.models import Column
from cms.content.types import STANDARD_CATALOG
from cms.extensions import db


def create_standard_catalog(organization):
    """Create the standard column tree of the domain doc for a new organization."""
    columns = []
    for position, (code, name, accepts, positioning) in enumerate(STANDARD_CATALOG, start=1):
        column = Column(
            organization=organization,
            code=code,
            name=name,
            accepts=list(accepts),
            positioning=positioning,
            position=position,
            workflow="three_stage",
        )
        db.session.add(column)
        columns.append(column)
    db.session.flush()
    return columns


def get_column(organization_id, code):
    """The column with ``code`` in the organization, or None."""
    return Column.query.filter_by(organization_id=organization_id, code=code).first()

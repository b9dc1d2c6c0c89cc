"""The interpretation tests run under the product's default rule (no setting row: every policy and every
normative document is signed off with its interpretation)."""
import pytest

from cms.content.interpretation_models import InterpretationSetting
from cms.extensions import db


@pytest.fixture(autouse=True)
def default_interpretation_rule(demo):
    InterpretationSetting.query.filter_by(organization_id=demo.id).delete()
    db.session.commit()
    return demo

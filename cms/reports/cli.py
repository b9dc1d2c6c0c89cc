"""``flask --app wsgi cms report ...``."""
from cms.cli import cms_group


@cms_group.group("report")
def report_group():
    """Annual report and assessment (年报与考核)."""

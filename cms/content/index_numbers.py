"""Index numbers (索引号) ``{org code}/{year}-{5-digit sequence}``: unique and gap-free per organization and
year, assigned at first publication in the publishing transaction (a rollback gives the number back)."""
from sqlalchemy import select

from cms.clock import to_local
from cms.extensions import db
from cms.workflow.models import IndexCounter
from cms.workflow.sequences import next_sequence  # noqa: F401  (re-exported)


def format_index_no(org_code, year, seq):
    return f"{org_code}/{year}-{seq:05d}"


def assign_index_number(item, published_at):
    """Give ``item`` its index number for the year of ``published_at`` (China Standard Time)."""
    if item.index_no:
        return item.index_no
    year = to_local(published_at).year
    seq = next_sequence(item.organization_id, year)
    item.index_year = year
    item.index_seq = seq
    item.index_no = format_index_no(item.organization.code, year, seq)
    return item.index_no


def peek_last(organization_id, year):
    """The last sequence used (for reports and tests)."""
    return db.session.execute(
        select(IndexCounter.last_value).where(
            IndexCounter.organization_id == organization_id, IndexCounter.year == year
        )
    ).scalar() or 0

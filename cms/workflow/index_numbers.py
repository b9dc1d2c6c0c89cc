"""Index numbers (索引号) ``{org code}/{year}-{5-digit sequence}``: unique and gap-free per organization and
year, assigned at first publication in the publishing transaction (a rollback gives the number back)."""
from sqlalchemy import select

from cms.clock import to_local
from cms.extensions import db
from cms.workflow.models import IndexCounter


def next_sequence(organization_id, year, counter=None):
    """Take the next sequence number for ``(organization_id, year)`` inside the current transaction.

    One upsert (``INSERT ... ON CONFLICT DO UPDATE SET last_value = last_value + 1 RETURNING``) holds the
    counter row's lock (PostgreSQL) or the database write lock (SQLite) until commit, so concurrent
    sign-offs get distinct, consecutive numbers, and a rolled-back publication gives its number back.
    ``counter`` is another model with the same columns (e.g. reply-letter numbers); index numbers by default.
    """
    table = (counter or IndexCounter).__table__
    dialect = db.session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as upsert
    else:
        from sqlalchemy.dialects.sqlite import insert as upsert
    stmt = upsert(table).values(organization_id=organization_id, year=year, last_value=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.organization_id, table.c.year],
        set_={"last_value": table.c.last_value + 1},
    ).returning(table.c.last_value)
    return db.session.execute(stmt).scalar_one()


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

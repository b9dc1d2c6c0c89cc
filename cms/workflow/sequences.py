"""Gap-free sequences per organization and year (index numbers of items, reply-letter numbers ...)."""
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

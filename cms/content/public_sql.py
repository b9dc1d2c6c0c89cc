"""The public filter as SQL text, for the public pages' text statements (``public_state``, ``listing_sql``,
``queries.latest_public_rows``, the item page's validators, the search page's rows).

Public = published, not a working copy, proactive disclosure: the same rule as ``queries._public_filter`` and
``listing._public_rows`` (the ORM side). ``working_copy_of_id + 0``: SQLite takes a plain ``IS NULL`` on that
column's UNIQUE index for a one-row lookup and walks it over every item; the expression keeps the public
listing indexes in use (see ``listing._public_rows``).
"""


def public_where(table=None):
    """The condition for rows of ``items`` (qualified by ``table`` when given)."""
    p = f"{table}." if table else ""
    return f"{p}state = 'published' AND {p}working_copy_of_id + 0 IS NULL AND {p}disclosure = 'proactive'"


PUBLIC_WHERE = public_where()

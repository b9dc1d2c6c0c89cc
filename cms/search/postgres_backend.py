"""PostgreSQL backend (scale-out): tsvector over the same pre-tokenized text, GIN index, phrase queries.

The analyzer's tokens are joined with spaces and fed to the 'simple' configuration, which keeps them as they
are; a phrase is its tokens joined with <-> (followed-by). Title and 文号 tokens weigh A, the body B.
"""
import queue
from collections import deque
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import Column, MetaData, Table, bindparam, delete, func, literal_column, select, text
from sqlalchemy.dialects.postgresql import insert

from cms.extensions import db
from cms.search.analyzer import parse_query, tokenize
from cms.search.backend import Hit, Results, SearchBackend
from cms.search.models import SearchDocument


def _lexeme(token):
    return "'" + token.replace("'", "''").replace("\\", "\\\\") + "'"


def _tsquery(groups):
    parts = []
    for group in groups:
        alternatives = []
        for tokens in group:
            if len(tokens) == 1 and len(tokens[0]) == 1:
                alternatives.append(_lexeme(tokens[0]) + ":*")
            else:
                alternatives.append("(" + " <-> ".join(_lexeme(t) for t in tokens) + ")")
        parts.append("(" + " | ".join(alternatives) + ")")
    return " & ".join(parts)


TABLE = SearchDocument.__table__
BUILD_TABLE = "search_documents_build"
OLD_TABLE = "search_documents_old"
SWAP_LOCK_TIMEOUT = "30s"


def _tsv(title_tokens, body_tokens):
    """The document's tsvector from its space-joined title (with 文号) and body tokens (SQL expressions)."""
    return (func.setweight(func.to_tsvector("simple", title_tokens), literal_column("'A'"))
            .op("||")(func.setweight(func.to_tsvector("simple", body_tokens), literal_column("'B'"))))


def _row(d):
    return dict(item_id=d.id, organization_id=d.organization_id, title=d.title, body=d.body,
                doc_number=d.doc_number, index_no=d.index_no, column=d.column, column_name=d.column_name,
                type=d.type, section=d.section, year=d.year, five_public=d.five_public,
                published_at=d.published_at,
                title_tokens=" ".join(tokenize(d.title + " " + (d.doc_number or ""))),
                body_tokens=" ".join(tokenize(d.body)))


def _insert(table, upsert):
    """One INSERT for many rows (executemany: psycopg sends them in a pipeline); tokens come as parameters
    and the server builds the tsvector."""
    columns = [c.name for c in TABLE.columns if c.name != "tsv"]
    stmt = insert(table).values({**{c: bindparam(c) for c in columns},
                                 "tsv": _tsv(bindparam("title_tokens"), bindparam("body_tokens"))})
    if upsert:
        stmt = stmt.on_conflict_do_update(index_elements=["item_id"],
                                          set_={c: stmt.excluded[c] for c in columns + ["tsv"] if c != "item_id"})
    return stmt


def _table_named(name):
    return Table(name, MetaData(), *[Column(c.name, c.type, primary_key=c.primary_key) for c in TABLE.columns])


class PostgresBackend(SearchBackend):
    def __init__(self, session=None, table=None, autocommit=True):
        self.session = session or db.session
        self.table = table if table is not None else TABLE
        self.autocommit = autocommit

    def index(self, documents):
        rows = [_row(d) for d in documents]
        if rows:
            self.session.execute(_insert(self.table, upsert=True), rows)
        if self.autocommit:
            self.session.commit()
        return len(rows)

    def rebuild(self, batches, replay=None, procs=1):
        """Build the documents aside in ``search_documents_build`` (no index while loading; the primary key
        and the GIN index are created once at the end), then swap it in: in one transaction that holds the
        live table against writes, ``replay(target)`` applies what changed meanwhile to the new table, the
        tables are renamed and the old one dropped. Searches and drains use the live table meanwhile."""
        session = self.session
        session.execute(text(f"DROP TABLE IF EXISTS {BUILD_TABLE}"))
        session.execute(text(f"CREATE TABLE {BUILD_TABLE} (LIKE {TABLE.name} INCLUDING DEFAULTS)"))
        session.commit()
        build = _table_named(BUILD_TABLE)
        try:
            count = self._load(_insert(build, upsert=False), batches, procs)
            session.execute(text(f"ALTER TABLE {BUILD_TABLE} ADD CONSTRAINT {BUILD_TABLE}_pkey PRIMARY KEY (item_id)"))
            session.execute(text(f"CREATE INDEX {BUILD_TABLE}_tsv ON {BUILD_TABLE} USING gin (tsv)"))
            session.execute(text(f"CREATE INDEX {BUILD_TABLE}_published_at ON {BUILD_TABLE} (published_at)"))
            session.commit()
            # The swap: writers wait (reads go on until the renames), then the new table takes the live
            # table's name and the index names the schema knows.
            # A transaction that reads the live table delays the renames; past SWAP_LOCK_TIMEOUT the rebuild
            # fails (the live index is untouched) rather than stall searches behind it.
            session.execute(text(f"SET LOCAL lock_timeout = '{SWAP_LOCK_TIMEOUT}'"))
            session.execute(text(f"LOCK TABLE {TABLE.name} IN EXCLUSIVE MODE"))
            if replay is not None:
                replay(PostgresBackend(session, table=build, autocommit=False))
            names = self._index_names(session)
            session.execute(text(f"ALTER TABLE {TABLE.name} RENAME TO {OLD_TABLE}"))
            for index_name in names.values():
                session.execute(text(f'ALTER INDEX "{index_name}" RENAME TO "{index_name}_old"'))
            session.execute(text(f"ALTER TABLE {BUILD_TABLE} RENAME TO {TABLE.name}"))
            for suffix, index_name in (("pkey", names["pkey"]), ("tsv", names["tsv"]),
                                       ("published_at", names["published_at"])):
                session.execute(text(f'ALTER INDEX "{BUILD_TABLE}_{suffix}" RENAME TO "{index_name}"'))
            session.execute(text(f"DROP TABLE {OLD_TABLE}"))
            session.commit()
        except BaseException:
            session.rollback()
            session.execute(text(f"DROP TABLE IF EXISTS {BUILD_TABLE}"))
            session.commit()
            raise
        return count

    def _load(self, statement, batches, procs):
        """Insert every batch's rows with ``statement``; returns their count.

        The server's ``to_tsvector`` and the storing of each row take most of a rebuild, and one connection
        keeps only one of the server's cores busy while the client waits. Batches go through ``procs``
        connections of their own (at least one), each in a thread and committing its batch, while this thread
        reads and tokenizes the next one (the threads mostly wait on the server, outside the GIL)."""
        procs = max(1, procs)
        engine = self.session.get_bind()
        free = queue.SimpleQueue()
        opened = []

        def insert(rows):
            connection = free.get()
            try:
                connection.execute(statement, rows)
                connection.commit()
            except BaseException:
                connection.rollback()
                raise
            finally:
                free.put(connection)

        count = 0
        try:
            for _ in range(procs):
                opened.append(engine.connect())
                free.put(opened[-1])
            with ThreadPoolExecutor(max_workers=procs, thread_name_prefix="search-rebuild") as pool:
                pending = deque()
                for batch in batches:
                    rows = [_row(d) for d in batch]
                    if rows:
                        pending.append(pool.submit(insert, rows))
                    count += len(rows)
                    while len(pending) > procs:  # every connection busy and one batch waiting
                        pending.popleft().result()
                while pending:
                    pending.popleft().result()
        finally:
            # Before the caller drops the table on failure: no connection may still hold a lock on it.
            for connection in opened:
                connection.close()
        return count

    @staticmethod
    def _index_names(session):
        """The live table's primary key, GIN and date index names (as the migrations created them)."""
        rows = session.execute(text("SELECT indexname, indexdef FROM pg_indexes "
                                    "WHERE tablename = :t AND schemaname = current_schema()"),
                               {"t": TABLE.name}).all()
        names = {}
        for name, definition in rows:
            if "UNIQUE" in definition and "(item_id)" in definition:
                names["pkey"] = name
            elif "gin" in definition.lower():
                names["tsv"] = name
            elif "(published_at)" in definition:
                names["published_at"] = name
        return {"pkey": "pk_search_documents", "tsv": "ix_search_documents_tsv",
                "published_at": "ix_search_documents_published_at", **names}

    def delete(self, ids):
        ids = list(ids)
        if ids:
            self.session.execute(delete(self.table).where(self.table.c.item_id.in_(ids)))
            if self.autocommit:
                self.session.commit()

    def clear(self):
        self.session.execute(delete(SearchDocument.__table__))
        self.session.commit()

    def count(self):
        return self.session.execute(select(func.count()).select_from(SearchDocument.__table__)).scalar()

    def ids(self):
        return {i for (i,) in self.session.execute(select(SearchDocument.item_id))}

    def search(self, query):
        groups, _ = parse_query(query.text)
        if not groups:
            return Results(total=0)
        tsq = func.to_tsquery("simple", _tsquery(groups))
        table = SearchDocument.__table__
        conditions = [table.c.tsv.op("@@")(tsq)]
        for name in ("column", "type", "section"):
            value = getattr(query, name)
            if value:
                conditions.append(table.c[name] == value)
        if query.year:
            conditions.append(table.c.year == int(query.year))
        total = self.session.execute(select(func.count()).select_from(table).where(*conditions)).scalar()
        order = [table.c.published_at.desc()] if query.sort == "date" else [
            func.ts_rank_cd(table.c.tsv, tsq).desc(), table.c.published_at.desc()]
        rows = self.session.execute(
            select(table.c.item_id, table.c.title, table.c.column, table.c.column_name, table.c.published_at,
                   table.c.body)
            .where(*conditions).order_by(*order)
            .limit(query.per_page).offset((query.page - 1) * query.per_page)
        ).all()
        return Results(total=total, hits=[Hit(id=r[0], title=r[1], column=r[2], column_name=r[3],
                                              published_at=r[4], body=r[5]) for r in rows])


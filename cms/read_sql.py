"""The public pages' read statements, run straight on the database driver's cursor.

Every public page runs a few small statements (the site state, the column tree, the list, the item page's
validator). Through ``Session.execute`` each cost 70-110 microseconds of Python around a query that SQLite
answers in 10-20: the session and connection layers, the compiled-statement cache lookup, the result object
and its row processing. ``read_rows`` runs a statement that is known ahead (a ``text()`` clause with typed
columns, or a ``select``) on the session's own DBAPI connection, in the session's transaction, with what
SQLAlchemy would have done to its values: bound parameters go through the types' bind processors and result
columns through their result processors (SQLite keeps timestamps as text, for instance), both taken from the
statement compiled once per dialect.

The ordinary path is kept whenever it matters: when anything listens to the engine's ``before_cursor_execute``
(tests that count statements, SQL logging), when the engine echoes, and for statements that need render-time
parameters (``IN`` lists, literal binds). The rows are plain tuples, or named tuples with ``named=True``.
"""
from collections import namedtuple

from cms.extensions import db


MAX_PREPARED = 1000
# (id, dialect name) -> (statement, _Prepared or None when it must take SQLAlchemy's path). The statement is
# kept with its entry, so an id is not reused while its entry lives; the statements are module-level or cached
# per shape by their callers, so the map stays small (it is emptied if it ever grows past MAX_PREPARED).
_prepared = {}


class _Prepared:
    """A statement compiled for one dialect; its row shape (names, result processors) is read off the
    cursor the first time it runs, since a ``text()`` clause may type only some of its columns."""

    __slots__ = ("sql", "order", "binds", "types", "processors", "row_type")

    def __init__(self, sql, order, binds, types):
        self.sql, self.order, self.binds, self.types = sql, order, binds, types
        self.processors = self.row_type = None

    def shape(self, description):
        names = [d[0] for d in description]
        # (position, processor) of the columns that have one (a DATETIME on SQLite, for instance)
        self.processors = tuple((n, self.types[name]) for n, name in enumerate(names) if name in self.types)
        self.row_type = namedtuple("Row", names, rename=True)


def _prepare(statement, dialect):
    compiled = statement.compile(dialect=dialect)
    if compiled.literal_execute_params or compiled.post_compile_params or compiled.escaped_bind_names:
        return None  # parameters rendered per execution (IN lists ...): SQLAlchemy's path
    types = {}
    for keyname, _name, _objects, type_ in compiled._result_columns:
        process = type_._cached_result_processor(dialect, None)
        if process is not None:
            types[keyname] = process
    binds = {name: proc for name, proc in (compiled._bind_processors or {}).items() if proc is not None}
    order = tuple(compiled.positiontup) if dialect.positional else None
    return _Prepared(str(compiled), order, binds, types)


def _plain_path(connection):
    engine = connection.engine
    return bool(engine.dispatch.before_cursor_execute) or bool(engine.echo)


def read_rows(statement, params=None, named=False):
    """The rows of read-only ``statement`` with ``params``: a list of tuples (named tuples if ``named``)."""
    session = db.session()
    session._autoflush()  # pending changes first, as Session.execute does (nothing to do on a public page)
    connection = session.connection()
    dialect = connection.dialect
    key = (id(statement), dialect.name)
    entry = _prepared.get(key)
    if entry is None or entry[0] is not statement:
        if len(_prepared) >= MAX_PREPARED:
            _prepared.clear()
        entry = _prepared[key] = (statement, _prepare(statement, dialect))
    prepared = entry[1]
    if prepared is None or _plain_path(connection):
        result = connection.execute(statement, params or {})
        return list(result) if named else [tuple(row) for row in result]  # rows read by name or position
    values = dict(params or {})
    for name, process in prepared.binds.items():
        if name in values:
            values[name] = process(values[name])
    if prepared.order is not None:
        values = [values[name] for name in prepared.order]
    cursor = connection.connection.driver_connection.cursor()
    try:
        cursor.execute(prepared.sql, values)
        rows = cursor.fetchall()
        if prepared.row_type is None:
            prepared.shape(cursor.description)
    finally:
        cursor.close()
    if prepared.processors:
        rows = [_processed(row, prepared.processors) for row in rows]
    if named:
        make = prepared.row_type._make
        return [make(row) for row in rows]
    return rows


def _processed(row, processors):
    """``row`` with each ``(position, processor)`` applied, as a tuple."""
    row = list(row)
    for n, process in processors:
        row[n] = process(row[n])
    return tuple(row)


def read_first(statement, params=None, named=True):
    """The first row of ``statement`` (a named tuple unless ``named=False``), or None."""
    rows = read_rows(statement, params, named)
    return rows[0] if rows else None


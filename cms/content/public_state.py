"""What every public list page reads first, in one statement: the site's organization, its content
generation (the newest ``updated_at`` of its items, with the number and newest id of the columns'
cross-references, which change no item: the validator of cached listings) and the site settings version.

Three ORM lookups cost about a millisecond of Python per page; this is one text statement, built once.
The organization comes back as a small read-only view (id, code, name), which is all a public page uses;
it is also what the layout's ``site_org`` shows for the rest of the request (no second lookup).
"""
import json
import zlib
from dataclasses import dataclass

from flask import g, has_app_context
from sqlalchemy import Boolean, DateTime, Integer, String, text

from cms.extensions import db
from cms.read_sql import read_first, read_rows


@dataclass(frozen=True)
class OrgView:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class PublicState:
    org: OrgView
    generation: tuple  # (newest item updated_at or None, cross-references, newest cross-reference id)
    site_version: int


_STATE = text(
    "SELECT o.id, o.code, o.name,"
    " (SELECT max(i.updated_at) FROM items i WHERE i.organization_id = o.id) AS generation,"
    " (SELECT count(*) FROM column_references) AS refs, (SELECT max(r.id) FROM column_references r) AS last_ref,"
    " (SELECT s.version FROM site_settings s WHERE s.id = 1) AS site_version"
    " FROM organizations o ORDER BY o.id LIMIT 1"
).columns(id=Integer, code=String, name=String, generation=DateTime, refs=Integer, last_ref=Integer,
          site_version=Integer)

def public_state():
    """The ``PublicState`` of this request (read once per request), or None before an organization exists."""
    if has_app_context() and "public_state" in g:
        return g.public_state
    row = read_first(_STATE)
    state = None
    if row is not None:
        state = PublicState(OrgView(row.id, row.code, row.name), (row.generation, row.refs, row.last_ref),
                            row.site_version or 0)
        from cms.site import service as site_settings

        site_settings.current(known_version=state.site_version)  # the settings of this request, no lookup
    if has_app_context():
        g.public_state = state
        if state is not None:
            g.site_org_view = state.org
    return state


# ---------------------------------------------------------------- the column tree, as the public sees it

_COLUMN_ROWS = text(
    "SELECT id, parent_id, code, name, positioning, CAST(accepts AS TEXT) AS accepts, visible, retired"
    " FROM columns WHERE organization_id = :org ORDER BY position, id"
).columns(id=Integer, parent_id=Integer, code=String, name=String, positioning=String, accepts=String,
          visible=Boolean, retired=Boolean)
_catalogs = {}


class ColumnView:
    """A read-only column of the public site (what its pages, trails and listings use), linked to its
    parent through the tree it was read with."""

    __slots__ = ("id", "organization_id", "parent_id", "code", "name", "positioning", "accepts", "visible",
                 "retired", "_tree")

    def __init__(self, tree, organization_id, row):
        self.id, self.parent_id, self.code, self.name, self.positioning = row[:5]
        self.accepts = tuple(json.loads(row[5] or "[]"))
        self.visible, self.retired = bool(row[6]), bool(row[7])
        self.organization_id, self._tree = organization_id, tree

    @property
    def parent(self):
        return self._tree.by_id.get(self.parent_id)

    def accepts_type(self, item_type):
        return item_type in self.accepts


class ColumnTree:
    """An organization's columns read in one statement: by id, by code, the visible ones in tree order and
    a ``signature`` (the same in every process) that changes when any column's shown fields change."""

    def __init__(self, organization_id, rows):
        columns = [ColumnView(self, organization_id, row) for row in rows]
        self.by_id = {c.id: c for c in columns}
        self.by_code = {c.code: c for c in columns}
        self.visible = [c for c in columns if c.visible and not c.retired]
        self.signature = zlib.crc32(repr(rows).encode("utf-8"))


def column_tree(org_id):
    """The ``ColumnTree`` of ``org_id``: one small statement per call; the views are built again only when a
    column changed (a process keeps the last tree of each organization)."""
    rows = tuple(read_rows(_COLUMN_ROWS, {"org": org_id}))
    kept = _catalogs.get(org_id)
    if kept is not None and kept[0] == rows:
        return kept[1]
    tree = ColumnTree(org_id, rows)
    _catalogs[org_id] = (rows, tree)
    return tree


# ---------------------------------------------------------------- an item for its public page

@dataclass(frozen=True)
class SectionView:
    id: int
    code: str
    name: str


_NAMES = text(
    "SELECT o.id, o.code, o.name, s.id AS section_id, s.code AS section_code, s.name AS section_name,"
    " site.id AS site_id, site.code AS site_code, site.name AS site_name"
    " FROM organizations o LEFT JOIN sections s ON s.id = :section"
    " JOIN (SELECT f.id, f.code, f.name FROM organizations f ORDER BY f.id LIMIT 1) AS site ON 1 = 1"
    " WHERE o.id = :org"
)


_ITEM_LOAD = {}


def _item(item_id):
    """Item ``item_id`` in the session, as ``Session.get`` gives it (or None), for a fifth of the cost.

    ``Session.get`` builds its query and runs the ORM's row loading for the item's 48 columns: about 0.15 ms,
    the largest single part of an uncached item page. Here the row comes from one statement built once
    (``read_sql``, values through the column types as the ORM would pass them), fills a new instance the way
    the ORM's loader does (the instance's dict), and joins the session as a persistent, unmodified object
    (``make_transient_to_detached`` then ``Session.add``): relationships load lazily as usual, a change would
    be flushed with the version check as usual. An item already in the session is returned as it is."""
    from sqlalchemy import bindparam, select
    from sqlalchemy.orm import configure_mappers, make_transient_to_detached

    from cms.content.models import Item

    if not _ITEM_LOAD:
        configure_mappers()  # a new worker's first request may be this one: attributes get their loaders
        table = Item.__table__
        keys = tuple(Item.__mapper__.get_property_by_column(column).key for column in table.c)
        _ITEM_LOAD.update(keys=keys, statement=select(table).where(table.c.id == bindparam("id")))
    mapper = Item.__mapper__
    existing = db.session.identity_map.get(mapper.identity_key_from_primary_key((item_id,)))
    if existing is not None:
        return existing
    row = read_first(_ITEM_LOAD["statement"], {"id": item_id}, named=False)
    if row is None:
        return None
    item = mapper.class_manager.new_instance()
    item.__dict__.update(zip(_ITEM_LOAD["keys"], row))
    make_transient_to_detached(item)
    db.session.add(item)
    return item


def public_item_for_page(item_id):
    """The public item ``item_id`` for its page, or None: the item by primary key, its column from the column
    tree, its organization's and section's names and the site's organization (the layout's ``site_org``) in
    one small statement (instead of four loads)."""
    from sqlalchemy.orm.attributes import set_committed_value

    item = _item(item_id)
    if item is None or not item.is_public:
        return None
    column = column_tree(item.organization_id).by_id.get(item.column_id)
    names = read_first(_NAMES, {"org": item.organization_id, "section": item.section_id})
    if column is None or names is None:
        return None
    # The page only reads these (names, codes, the column's ancestors); the item is not changed by a page view.
    set_committed_value(item, "column", column)
    set_committed_value(item, "organization", OrgView(names.id, names.code, names.name))
    if has_app_context():  # the layout's site_org, as public_state() leaves it
        g.site_org_view = OrgView(names.site_id, names.site_code, names.site_name)
    set_committed_value(item, "section", SectionView(names.section_id, names.section_code, names.section_name)
                        if names.section_id is not None else None)
    return item

"""The one-place rule (避免同类信息在不同栏目发布): the same information is published in one column only.

Two items are the same information when, in the same organization:
1. they carry the same 文号 (normalized: full-/half-width, spaces and bracket styles unified);
2. their bodies are the same after normalization (HTML, whitespace, punctuation and width removed);
3. they have the same normalized title and the same written date;
4. their bodies are near-duplicates: the estimated containment of one body's character 4-grams in the
   other's (from MinHash signatures) is at least ``NEAR_DUPLICATE_CONTAINMENT``, for bodies of at least
   ``NEAR_DUPLICATE_MIN_CHARS`` characters, AND the numbers of the one with fewer numbers all occur in the
   other. The number condition keeps apart reports built on one template with different figures.

Rules 1–3 and a near-duplicate in another column refuse the submission (and the sign-off). A near-duplicate
in the SAME column is a warning that offers to revise the existing item instead.

Fingerprints are computed when an item's title, body or 文号 is saved (ORM events), stored on the item, and
the body's LSH band keys go to ``item_near_keys``; checking is one indexed query for rules 1–3 and one
indexed band-key lookup plus a signature comparison with a bounded number of candidates for rule 4. The
check never recomputes a stored fingerprint. See docs/one-place-rule.md.
"""
from dataclasses import dataclass

from sqlalchemy import bindparam, or_, delete, event, func, insert, inspect, select

from cms.content.fingerprints import (  # noqa: F401  (re-exported for callers and tests)
    EXACT_MIN_CHARS,
    NEAR_DUPLICATE_CONTAINMENT,
    NEAR_DUPLICATE_MIN_CHARS,
    band_keys,
    body_fingerprint,
    is_near_duplicate,
    normalize_doc_number,
    normalize_text,
    signature_from_bytes,
)
from cms.content.models import Item, ItemNearKey
from cms.content.sanitize import html_to_text
from cms.extensions import db

PENDING_OR_PUBLISHED = ("pending_section", "pending_office", "pending_leader", "published")
MAX_CANDIDATES = 50  # band-key candidates compared, most shared keys first
BODY_FIELDS = ("body_hash", "body_minhash", "body_shingles", "body_numbers")


def fingerprints(title, body_html, doc_number):
    """The stored fingerprints for these field values (plus ``keys``, the body's LSH band keys)."""
    result = {"doc_number_key": normalize_doc_number(doc_number), "title_key": normalize_text(title)[:500] or None}
    result.update(body_fingerprint(html_to_text(body_html or "")))
    return result


def _changed(item, name):
    return inspect(item).attrs[name].history.has_changes()


@event.listens_for(Item, "before_insert")
def _fingerprint_new(mapper, connection, item):
    values = fingerprints(item.title, item.body_html, item.doc_number)
    item._near_keys = values.pop("keys")
    for name, value in values.items():
        setattr(item, name, value)


@event.listens_for(Item, "before_update")
def _fingerprint_changed(mapper, connection, item):
    # Only what changed is recomputed: a state change, a sign-off or a view count costs nothing here.
    if _changed(item, "title"):
        item.title_key = normalize_text(item.title)[:500] or None
    if _changed(item, "doc_number"):
        item.doc_number_key = normalize_doc_number(item.doc_number)
    if _changed(item, "body_html"):
        values = body_fingerprint(html_to_text(item.body_html or ""))
        item._near_keys = values.pop("keys")
        for name in BODY_FIELDS:
            if getattr(item, name) != values[name]:
                setattr(item, name, values[name])


@event.listens_for(Item, "after_insert")
@event.listens_for(Item, "after_update")
def _store_near_keys(mapper, connection, item):
    keys = item.__dict__.pop("_near_keys", None)
    if keys is None:
        return
    table = ItemNearKey.__table__
    connection.execute(delete(table).where(table.c.item_id == item.id))
    if keys:
        connection.execute(insert(table), [{"key": k, "item_id": item.id} for k in dict.fromkeys(keys)])


@event.listens_for(Item, "before_delete")
def _drop_near_keys(mapper, connection, item):
    table = ItemNearKey.__table__
    connection.execute(delete(table).where(table.c.item_id == item.id))


def refresh(item):
    """Recompute and store ``item``'s fingerprints (rows written around the ORM, e.g. by bulk SQL).

    Written with a plain UPDATE, so the item's version (its optimistic lock) does not change.
    """
    from sqlalchemy import update
    from sqlalchemy.orm.attributes import set_committed_value

    values = fingerprints(item.title, item.body_html, item.doc_number)
    keys = values.pop("keys")
    connection = db.session.connection()
    connection.execute(update(Item.__table__).where(Item.__table__.c.id == item.id).values(**values))
    for name, value in values.items():
        set_committed_value(item, name, value)
    item._near_keys = keys
    _store_near_keys(None, connection, item)


def fingerprint_rows(rows):
    """Add the fingerprint columns to item rows (dicts with title, body_html, doc_number) for a bulk INSERT;
    returns the rows' band keys as ``[(row, keys)]`` to insert once the rows have ids."""
    pending = []
    for row in rows:
        values = fingerprints(row.get("title"), row.get("body_html"), row.get("doc_number"))
        pending.append((row, values.pop("keys")))
        row.update(values)
    return pending


def insert_near_keys(connection, pairs):
    """Bulk-insert band keys for ``[(item_id, keys)]``."""
    rows = [{"key": k, "item_id": item_id} for item_id, keys in pairs for k in dict.fromkeys(keys)]
    for start in range(0, len(rows), 20000):
        connection.execute(insert(ItemNearKey.__table__), rows[start:start + 20000])


# ---------------------------------------------------------------- the check

@dataclass
class Match:
    """Another item that is the same information as the checked one, and by which rule."""

    item: Item
    rule: str  # doc_number | body | title_date | near_duplicate
    same_column: bool

    @property
    def refuses(self):
        """A near-duplicate in the same column only warns; everything else refuses."""
        return not (self.rule == "near_duplicate" and self.same_column)


@dataclass
class CheckResult:
    conflicts: list  # Matches that refuse the submission
    warnings: list  # same-column near-duplicates: revise the existing item instead?


def _base_filter(stmt, item, exclude_ids):
    stmt = stmt.where(Item.organization_id == item.organization_id, or_(Item.state.like("pending\\_%", escape="\\"), Item.state.in_(("published", "scheduled"))),
                      Item.working_copy_of_id.is_(None))
    if exclude_ids:
        stmt = stmt.where(Item.id.notin_(exclude_ids))
    return stmt


_RANKED = None


def _ranked_candidates():
    """Items sharing band keys with ``:keys``, most shared first (one statement, built once)."""
    global _RANKED
    if _RANKED is None:
        table = ItemNearKey.__table__
        shared = func.count().label("shared")
        _RANKED = (select(table.c.item_id, shared).where(table.c.key.in_(bindparam("keys", expanding=True)))
                   .group_by(table.c.item_id).order_by(shared.desc(), table.c.item_id).limit(MAX_CANDIDATES * 4))
    return _RANKED


def _counts(other, item, exclude_ids):
    return (other.organization_id == item.organization_id and (other.state in ("published", "scheduled") or other.state.startswith("pending_"))
            and other.working_copy_of_id is None and other.id not in exclude_ids)


def _near_duplicate_ids(item, exclude_ids):
    keys = list(dict.fromkeys(band_keys(signature_from_bytes(item.body_minhash))))
    # Two steps, each on its own index: the band keys (primary key), then the candidates' rows by id. (One
    # joined statement lets SQLite's planner start from the items table and scan it.)
    ranked = db.session.execute(_ranked_candidates(), {"keys": keys}).all()
    order = {row.item_id: n for n, row in enumerate(ranked) if row.item_id not in exclude_ids}
    if not order:
        return []
    rows = db.session.execute(_base_filter(
        select(Item.id, Item.body_minhash, Item.body_shingles, Item.body_numbers), item, exclude_ids,
    ).where(Item.id.in_(list(order)))).all()
    rows = sorted(rows, key=lambda row: order[row.id])[:MAX_CANDIDATES]
    mine = {"body_minhash": item.body_minhash, "body_shingles": item.body_shingles,
            "body_numbers": item.body_numbers}
    return [row.id for row in rows if is_near_duplicate(mine, row._asdict())]


def check(item):
    """Items of the same organization, published or under review, that are the same information as ``item``.

    Working copies are represented by their published original; ``item`` itself and its own
    original/copies are excluded. Uses the stored fingerprints (computed when the item was saved).
    """
    if item.id is not None and db.session.is_modified(item):
        db.session.flush()  # unsaved edits: their fingerprints are computed on flush
    if item.body_html and len(item.body_html) >= EXACT_MIN_CHARS and item.body_hash is None:
        refresh(item)  # a row written around the ORM (bulk SQL): fingerprint it once
    exclude_ids = {i for i in (item.id, item.working_copy_of_id) if i is not None}
    exact = []
    if item.doc_number_key:
        exact.append(("doc_number", Item.doc_number_key == item.doc_number_key))
    if item.body_hash:
        exact.append(("body", Item.body_hash == item.body_hash))
    if item.title_key and item.written_date:
        exact.append(("title_date", (Item.title_key == item.title_key) & (Item.written_date == item.written_date)))
    found = {}
    # One query per rule on its fingerprint's own index, the rest filtered here: with the organization and
    # state in the WHERE clause (or an OR of the rules), SQLite's planner walks the listing index instead.
    for rule, condition in exact:
        for other in db.session.scalars(select(Item).where(condition)):
            if _counts(other, item, exclude_ids):
                found.setdefault(other.id, Match(other, rule, other.column_id == item.column_id))
    if item.body_minhash:
        near = [i for i in _near_duplicate_ids(item, exclude_ids) if i not in found]
        if near:
            for other in db.session.scalars(select(Item).where(Item.id.in_(near))):
                found[other.id] = Match(other, "near_duplicate", other.column_id == item.column_id)
    matches = [found[k] for k in sorted(found)]
    return CheckResult(conflicts=[m for m in matches if m.refuses], warnings=[m for m in matches if not m.refuses])


def find_conflicts(item):
    """The items that refuse ``item`` (see ``check``)."""
    return [m.item for m in check(item).conflicts]


# ---------------------------------------------------------------- telling the user

def describe(match, user):
    """What the caller may learn about a match: title and id only of an item they may read.

    A published, publicly disclosed item may always be named; another section's pending item the caller
    cannot open is reported as "an item pending review in column X" (no title, no id).
    """
    from cms.content.services import can_view

    other = match.item
    entry = {"column": other.column.code, "column_name": other.column.name, "rule": match.rule,
             "state": "published" if other.state == "published" else "pending"}
    if other.is_public or (user is not None and can_view(user, other)):
        entry.update(id=other.id, title=other.title)
    return entry


def refusal_message(entry):
    """The refusal text for the first conflict, as ``describe`` gave it."""
    if "id" in entry:
        where = f"同一信息已在栏目“{entry['column_name']}”中发布或待审：《{entry['title']}》（编号 {entry['id']}）"
    elif entry["state"] == "published":
        where = f"同一信息已在栏目“{entry['column_name']}”中发布"
    else:
        where = f"栏目“{entry['column_name']}”中已有一条待审核的相同信息"
    return where + "，不能在不同栏目重复发布；如需在其他栏目展示，请使用引用。"


def warning_message(entry):
    """The same-column near-duplicate warning text."""
    named = f"《{entry['title']}》（编号 {entry['id']}）" if "id" in entry else "一条内容相近的信息"
    state = "已发布" if entry["state"] == "published" else "待审核"
    return (f"本栏目“{entry['column_name']}”中{state}的{named}与本信息内容相近；"
            "如是同一信息的更新，请修订现有信息，而不是另发一条。")


def warnings_for(item, user):
    """Same-column near-duplicate warnings of a draft or pending ``item``, described for ``user``."""
    if item.state not in ("draft", "returned") and not item.state.startswith("pending_"):
        return []
    result = []
    for match in check(item).warnings:
        entry = describe(match, user)
        entry["message"] = warning_message(entry)
        result.append(entry)
    return result

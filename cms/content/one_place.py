"""The one-place rule (避免同类信息在不同栏目发布): the same information is published in one column only.

Two items are the same information when, in the same organization:
1. they carry the same 文号 (normalized: full-/half-width, spaces and bracket styles unified);
2. their bodies are the same after normalization (HTML, whitespace, punctuation and width removed);
3. their bodies are near-duplicates: SimHash (64 bits over character 3-shingles of the normalized text)
   within ``NEAR_DUPLICATE_BITS`` (8) bits, for bodies of at least ``NEAR_DUPLICATE_MIN_CHARS`` characters,
   AND the same sequence of numbers. The number condition keeps apart texts that share a template but
   report different figures (two quarterly budget reports), which SimHash alone would call duplicates;
4. they have the same normalized title and the same written date.

Fingerprints are stored on the item (kept current by ORM events), so checking is a few indexed queries
plus a Hamming-distance pass over the items that share the number signature. See docs/one-place-rule.md.
"""
import hashlib
import re
import unicodedata

from sqlalchemy import event, or_

from cms.content.models import Item
from cms.content.sanitize import html_to_text

PENDING_OR_PUBLISHED = ("pending_section", "pending_office", "pending_leader", "published")
NEAR_DUPLICATE_BITS = 8
NEAR_DUPLICATE_MIN_CHARS = 40
EXACT_MIN_CHARS = 8
_MASK64 = (1 << 64) - 1

_NUMBER_RE = re.compile(r"\d+(?:\.\d+)?")
_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "［": "[", "］": "]", "【": "[", "】": "]", "(": "[", ")": "]",
                           "（": "[", "）": "]", "{": "[", "}": "]"})


def normalize_text(text: str) -> str:
    """Letters, digits and CJK only: NFKC (full-width to half-width), lower case, no spaces or punctuation."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in ("L", "N"))


def normalize_doc_number(value: str | None) -> str | None:
    if not value:
        return None
    text = unicodedata.normalize("NFKC", value).translate(_BRACKETS)
    text = re.sub(r"\s+", "", text)
    return text or None


def simhash(text: str) -> int:
    """64-bit SimHash of ``text`` over character 3-shingles."""
    weights = [0] * 64
    shingles = [text[i:i + 3] for i in range(max(1, len(text) - 2))]
    for shingle in shingles:
        h = int.from_bytes(hashlib.blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            weights[bit] += 1 if (h >> bit) & 1 else -1
    value = 0
    for bit in range(64):
        if weights[bit] > 0:
            value |= 1 << bit
    return value


def _to_signed(value: int) -> int:
    """Store a 64-bit hash in a signed BIGINT column."""
    return value - (1 << 64) if value >= (1 << 63) else value


def hamming(a: int, b: int) -> int:
    return bin((a ^ b) & _MASK64).count("1")


def fingerprints(title, body_html, doc_number):
    """The stored fingerprints for these field values."""
    body = normalize_text(html_to_text(body_html or ""))
    numbers = "|".join(_NUMBER_RE.findall(unicodedata.normalize("NFKC", html_to_text(body_html or ""))))
    return {
        "doc_number_key": normalize_doc_number(doc_number),
        "title_key": normalize_text(title)[:500] or None,
        "body_hash": hashlib.sha1(body.encode("utf-8")).hexdigest() if len(body) >= EXACT_MIN_CHARS else None,
        "body_simhash": _to_signed(simhash(body)) if len(body) >= NEAR_DUPLICATE_MIN_CHARS else None,
        "numbers_hash": hashlib.sha1(numbers.encode("utf-8")).hexdigest() if len(body) >= NEAR_DUPLICATE_MIN_CHARS else None,
    }


@event.listens_for(Item, "before_insert")
@event.listens_for(Item, "before_update")
def _keep_fingerprints(mapper, connection, item):
    for name, value in fingerprints(item.title, item.body_html, item.doc_number).items():
        if getattr(item, name) != value:
            setattr(item, name, value)


def _refresh(item):
    for name, value in fingerprints(item.title, item.body_html, item.doc_number).items():
        setattr(item, name, value)


def find_conflicts(item):
    """Items of the same organization, published or under review, that are the same information as ``item``.

    Working copies are represented by their published original; ``item`` itself and its own
    original/copies are excluded.
    """
    _refresh(item)
    exclude_ids = {i for i in (item.id, item.working_copy_of_id) if i is not None}
    base = Item.query.filter(
        Item.organization_id == item.organization_id,
        Item.state.in_(PENDING_OR_PUBLISHED),
        Item.working_copy_of_id.is_(None),
    )
    if exclude_ids:
        base = base.filter(Item.id.notin_(exclude_ids))
    exact = []
    if item.doc_number_key:
        exact.append(Item.doc_number_key == item.doc_number_key)
    if item.body_hash:
        exact.append(Item.body_hash == item.body_hash)
    if item.title_key and item.written_date:
        exact.append((Item.title_key == item.title_key) & (Item.written_date == item.written_date))
    found = {}
    if exact:
        for other in base.filter(or_(*exact)).order_by(Item.id):
            found[other.id] = other
    if item.body_simhash is not None:
        candidates = base.filter(Item.numbers_hash == item.numbers_hash, Item.body_simhash.isnot(None))
        for other_id, other_hash in candidates.with_entities(Item.id, Item.body_simhash):
            if other_id not in found and hamming(other_hash, item.body_simhash) <= NEAR_DUPLICATE_BITS:
                found[other_id] = base.filter(Item.id == other_id).first()
    return [found[k] for k in sorted(found)]

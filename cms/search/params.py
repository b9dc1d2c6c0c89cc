"""Turning request arguments into a search Query (shared by the page and the API)."""
from cms.content.types import ITEM_TYPES
from cms.search.backend import Query

MAX_PER_PAGE = 50


def _int(value, default, low, high):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default
    return max(low, min(high, number))


def query_from_args(args, default_per_page=10):
    """A Query from request args; bad values fall back to sensible defaults instead of failing."""
    text = (args.get("q") or "").strip()
    item_type = args.get("type") or None
    year = _int(args.get("year"), None, 1900, 2200) if args.get("year") else None
    return Query(
        text=text,
        column=(args.get("column") or None),
        type=item_type if item_type in ITEM_TYPES else None,
        year=year,
        section=(args.get("section") or None),
        sort="date" if args.get("sort") == "date" else "relevance",
        page=_int(args.get("page"), 1, 1, 10_000),
        per_page=_int(args.get("per_page"), default_per_page, 1, MAX_PER_PAGE),
    )

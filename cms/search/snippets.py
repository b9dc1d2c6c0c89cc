"""Highlighted snippets, the same for every backend."""
from markupsafe import Markup, escape

from cms.search.analyzer import normalize

WINDOW = 60


def snippet(text: str, terms, length=2 * WINDOW) -> Markup:
    """A window of ``text`` around the first query term, with the terms wrapped in <mark>."""
    text = text or ""
    folded = normalize(text)
    # NFKC can change lengths (rare for CJK); fall back to the folded text if so.
    source = text if len(folded) == len(text) else folded
    first = min((folded.find(t) for t in terms if t and folded.find(t) >= 0), default=-1)
    start = max(0, first - WINDOW // 2) if first >= 0 else 0
    end = min(len(source), start + length)
    window, window_folded = source[start:end], folded[start:end]
    marks = []
    for term in terms:
        pos = window_folded.find(term)
        while pos >= 0 and term:
            marks.append((pos, pos + len(term)))
            pos = window_folded.find(term, pos + len(term))
    marks.sort()
    out, cursor = [], 0
    for a, b in marks:
        if a < cursor:
            continue
        out.append(escape(window[cursor:a]))
        out.append(Markup("<mark>") + escape(window[a:b]) + Markup("</mark>"))
        cursor = b
    out.append(escape(window[cursor:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(source) else ""
    return Markup(prefix) + Markup("").join(out) + Markup(suffix)

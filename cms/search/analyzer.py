"""The Chinese analyzer shared by every backend.

Text is NFKC-normalized and lower-cased, then split into runs: a run of CJK characters becomes its
overlapping character bigrams (a single character stays a unigram); a run of ASCII letters/digits stays one
token. Bigrams need no dictionary, so names, new terms and pasted fragments that cut words in half are all
findable, and a phrase query is the sequence of its bigrams at consecutive positions. (Measured against
word segmentation on the corpus: see docs/search.md.)
"""
import re
import unicodedata
from operator import add

_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
# The same runs, CJK in the first group and ASCII in the second (one pass, no per-run test).
_RUN_KINDS = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)|([a-z0-9]+)")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MAX_QUERY_CHARS = 200


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower()


def runs(text: str):
    """The CJK and ASCII runs of ``text`` after normalization."""
    return _RUN.findall(normalize(text))


def run_tokens(run: str):
    """Tokens of one run: CJK bigrams (or the single character), or the ASCII token itself."""
    if not _CJK.match(run):
        return [run]
    if len(run) == 1:
        return [run]
    return [run[i:i + 2] for i in range(len(run) - 1)]


def tokenize(text: str):
    """Every token of ``text`` in order (positions matter for phrases): ``run_tokens`` of every run, inlined
    because indexing spends its analyzer time here."""
    tokens = []
    append, extend = tokens.append, tokens.extend
    for cjk, ascii_run in _RUN_KINDS.findall(normalize(text)):
        if not cjk:
            append(ascii_run)
        elif len(cjk) == 1:
            append(cjk)
        else:
            extend(map(add, cjk, cjk[1:]))  # the overlapping bigrams
    return tokens


def parse_query(raw: str):
    """Split user input into groups that must all match; each group is a list of phrases (token lists).

    Quoted text is one phrase; unquoted words separated by spaces are separate groups. Operators, field
    syntax and unbalanced quotes have no special meaning: only letters, digits and CJK characters count.
    Returns (groups, truncated).
    """
    raw = (raw or "")
    truncated = len(raw) > MAX_QUERY_CHARS
    raw = "".join(ch for ch in raw[:MAX_QUERY_CHARS] if ch.isprintable())
    groups = []
    parts = re.split(r'"', raw)
    for index, part in enumerate(parts):
        quoted = index % 2 == 1 and index < len(parts) - 1
        chunks = [part] if quoted else part.split()
        for chunk in chunks:
            phrase_runs = runs(chunk)
            if not phrase_runs:
                continue
            if quoted:
                groups.append([[t for r in phrase_runs for t in run_tokens(r)]])
            else:
                # An unquoted word like 嘉文广发〔2017〕31号 has several runs: each must match, in any field.
                for run in phrase_runs:
                    groups.append([run_tokens(run)])
    return groups, truncated


def highlight_terms(raw: str):
    """The strings to highlight in snippets: the runs of the query."""
    return sorted({r for r in runs(raw[:MAX_QUERY_CHARS])}, key=len, reverse=True)

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
# The work a query may ask for: each group is one more AND-ed sub-query over three fields, and a single CJK
# character expands to every bigram it starts (a prefix query), which is the expensive part. A person's
# query has a handful of words; a hundred one-character words is an attack on the index, not a search.
MAX_QUERY_GROUPS = 8
MAX_SINGLE_CHAR_GROUPS = 2
MAX_QUERY_TOKENS = 64


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
    Duplicate words count once; at most ``MAX_QUERY_GROUPS`` groups, ``MAX_SINGLE_CHAR_GROUPS`` of them a
    lone CJK character, and ``MAX_QUERY_TOKENS`` tokens are kept (see ``limit_groups``).
    Returns (groups, truncated): truncated when the text or the words were cut.
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
    limited, dropped = limit_groups(groups)
    return limited, truncated or dropped


def limit_groups(groups):
    """Bound the work of a query: drop repeated groups, then keep the first groups within the caps.

    Returns (kept groups, whether any distinct group was dropped).
    """
    kept, seen, single, tokens, dropped = [], set(), 0, 0, False
    for group in groups:
        key = tuple(tuple(phrase) for phrase in group)
        if key in seen:
            continue
        seen.add(key)
        size = sum(len(phrase) for phrase in group)
        is_single = any(len(phrase) == 1 and len(phrase[0]) == 1 and _CJK.match(phrase[0]) for phrase in group)
        if not kept and size > MAX_QUERY_TOKENS:  # one very long phrase: search its beginning
            group = [phrase[:MAX_QUERY_TOKENS] for phrase in group][:1]
            size, dropped = len(group[0]), True
        if len(kept) >= MAX_QUERY_GROUPS or tokens + size > MAX_QUERY_TOKENS:
            dropped = True
            break
        if is_single:
            if single >= MAX_SINGLE_CHAR_GROUPS:
                dropped = True
                continue
            single += 1
        kept.append(group)
        tokens += size
    return kept, dropped


def highlight_terms(raw: str):
    """The strings to highlight in snippets: the runs of the query."""
    return sorted({r for r in runs(raw[:MAX_QUERY_CHARS])}, key=len, reverse=True)

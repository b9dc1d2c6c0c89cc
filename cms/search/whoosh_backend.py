"""Whoosh backend (embedded default): the index lives in the data folder.

Writes from several processes (gunicorn workers, the CLI) are serialized with an fcntl lock file around
Whoosh's writer, so they wait for each other instead of failing with a LockError or corrupting segments.
"""
import fcntl
import gc
import os
import queue
import shutil
import threading
from array import array
from bisect import bisect_left
from collections import OrderedDict
from contextlib import contextmanager

from whoosh import index as whoosh_index
from whoosh import matching
from whoosh.codec.whoosh3 import W3LeafMatcher, W3TermInfo
from whoosh.matching import ListMatcher
from whoosh.matching import ReadTooFar
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader
from whoosh.analysis import Token, Tokenizer
from whoosh.filedb.filestore import FileStorage
from whoosh.idsets import BitSet
from whoosh.index import TOC, clean_files
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.matching.binary import IntersectionMatcher
from whoosh.matching.combo import ArrayUnionMatcher, CombinationMatcher
from whoosh.query import And, NumericRange, Or, Phrase, Prefix, Term
from whoosh.query.spans import Span, SpanNear2
from whoosh.util import make_weighted_tree

from cms.search.analyzer import parse_query, tokenize
from cms.search.backend import Hit, Results, SearchBackend
from cms.search.whoosh_bulk import BulkSegmentWriter

# Posting memory of a rebuild before sorted runs spill to disk (an estimate: the process peaks at roughly
# twice this; the 14,828-document corpus stays in memory).
REBUILD_LIMITMB = 1024
MAIN = "MAIN"  # Whoosh's default index name (file prefix)
HELPER_WAIT = 5  # seconds between checks that a rebuild's helper process is still alive


class BigramTokenizer(Tokenizer):
    """Whoosh tokenizer over the shared analyzer (positions are token positions)."""

    token_list = staticmethod(tokenize)  # the bulk writer's fast path (whoosh_bulk.BulkSegmentWriter)

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True, start_pos=0,
                 start_char=0, tokenize_=True, mode="", **kwargs):
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, text in enumerate(tokenize(value), start=start_pos):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if positions:
                token.pos = pos
            yield token


class _Bitmap:
    """The document numbers of a frequent term as one bit per document of the segment: a term in more than
    1/64 of the documents takes less memory so than as 4-byte numbers (人民 in 8,000 of 10,000 documents:
    1.25 KB instead of 32 KB). Sized, iterable in order, ``in`` in constant time."""

    __slots__ = ("bits", "count")

    def __init__(self, ids, size):
        bits = bytearray((size >> 3) + 1)
        for doc in ids:
            bits[doc >> 3] |= 1 << (doc & 7)
        self.bits = bytes(bits)
        self.count = len(ids)

    def __len__(self):
        return self.count

    def __contains__(self, doc):
        i = doc >> 3
        return i < len(self.bits) and (self.bits[i] >> (doc & 7)) & 1 == 1

    def __iter__(self):
        for i, byte in enumerate(self.bits):
            if byte:
                for k in range(8):
                    if byte >> k & 1:
                        yield (i << 3) + k

    def nbytes(self):
        return len(self.bits)


def _compact(ids, size):
    """``ids`` (an array) or, when smaller, the same documents as a ``_Bitmap`` of ``size`` documents."""
    if len(ids) * ids.itemsize > (size >> 3) + 64:  # (the bitmap and its object)
        return _Bitmap(ids, size)
    return ids


class _TermPostings:
    """What the cache keeps of one term in one segment: its document numbers (deleted ones left out), its
    document frequency (Whoosh's, deleted documents included) and its block directory (each posting block's
    last document number and file offset), so a matcher jumps to the block of a document instead of reading
    every block header before it."""

    __slots__ = ("ids", "doc_frequency", "terminfo", "block_maxids", "block_offsets")

    def __init__(self, ids, doc_frequency, terminfo=None, block_maxids=None, block_offsets=None):
        self.ids = ids
        self.doc_frequency = doc_frequency
        self.terminfo = terminfo
        self.block_maxids = block_maxids
        self.block_offsets = block_offsets

    def nbytes(self):
        ids = self.ids
        n = ids.nbytes() if type(ids) is _Bitmap else len(ids) * ids.itemsize
        if self.block_maxids is not None:
            n += len(self.block_maxids) * (self.block_maxids.itemsize + self.block_offsets.itemsize)
        return n + PostingIdCache.ENTRY_BYTES


_ABSENT = _TermPostings(array("i"), 0)


class PostingIdCache:
    """The posting lists of terms, without their positions and weights, decoded once per worker and kept in a
    bounded LRU (``_TermPostings``).

    A phrase matches only documents that hold every word, so intersecting the document numbers (rarest
    first, a binary search per candidate) finds the phrase's candidates without walking Whoosh's posting
    blocks; a field that cannot match (no candidate) costs no matcher at all. Keys carry the segment's id
    and its deletion count, so a segment whose documents were deleted since is read again; an absent term
    is kept too; so is a single character's prefix expansion (``expansion``). ``max_bytes`` (8 MB: the 300
    queries of queries-dev.jsonl on 10,000 items keep 2.6 MB with one segment, 4.2 MB with three) bounds the document numbers (4 bytes each,
    or a bit per document of the segment for a frequent term), the block directories (12 bytes a block)
    and a measured cost per entry; a worker's RSS grows by about that much at most."""

    ENTRY_BYTES = 520  # the key, the entry and its small arrays, the LRU link (measured: tracemalloc)
    # Two LRUs: terms of several posting blocks (and prefix expansions), whose reading walks every block, get
    # most of the bound; absent terms and terms of one block, which cost a lookup and one block read again
    # (what Whoosh's matcher does anyway), get the rest, so a stream of rare words cannot push the frequent
    # ones out. (One LRU for all, 300 queries on an index of two 5,000-document segments cycled through it
    # and missed every time.)
    SMALL_SHARE = 0.5

    def __init__(self, max_bytes=8 * 1024 * 1024):
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._tiers = {False: _Tier(), True: _Tier()}  # keyed by "small"

    @property
    def size(self):
        return sum(tier.size for tier in self._tiers.values())

    def _bound(self, small):
        return int(self.max_bytes * (self.SMALL_SHARE if small else 1 - self.SMALL_SHARE))

    def _find(self, key):
        with self._lock:
            for tier in self._tiers.values():
                found = tier.entries.get(key)
                if found is not None:
                    tier.entries.move_to_end(key)
                    return found[0]
        return None

    def get(self, reader, fieldname, word):
        """The ``_TermPostings`` of (fieldname, word) in the segment of ``reader`` (a ``SegmentReader``)."""
        segment = reader.segment()
        key = (segment.segment_id(), segment.deleted_count(), fieldname, word)
        entry = self._find(key)
        if entry is None:
            entry = _read_postings(reader, fieldname, word)
            blocks = entry.block_maxids
            self._put(key, entry, entry.nbytes(), small=blocks is None or len(blocks) < 2)
        return entry

    def expansion(self, reader, fieldname, prefix):
        """``[(bytes, term info)]`` of the terms of the field that start with ``prefix`` in the segment of
        ``reader``, in order (``IndexReader.expand_prefix``)."""
        segment = reader.segment()
        key = (segment.segment_id(), segment.deleted_count(), fieldname, "prefix", prefix)
        found = self._find(key)
        if found is not None:
            return found
        bprefix = reader._text_to_bytes(fieldname, prefix)
        found = []
        for (fn, word), info in reader._terms.items_from(fieldname, bprefix):
            if fn != fieldname or not word.startswith(bprefix):
                break
            found.append((word, info))
        self._put(key, found, self.ENTRY_BYTES * (1 + len(found)), small=False)
        return found

    def _put(self, key, value, cost, small):
        bound = self._bound(small)
        if cost > bound:
            return
        with self._lock:
            tier = self._tiers[small]
            if key not in tier.entries:
                tier.entries[key] = (value, cost)
                tier.size += cost
                while tier.size > bound:
                    _, (_, old_cost) = tier.entries.popitem(last=False)
                    tier.size -= old_cost

    def entries(self):
        """Every kept ``(key, (value, cost))``."""
        with self._lock:
            return [item for tier in self._tiers.values() for item in tier.entries.items()]

    def clear(self):
        with self._lock:
            self._tiers = {False: _Tier(), True: _Tier()}


class _Tier:
    __slots__ = ("entries", "size")

    def __init__(self):
        self.entries = OrderedDict()
        self.size = 0


def _read_postings(reader, fieldname, word):
    """The ``_TermPostings`` of the term, read block by block."""
    try:
        terms = reader._terms
        raw = terms._tindex[terms._keycoder(fieldname, word)]  # the term info as stored (kept: ~40 bytes)
    except KeyError:
        return _ABSENT
    terminfo = W3TermInfo.from_bytes(raw)
    doc_frequency = terminfo.doc_frequency()
    # A segment's deleted documents are left out of the ids (what ``SegmentReader.postings`` filters); the
    # block directory stays that of the blocks as stored, deleted documents included.
    deleted = reader.deleted_docs_set if reader.has_deletions() else None
    if terminfo.is_inlined():  # a term of one document: its posting is in the term info
        ids = array("i", (doc for doc in terminfo.inlined_postings()[0] if not deleted or doc not in deleted))
        return _TermPostings(ids, doc_frequency, raw)
    # SegmentReader.postings without looking the term up again
    m = terms._codec.postings_reader(terms._postfile, terminfo, reader.schema[fieldname].format)
    if type(m) is not W3LeafMatcher:
        if deleted:
            m = FilterMatcher(m, deleted, exclude=True)
        return _TermPostings(_compact(array("i", m.all_ids()), reader.doc_count_all()), doc_frequency, raw)
    ids, maxids, offsets = array("i"), array("i"), array("q")
    position = m._baseoffset
    while m.is_active():
        if m._ids is None:
            m._read_ids()
        if deleted:
            ids.extend(doc for doc in m._ids if doc not in deleted)
        else:
            ids.extend(m._ids)
        maxids.append(m._maxid)
        offsets.append(position)
        position = m._nextoffset
        m._next_block()
    return _TermPostings(_compact(ids, reader.doc_count_all()), doc_frequency, raw, maxids, offsets)


class _DirectoryLeafMatcher(W3LeafMatcher):
    """Whoosh's posting matcher whose ``skip_to`` finds the target's block in the term's block directory
    (``_TermPostings``) instead of reading the header of every block in between. Same postings, same
    scores: only the way to the block differs."""

    _blockno = 0

    def _next_block(self):
        super()._next_block()
        self._blockno += 1

    def _go_block(self, j):
        if j != self._blockno or self._atend:
            self._lastblock = self._atend = False  # (``_goto`` only ever sets them)
            self._goto(self._block_offsets[j])
            self._blockno = j

    @classmethod
    def open(cls, postfile, terminfo, format_, term, scorer, entry, docnum=None):
        """The matcher of a term whose postings are not inlined, standing on the block of ``docnum`` (the
        first block when None): what ``W3LeafMatcher(...)`` sets up, without reading the posting header and
        the first block's header again when another block is wanted."""
        m = cls.__new__(cls)
        m._postfile = postfile
        m._startoffset, m._length = terminfo.extent()
        m.format = format_
        m._term = term
        m._byteids = None
        m.scorer = scorer
        m._fixedsize = format_.fixed_value_size()
        m._block_maxids, m._block_offsets = entry.block_maxids, entry.block_offsets
        m._baseoffset = entry.block_offsets[0]
        m._lastblock = m._atend = False
        m._blockno = j = 0 if docnum is None else bisect_left(entry.block_maxids, docnum)
        m._goto(entry.block_offsets[j])
        return m

    def skip_to(self, targetid):
        if not self.is_active():
            raise ReadTooFar
        if targetid > self._maxid:
            maxids = self._block_maxids
            j = bisect_left(maxids, targetid, self._blockno)
            if j == len(maxids):  # past the last document
                self._atend = True
                return
            self._go_block(j)
        if self._ids is None:
            self._read_ids()
        self._i = bisect_left(self._ids, targetid, self._i)  # the block holds a document >= targetid

    def go_to_document(self, docnum):
        """Stand on ``docnum``, which the postings hold, forwards or backwards."""
        self._go_block(bisect_left(self._block_maxids, docnum))
        if self._ids is None:
            self._read_ids()
        self._i = bisect_left(self._ids, docnum)


def _go_to_document(m, docnum):
    """Stand the word matcher ``m`` on ``docnum`` (which it holds) in either direction; False when this kind
    of matcher cannot go back."""
    if type(m) is _DirectoryLeafMatcher:
        m.go_to_document(docnum)
        return True
    if type(m) is ListMatcher:  # postings inlined in the term info (a term of one document)
        m._i = bisect_left(m._ids, docnum)
        return True
    return False


def _intersect(arrays):
    """The values in every sorted array or ``_Bitmap`` of ``arrays`` (a list, smallest first)."""
    candidates = list(arrays[0])
    for other in arrays[1:]:
        if type(other) is _Bitmap:
            candidates = [doc for doc in candidates if doc in other]
            if not candidates:
                break
            continue
        n = len(other)
        keep = []
        for doc in candidates:
            i = bisect_left(other, doc)
            if i < n and other[i] == doc:
                keep.append(doc)
        candidates = keep
        if not candidates:
            break
    return candidates


def _phrase_documents(ms, candidates, order):
    """The documents of ``candidates`` (ascending; each holds every word) where the words of ``ms`` stand at
    consecutive positions. The words are checked in ``order`` (rarest first) and a document is dropped at
    the first word that leaves no start position, so most words' blocks are never read for it."""
    matched = []
    for doc in candidates:
        starts = None
        for i in order:
            m = ms[i]
            m.skip_to(doc)
            shifted = {p - i for p in m.value_as("positions")}
            starts = shifted if starts is None else starts & shifted
            if not starts:
                break
        if starts:
            matched.append(doc)
    return matched


class _RarestFirstSpanMatcher(SpanNear2.SpanNear2Matcher):
    """Whoosh's phrase matcher (``SpanNear2``: the words at consecutive positions, in order), walking only the
    documents that hold every word (``candidates``, found from the cached posting ids).

    Whoosh intersects the posting lists as a balanced tree in phrase order, so a bigram that is in nearly
    every document (人民, 可以) is walked block by block, each block unpickled with its positions; here the
    word matchers only skip to the candidates. The positions are still checked in phrase order
    (``self.ms``), so the matches are the same, and the score adds the words' scores in Whoosh's order (a
    balanced tree in phrase order): floating-point sums in another order differ in the last bit, which
    would reorder equally relevant documents."""

    def __init__(self, ms, slop=1, ordered=True, mindist=1, candidates=None):
        self.ms = ms
        self.slop = slop
        self.ordered = ordered
        self.mindist = mindist
        self.candidates = candidates
        isect = ListMatcher(candidates)
        for m in ms:
            isect = IntersectionMatcher(isect, m)
        super(SpanNear2.SpanNear2Matcher, self).__init__(isect)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms], slop=self.slop, ordered=self.ordered,
                              mindist=self.mindist, candidates=self.candidates)

    def score(self):
        return _tree_score(self.ms) * self.boost

    def _get_spans(self):
        """The phrase's spans in the current document: the word i at position p + i for every word (what
        ``SpanNear2`` with slop 1, ordered, finds), with sets of positions rather than Span objects."""
        ms = self.ms
        starts = set(ms[0].value_as("positions"))
        for i in range(1, len(ms)):
            if not starts:
                break
            starts.intersection_update([p - i for p in ms[i].value_as("positions")])
        last = len(ms) - 1
        return [Span(p, p + last) for p in sorted(starts)]


def _tree_score(ms):
    """The score of ``make_binary_tree(IntersectionMatcher, ms)``: the same additions in the same order."""
    if len(ms) == 1:
        return ms[0].score()
    half = len(ms) // 2
    return _tree_score(ms[:half]) + _tree_score(ms[half:])


POSTINGS = PostingIdCache()


def _word_matcher(searcher, fieldname, word, entry, weighting, docnum=None, candidates_only=False):
    """The posting matcher of a term that ``entry`` (its ``_TermPostings``) says exists, as ``Term.matcher``
    makes it (``searcher.postings``: the same postings and scorer), from the cached term info (no lookup in
    the term index) and skipping through the cached block directory; standing on the block of ``docnum``.

    In a segment with deleted documents the matcher skips them, as ``SegmentReader.postings`` does, unless
    ``candidates_only``: a phrase's word matchers are only ever moved to its candidates, which come from
    the cached ids (deleted documents left out), and must stay bare to be moved back (``_go_to_document``)."""
    reader = searcher.reader()
    if entry.terminfo is None or not searcher.is_atomic():
        return searcher.postings(fieldname, word, weighting=weighting)
    info = W3TermInfo.from_bytes(entry.terminfo)
    if not info.is_inlined() and entry.block_maxids is None:
        return searcher.postings(fieldname, word, weighting=weighting)
    terms = reader._terms
    scorer = weighting.scorer(searcher, fieldname, word)
    format_ = searcher.schema[fieldname].format
    if info.is_inlined():
        m = terms._codec.postings_reader(terms._postfile, info, format_, term=(fieldname, word), scorer=scorer)
    else:
        m = _DirectoryLeafMatcher.open(terms._postfile, info, format_, (fieldname, word), scorer, entry, docnum)
    if not candidates_only and reader.has_deletions():
        m = FilterMatcher(m, reader.deleted_docs_set, exclude=True)
    return m


def _segment_entry(reader, fieldname, text):
    """``(bytes, _TermPostings)`` of a term when ``reader`` is one segment's, else None (Whoosh's own way)."""
    if fieldname not in reader.schema or not isinstance(reader, SegmentReader):
        return None
    try:
        word = reader.schema[fieldname].to_bytes(text)
    except ValueError:
        return None
    return word, POSTINGS.get(reader, fieldname, word)


class _InfoTerm(Term):
    """A term of a prefix's expansion, with its term info already read (``CachedPrefix``)."""

    def __init__(self, fieldname, text, terminfo):
        super().__init__(fieldname, text)
        self.terminfo = terminfo

    def estimate_size(self, ixreader):
        return self.terminfo.doc_frequency()

    def matcher(self, searcher, context=None):
        reader = searcher.reader()
        if not searcher.is_atomic() or not isinstance(reader, SegmentReader):
            return super().matcher(searcher, context)
        weighting = (context.weighting if context else None) or searcher.weighting  # as Searcher.postings
        fieldname, word = self.fieldname, self.text
        terms = reader._terms
        m = terms._codec.postings_reader(terms._postfile, self.terminfo, searcher.schema[fieldname].format,
                                         term=(fieldname, word),
                                         scorer=weighting.scorer(searcher, fieldname, word))
        if reader.has_deletions():  # as SegmentReader.postings
            m = FilterMatcher(m, reader.deleted_docs_set, exclude=True)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


class CachedPrefix(Prefix):
    """``Prefix`` whose expansion (each term with its term info) is read once per segment and kept in the
    cache (``POSTINGS``); its terms are matched without a lookup each. Same terms, estimate and matcher
    tree as ``Prefix``."""

    def _expansion(self, reader):
        if self.fieldname not in reader.schema or not isinstance(reader, SegmentReader) or not self.text:
            return None
        return POSTINGS.expansion(reader, self.fieldname, self.text)

    def _btexts(self, ixreader):
        expansion = self._expansion(ixreader)
        if expansion is None:
            return super()._btexts(ixreader)
        return [word for word, _ in expansion]

    def estimate_size(self, ixreader):
        expansion = self._expansion(ixreader)
        if expansion is None:
            return super().estimate_size(ixreader)
        return sum(info.doc_frequency() for _, info in expansion)

    def matcher(self, searcher, context=None):
        expansion = self._expansion(searcher.reader())
        if expansion is None:
            return super().matcher(searcher, context)
        # MultiTerm.matcher with the expansion's terms
        qs = [_InfoTerm(self.fieldname, word, info) for word, info in expansion if word]
        if not qs:
            return matching.NullMatcher()
        if len(qs) == 1:
            return qs[0].matcher(searcher, context)
        if self.constantscore:
            if context:
                context = context.set(weighting=None)
            else:
                from whoosh.searching import SearchContext

                context = SearchContext(weighting=None)
        return SparseOr(qs, boost=self.boost).matcher(searcher, context)


class CachedTerm(Term):
    """``Term`` whose matcher and size estimate come from the cached postings (``POSTINGS``): no lookup in
    the term index, block skips through the directory. Same postings, scorer and estimate."""

    def estimate_size(self, ixreader):
        found = _segment_entry(ixreader, self.fieldname, self.text)
        if found is None:
            return super().estimate_size(ixreader)
        return found[1].doc_frequency

    def matcher(self, searcher, context=None):
        found = _segment_entry(searcher.reader(), self.fieldname, self.text)
        if found is None or self.minquality:
            return super().matcher(searcher, context)
        word, entry = found
        if not entry.ids:  # absent (or every document deleted): no match, as Term
            return matching.NullMatcher()
        weighting = (context.weighting if context else None) or searcher.weighting  # as Searcher.postings
        m = _word_matcher(searcher, self.fieldname, word, entry, weighting)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


class RarestFirstPhrase(Phrase):
    """``Phrase`` (slop 1) that finds its candidate documents from the cached posting lists of its words
    (``POSTINGS``), rarest first, before any posting block is read."""

    def _cached(self, reader):
        """The ``_TermPostings`` of every word, or None when a word cannot be a term of the field."""
        field = reader.schema[self.fieldname]
        entries = []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return None
            entry = POSTINGS.get(reader, self.fieldname, word)
            entries.append((word, entry))
            if not entry.doc_frequency:  # absent: no match, smallest estimate 0; the other words need no look
                break
        return entries

    def _word_matchers(self, searcher, entries, weighting, docnum=None):
        return [_word_matcher(searcher, self.fieldname, word, entry, weighting, docnum, candidates_only=True)
                for word, entry in entries]

    def estimate_size(self, ixreader):
        # Phrase's own estimate (the smallest document frequency), from the cache: Or and And order their
        # matcher trees by it, so it must be the same number.
        if self.fieldname not in ixreader.schema or not isinstance(ixreader, SegmentReader) or not self.words:
            return super().estimate_size(ixreader)
        entries = self._cached(ixreader)
        if entries is None:
            return super().estimate_size(ixreader)
        return min(entry.doc_frequency for _, entry in entries)

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema or self.slop != 1:
            return super().matcher(searcher, context)
        reader = searcher.reader()
        if not isinstance(reader, SegmentReader):  # not a single segment (searchers run a query per segment)
            return super().matcher(searcher, context)
        entries = self._cached(reader)
        if entries is None:
            return matching.NullMatcher()
        if not all(entry.ids for _, entry in entries):  # a word absent from the field: no match (as Phrase)
            return matching.NullMatcher()
        candidates = _intersect(sorted((entry.ids for _, entry in entries), key=len))
        if not candidates:
            return matching.NullMatcher()
        weighting = (context.weighting if context else None) or searcher.weighting  # as Searcher.postings
        ms = self._word_matchers(searcher, entries, weighting, candidates[0])
        rarest_first = sorted(range(len(entries)), key=lambda i: len(entries[i][1].ids))
        matched = _phrase_documents(ms, candidates, rarest_first)
        if not matched:
            return matching.NullMatcher()
        # The word matchers back on the first match (Whoosh scores each match from them), or fresh ones.
        if not all(_go_to_document(m, matched[0]) for m in ms):
            ms = self._word_matchers(searcher, entries, weighting, matched[0])
        m = _RarestFirstSpanMatcher(ms, candidates=matched)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
        return m


class _SparseUnionMatcher(ArrayUnionMatcher):
    """``ArrayUnionMatcher``'s documents and scores without its arrays.

    Whoosh's ``Or`` preloads its matches (``ArrayUnionMatcher``) in a segment of at most 5,000 documents when
    the caller needs no current posting: every search's per-field and per-phrase ``Or``. That matcher fills
    an array of 2,048 scores per part of the segment, clears it item by item and looks for the next match
    item by item, though a phrase matches a handful of documents: a fifth of a search's CPU. This keeps the
    same parts and sums each document's score over the submatchers in the same order (so the floating-point
    sums are the same), but only for the documents that match, and steps through them in order."""

    def __init__(self, submatchers, doccount, boost=1.0, scored=True, partsize=2048):
        CombinationMatcher.__init__(self, submatchers, boost=boost)
        self._scored = scored
        self._doccount = doccount
        self._partsize = partsize or doccount
        self._docnum = self._min_id()
        self._read_part()

    def _read_part(self):
        scored, boost = self._scored, self._boost
        limit = min(self._docnum + self._partsize, self._doccount)
        scores = {}
        for m in self._submatchers:
            while m.is_active() and m.id() < limit:
                i = m.id()
                scores[i] = scores.get(i, 0.0) + m.score() * boost if scored else 1
                m.next()
        self._scores = scores
        self._ids = sorted(i for i, score in scores.items() if score > 0)
        self._offset = self._docnum
        self._limit = limit

    def _find_next(self):
        ids = self._ids
        j = bisect_left(ids, self._docnum)
        if j < len(ids):
            self._docnum = ids[j]
        else:
            self._docnum = self._min_id()
            self._read_part()

    def block_quality(self):
        return max(self._scores.values(), default=0.0)

    def all_ids(self):
        while self._docnum < self._doccount:
            ids = self._ids
            yield from ids[bisect_left(ids, self._docnum):]
            self._docnum = self._limit
            if self._docnum < self._doccount:
                self._read_part()

    def score(self):
        return self._scores.get(self._docnum, 0.0)


class SparseOr(Or):
    """``Or`` that takes ``_SparseUnionMatcher`` where Whoosh's would preload its matches into arrays."""

    def _matcher(self, subs, searcher, context):
        doccount = searcher.doc_count_all()
        matcher_type = self.matcher_type
        if matcher_type == self.AUTO_MATCHER:  # Or._matcher's choice
            needs_current = context.needs_current if context else True
            if not (len(subs) < self.TOO_MANY_CLAUSES
                    and (needs_current or self.scale or len(subs) == 2 or doccount > 5000)):
                matcher_type = self.ARRAY_MATCHER
        if matcher_type != self.ARRAY_MATCHER:
            return super()._matcher(subs, searcher, context)
        scored = context.weighting is not None if context else True  # as PreloadedOr
        return _SparseUnionMatcher([sub.matcher(searcher, context) for sub in subs], doccount, boost=self.boost,
                                   scored=scored)


class CheapFirstAnd(And):
    """``And`` whose parts' matchers are made cheapest first (``expensive``: per part, True for a lone CJK
    character, whose matcher reads the postings of every bigram it starts), stopping at a part that matches
    nothing in the segment: 1955年 or 士官最高8年 found no 1955 or no phrase, and still read every bigram of
    年 (30-40 ms). When every part matches, the tree is ``And``'s own (same weights, same order of subqueries),
    so the scores are the same."""

    def __init__(self, subqueries, expensive=(), boost=1.0):
        super().__init__(subqueries, boost=boost)
        self.expensive = tuple(expensive)

    def _matcher(self, subs, searcher, context):
        # (none given, or parts changed since: every part counts as cheap, in order)
        expensive = self.expensive if len(self.expensive) == len(subs) else (False,) * len(subs)
        subms = [None] * len(subs)
        for i in sorted(range(len(subs)), key=expensive.__getitem__):  # stable: the cheap parts in order first
            m = subs[i].matcher(searcher, context)
            if not m.is_active():
                return matching.NullMatcher()
            subms[i] = m
        reader = searcher.reader()
        m = make_weighted_tree(matching.IntersectionMatcher,
                               [(0 - q.estimate_size(reader), m) for q, m in zip(subs, subms)])
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, self.boost)
        return m


ANALYZER = BigramTokenizer()
TEXT_FIELDS = ("title", "body", "doc_number")


def schema():
    return Schema(
        id=ID(stored=True, unique=True),
        organization=ID(),
        title=TEXT(analyzer=ANALYZER, stored=True, field_boost=3.0, phrase=True),
        body=TEXT(analyzer=ANALYZER, stored=False, phrase=True),  # snippets come from the database
        doc_number=TEXT(analyzer=ANALYZER, stored=True, field_boost=3.0, phrase=True),
        index_no=ID(stored=True),
        column=ID(stored=True),
        column_name=STORED(),
        type=ID(),
        section=ID(),
        year=NUMERIC(int, stored=True),
        five_public=ID(),
        published_at=DATETIME(stored=True, sortable=True),
    )


def open_index(path):
    """The index in ``path``, read through plain file reads rather than ``mmap``.

    Whoosh's ``mmap`` path copies every sub-file of a compound segment it opens into a ``BytesIO``
    (``whoosh.filedb.compound.CompoundStorage.open_file`` -> ``BufferFile``): the first search of each worker
    held the whole posting and term files in its own memory (~340 MB at 10,000 items, 470 MB per gunicorn
    worker). Plain reads go through the operating system's page cache, which the workers share.
    """
    return FileStorage(path, supports_mmap=False).open_index(MAIN)


def _replace_all_segments(writer, segments):
    """Merge policy of a rebuild: keep none of the existing segments (the new one replaces them all)."""
    return []


def _write_segment(path, field_batches):
    """One bulk writer over the (empty) index in ``path``: every document of ``field_batches`` into a single
    segment; returns the count."""
    writer = BulkSegmentWriter(whoosh_index.open_dir(path), limitmb=REBUILD_LIMITMB, schema=schema())
    count = 0
    # The writer's pool holds millions of small lists, which the cyclic GC's full collections would
    # traverse again and again (≈5-8 % of the rebuild): collect only the young generations, once per
    # batch, so the batch's own garbage (database objects) still goes.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for rows in field_batches:
            for row in rows:
                writer.add_document(**row)
                count += 1
            gc.collect(1)
        writer.commit(mergetype=_replace_all_segments)
    except BaseException:
        writer.cancel()
        raise
    finally:
        if gc_was_enabled:
            gc.enable()
    return count


def _segment_process(path, inbox, outcome):
    """The helper process of a two-process rebuild: batches of field dicts from ``inbox`` (None ends)."""
    def batches():
        while True:
            rows = inbox.get()
            if rows is None:
                return
            yield rows

    try:
        outcome.put(("done", _write_segment(path, batches())))
    except BaseException as exc:  # reported to the parent, which fails the rebuild
        outcome.put(("failed", repr(exc)))


def _adopt_segments(path, other):
    """Move the segments of the index in ``other`` into the index in ``path`` (one new TOC lists both)."""
    storage = FileStorage(path)
    mine = TOC.read(storage, MAIN)
    theirs = TOC.read(FileStorage(other), MAIN)
    pattern = TOC._segment_pattern(MAIN)
    for name in os.listdir(other):
        if pattern.match(name):
            os.replace(os.path.join(other, name), os.path.join(path, name))
    TOC(mine.schema, mine.segments + theirs.segments, mine.generation + 1).write(storage, MAIN)
    clean_files(storage, MAIN, mine.generation + 1, mine.segments + theirs.segments)


class WhooshBackend(SearchBackend):
    def __init__(self, path):
        self.path = path
        os.makedirs(path, exist_ok=True)
        self._lock_path = os.path.join(path, ".write.lock")
        with self._write_lock():
            if not whoosh_index.exists_in(path):
                whoosh_index.create_in(path, schema())
        self._index = open_index(path)
        self._local = threading.local()

    @contextmanager
    def _write_lock(self):
        with open(self._lock_path, "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    @contextmanager
    def _writer(self, bulk=False):
        with self._write_lock():
            # (A multi-process writer was measured slower here, and its extra segments slow queries.)
            # Large batches (imports, big outbox drains) take the bulk writer: 267 items/s instead of 182 when
            # the corpus arrives in batches of 2,000, same index.
            writer = BulkSegmentWriter(self._index, limitmb=256) if bulk else self._index.writer(limitmb=128)
            try:
                yield writer
            except BaseException:
                writer.cancel()
                raise
            else:
                writer.commit()

    @staticmethod
    def _fields(d):
        return dict(
            id=str(d.id), organization=str(d.organization_id), title=d.title, body=d.body,
            doc_number=d.doc_number or "", index_no=d.index_no or "", column=d.column,
            column_name=d.column_name, type=d.type, section=d.section, year=d.year,
            five_public=d.five_public or "", published_at=d.published_at,
        )

    def index(self, documents):
        documents = list(documents)
        if not documents:
            return 0
        bulk = len(documents) >= 200
        with self._writer(bulk=bulk) as writer:
            add = writer.add_document if bulk and not self._has_any(documents) else writer.update_document
            for d in documents:
                add(**self._fields(d))
        return len(documents)

    def rebuild(self, batches, replay=None, procs=1):
        """Replace the whole index with the documents of ``batches`` (lists of documents); returns their count.

        The new index is built aside, in a sibling folder, without the write lock: searches and the outbox
        drains keep using the live index meanwhile. One bulk writer (``whoosh_bulk.BulkSegmentWriter``)
        writes everything into a single segment (no merge or optimize), whose TOC carries the current
        ``schema()``. Then, holding the live index's write lock only for the swap: ``replay(target)`` applies
        to the new index what changed meanwhile (``target`` is a backend over the folder aside), the new
        segment's files move into the live folder (same file system: renames) and a new TOC generation that
        lists only that segment is written there — atomically, as every Whoosh commit is. Readers in every
        process see the new index at their next refresh; the old segment files are removed.
        """
        aside = self._aside_path()
        shutil.rmtree(aside, ignore_errors=True)
        try:
            count = self._build(aside, batches, procs)
            with self._write_lock():
                if replay is not None:
                    replay(WhooshBackend(aside))
                self._swap_in(aside)
        finally:
            shutil.rmtree(aside, ignore_errors=True)
        return count

    def _aside_path(self):
        parent, name = os.path.split(os.path.abspath(self.path).rstrip(os.sep))
        return os.path.join(parent, f".{name}.rebuild")

    @staticmethod
    def _build(aside, batches, procs=1):
        """Write the documents of ``batches`` into a new index in ``aside``; returns their count.

        With ``procs`` 2 a forked process writes every other batch into a segment of its own (the analysis
        and posting work is pure Python, so one process uses one core); the index aside then has two
        segments, listed in one TOC."""
        os.makedirs(aside)
        whoosh_index.create_in(aside, schema())
        fields = WhooshBackend._fields
        if procs <= 1:
            return _write_segment(aside, ([fields(d) for d in batch] for batch in batches))
        import multiprocessing

        context = multiprocessing.get_context("fork")
        helper_dir = aside + ".2"
        shutil.rmtree(helper_dir, ignore_errors=True)
        os.makedirs(helper_dir)
        whoosh_index.create_in(helper_dir, schema())
        inbox, outcome = context.Queue(maxsize=2), context.Queue()
        helper = context.Process(target=_segment_process, args=(helper_dir, inbox, outcome), daemon=True)
        helper.start()
        try:
            def send(rows):
                # Not a plain put: with the queue full, a put would wait for a dead helper forever.
                while True:
                    try:
                        return inbox.put(rows, timeout=HELPER_WAIT)
                    except queue.Full:
                        if not helper.is_alive():
                            raise RuntimeError("the rebuild's helper process died") from None

            def own_batches():
                for number, batch in enumerate(batches):
                    rows = [fields(d) for d in batch]
                    if number % 2 == 0:
                        send(rows)
                    else:
                        yield rows
                send(None)

            count = _write_segment(aside, own_batches())
            while True:
                try:
                    kind, value = outcome.get(timeout=HELPER_WAIT)
                    break
                except queue.Empty:
                    if not helper.is_alive():
                        raise RuntimeError("the rebuild's helper process died") from None
            helper.join()
            if kind != "done":
                raise RuntimeError(f"the rebuild's helper process failed: {value}")
            _adopt_segments(aside, helper_dir)
            return count + value
        finally:
            if helper.is_alive():
                helper.kill()
                helper.join()
            inbox.cancel_join_thread()  # what a dead helper left unread must not hold this process at exit
            shutil.rmtree(helper_dir, ignore_errors=True)

    def _swap_in(self, aside):
        """Move the index built in ``aside`` into the live folder as its next generation (lock held)."""
        built = TOC.read(FileStorage(aside), MAIN)
        pattern = TOC._segment_pattern(MAIN)
        for name in os.listdir(aside):
            if pattern.match(name):
                os.replace(os.path.join(aside, name), os.path.join(self.path, name))
        storage = FileStorage(self.path)
        generation = TOC._latest_generation(storage, MAIN) + 1
        TOC(built.schema, built.segments, generation).write(storage, MAIN)
        clean_files(storage, MAIN, generation, built.segments)
        self._index = open_index(self.path)
        self._local = threading.local()

    def _has_any(self, documents):
        """True when any of ``documents`` may already be in the index (then update, not add)."""
        with self._index.refresh().searcher() as searcher:
            if searcher.doc_count() == 0:
                return False
            return any(searcher.document_number(id=str(d.id)) is not None for d in documents)

    def optimize(self):
        """Merge all segments into one (``rebuild`` already leaves a single segment)."""
        with self._write_lock():
            self._index.optimize()
            self._index = open_index(self.path)
            self._local = threading.local()

    def delete(self, ids):
        ids = list(ids)
        if not ids:
            return
        with self._writer() as writer:
            for item_id in ids:
                writer.delete_by_term("id", str(item_id))

    def clear(self):
        with self._write_lock():
            whoosh_index.create_in(self.path, schema())
            self._index = open_index(self.path)
            self._local = threading.local()

    def count(self):
        with self._index.refresh().searcher() as searcher:
            return searcher.doc_count()

    def ids(self):
        with self._index.refresh().searcher() as searcher:
            return {int(fields["id"]) for fields in searcher.all_stored_fields()}

    @staticmethod
    def _phrase_query(tokens):
        per_field = []
        for name in TEXT_FIELDS:
            if len(tokens) == 1:
                token = tokens[0]
                per_field.append(CachedTerm(name, token))
                if len(token) == 1:  # a single CJK character: match the bigrams it starts
                    per_field.append(CachedPrefix(name, token))
            else:
                per_field.append(RarestFirstPhrase(name, tokens))
        return SparseOr(per_field)

    @classmethod
    def _text_query(cls, groups):
        """The query of ``parse_query``'s groups: every group must match, each in any of the text fields."""
        parts = [SparseOr([cls._phrase_query(p) for p in group]) for group in groups]
        if len(parts) == 1:
            return parts[0]
        lone = [all(len(p) == 1 and len(p[0]) == 1 for p in group) for group in groups]
        return CheapFirstAnd(parts, expensive=lone)

    def search(self, query):
        groups, _ = parse_query(query.text)
        if not groups:
            return Results(total=0)
        q = self._text_query(groups)
        filters = [Term(field, str(value)) for field, value in
                   (("column", query.column), ("type", query.type), ("section", query.section)) if value]
        if query.year:
            filters.append(NumericRange("year", int(query.year), int(query.year)))
        searcher = self._searcher()
        allowed = None
        if filters:
            allowed, count = self._filter_docs(And(filters) if len(filters) > 1 else filters[0])
            if not count:  # no document passes the filters
                return Results(total=0)
        kwargs = {"filter": allowed, "limit": None}
        if query.sort == "date":
            kwargs.update(sortedby="published_at", reverse=True)
        # limit=None: phrase queries match few documents, and collecting all of them gives the exact total
        # without Whoosh counting the matches a second time.
        results = searcher.search(q, **kwargs)
        total = len(results)
        start = (query.page - 1) * query.per_page
        hits = [
            Hit(id=int(h["id"]), title=h["title"], column=h["column"], column_name=h["column_name"],
                published_at=h["published_at"], body="")
            for h in results[start:start + query.per_page]
        ]
        return Results(total=total, hits=hits)

    def _filter_docs(self, filter_q):
        """``(BitSet of the documents that pass the filter query, their count)``, kept per searcher (at most
        ``FILTER_SETS`` of them, a bit per document each): the public filters (column, year, type, section)
        repeat, and Whoosh would walk their posting lists again on every search."""
        cache = self._local.filter_docs
        key = repr(filter_q)
        found = cache.get(key)
        if found is None:
            searcher = self._local.searcher
            docs = BitSet(searcher.docs_for_query(filter_q), size=searcher.doc_count_all())
            found = (docs, len(docs))
            if len(cache) >= self.FILTER_SETS:
                del cache[next(iter(cache))]
            cache[key] = found
        return found

    FILTER_SETS = 64

    def _searcher(self):
        """A searcher per thread, reused while the index is unchanged.

        When the index has changed, a new searcher is opened (≈ 1 ms now that segments are not copied into
        memory) rather than ``searcher.refresh()``: Whoosh-Reloaded's refresh keeps the readers of segments a
        merge has replaced (``FileIndex._reader`` adds the reused reader's segments to the new list), so
        after a merge of small segments every merged document was found twice."""
        local = self._local
        searcher = getattr(local, "searcher", None)
        if searcher is not None:
            if searcher.up_to_date():
                return searcher
            searcher.close()
        searcher = self._index.searcher()
        local.searcher = searcher
        local.filter_docs = {}
        return searcher

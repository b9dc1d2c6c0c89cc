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
from contextlib import contextmanager

from whoosh import index as whoosh_index
from whoosh import matching
from whoosh.analysis import Token, Tokenizer
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC, clean_files
from whoosh.fields import DATETIME, ID, NUMERIC, STORED, TEXT, Schema
from whoosh.matching.binary import IntersectionMatcher
from whoosh.query import And, NumericRange, Or, Phrase, Prefix, Term
from whoosh.query.spans import SpanNear2

from cms.search.analyzer import parse_query, tokenize
from cms.search.backend import Hit, Results, SearchBackend
from cms.search.whoosh_bulk import BulkSegmentWriter

# Posting memory of a rebuild before sorted runs spill to disk (an estimate: the process peaks at roughly
# twice this; the 14,828-document corpus stays in memory).
REBUILD_LIMITMB = 1024
MAIN = "MAIN"  # Whoosh's default index name (file prefix)


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


class _RarestFirstSpanMatcher(SpanNear2.SpanNear2Matcher):
    """Whoosh's phrase matcher (``SpanNear2``: the words at consecutive positions, in order), with the
    documents that hold every word found by intersecting the posting lists rarest first.

    Whoosh intersects them as a balanced tree in phrase order, so a bigram that is in nearly every document
    (人民, 可以) is walked block by block, each block unpickled with its positions; starting from the rarest
    bigram, the others only skip to its few documents. The positions are still checked in phrase order
    (``self.ms``), so the matches are the same, and the score adds the words' scores in Whoosh's order (a
    balanced tree in phrase order): floating-point sums in another order differ in the last bit, which
    would reorder equally relevant documents."""

    def __init__(self, ms, slop=1, ordered=True, mindist=1, sizes=None):
        self.ms = ms
        self.slop = slop
        self.ordered = ordered
        self.mindist = mindist
        self.sizes = sizes
        order = sorted(range(len(ms)), key=sizes.__getitem__)
        isect = ms[order[0]]
        for i in order[1:]:
            isect = IntersectionMatcher(isect, ms[i])
        super(SpanNear2.SpanNear2Matcher, self).__init__(isect)

    def copy(self):
        return self.__class__([m.copy() for m in self.ms], slop=self.slop, ordered=self.ordered,
                              mindist=self.mindist, sizes=self.sizes)

    def score(self):
        return _tree_score(self.ms) * self.boost


def _tree_score(ms):
    """The score of ``make_binary_tree(IntersectionMatcher, ms)``: the same additions in the same order."""
    if len(ms) == 1:
        return ms[0].score()
    half = len(ms) // 2
    return _tree_score(ms[:half]) + _tree_score(ms[half:])


class RarestFirstPhrase(Phrase):
    """``Phrase`` (slop 1) whose matcher intersects the words' posting lists rarest first."""

    def matcher(self, searcher, context=None):
        fieldname = self.fieldname
        if fieldname not in searcher.schema or self.slop != 1:
            return super().matcher(searcher, context)
        field = searcher.schema[fieldname]
        reader = searcher.reader()
        terms, sizes = [], []
        for word in self.words:
            try:
                word = field.to_bytes(word)
            except ValueError:
                return matching.NullMatcher()
            if (fieldname, word) not in reader:  # a word absent from the field: no match (as Phrase)
                return matching.NullMatcher()
            terms.append(Term(fieldname, word))
            sizes.append(reader.doc_frequency(fieldname, word))
        m = _RarestFirstSpanMatcher([t.matcher(searcher, context) for t in terms], sizes=sizes)
        if self.boost != 1.0:
            m = matching.WrappingMatcher(m, boost=self.boost)
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
            def own_batches():
                for number, batch in enumerate(batches):
                    rows = [fields(d) for d in batch]
                    if number % 2 == 0:
                        inbox.put(rows)
                    else:
                        yield rows
                inbox.put(None)

            count = _write_segment(aside, own_batches())
            while True:
                try:
                    kind, value = outcome.get(timeout=5)
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
                per_field.append(Term(name, token))
                if len(token) == 1:  # a single CJK character: match the bigrams it starts
                    per_field.append(Prefix(name, token))
            else:
                per_field.append(RarestFirstPhrase(name, tokens))
        return Or(per_field)

    def search(self, query):
        groups, _ = parse_query(query.text)
        if not groups:
            return Results(total=0)
        parts = [Or([self._phrase_query(p) for p in group]) for group in groups]
        q = And(parts) if len(parts) > 1 else parts[0]
        filters = [Term(field, str(value)) for field, value in
                   (("column", query.column), ("type", query.type), ("section", query.section)) if value]
        if query.year:
            filters.append(NumericRange("year", int(query.year), int(query.year)))
        filter_q = And(filters) if filters else None
        searcher = self._searcher()
        kwargs = {"filter": filter_q, "limit": None}
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
        return searcher

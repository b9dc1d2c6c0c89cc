"""A two-process rebuild of the Whoosh index that writes ONE segment.

Searching one segment costs about two thirds of searching the two a helper process used to write (its own
segment of every other batch), and Whoosh's ``optimize`` (pure Python) takes minutes. Here the two processes
share the work of a single segment instead:

1. Analysis, by documents. The parent numbers the documents as the batches come (batch after batch, so the
   document numbers are those of a one-process build) and hands every other batch, with its first document
   number, to the forked helper. Each process turns its documents into postings in a pool of its own
   (``whoosh_bulk.index_document``); the helper sends back the field lengths of its documents, and the parent
   writes every document's stored fields, columns and lengths in order.
2. Exchange. At the end each process splits its pool by term (``HELPER_BELOW``): the terms the parent will
   write (part 0) and those the helper will write (part 1); it keeps its own part in memory and writes the
   other to a file in a folder both reach (a pool past ``limitmb`` is split so along the way too).
3. Writing, by terms. Each process joins the lists of each of its terms (ascending lists of different
   documents: concatenated, or sorted by document when the batches interleave) and writes the posting lists
   (``whoosh_bulk.write_posting_list``): the parent into the segment's postings file, the helper into a file
   of its own, which the parent then appends, shifting the offsets in the helper's term infos. The parent
   adds every term info to the term index in (field, term) order.

The segment's files hold the same terms, postings, statistics, stored fields and lengths as a one-process
build (only the order of the posting lists in the postings file differs).
"""
import glob
import heapq
import marshal
import os
import queue
import shutil
import types

from array import array

from whoosh.filedb.filetables import _lengths, _pointer, md5_hash
from whoosh.system import pack_long, pack_ushort, unpack_long
from whoosh.util.numeric import byte_to_length, length_to_byte

from cms.search.whoosh_bulk import BulkSegmentWriter, TermPool, fast_fields, index_document, write_posting_list

# The helper writes the posting lists of the terms whose last byte is below this (bigrams' last UTF-8 bytes
# are spread over 0x80-0xBF; ASCII words, numbers and ids all go to the helper): a little more than half the
# postings, since the parent also writes the per-document files meanwhile and the term index after.
HELPER_BELOW = 0x9D
WAIT_SECONDS = 5


def _split(pool, folder, tag, mine, keep, fieldnames):
    """Empty ``pool`` into the two parts: the terms of the other process's part go to the file ``<tag>.<part>``
    in ``folder``; those of part ``mine`` ({fieldname: {btext: (ids, weights, values)}}) are returned when
    ``keep``, else written to ``<tag>.<mine>`` too. The names of the fields that had terms go into the set
    ``fieldnames``."""
    parts = ({}, {})
    below = HELPER_BELOW
    fieldnames.update(name for name, terms in pool.fields.items() if terms)
    for fieldname, terms in pool.fields.items():
        zero, one = {}, {}
        for btext, entry in terms.items():
            if btext and btext[-1] < below:
                one[btext] = entry
            else:
                zero[btext] = entry
        if zero:
            parts[0][fieldname] = zero
        if one:
            parts[1][fieldname] = one
    pool.fields = {}
    pool._unsorted = set()
    pool.size = 0
    for part in (0, 1):
        if part != mine or not keep:
            with open(os.path.join(folder, f"{tag}.{part}"), "wb") as fh:
                fh.write(marshal.dumps(parts[part]))  # (version 4 keeps shared values shared)
    return parts[mine] if keep else None


def _combined(entries):
    """One posting list from the lists of a term (each ascending, from different documents)."""
    if len(entries) == 2:
        a, b = entries
        if a[0][-1] < b[0][0]:
            return a[0] + b[0], a[1] + b[1], a[2] + b[2]
        if b[0][-1] < a[0][0]:
            return b[0] + a[0], b[1] + a[1], b[2] + a[2]
    ids, weights, values = [], [], []
    for entry in entries:
        ids.extend(entry[0])
        weights.extend(entry[1])
        values.extend(entry[2])
    order = sorted(range(len(ids)), key=ids.__getitem__)
    return [ids[i] for i in order], [weights[i] for i in order], [values[i] for i in order]


def _merged_lists(folder, part, kept):
    """Every posting list of ``part``, sorted by field and term: ``kept`` (the terms kept in memory here) and
    those the processes wrote to ``folder``."""
    sources = [kept]
    for path in sorted(glob.glob(os.path.join(folder, f"*.{part}"))):
        with open(path, "rb") as fh:
            sources.append(marshal.loads(fh.read()))
    fields = {}
    for terms_of in sources:
        for fieldname, terms in terms_of.items():
            found = fields.get(fieldname)
            if found is None:
                fields[fieldname] = terms
                continue
            get = found.get
            for btext, entry in terms.items():
                current = get(btext)
                if current is None:
                    found[btext] = entry
                elif type(current) is list:
                    current.append(entry)
                else:
                    found[btext] = [current, entry]
    del sources, kept
    for fieldname in sorted(fields):
        terms = fields.pop(fieldname)
        for btext in sorted(terms):
            entry = terms[btext]
            if type(entry) is list:
                entry = _combined(entry)
            yield fieldname, btext, entry[0], entry[1], entry[2]


def _write_part(postfile, codec, schema, lists, doc_lengths, fieldmap):
    """Write the posting lists ``lists``; returns [(term index key, term info bytes, hash of the key)] in
    their order (the key: the field's number in ``fieldmap`` and the term, as ``W3FieldWriter`` makes it)."""
    written = []
    append = written.append
    lastfn = fixedsize = lengths = prefix = None
    for fieldname, btext, ids, weights, values in lists:
        if fieldname != lastfn:
            fixedsize = schema[fieldname].format.fixed_value_size()
            lengths = doc_lengths.get(fieldname)
            prefix = pack_ushort(fieldmap[fieldname])
            lastfn = fieldname
        terminfo = write_posting_list(postfile, codec, fixedsize, ids, weights, values, lengths)
        key = prefix + btext
        append((key, terminfo.to_bytes(), md5_hash(key)))
    return written


def _add_terms(tindex, items):
    """``OrderedHashWriter.add`` for every (key, value, hash of the key) of ``items`` (sorted by key), at
    once."""
    if not items:
        return
    dbfile = tindex.dbfile
    pack = _lengths.pack
    size = _lengths.size
    pos = dbfile.tell()
    positions = []
    chunks = []
    buckets = tindex.buckets
    for key, value, h in items:
        positions.append(pos)
        chunks.append(pack(len(key), len(value)))
        chunks.append(key)
        chunks.append(value)
        buckets[h & 255].append((h, pos))
        pos += size + len(key) + len(value)
    dbfile.write(b"".join(chunks))
    index = tindex.index
    try:
        array(index.typecode, [positions[-1]])
    except OverflowError:
        index._retype(positions[-1])
    index.array.extend(positions)
    tindex.lastkey = items[-1][0]


def _write_hashes(tindex):
    """``HashWriter._write_hashes`` (the 256 hash tables), each table written at once."""
    dbfile = tindex.dbfile
    pack = _pointer.pack
    null = pack(0, 0)
    for entries in tindex.buckets:
        pos = dbfile.tell()
        numslots = 2 * len(entries)
        tindex.directory.append((pos, numslots))
        hashtable = [None] * numslots
        for entry in entries:
            slot = (entry[0] >> 8) % numslots
            while hashtable[slot] is not None:
                slot = (slot + 1) % numslots
            hashtable[slot] = entry
        dbfile.write(b"".join([null if e is None else pack(*e) for e in hashtable]))


def _doc_lengths(all_lengths):
    """{fieldname: the length of every document as the length column gives it back (None when zero)} from
    the per-document ``{fieldname: length}`` dicts."""
    found = {}
    doccount = len(all_lengths)
    for docnum, lengths in enumerate(all_lengths):
        for fieldname, length in lengths.items():
            column = found.get(fieldname)
            if column is None:
                column = found[fieldname] = [None] * doccount
            b = length_to_byte(length)
            column[docnum] = byte_to_length(b) if b else None
    return found


def _shift(tbytes, base):
    """A (not inlined) term info's bytes with its postings offset moved by ``base``."""
    offset = unpack_long(tbytes[-12:-4])[0]
    return tbytes[:-12] + pack_long(offset + base) + tbytes[-4:]


class _Helper:
    """The forked process's side: batches from ``inbox``, lengths and the written part to ``outcome``."""

    def __init__(self, schema, folder, codec, limitmb):
        self.schema, self.folder, self.codec = schema, folder, codec
        self.pool = TermPool(None, limitmb)
        self.token_lists = fast_fields(schema)

    def run(self, inbox, outcome):
        import gc

        gc.disable()  # as _write_segment: the pool's lists, traversed again and again otherwise
        schema, pool, token_lists, folder = self.schema, self.pool, self.token_lists, self.folder
        spills = 0
        with_terms = set()  # the fields that had terms
        while True:
            message = inbox.get()
            if message[0] == "batch":
                _, number, docnum, rows = message
                batch_lengths = []
                for row in rows:
                    fieldnames = sorted([name for name in row if not name.startswith("_")])
                    batch_lengths.append(index_document(schema, pool, token_lists, docnum, row, fieldnames))
                    docnum += 1
                if pool.full():
                    _split(pool, folder, f"h{spills:05d}", 1, keep=False, fieldnames=with_terms)
                    spills += 1
                outcome.put(("lengths", number, batch_lengths))
                gc.collect(1)
            elif message[0] == "end":
                kept = _split(pool, folder, "h_last", 1, keep=True, fieldnames=with_terms)
                outcome.put(("split", with_terms))
            elif message[0] == "write":
                from whoosh.filedb.structfile import StructFile

                path = os.path.join(folder, "helper.postings")
                postfile = StructFile(open(path, "wb"))
                _, doc_lengths, fieldmap = message
                written = _write_part(postfile, self.codec, schema, _merged_lists(folder, 1, kept), doc_lengths,
                                      fieldmap)
                postfile.close()
                terms = os.path.join(folder, "helper.terms")
                with open(terms, "wb") as fh:
                    fh.write(marshal.dumps(written))
                outcome.put(("written", path, terms))
                return


def _helper_process(schema, folder, codec, limitmb, inbox, outcome):
    try:
        _Helper(schema, folder, codec, limitmb).run(inbox, outcome)
    except BaseException as exc:  # reported to the parent, which fails the rebuild
        outcome.put(("failed", repr(exc)))


class PairSegmentWriter(BulkSegmentWriter):
    """The parent's writer of a two-process rebuild (see the module docstring): ``start_helper``, then
    ``add_batch`` for every batch in order, then ``commit`` (which writes the segment); ``stop_helper`` at the
    end in any case."""

    def __init__(self, ix, folder, limitmb=512, schema=None):
        super().__init__(ix, limitmb=limitmb, schema=schema)
        if any(field.separate_spelling() for field in self.schema):  # (spelling words come as document 0)
            raise ValueError("a two-process rebuild cannot write separate spelling fields")
        self.folder = folder
        self.limitmb = limitmb
        self.helper = self.inbox = self.outcome = None
        self._next = 0  # the document number of the next document analyzed
        self._pending = []  # [batch number, slim rows, lengths or None] of batches not yet written per document
        self._lengths = {}  # batch number -> its documents' {fieldname: length}
        self._waiting = 0  # helper batches whose lengths have not come back
        self._spills = 0
        self._fieldnames = set()  # the fields that had terms
        drop = [name for name in self._token_lists
                if not self.schema[name].stored and not self.schema[name].column_type]
        self._drop = frozenset(drop)

    def start_helper(self, context):
        self.inbox, self.outcome = context.Queue(maxsize=2), context.Queue()
        self.helper = context.Process(target=_helper_process, daemon=True, args=(
            self.schema, self.folder, self.codec, self.limitmb, self.inbox, self.outcome))
        self.helper.start()

    def _slim(self, rows):
        """The rows without the values only their postings need (``body``): kept until written per document."""
        drop = self._drop
        return [{k: (True if k in drop else v) for k, v in row.items()} for row in rows]

    def add_batch(self, number, rows, helper):
        """One batch (field dicts), analyzed here or by the helper."""
        self._check_state()
        first = self._next
        self._next += len(rows)
        self._added = True  # (commit writes the segment, with the pending documents, only when set)
        for row in rows:
            self._check_fields(self.schema, [name for name in row if not name.startswith("_")])
        if helper:
            self._send(("batch", number, first, rows))
            self._pending.append([number, self._slim(rows), None])
            self._waiting += 1
        else:
            schema, pool, token_lists = self.schema, self.pool, self._token_lists
            lengths = []
            docnum = first
            for row in rows:
                fieldnames = sorted([name for name in row if not name.startswith("_")])
                lengths.append(index_document(schema, pool, token_lists, docnum, row, fieldnames))
                docnum += 1
            if pool.full():
                _split(pool, self.folder, f"p{self._spills:05d}", 0, keep=False, fieldnames=self._fieldnames)
                self._spills += 1
            self._pending.append([number, self._slim(rows), lengths])
            self._lengths[number] = lengths
        self._collect(block=False)
        self._write_per_document()

    def _send(self, message):
        while True:
            try:
                return self.inbox.put(message, timeout=WAIT_SECONDS)
            except queue.Full:
                if not self.helper.is_alive():
                    raise RuntimeError("the rebuild's helper process died") from None

    def _receive(self, block):
        while True:
            try:
                message = self.outcome.get(timeout=WAIT_SECONDS) if block else self.outcome.get_nowait()
            except queue.Empty:
                if not block:
                    return None
                if not self.helper.is_alive():
                    raise RuntimeError("the rebuild's helper process died") from None
                continue
            if message[0] == "failed":
                raise RuntimeError(f"the rebuild's helper process failed: {message[1]}")
            return message

    def _collect(self, block):
        """The lengths of the helper's batches that are done (all of them when ``block``)."""
        while self._waiting:
            message = self._receive(block)
            if message is None:
                return
            _, number, lengths = message
            for entry in self._pending:
                if entry[0] == number:
                    entry[2] = lengths
                    break
            self._lengths[number] = lengths
            self._waiting -= 1

    def _write_per_document(self):
        """Stored fields, columns and lengths of the pending batches, in order, as far as their lengths are
        known."""
        pending = self._pending
        while pending and pending[0][2] is not None:
            _, rows, lengths = pending.pop(0)
            for row, doc_lengths in zip(rows, lengths):
                self.add_per_document(row, sorted([name for name in row if not name.startswith("_")]),
                                      doc_lengths)

    def _flush_segment(self):
        self._send(("end",))
        kept = _split(self.pool, self.folder, "p_last", 0, keep=True, fieldnames=self._fieldnames)
        self._collect(block=True)
        _, helper_fields = self._receive(block=True)  # ("split", ...): its terms of part 0 are in the folder
        # Field numbers as Whoosh's field writer gives them: the fields with terms, in order.
        fieldmap = {name: n for n, name in enumerate(sorted(self._fieldnames | helper_fields))}
        doc_lengths = {}
        if self.codec.length_stats:
            doc_lengths = _doc_lengths([doc for number in sorted(self._lengths) for doc in self._lengths[number]])
        self._send(("write", doc_lengths, fieldmap))
        self._write_per_document()
        self.perdocwriter.close()
        fieldwriter = self.fieldwriter
        postfile = fieldwriter._postfile
        mine = _write_part(postfile, self.codec, self.schema, _merged_lists(self.folder, 0, kept), doc_lengths,
                           fieldmap)
        _, path, terms = self._receive(block=True)
        base = postfile.tell()
        with open(path, "rb") as fh:
            shutil.copyfileobj(fh, postfile.file, 1 << 20)
        with open(terms, "rb") as fh:
            theirs = marshal.loads(fh.read())
        if base:
            theirs = [(key, _shift(value, base), h) for key, value, h in theirs]
        fieldwriter._fieldmap.update(fieldmap)  # (the dict the term index keeps in its extras)
        tindex = fieldwriter._tindex
        _add_terms(tindex, sorted(mine + theirs))
        tindex._write_hashes = types.MethodType(_write_hashes, tindex)
        fieldwriter.close()

    def stop_helper(self):
        if self.helper is not None:
            if self.helper.is_alive():
                self.helper.kill()
            self.helper.join()
            self.inbox.cancel_join_thread()  # what a dead helper left unread must not hold this process
            self.inbox.close()

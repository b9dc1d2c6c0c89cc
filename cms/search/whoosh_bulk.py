"""Fast bulk writing for the Whoosh index: the same files as Whoosh's own writer, produced faster.

Profiling a rebuild of the corpus showed nearly all the time in Whoosh's per-posting Python code: every
(term, document) pair went through a token object, a tuple, the posting pool (type assertions, size
bookkeeping), a sort of all postings, then the posting writer (more assertions, a column lookup of the
document's field length, block statistics). Bigrams give each document hundreds of distinct terms, so that
per-posting overhead dominates. ``BulkSegmentWriter`` keeps Whoosh's segment format but

- turns a bigram field into postings directly from the analyzer's token list (no token objects),
- groups postings by term as documents arrive (documents come in order, so each posting list is already
  sorted; only the distinct terms are sorted, not every posting), spilling sorted runs to disk past
  ``limitmb``, and
- writes each posting list in one go (``BulkW3FieldWriter``): the same block contents, block headers and term
  infos as ``W3PostingsWriter``, the blocks pickled with protocol 4 instead of 2 (bytes stored as they are:
  a fifth less CPU for the whole rebuild and a third smaller postings). Blocks whose pickle is shorter than
  ``COMPRESS_MIN`` bytes are stored uncompressed (the block header says so, and Whoosh's reader honours it):
  compressing hundreds of thousands of tiny blocks cost a quarter of the write time and saved almost no space.

Segments record the plain ``W3Codec``, so reading an index never depends on this module.
"""
import heapq
import marshal
import zlib
from array import array
from functools import lru_cache
from hashlib import md5
from operator import sub
from pickle import dumps
from struct import Struct

from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN, WHOOSH3_HEADER_MAGIC, W3Codec, W3FieldWriter, W3Segment, W3TermInfo, _lenfield,
)
from whoosh.filedb.filetables import OrderedHashWriter
from whoosh.formats import Positions
from whoosh.system import emptybytes, pack_int, pack_long, pack_uint, pack_ushort
from whoosh.util.numeric import byte_to_length, length_to_byte
from whoosh.writing import SegmentWriter

COMPRESS_MIN = 128
# Whoosh pickles a block with protocol 2, where every bytes value (a posting's positions) becomes a call of
# ``_codecs.encode`` on a latin-1 string: ~40 bytes and a function call per posting, for pickling, zlib and
# every reader. Protocol 4 stores bytes as they are. Readers just ``loads`` the block, whatever its protocol.
BLOCK_PICKLE_PROTOCOL = 4

_TERMINFO = W3TermInfo._struct
_HASH_LENGTHS = Struct("!ii")  # whoosh.filedb.filetables._lengths
_HASH_POINTER = Struct("!Iq")  # whoosh.filedb.filetables._pointer
_UINT = Struct("!I")
_NO_LENGTH = 1 << 62
_length_byte = lru_cache(maxsize=None)(length_to_byte)  # a bisect per call otherwise; lengths repeat


class BulkW3Codec(W3Codec):
    """W3Codec whose field writer writes a whole posting list at a time."""

    def field_writer(self, storage, segment):
        return BulkW3FieldWriter(self, storage, segment)

    def new_segment(self, storage, indexname):
        # Readers get the stock codec: the files are the same.
        return W3Segment(W3Codec(self._blocklimit, self._compression, self._inlinelimit), indexname)


class BulkW3FieldWriter(W3FieldWriter):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._tindex.__class__ = _BulkTermIndexWriter

    def add_postings(self, schema, lengths, items):
        """Whoosh's interface: sorted (fieldname, btext, docnum, weight, value) postings."""
        self.add_posting_lists(schema, lengths, _group_postings(items))

    def add_posting_lists(self, schema, lengths, lists):
        """Write (fieldname, btext, docnums, weights, values) posting lists sorted by field and term."""
        self._offset = self._postfile.tell()
        tindex = self._tindex
        self._tindex_offset = tindex.dbfile.tell()
        self._tindex_write = tindex.dbfile.write
        self._tindex_hash = _md5_hash if tindex.hashtype == 0 else tindex.hashfn
        lastfn = None
        doc_lengths = None
        for fieldname, btext, ids, weights, values in lists:
            if fieldname != lastfn:
                if lastfn is not None:
                    self.finish_field()
                self.start_field(fieldname, schema[fieldname])
                doc_lengths = self._doc_lengths(lengths, fieldname)
                lastfn = fieldname
            if ids:
                self._write_term(btext, ids, weights, values, doc_lengths)
        if lastfn is not None:
            self.finish_field()

    @staticmethod
    def _doc_lengths(lengths, fieldname):
        """For a block's length statistics: the field length of every document for its minimum (a huge
        number where the length is zero, which the statistics leave out, as W3PostingsWriter does) and for
        its maximum (0 there); or None when the field keeps no lengths."""
        if lengths is None:
            return None
        lenfield = _lenfield(fieldname)
        if not lengths.has_column(lenfield):
            return None
        column = lengths.column_reader(lenfield, LENGTHS_COLUMN).load()
        return ([byte_to_length(b) if b else _NO_LENGTH for b in column],
                [byte_to_length(b) if b else 0 for b in column])

    def _write_term(self, btext, ids, weights, values, doc_lengths):
        """Write one posting list as W3PostingsWriter does (blocks of ``blocklimit`` postings), and its term
        info as ``W3TermInfo.to_bytes`` packs it: the list's bytes in one write, at an offset kept here."""
        codec = self._codec
        blocklimit = codec._blocklimit
        compression = codec._compression
        fixedsize = self._format.fixed_value_size()
        count = len(ids)
        chunks = [WHOOSH3_HEADER_MAGIC]
        total_weight = 0.0
        top_weight = 0
        min_length = None
        max_length = 0
        for start in range(0, count, blocklimit):
            end = start + blocklimit
            if count <= blocklimit:
                block_ids, block_weights, block_values = ids, weights, values
            else:
                block_ids, block_weights, block_values = ids[start:end], weights[start:end], values[start:end]
            if doc_lengths is None:
                minlength, maxlength = None, 0
            else:
                minlength = min(map(doc_lengths[0].__getitem__, block_ids))
                if minlength == _NO_LENGTH:
                    minlength = None
                maxlength = max(map(doc_lengths[1].__getitem__, block_ids))
            maxweight = max(block_weights)
            if not maxweight > 0:
                maxweight = 0

            # Block statistics into the term info (W3TermInfo.add_block) and the block's weights
            float_weights = array("f", block_weights)
            total_weight += sum(float_weights)
            first = float_weights[0]
            if float_weights.count(first) == len(float_weights):
                mini_weights = None if first == 1.0 else first
            else:
                mini_weights = tuple(float_weights)
            if minlength is not None and (min_length is None or minlength < min_length):
                min_length = minlength
            if maxlength > max_length:
                max_length = maxlength
            if maxweight > top_weight:
                top_weight = maxweight

            # The block itself (W3PostingsWriter._write_block)
            mini_ids = (block_ids[0], *map(sub, block_ids[1:], block_ids))
            if fixedsize is None or fixedsize < 0:
                mini_values = tuple(filter(None, block_values))
            elif fixedsize == 0:
                mini_values = None
            else:
                mini_values = emptybytes.join(filter(None, block_values))
            databytes = dumps((mini_ids, mini_weights, mini_values), BLOCK_PICKLE_PROTOCOL)
            comp = compression if len(databytes) >= COMPRESS_MIN else 0
            if comp:
                databytes = zlib.compress(databytes, comp)
            infobytes = dumps((len(block_ids), block_ids[-1], maxweight, comp,
                               _length_byte(minlength), _length_byte(maxlength)), 2)
            blocklength = len(infobytes) + len(databytes)
            chunks.append(pack_int(blocklength if end < count else -blocklength))
            chunks.append(infobytes)
            chunks.append(databytes)

        data = emptybytes.join(chunks)
        self._postfile.write(data)
        offset = self._offset
        self._offset = offset + len(data)
        terminfo = _TERMINFO.pack(False, total_weight, count, _length_byte(min_length),
                                  _length_byte(max_length), top_weight, ids[0], ids[-1])
        terminfo += pack_long(offset) + pack_int(len(data))
        self._add_term_info(pack_ushort(self._fieldid) + btext, terminfo)

    def _add_term_info(self, key, value):
        """``OrderedHashWriter.add`` (keys come in order) with one write and the position kept here."""
        tindex = self._tindex
        position = self._tindex_offset
        tindex.index.append(position)
        record = _HASH_LENGTHS.pack(len(key), len(value)) + key + value
        self._tindex_write(record)
        self._tindex_offset = position + len(record)
        h = self._tindex_hash(key)
        tindex.buckets[h & 255].append((h, position))
        tindex.lastkey = key


class _BulkTermIndexWriter(OrderedHashWriter):
    """The term index's writer, whose hash tables are written a table at a time, not a slot at a time."""

    def _write_hashes(self):
        # HashWriter._write_hashes, with one write per table.
        dbfile = self.dbfile
        null = (0, 0)
        pack = _HASH_POINTER.pack
        for entries in self.buckets:
            numslots = 2 * len(entries)
            self.directory.append((dbfile.tell(), numslots))
            hashtable = [null] * numslots
            for hashval, position in entries:
                slot = (hashval >> 8) % numslots
                while hashtable[slot] != null:
                    slot = (slot + 1) % numslots
                hashtable[slot] = (hashval, position)
            dbfile.write(emptybytes.join([pack(h, p) for h, p in hashtable]))


def _md5_hash(key):
    """``whoosh.filedb.filetables.md5_hash`` (the low 32 bits of the key's MD5) without the hex round trip."""
    return _UINT.unpack_from(md5(key, usedforsecurity=False).digest(), 12)[0]


def _group_postings(items):
    """Sorted single postings -> posting lists."""
    lastkey = None
    ids = weights = values = None
    for fieldname, btext, docnum, weight, value in items:
        if docnum == -1:  # Whoosh's marker for spelling words (no posting)
            continue
        key = (fieldname, btext)
        if key != lastkey:
            if lastkey is not None:
                yield lastkey + (ids, weights, values)
            ids, weights, values = [], [], []
            lastkey = key
        ids.append(docnum)
        weights.append(weight)
        values.append(value)
    if lastkey is not None:
        yield lastkey + (ids, weights, values)


# Rough memory cost, in bytes, of one posting and of one new term in the pool (for ``limitmb``).
_POSTING_BYTES = 80
_TERM_BYTES = 250


class TermPool:
    """Postings grouped by field and term as they are added; sorted runs go to disk past ``limitmb``."""

    def __init__(self, tempstore, limitmb, text_fields=()):
        self.tempstore = tempstore
        self.text_fields = frozenset(text_fields)  # fields fed by add_positions: terms kept as str
        self.limit = limitmb * 1024 * 1024
        self.size = 0
        # fieldname -> {term: [docnum, weight, value, docnum, weight, value, ...]}: one list per term, not
        # three (a posting touches one list: a third less time adding postings, less memory)
        self.fields = {}
        self.runs = []
        self._unsorted = set()
        self._single_position = []  # position -> the value of a term occurring once, there

    def terms(self, fieldname):
        terms = self.fields.get(fieldname)
        if terms is None:
            terms = self.fields[fieldname] = {}
        return terms

    def add(self, item):
        """One posting (Whoosh's pool interface: merged segments, fields without the fast path)."""
        fieldname, btext, docnum, weight, value = item
        if value is None:
            value = emptybytes
        if fieldname in self.text_fields:
            btext = btext.decode("utf-8")  # the fast path's keys (see add_positions)
        terms = self.terms(fieldname)
        entry = terms.get(btext)
        if entry is None:
            terms[btext] = [docnum, weight, value]
            self.size += _TERM_BYTES + len(btext) + len(value)
        else:
            if docnum < entry[-3]:
                self._unsorted.add((fieldname, btext))
            entry += (docnum, weight, value)
            self.size += _POSTING_BYTES + len(value)

    def add_positions(self, fieldname, docnum, tokens, weight_factor):
        """Postings of one document's field from its token list, as Whoosh's ``Positions`` format makes them:
        weight = frequency * ``weight_factor``, value = the position deltas. Returns the field length.

        Terms of these fields are kept as ``str`` and encoded once each when written (code point order is
        UTF-8 byte order), not once per posting; a position's one-occurrence value is made once per pool."""
        weight_factor = float(weight_factor)
        positions = {}
        for pos, token in enumerate(tokens):
            found = positions.get(token)
            if found is None:
                positions[token] = [pos]
            else:
                found.append(pos)
        count = len(tokens)
        single = self._single_position
        if len(single) < count:
            single.extend(pack_uint(1) + dumps([pos], 2) for pos in range(len(single), count))
        terms = self.terms(fieldname)
        new = 0
        for token, poslist in positions.items():
            entry = terms.get(token)
            if entry is None:
                entry = terms[token] = []
                new += 1
            if len(poslist) == 1:
                entry += (docnum, weight_factor, single[poslist[0]])
            else:
                entry += (docnum, len(poslist) * weight_factor,
                          pack_uint(len(poslist)) + dumps([poslist[0], *map(sub, poslist[1:], poslist)], 2))
        # Estimated, not summed per posting: a one-occurrence value is 10-12 bytes, each repeat adds 1-3.
        self.size += len(positions) * (_POSTING_BYTES + 11) + new * _TERM_BYTES + 2 * (count - len(positions))
        return count

    def full(self):
        return self.size > self.limit

    def _sorted_lists(self):
        unsorted = self._unsorted
        for fieldname in sorted(self.fields):
            terms = self.fields[fieldname]
            text = fieldname in self.text_fields
            for term in sorted(terms):
                entry = terms[term]
                ids, weights, values = entry[0::3], entry[1::3], entry[2::3]
                if unsorted and (fieldname, term) in unsorted:
                    order = sorted(range(len(ids)), key=ids.__getitem__)
                    ids = [ids[i] for i in order]
                    weights = [weights[i] for i in order]
                    values = [values[i] for i in order]
                yield fieldname, term.encode("utf-8") if text else term, ids, weights, values

    def spill(self):
        """Write the pool as a sorted run and empty it."""
        if not self.fields:
            return
        name = "bulk%d.run" % len(self.runs)
        with self.tempstore.create_file(name).raw_file() as fh:
            for posting_list in self._sorted_lists():
                marshal.dump(posting_list, fh)
        self.runs.append(name)
        self.fields = {}
        self._unsorted = set()
        self.size = 0

    def _read_run(self, name):
        with self.tempstore.open_file(name).raw_file() as fh:
            while True:
                try:
                    yield marshal.load(fh)
                except EOFError:
                    return

    def posting_lists(self):
        """Every posting list, sorted by field and term, docnums ascending."""
        if not self.runs:
            yield from self._sorted_lists()
            return
        self.spill()
        # Runs hold consecutive documents, so a term's lists from successive runs simply concatenate
        # (heapq.merge keeps equal keys in run order).
        merged = heapq.merge(*[self._read_run(name) for name in self.runs], key=lambda pl: (pl[0], pl[1]))
        current = None
        for posting_list in merged:
            if current is not None and posting_list[0] == current[0] and posting_list[1] == current[1]:
                current[2].extend(posting_list[2])
                current[3].extend(posting_list[3])
                current[4].extend(posting_list[4])
            else:
                if current is not None:
                    yield current
                current = posting_list
        if current is not None:
            yield current

    def cleanup(self):
        for name in self.runs:
            try:
                self.tempstore.delete_file(name)
            except OSError:
                pass
        self.runs = []
        self.fields = {}


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter for large batches (see the module docstring). Fields whose analyzer offers
    ``token_list(text)`` and whose format is ``Positions`` take the fast path; every other field goes through
    Whoosh's own ``field.index()``.

    ``schema`` replaces the index's schema in the new TOC: only for a rebuild whose commit drops every
    existing segment (a merge policy returning ``[]``), since old segments were written with the old one.
    """

    def __init__(self, ix, limitmb=512, schema=None, **kwargs):
        super().__init__(ix, limitmb=limitmb, codec=BulkW3Codec(), **kwargs)
        if schema is not None:
            self.schema = schema
        self._token_lists = {
            name: field.analyzer.token_list for name, field in self.schema.items()
            if type(field.format) is Positions and hasattr(getattr(field, "analyzer", None), "token_list")
            and not field.vector and not field.separate_spelling()
        }
        self.pool = TermPool(self._tempstorage, limitmb, text_fields=self._token_lists)

    def add_document(self, **fields):
        # Whoosh's SegmentWriter.add_document with the fast path for bigram fields.
        self._check_state()
        perdocwriter = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        pool = self.pool
        add_post = pool.add
        docboost = self._doc_boost(fields)
        fieldnames = sorted([name for name in fields.keys() if not name.startswith("_")])
        self._check_fields(schema, fieldnames)

        perdocwriter.start_doc(docnum)
        try:
            for fieldname in fieldnames:
                value = fields.get(fieldname)
                if value is None:
                    continue
                field = schema[fieldname]
                length = 0
                if field.indexed:
                    fieldboost = self._field_boost(fields, fieldname, docboost)
                    token_list = self._token_lists.get(fieldname)
                    if token_list is not None and isinstance(value, str):
                        # Positions.word_values weighs a term freq * field_boost; add_document * fieldboost.
                        factor = field.format.field_boost * fieldboost
                        field_length = pool.add_positions(fieldname, docnum, token_list(value), factor)
                        if field.scorable:
                            length = field_length
                    else:
                        scorable = field.scorable
                        for tbytes, freq, weight, vbytes in field.index(value):
                            weight *= fieldboost
                            if scorable:
                                length += freq
                            add_post((fieldname, tbytes, docnum, weight, vbytes))

                if field.separate_spelling():
                    spellfield = field.spelling_fieldname(fieldname)
                    for word in field.spellable_words(value):
                        add_post((spellfield, word.encode("utf-8"), 0, 1, emptybytes))

                vformat = field.vector
                if vformat:
                    vitems = vformat.word_values(value, field.analyzer, mode="index")
                    vitems = sorted((text, weight, vbytes) for text, _, weight, vbytes in vitems)
                    perdocwriter.add_vector_items(fieldname, field, vitems)

                customval = fields.get("_stored_%s" % fieldname, value)
                perdocwriter.add_field(fieldname, field, customval if field.stored else None, length)
                column = field.column_type
                if column and customval is not None:
                    perdocwriter.add_column_value(fieldname, column, field.to_column_value(customval))
        except Exception:
            perdocwriter.cancel_doc()
            raise

        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1
        if pool.full():
            pool.spill()

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        self.fieldwriter.add_posting_lists(self.schema, lengths, self.pool.posting_lists())
        self.fieldwriter.close()
        if lengths:
            lengths.close()

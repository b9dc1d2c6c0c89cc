"""A search must not copy the index into the process: Whoosh's mmap path turned every compound sub-file
(postings, terms) into an in-memory BytesIO, hundreds of MB per gunicorn worker at 10,000 items."""
from whoosh.filedb.structfile import BufferFile

from cms.search.backend import Query
from cms.search.whoosh_backend import WhooshBackend
from tests.search.test_whoosh_bulk import documents


def open_files(searcher):
    """The files every segment reader of ``searcher`` has opened (postings, terms, stored fields...)."""
    reader = searcher.reader()
    readers = reader.readers if hasattr(reader, "readers") else [reader]
    files = []
    for segment_reader in readers:
        files.append(segment_reader._terms._postfile)
        files.append(segment_reader._terms._dbfile)
    return files


def test_search_reads_the_index_without_copying_it_into_memory(tmp_path):
    backend = WhooshBackend(str(tmp_path / "ix"))
    backend.index(documents(250))  # the bulk writer: one compound segment
    backend.index(documents(5, first_id=1000))  # Whoosh's own writer: a second segment
    results = backend.search(Query(text="营业场所"))
    assert results.total > 0 and results.hits
    files = open_files(backend._searcher())
    assert len(files) >= 4
    assert not any(isinstance(f, BufferFile) for f in files)


def test_results_are_the_same_after_reopening(tmp_path):
    backend = WhooshBackend(str(tmp_path / "ix"))
    backend.index(documents(60))
    first = backend.search(Query(text="文化市场 管理", per_page=50))
    again = WhooshBackend(str(tmp_path / "ix")).search(Query(text="文化市场 管理", per_page=50))
    assert first.total == again.total > 0
    assert [h.id for h in first.hits] == [h.id for h in again.hits]


def test_a_long_lived_searcher_sees_merged_segments_once(tmp_path):
    """Each small write adds a segment and Whoosh merges the small ones; the per-thread searcher, reopened
    after every change, must count each document once (a refreshed one kept the merged-away segments)."""
    backend = WhooshBackend(str(tmp_path / "ix"))
    backend.index(documents(250))
    backend.search(Query(text="营业场所"))
    for n in range(12):
        backend.index(documents(1, first_id=9000 + n))
        long_lived = backend.search(Query(text="营业场所", per_page=500))
        fresh = WhooshBackend(str(tmp_path / "ix")).search(Query(text="营业场所", per_page=500))
        assert long_lived.total == fresh.total
        assert len({h.id for h in long_lived.hits}) == len(long_lived.hits)
    assert backend.count() == 262

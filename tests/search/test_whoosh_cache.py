"""The cached postings (``POSTINGS``) must not change what a search finds or how it ranks: the whole query
(phrases, one-token words, single characters, several words) gives the same documents and scores as
Whoosh's own Term, Prefix and Phrase, also across segments and after deletions; the cache stays bounded."""
import pytest
from whoosh.query import And, Or, Phrase, Prefix, Term
from whoosh.reading import SegmentReader

from cms.search import whoosh_backend
from cms.search.analyzer import parse_query
from cms.search.backend import Query
from cms.search.whoosh_backend import PostingIdCache, WhooshBackend
from tests.search.test_whoosh_bulk import documents

TEXTS = ["营业场所", "市", "场 文化", "县级以上人民政府 管理", "文化市场管理", "wto服务", "2016", "春节 检查 场所",
         "场所场所", "不存在的词语", "文 2018", "第十三条 演出"]


def query_for(text):
    groups, _ = parse_query(text)
    parts = [Or([WhooshBackend._phrase_query(p) for p in group]) for group in groups]
    return And(parts) if len(parts) > 1 else parts[0]


def plain_query_for(text, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(whoosh_backend, "CachedTerm", Term)
        m.setattr(whoosh_backend, "CachedPrefix", Prefix)
        m.setattr(whoosh_backend, "RarestFirstPhrase", Phrase)
        return query_for(text)


def ranked(backend, q):
    return [(h.docnum, h.score) for h in backend._searcher().search(q, limit=None)]


@pytest.fixture()
def backend(tmp_path):
    backend = WhooshBackend(str(tmp_path / "ix"))
    backend.index(documents(300))  # bulk writer: one segment
    backend.index(documents(7, first_id=5000))  # a second, small segment
    return backend


def test_same_documents_and_scores_as_whoosh_queries(backend, monkeypatch):
    found = 0
    for text in TEXTS:
        ours = ranked(backend, query_for(text))
        assert ours == ranked(backend, plain_query_for(text, monkeypatch)), text
        found += len(ours)
    assert found > 0


def test_deleted_documents_are_not_found_and_the_rest_still_ranks_the_same(backend, monkeypatch):
    for text in TEXTS:
        ranked(backend, query_for(text))  # fill the cache before the deletions
    before = backend.search(Query(text="营业场所", per_page=500))
    second_segment = next(h.id for h in before.hits if h.id >= 5000)
    gone = [h.id for h in before.hits[:5]] + [second_segment]
    backend.delete(gone)
    after = backend.search(Query(text="营业场所", per_page=500))
    assert after.total == before.total - len(gone)
    assert not {h.id for h in after.hits} & set(gone)
    for text in TEXTS:
        assert ranked(backend, query_for(text)) == ranked(backend, plain_query_for(text, monkeypatch)), text


def test_a_document_updated_in_place_is_found_by_its_new_words_only(backend):
    assert backend.search(Query(text="营业场所")).total > 0
    doc = documents(1)[0]
    doc.title, doc.body = "独一无二的标题", "全新的正文内容"
    backend.index([doc])
    assert [h.id for h in backend.search(Query(text="全新的正文")).hits] == [doc.id]
    assert doc.id not in {h.id for h in backend.search(Query(text="文化市场管理办法第0号", per_page=50)).hits}


def test_the_cache_stays_within_its_bound(backend):
    cache = PostingIdCache(max_bytes=4000)
    reader = backend._searcher().reader()
    segment_reader = reader if isinstance(reader, SegmentReader) else reader.leaf_readers()[0][0]
    words = {w for _, w in segment_reader.all_terms()}
    assert len(words) > 50
    for fieldname in ("title", "body"):
        for word in words:
            cache.get(segment_reader, fieldname, word)
        cache.expansion(segment_reader, fieldname, "场")
    assert 0 < cache.size <= 4000
    assert cache.size == sum(cost for _, (_, cost) in cache.entries())

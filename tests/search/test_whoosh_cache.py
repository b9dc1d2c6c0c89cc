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
         "场所场所", "不存在的词语", "文 2018", "第十三条 演出", "1955年", "营业场所 市", "不存在的词语 场", "场 市"]


def query_for(text):
    groups, _ = parse_query(text)
    return WhooshBackend._text_query(groups)


def plain_query_for(text, monkeypatch):
    with monkeypatch.context() as m:
        m.setattr(whoosh_backend, "CachedTerm", Term)
        m.setattr(whoosh_backend, "CachedPrefix", Prefix)
        m.setattr(whoosh_backend, "RarestFirstPhrase", Phrase)
        m.setattr(whoosh_backend, "CheapFirstAnd", lambda parts, expensive=(): And(parts))
        m.setattr(whoosh_backend, "SparseOr", Or)
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
    sparse = []
    real_init = whoosh_backend._SparseUnionMatcher.__init__
    monkeypatch.setattr(whoosh_backend._SparseUnionMatcher, "__init__",
                        lambda self, *a, **k: sparse.append(1) or real_init(self, *a, **k))
    found = 0
    for text in TEXTS:
        ours = ranked(backend, query_for(text))
        assert ours == ranked(backend, plain_query_for(text, monkeypatch)), text
        found += len(ours)
    assert found > 0
    assert sparse  # the segments are small: Whoosh's Or would preload arrays, ours keeps the matches only


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


def test_a_part_that_matches_nothing_spares_the_lone_character(backend, monkeypatch):
    """年 alone reads the postings of every bigram it starts: not when another part of the query (1955, a
    phrase) matches nothing in the segment."""
    made = []
    real = whoosh_backend.CachedPrefix.matcher
    monkeypatch.setattr(whoosh_backend.CachedPrefix, "matcher",
                        lambda self, searcher, context=None: made.append(self.text) or real(self, searcher, context))
    assert backend.search(Query(text="不存在的词语 场")).total == 0
    assert backend.search(Query(text="1955年")).total == 0
    assert made == []
    assert backend.search(Query(text="营业场所 场")).total > 0  # both match: the character's matcher is made
    assert "场" in made


def test_segments_with_deleted_documents_keep_the_cached_fast_path(backend):
    """After a deletion the word matchers still come from the cached term info and block directory, with the
    deleted documents filtered out as ``SegmentReader.postings`` does."""
    from whoosh.matching.wrappers import FilterMatcher

    before = backend.search(Query(text="营业场所", per_page=500))
    backend.delete([h.id for h in before.hits[:3]])
    searcher = backend._searcher()
    leaves = searcher.leaf_searchers() if not searcher.is_atomic() else [(searcher, 0)]
    sub, _ = max(leaves, key=lambda pair: pair[0].doc_count_all())
    reader = sub.reader()
    assert reader.has_deletions()
    word = next(w for w, e in ((w, whoosh_backend.POSTINGS.get(reader, "body", w))
                               for _, w in reader.all_terms() if _ == "body")
                if e.block_maxids is not None and len(e.block_maxids) > 1)
    entry = whoosh_backend.POSTINGS.get(reader, "body", word)
    m = whoosh_backend._word_matcher(sub, "body", word, entry, sub.weighting)
    assert type(m) is FilterMatcher and type(m.child) is whoosh_backend._DirectoryLeafMatcher
    assert list(m.all_ids()) == list(reader.postings("body", word).all_ids()) == list(entry.ids)


def _sub_matchers(rng, count, doccount):
    from whoosh.matching import ListMatcher

    subs = []
    for _ in range(count):
        ids = sorted(rng.sample(range(0, doccount, 50), rng.randint(1, 40)))  # shared documents: sums
        subs.append(ListMatcher(ids, weights=[rng.uniform(0.1, 9.0) for _ in ids]))
    return subs


@pytest.mark.parametrize("seed", range(12))
def test_the_sparse_union_walks_like_whoosh_array_union(seed):
    """Same documents, same scores (bit for bit), stepping, skipping and listing, across parts."""
    import random

    from whoosh.matching import ArrayUnionMatcher

    from cms.search.whoosh_backend import _SparseUnionMatcher

    def walk(cls, scored, skips):
        rng = random.Random(seed)
        m = cls(_sub_matchers(rng, rng.randint(2, 6), 5000), 5000, boost=1.5, scored=scored)
        seen = []
        while m.is_active():
            seen.append((m.id(), m.score()))
            if skips and len(seen) % 3 == 0:
                m.skip_to(m.id() + skips)
            else:
                m.next()
        return seen

    for scored in (True, False):
        for skips in (0, 7, 900, 3000):
            ours = walk(_SparseUnionMatcher, scored, skips)
            assert ours == walk(ArrayUnionMatcher, scored, skips)
    rng = random.Random(seed)
    theirs = list(ArrayUnionMatcher(_sub_matchers(rng, 4, 5000), 5000).all_ids())
    rng = random.Random(seed)
    assert list(_SparseUnionMatcher(_sub_matchers(rng, 4, 5000), 5000).all_ids()) == theirs
    assert len(theirs) > 0

"""The rarest-first phrase matcher must find exactly what Whoosh's Phrase finds, with the same scores."""
import pytest
from whoosh.query import Phrase

from cms.search.analyzer import tokenize
from cms.search.backend import Query
from cms.search.whoosh_backend import RarestFirstPhrase, WhooshBackend
from tests.search.test_whoosh_bulk import PARAGRAPHS, documents

PHRASES = ["营业场所", "文化市场管理", "上网服务营业场所经营单位", "场所场所", "市场检查", "不存在的词语",
           "县级以上人民政府", "管理办法第", "wto服务"]


@pytest.fixture(scope="module")
def backend(tmp_path_factory):
    backend = WhooshBackend(str(tmp_path_factory.mktemp("ix")))
    backend.index(documents(300))  # bulk writer: one segment
    backend.index(documents(7, first_id=5000))  # a second, small segment
    return backend


@pytest.mark.parametrize("text", PHRASES)
@pytest.mark.parametrize("field", ["title", "body", "doc_number"])
def test_same_documents_and_scores_as_whoosh_phrase(backend, text, field):
    tokens = tokenize(text)
    searcher = backend._searcher()
    ours = searcher.search(RarestFirstPhrase(field, tokens), limit=None)
    theirs = searcher.search(Phrase(field, tokens), limit=None)
    assert [(h.docnum, h.score) for h in ours] == [(h.docnum, h.score) for h in theirs]
    assert len(ours) == len(theirs)


def test_phrase_still_needs_the_words_in_order(backend):
    # Every bigram of 场所营业 occurs, but never in this order: no match.
    assert backend.search(Query(text="场所营业")).total == 0
    assert backend.search(Query(text="营业场所")).total > 0
    assert any("营业场所" in p for p in PARAGRAPHS)

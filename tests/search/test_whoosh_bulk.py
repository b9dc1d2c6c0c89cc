"""The bulk writer must produce the index Whoosh's own writer produces (same terms, postings, positions,
statistics, stored fields and lengths), in memory, with runs spilled to disk, and when merging segments."""
from datetime import datetime

import pytest
from whoosh import index as whoosh_index

from cms.search.backend import Document, Query
from cms.search.whoosh_backend import WhooshBackend, schema
from cms.search.whoosh_bulk import BulkSegmentWriter

PARAGRAPHS = [
    "第十二条 互联网上网服务营业场所经营单位不得接纳未成年人进入营业场所。",
    "第十三条 歌舞娱乐场所不得在每日凌晨2时至上午8时营业，演出场所应当按照核定人数售票。",
    "邀请专家讲解WTO服务贸易规则与文化产品进出口管理。",
    "春节期间开展文化市场检查，重点检查上网服务营业场所。场所场所场所。",
    "嘉文广发〔2016〕131号 关于做好2018年春节文化市场检查的通知",
    "县级以上人民政府应当加强对本行政区域内文化市场的管理，文化市场管理应当依法进行。",
]


def documents(count, first_id=1):
    docs = []
    for n in range(count):
        body = "\n".join(PARAGRAPHS[(n + k) % len(PARAGRAPHS)] for k in range(1 + n % 5))
        docs.append(Document(
            id=first_id + n, organization_id=1 + n % 2, title=f"文化市场管理办法第{n}号", body=body,
            doc_number=f"嘉文广发〔{2010 + n % 9}〕{n}号" if n % 3 else "", index_no=f"IDX-{n}",
            column="policies" if n % 2 else "work-news", column_name="政策文件", type="policy",
            section="office", year=2010 + n % 9, five_public="", published_at=datetime(2010 + n % 9, 1, 1 + n % 28)))
    return docs


def contents(ix):
    """Everything a search can see in an index, in comparable form."""
    with ix.searcher() as searcher:
        reader = searcher.reader()
        terms = {}
        for fieldname, btext in reader.all_terms():
            info = reader.term_info(fieldname, btext)
            matcher = reader.postings(fieldname, btext)
            field = ix.schema[fieldname]
            items = list(matcher.items_as("positions")) if field.format.supports("positions") else [
                (docnum, None) for docnum in matcher.all_ids()]
            weights = list(reader.postings(fieldname, btext).items_as("weight"))
            terms[(fieldname, btext)] = (
                items, weights, info.weight(), info.doc_frequency(), info.min_length(), info.max_length(),
                info.max_weight(), info.min_id(), info.max_id())
        stored = list(reader.all_stored_fields())
        lengths = {name: [reader.doc_field_length(d, name) for d in range(reader.doc_count_all())]
                   for name in ("title", "body", "doc_number")}
    return terms, stored, lengths


def build(path, docs, writer_factory, **commit):
    backend = WhooshBackend(str(path))
    writer = writer_factory(backend._index)
    for d in docs:
        writer.add_document(**backend._fields(d))
    writer.commit(**commit)
    return backend._index.refresh()


@pytest.mark.parametrize("limitmb", [512, 0])  # 0: every document spills a sorted run to disk
def test_bulk_writer_matches_whoosh(tmp_path, limitmb):
    docs = documents(40)
    stock = build(tmp_path / "stock", docs, lambda ix: ix.writer())
    bulk = build(tmp_path / "bulk", docs, lambda ix: BulkSegmentWriter(ix, limitmb=limitmb))
    assert contents(bulk) == contents(stock)


def test_bulk_writer_matches_whoosh_on_long_lists_and_one_token_fields(tmp_path):
    """Terms in more than a block's 128 documents (several blocks, their statistics merged into the term info)
    and fields of a single token (the smallest lengths in the blocks' length statistics)."""
    docs = documents(300)
    for d in docs[::7]:
        d.title, d.doc_number, d.body = "通知", "wto", "场所"
    stock = build(tmp_path / "stock", docs, lambda ix: ix.writer())
    bulk = build(tmp_path / "bulk", docs, lambda ix: BulkSegmentWriter(ix))
    terms = contents(stock)[0]
    assert terms[("body", "场所".encode())][3] > 128 and terms[("title", "通知".encode())][3] == 43
    assert contents(bulk) == contents(stock)


def test_bulk_blocks_keep_positions_as_bytes(tmp_path):
    """Whoosh pickles a posting block with protocol 2, which turns every posting's positions (bytes) into a
    call of ``_codecs.encode`` on a latin-1 string; the bulk writer's blocks store them as bytes. Same
    postings (above), a smaller segment: 0.77 of Whoosh's here, 0.87 with protocol 2."""
    docs = documents(40)
    build(tmp_path / "stock", docs, lambda ix: ix.writer())
    build(tmp_path / "bulk", docs, lambda ix: BulkSegmentWriter(ix))

    def segment_bytes(name):
        return sum(p.stat().st_size for p in (tmp_path / name).iterdir() if p.suffix == ".seg")

    assert segment_bytes("bulk") < 0.82 * segment_bytes("stock")


def test_bulk_writer_merges_segments_like_whoosh(tmp_path):
    """Merging an older segment goes through the pool's generic path (postings arrive out of order)."""
    results = []
    for name, factory in (("stock", lambda ix: ix.writer()), ("bulk", lambda ix: BulkSegmentWriter(ix))):
        build(tmp_path / name, documents(15, first_id=100), lambda ix: ix.writer())
        ix = build(tmp_path / name, documents(25), factory, optimize=True)
        assert len(ix.reader().leaf_readers()) == 1
        results.append(contents(ix))
    assert results[0] == results[1]


def test_rebuild_replaces_the_index_in_one_segment(tmp_path):
    backend = WhooshBackend(str(tmp_path))
    backend.index(documents(10, first_id=500))
    backend.index(documents(10, first_id=600))
    docs = documents(30)
    assert backend.rebuild([docs[:12], docs[12:]]) == 30
    assert backend.ids() == {d.id for d in docs}
    assert len(whoosh_index.open_dir(str(tmp_path)).reader().leaf_readers()) == 1
    hits = backend.search(Query(text="不得接纳未成年人进入")).hits
    assert hits and all("不得接纳未成年人进入" in next(d.body for d in docs if d.id == h.id) for h in hits)
    # Later writes go on as usual.
    backend.index(documents(1, first_id=900))
    assert 900 in backend.ids()
    assert backend.rebuild([]) == 0 and backend.count() == 0


def test_rebuild_writes_the_current_schema(tmp_path):
    from whoosh.fields import ID, Schema

    whoosh_index.create_in(str(tmp_path), Schema(id=ID(stored=True, unique=True)))
    backend = WhooshBackend(str(tmp_path))
    backend.rebuild([documents(3)])
    assert whoosh_index.open_dir(str(tmp_path)).schema.names() == schema().names()
    assert backend.search(Query(text="文化市场")).total == 3


def test_pool_sorts_postings_that_arrive_out_of_order(tmp_path):
    from whoosh.filedb.filestore import FileStorage

    from cms.search.whoosh_bulk import TermPool

    pool = TermPool(FileStorage(str(tmp_path)), limitmb=512)
    for docnum in (5, 2, 9):
        pool.add(("body", b"ab", docnum, float(docnum), b"v%d" % docnum))
    pool.add(("body", b"aa", 1, 1.0, None))
    assert list(pool.posting_lists()) == [
        ("body", b"aa", [1], [1.0], [b""]),
        ("body", b"ab", [2, 5, 9], [2.0, 5.0, 9.0], [b"v2", b"v5", b"v9"]),
    ]


def test_large_batches_update_and_merge_like_whoosh(tmp_path, monkeypatch):
    """index() takes the bulk writer for batches of 200 or more: adds, updates and small-segment merges."""
    import cms.search.whoosh_backend as whoosh_backend

    def run(path):
        backend = WhooshBackend(str(path))
        for n in range(5):  # five small segments: the next commit's merge policy merges them into its own
            backend.index(documents(3, first_id=5000 + 10 * n))
        backend.index(documents(220, first_id=1))
        assert len(backend._index.refresh().reader().leaf_readers()) == 1
        for first_id in (301, 601):
            backend.index(documents(220, first_id=first_id))
        revised = documents(220, first_id=101)
        for d in revised:
            d.title = f"修订后的标题REVISED{d.id}"
        backend.index(revised)  # ids 101..320: 200 updates, 80 new
        backend.index(documents(3, first_id=6000))  # a small batch: Whoosh's own writer
        return backend

    bulk = run(tmp_path / "bulk")
    with monkeypatch.context() as m:
        m.setattr(whoosh_backend, "BulkSegmentWriter", lambda ix, limitmb: ix.writer(limitmb=limitmb))
        stock = run(tmp_path / "stock")
    assert bulk.ids() == stock.ids() and bulk.count() == stock.count() == 15 + 660 + 80 + 3
    assert [h.id for h in bulk.search(Query(text="REVISED150")).hits] == [150]
    assert bulk.search(Query(text="文化市场管理办法第49号")).total == stock.search(
        Query(text="文化市场管理办法第49号")).total
    for query in ("不得接纳未成年人进入", "WTO", "2018年 春节", "场所"):
        assert [h.id for h in bulk.search(Query(text=query, per_page=50)).hits] == [
            h.id for h in stock.search(Query(text=query, per_page=50)).hits]


def test_a_two_process_rebuild_gives_the_same_answers(tmp_path):
    docs = documents(40)
    batches = [docs[i:i + 5] for i in range(0, 40, 5)]
    one = WhooshBackend(str(tmp_path / "one"))
    two = WhooshBackend(str(tmp_path / "two"))
    replayed = []

    def replay(target):
        replayed.append(target.count())  # both segments are in the index aside before the swap
        target.delete([1])

    assert one.rebuild(batches) == 40
    assert two.rebuild(batches, replay=replay, procs=2) == 40
    one.delete([1])
    assert replayed == [40]
    assert len(two._index.refresh().reader().leaf_readers()) == 2
    assert two.ids() == one.ids() == set(range(2, 41))
    for text in ("上网服务营业场所", "凌晨2时至上午8时", "嘉文广发〔2016〕", "wto", "文化市场管理办法第7号"):
        for sort in ("relevance", "date"):
            q = Query(text=text, sort=sort, per_page=50)
            assert ({h.id for h in two.search(q).hits} == {h.id for h in one.search(q).hits}), text
            assert two.search(q).total == one.search(q).total


def test_a_two_process_rebuild_fails_cleanly_when_its_helper_dies(tmp_path, monkeypatch):
    """The parent must not wait forever on the helper's full queue: the rebuild fails, the live index stays."""
    import os

    import cms.search.whoosh_backend as whoosh_backend

    backend = WhooshBackend(str(tmp_path / "live"))
    backend.rebuild([documents(5)])
    monkeypatch.setattr(whoosh_backend, "_segment_process", lambda path, inbox, outcome: os._exit(3))
    monkeypatch.setattr(whoosh_backend, "HELPER_WAIT", 0.2)
    docs = documents(60, first_id=100)
    with pytest.raises(RuntimeError, match="helper process died"):
        backend.rebuild([docs[i:i + 5] for i in range(0, 60, 5)], procs=2)
    assert sorted(os.listdir(tmp_path)) == ["live"]  # the folders aside removed
    assert backend.ids() == set(range(1, 6))

"""Search benchmark on the shared corpus of real Chinese legal and administrative texts.

For each backend: import time and items/s, index size, query p50/p95, recall@10 and MRR of the known-item
queries (a phrase pasted from a document must find that document). Prints a table.

    .venv/bin/python bench/search_bench.py                      # whole corpus, Whoosh and PostgreSQL
    .venv/bin/python bench/search_bench.py --backends whoosh --scale 100000
    .venv/bin/python bench/search_bench.py --analyzers          # tokenizer speed: bigrams vs jieba (and rjieba)

The corpus is read from ../shared/corpus (override with --corpus). --scale N grows it to N documents by
recombining real paragraphs of the corpus (never random characters).
"""
import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from cms.search.backend import Document, Query  # noqa: E402

DEFAULT_CORPUS = os.path.join(ROOT, "..", "shared", "corpus")
PG_URL = os.environ.get("CMS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def load_corpus(path, scale=None):
    docs = []
    with open(os.path.join(path, "docs.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            docs.append(json.loads(line))
    queries = []
    with open(os.path.join(path, "queries-dev.jsonl"), encoding="utf-8") as fh:
        for line in fh:
            queries.append(json.loads(line))
    if scale and scale > len(docs):
        rng = random.Random(42)
        paragraphs = [p for d in docs for p in d["body"].split("\n") if len(p) > 20]
        titles = [d["title"] for d in docs]
        for n in range(scale - len(docs)):
            body = "\n".join(rng.choice(paragraphs) for _ in range(rng.randint(3, 12)))
            docs.append({"id": f"grown-{n}", "title": rng.choice(titles) + f"（汇编{n}）", "body": body, "date": None})
    return docs, queries


def to_documents(docs):
    out = []
    for number, d in enumerate(docs, start=1):
        try:
            published = datetime.fromisoformat(d["date"]) if d.get("date") else datetime(2020, 1, 1)
        except ValueError:
            published = datetime(2020, 1, 1)
        out.append(Document(id=number, organization_id=1, title=d["title"], body=d["body"], doc_number="",
                            index_no="", column="policies", column_name="政策文件", type="policy",
                            section="office", year=published.year, five_public="", published_at=published))
    return out


def du(path):
    return int(subprocess.run(["du", "-sb", path], capture_output=True, text=True).stdout.split()[0])


def evaluate(backend, queries, id_of):
    latencies, reciprocal, hits_at_10 = [], [], 0
    for q in queries:
        t0 = time.perf_counter()
        results = backend.search(Query(text=q["q"], per_page=10))
        latencies.append(time.perf_counter() - t0)
        ranked = [h.id for h in results.hits]
        target = id_of.get(q["target_id"])
        if target in ranked:
            hits_at_10 += 1
            reciprocal.append(1 / (ranked.index(target) + 1))
        else:
            reciprocal.append(0.0)
    latencies.sort()
    return {
        "recall10": hits_at_10 / len(queries),
        "mrr": statistics.fmean(reciprocal),
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def batches(documents, size):
    for start in range(0, len(documents), size):
        yield documents[start:start + size]


def bench_whoosh(documents, queries, id_of, batch):
    from cms.search.whoosh_backend import WhooshBackend

    with tempfile.TemporaryDirectory(prefix="bench-whoosh-") as path:
        backend = WhooshBackend(path)
        t0 = time.perf_counter()
        backend.rebuild(batches(documents, batch))  # as `cms search reindex` does
        elapsed = time.perf_counter() - t0
        size = du(path)
        stats = evaluate(backend, queries, id_of)
    return {"backend": "whoosh", "items": len(documents), "seconds": elapsed, "rate": len(documents) / elapsed,
            "size_mb": size / 1e6, **stats}


def bench_postgres(documents, queries, id_of, batch):
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    from cms.search.models import SearchDocument
    from cms.search.postgres_backend import PostgresBackend

    schema = f"bench_search_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(PG_URL)
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    engine = sa.create_engine(PG_URL + f"?options=-csearch_path%3D{schema}")
    try:
        SearchDocument.__table__.create(engine)
        with Session(engine) as session:
            backend = PostgresBackend(session=session)
            t0 = time.perf_counter()
            backend.rebuild(batches(documents, batch))
            elapsed = time.perf_counter() - t0
            session.execute(sa.text("ANALYZE search_documents"))
            size = session.execute(sa.text("SELECT pg_total_relation_size('search_documents')")).scalar()
            stats = evaluate(backend, queries, id_of)
    finally:
        engine.dispose()
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
    return {"backend": "postgres", "items": len(documents), "seconds": elapsed, "rate": len(documents) / elapsed,
            "size_mb": size / 1e6, **stats}


def bench_analyzers(docs, sample=2000):
    """Tokenizer throughput on a sample of the corpus (characters per second).

    rjieba (jieba's algorithm in Rust) is measured when installed (`pip install rjieba`); it is not a
    dependency, since the analyzer uses bigrams.
    """
    import jieba

    from cms.search.analyzer import tokenize

    jieba.setLogLevel(60)
    jieba.initialize()
    texts = [d["body"] for d in docs[:sample]]
    chars = sum(len(t) for t in texts)
    candidates = [
        ("bigrams (chosen)", tokenize),
        ("jieba.cut", lambda t: list(jieba.cut(t))),
        ("jieba.cut_for_search", lambda t: list(jieba.cut_for_search(t))),
    ]
    try:
        import rjieba
    except ImportError:
        print("rjieba is not installed: skipped (pip install rjieba to measure it)", file=sys.stderr)
    else:
        rjieba.cut("预热")  # loads the dictionary
        candidates += [("rjieba.cut", rjieba.cut), ("rjieba.cut_for_search", rjieba.cut_for_search)]
    rows = []
    for name, fn in candidates:
        t0 = time.perf_counter()
        for text in texts:
            fn(text)
        elapsed = time.perf_counter() - t0
        rows.append((name, chars / elapsed / 1e6))
    print(f"\n{'tokenizer':<24} {'M chars/s':>10}   ({sample} documents, {chars / 1e6:.1f} M characters)")
    for name, rate in rows:
        print(f"{name:<24} {rate:>10.2f}")


def main():
    parser = argparse.ArgumentParser(description="Search benchmark on the shared corpus")
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--backends", default="whoosh,postgres")
    parser.add_argument("--scale", type=int, default=None, help="grow the corpus to this many documents")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--analyzers", action="store_true", help="only compare tokenizer speed")
    args = parser.parse_args()
    docs, queries = load_corpus(args.corpus, args.scale)
    if args.analyzers:
        bench_analyzers(docs)
        return
    documents = to_documents(docs)
    id_of = {d["id"]: n for n, d in enumerate(docs, start=1)}
    rows = []
    for name in args.backends.split(","):
        runner = {"whoosh": bench_whoosh, "postgres": bench_postgres}[name.strip()]
        rows.append(runner(documents, queries, id_of, args.batch))
        r = rows[-1]
        print(f"{r['backend']}: indexed {r['items']} in {r['seconds']:.0f} s", file=sys.stderr)
    print(f"\n{'backend':<9} {'items':>7} {'import s':>9} {'items/s':>8} {'index MB':>9} {'p50 ms':>7} "
          f"{'p95 ms':>7} {'recall@10':>9} {'MRR':>6}")
    for r in rows:
        print(f"{r['backend']:<9} {r['items']:>7} {r['seconds']:>9.1f} {r['rate']:>8.0f} {r['size_mb']:>9.1f} "
              f"{r['p50']:>7.1f} {r['p95']:>7.1f} {r['recall10']:>9.3f} {r['mrr']:>6.3f}")
    print(f"\n({len(queries)} known-item queries from queries-dev.jsonl; 2-core machine)")


if __name__ == "__main__":
    main()

"""Micro-benchmark: CPU milliseconds of ``WhooshBackend.search`` per query (the index side only, no Flask).

Builds a Whoosh index of the first N corpus documents (default 10,000, as issue 17) in a folder that is kept
between runs (``--index-dir``; rebuilt with ``--rebuild``), then runs every query of ``queries-dev.jsonl``
``--repeat`` times, as the public page asks (10 per page, relevance; ``--per-page``/``--sort`` change it),
and prints the CPU time per search (``time.thread_time``: a shared machine's load does not inflate it)
p50/p95/max, the wall time, and the process's RSS after the run.

``--procs 2`` builds the index as ``cms search reindex`` does on two cores (``WhooshBackend.rebuild``).
``--dump FILE`` writes every query's (total, ids of the page) so two versions can be compared;
``--compare FILE`` checks the current results against such a dump. ``--profile`` prints a cProfile of
one pass over the queries.

    PYTHONPATH=$PWD .venv/bin/python bench/search_cpu.py [--items 10000] [--repeat 5] [--profile]
"""
import argparse
import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _corpus import corpus_path, grown_documents  # noqa: E402

from cms.search.backend import Document, Query  # noqa: E402

COLUMNS = [("policies", "政策文件"), ("notices", "通知公告"), ("rules", "规章")]


def documents(docs):
    from datetime import datetime

    for number, d in enumerate(docs, start=1):
        try:
            published = datetime.fromisoformat(d["date"]) if d.get("date") else datetime(2020, 1, 1)
        except ValueError:
            published = datetime(2020, 1, 1)
        code, name = COLUMNS[number % len(COLUMNS)]
        yield Document(id=number, organization_id=1, title=d["title"], body=d["body"], doc_number="",
                       index_no="", column=code, column_name=name, type="policy", section="office",
                       year=published.year, five_public="", published_at=published)


def queries():
    path = os.path.join(os.path.dirname(corpus_path()), "queries-dev.jsonl")
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line)["q"] for line in fh if line.strip()]


def rss_mb():
    with open("/proc/self/status") as fh:
        fields = dict(line.split(":", 1) for line in fh)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def pct(values, p):
    values = sorted(values)
    return values[max(0, int(len(values) * p) - 1)] if p < 1 else values[-1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--index-dir", default=None)
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--procs", type=int, default=1, help="processes of the index build (WhooshBackend.rebuild)")
    parser.add_argument("--batch", type=int, default=1000, help="documents per batch of the index build")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--per-page", type=int, default=10)
    parser.add_argument("--sort", default="relevance")
    parser.add_argument("--column", default=None, help="a column filter on every query (policies, ...)")
    parser.add_argument("--year", type=int, default=None, help="a year filter on every query")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--cache-mb", type=float, default=None, help="bound of the cached postings (MB)")
    parser.add_argument("--dump")
    parser.add_argument("--compare")
    args = parser.parse_args()

    from cms.search.whoosh_backend import WhooshBackend

    path = args.index_dir or f"/tmp/search-cpu-index-{args.items}"
    from whoosh import index as whoosh_index

    fresh = args.rebuild or not (os.path.isdir(path) and whoosh_index.exists_in(path))
    if fresh:
        import shutil

        shutil.rmtree(path, ignore_errors=True)
        docs = list(documents(grown_documents(args.items)))
        t0 = time.perf_counter()
        WhooshBackend(path).rebuild([docs[i:i + args.batch] for i in range(0, len(docs), args.batch)],
                                    procs=args.procs)
        print(f"indexed {len(docs)} items in {time.perf_counter() - t0:.0f} s into {path} ({args.procs} "
              f"process(es), {len(whoosh_index.open_dir(path)._segments())} segment(s))", file=sys.stderr)
    from cms.search import whoosh_backend

    postings = getattr(whoosh_backend, "POSTINGS", None)
    if postings is not None and args.cache_mb is not None:
        postings.max_bytes = int(args.cache_mb * 1024 * 1024)
    rss_before = rss_mb()[0]
    backend = WhooshBackend(path)
    qs = queries()

    def make(text, page=1):
        return Query(text=text, per_page=args.per_page, sort=args.sort, column=args.column, year=args.year,
                     page=page)

    for text in qs[:20]:
        backend.search(make(text))  # warm-up: the searcher, the page cache
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        for text in qs:
            backend.search(make(text))
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)
    per_query = {text: [] for text in qs}
    wall = []
    results = {}
    for _ in range(args.repeat):
        for text in qs:
            w, t = time.perf_counter(), time.thread_time()
            r = backend.search(make(text))
            per_query[text].append((time.thread_time() - t) * 1000)
            wall.append((time.perf_counter() - w) * 1000)
            results[text] = [r.total, [h.id for h in r.hits]]
    cpu = [min(v) for v in per_query.values()]  # each query's best of --repeat (noise from the other work)
    allcpu = [x for v in per_query.values() for x in v]
    rss, hwm = rss_mb()
    load = os.getloadavg()
    print(f"items={args.items} queries={len(qs)} repeat={args.repeat} per_page={args.per_page}"
          f" sort={args.sort} column={args.column} year={args.year}")
    for label, values in (("CPU ms, best of repeats per query", cpu), ("CPU ms, all runs", allcpu),
                          ("wall ms, all runs", wall)):
        print(f"backend.search {label + ':':<34} p50 {pct(values, .5):.2f}  p95 {pct(values, .95):.2f}"
              f"  max {pct(values, 1):.2f}")
    cached = "" if postings is None else f", cached postings {postings.size / 1e6:.1f} MB counted"
    print(f"RSS {rss:.0f} MB ({rss - rss_before:+.0f} MB over the run), peak {hwm:.0f} MB{cached}; "
          f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    slow = sorted(per_query.items(), key=lambda kv: -min(kv[1]))[:5]
    for text, v in slow:
        print(f"  slowest: {min(v):6.2f} ms  total={results[text][0]:<6} {text}")
    if args.dump:
        with open(args.dump, "w", encoding="utf-8") as fh:
            json.dump(results, fh, ensure_ascii=False)
    if args.compare:
        with open(args.compare, encoding="utf-8") as fh:
            before = json.load(fh)
        diff = [t for t in qs if before.get(t) != results[t]]
        print(f"compare with {args.compare}: {len(qs) - len(diff)} same, {len(diff)} different")
        for t in diff[:10]:
            print("  differs:", t, before.get(t), results[t])


if __name__ == "__main__":
    main()

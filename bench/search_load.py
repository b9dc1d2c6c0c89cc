"""Benchmark: the public search page under wrk, and the memory of a worker after a burst of traffic.

Builds a fresh embedded instance (SQLite + data folder in a temporary directory) with the demo bureau and
N published items from the corpus, builds the search index in process (as ``flask --app wsgi cms search
reindex`` does), serves it with gunicorn (2 workers) on 127.0.0.1 and loads ``/search?q=...`` with `wrk`
(Debian package `wrk`), 8 connections, a Lua script that picks a random URL for every request, over
the known-item queries of ``queries-dev.jsonl``: 20 held-out queries rotating (as issue 17 measured), then
every query of the file (a few hundred distinct ones). One process with the test client gives the CPU
milliseconds per search (the server's own work, which a shared machine's load does not inflate).

Memory phase, with the page cache on and off: a fresh gunicorn, a burst of searches, item pages, column
pages and the home page (wrk, mixed URLs), then each worker's VmRSS and VmHWM from /proc/<pid>/status
(the workers are the children of the gunicorn master).

Prints ours with the targets of issue 17 beside them (search >= 300 req/s at p95 <= 50 ms; a worker
<= 150 MB RSS).

Usage: .venv/bin/python bench/search_load.py [--items 10000] [--seconds 10] [--workers 2] [--burst 10]
"""
import argparse
import json
import os
import random
import shutil
import sys
import tempfile
import time
from urllib.parse import quote

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _corpus import build_published_instance, corpus_path  # noqa: E402
from _load import (  # noqa: E402
    column_paths, free_port, machine_speed, memory_of, run_wrk, run_wrk_measured, serve, stop, warm_up,
    workers_of,
)

TARGET_RPS, TARGET_P95_MS, TARGET_RSS_MB = 300, 50, 150
HELD_OUT = 20



def read_queries():
    path = os.path.join(os.path.dirname(corpus_path()), "queries-dev.jsonl")
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line)["q"] for line in fh if line.strip()]


def search_paths(queries):
    return [f"/search?q={quote(q)}" for q in queries]


def cpu_per_search(paths, samples):
    """CPU and wall milliseconds per search in one process (test client, page cache off: every search is
    answered by the index). Returns (cpu p50, cpu p95, wall p50, wall p95)."""
    from cms import create_app

    app = create_app({"CMS_PAGE_CACHE": False})
    client = app.test_client()
    rng = random.Random(5)
    for path in paths[:20]:
        client.get(path)  # warm-up: templates, SQL, the searcher
    cpu, wall = [], []
    for _ in range(samples):
        path = rng.choice(paths)
        t, w = time.process_time(), time.perf_counter()
        response = client.get(path)
        cpu.append((time.process_time() - t) * 1000)
        wall.append((time.perf_counter() - w) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    cpu.sort()
    wall.sort()
    n = len(cpu)
    return cpu[n // 2], cpu[int(n * 0.95) - 1], wall[n // 2], wall[int(n * 0.95) - 1]


def build_index():
    """Build the search index in process, as ``flask --app wsgi cms search reindex`` does."""
    from cms import create_app
    from cms.search.service import reindex

    app = create_app()
    with app.app_context():
        return reindex()


def load_average():
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--burst", type=int, default=10, help="seconds of mixed traffic before reading memory")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--samples", type=int, default=300, help="in-process searches for CPU ms per search")
    parser.add_argument("--skip-load", action="store_true", help="only the memory phase")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    speed = machine_speed()
    print(f"machine speed: {speed:.0f} ms of CPU for a fixed Python loop (lower is quicker)", flush=True)
    queries = read_queries()
    rng = random.Random(17)
    held_out = rng.sample(queries, HELD_OUT)
    results, memory = [], []
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as data_dir:
        t0 = time.perf_counter()
        ids, counts, _ = build_published_instance(data_dir, args.items)
        print(f"built {len(ids)} published items in {time.perf_counter() - t0:.1f} s", flush=True)
        t0 = time.perf_counter()
        indexed = build_index()
        print(f"indexed {indexed} items in {time.perf_counter() - t0:.1f} s", flush=True)

        columns = column_paths(counts)
        item_paths = [f"/items/{i}" for i in ids]
        sets = {"held-out 20": search_paths(held_out), f"all {len(queries)}": search_paths(queries)}
        # The burst: searches, item pages, column pages and the home page, in the proportions of a visit.
        mixed = (search_paths(queries) * 2 + rng.sample(item_paths, min(2000, len(item_paths)))
                 + rng.sample(columns, min(600, len(columns))) + ["/"] * 50)
        files = {}
        for name, paths in list(sets.items()) + [("mixed", mixed)]:
            files[name] = os.path.join(data_dir, f"paths-{name.replace(' ', '-')}.txt")
            with open(files[name], "w") as fh:
                fh.write("\n".join(paths) + "\n")

        print(f"load average before the in-process run: {load_average()}", flush=True)
        cpu = {name: cpu_per_search(paths, args.samples) for name, paths in sets.items()}
        for name, (c50, c95, w50, w95) in cpu.items():
            print(f"  {name:<12} one process: CPU p50 {c50:.1f} ms, p95 {c95:.1f} ms per search "
                  f"(wall p50 {w50:.1f}, p95 {w95:.1f})", flush=True)

        # Page cache on: a repeated search is answered from the worker's results cache (cms/blueprints/public/
        # search.py); off: every request goes to the index.
        for page_cache in (() if args.skip_load else (True, False)):
            port = free_port()
            server = serve(data_dir, port, args.workers, page_cache=page_cache)
            try:
                for name, paths in sets.items():
                    warm_up(port, paths)
                    run_wrk(port, files[name], 2, args.connections, 2)  # warm-up
                    load = load_average()
                    loaded = run_wrk_measured(port, files[name], args.seconds, args.connections, 2,
                                              workers_of(server.pid))
                    alone = run_wrk(port, files[name], max(3, args.seconds // 2), 1, 1)
                    label = f"{name} (cache {'on' if page_cache else 'off'})"
                    results.append((label, name, loaded, alone, load))
                    print(f"  search {label:<24}: {loaded['rps']:.0f} req/s, p50 {loaded['p50']:.1f} ms, "
                          f"p95 {loaded['p95']:.1f} ms, workers' CPU {loaded['cpu_ms']:.2f} ms a request; "
                          f"one connection p50 {alone['p50']:.1f} ms "
                          f"(load average {load})", flush=True)
            finally:
                stop(server)

        for page_cache in (True, False):
            port = free_port()
            server = serve(data_dir, port, args.workers, page_cache)
            try:
                warm_up(port, mixed)
                idle = {pid: memory_of(pid) for pid in workers_of(server.pid)}
                load = load_average()
                burst = run_wrk(port, files["mixed"], args.burst, args.connections, 2)
                after = {pid: memory_of(pid) for pid in workers_of(server.pid)}
                memory.append((page_cache, idle, after, burst, load))
                print(f"  memory, page cache {'on ' if page_cache else 'off'}: after a {args.burst} s burst "
                      f"({int(burst['requests'])} requests, {int(burst['non200'])} non-200): "
                      + ", ".join(f"worker {pid} RSS {rss:.0f} MB (peak {hwm:.0f}; {idle[pid][0]:.0f} MB "
                                  f"after warm-up)" for pid, (rss, hwm) in after.items() if pid in idle),
                      flush=True)
            finally:
                stop(server)

    print(f"\n{args.items} published items, SQLite, Whoosh, gunicorn -w {args.workers}, wrk -c{args.connections} "
          f"{args.seconds} s, a random query per request; machine speed {speed:.0f} ms before the runs, "
          f"{machine_speed():.0f} ms after (a fixed Python loop: lower is quicker)")
    print(f"{'search':<26} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'non-200':>8} {'1 conn p50':>11} "
          f"{'CPU ms p50/p95':>15} {'workers CPU ms/req':>19}  {'load avg':<16} target")
    for label, name, r, alone, load in results:
        c50, c95, _, _ = cpu[name]
        print(f"{label:<26} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} {int(r['non200']):>8} "
              f"{alone['p50']:>11.1f} {c50:>7.1f} /{c95:>6.1f} {r['cpu_ms']:>19.2f}  {load:<16} >= {TARGET_RPS} req/s, "
              f"p95 <= {TARGET_P95_MS} ms")
    if not results:
        for name, (c50, c95, _, _) in cpu.items():
            print(f"{name:<14} CPU ms per search p50 {c50:.1f} / p95 {c95:.1f}")
    print(f"\nworker memory after a {args.burst} s burst of searches, item, column and home pages")
    print(f"{'page cache':<11} {'worker RSS MB':>22} {'peak (VmHWM) MB':>22}  {'load avg':<16} target")
    for page_cache, idle, after, burst, load in memory:
        rss = " / ".join(f"{v[0]:.0f}" for v in after.values())
        hwm = " / ".join(f"{v[1]:.0f}" for v in after.values())
        print(f"{'on' if page_cache else 'off':<11} {rss:>22} {hwm:>22}  {load:<16} <= {TARGET_RSS_MB} MB RSS")


if __name__ == "__main__":
    main()

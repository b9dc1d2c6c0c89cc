"""Benchmark: public pages under wrk, over random URLs of the whole catalog, page cache on and off.

Builds a fresh embedded instance (SQLite + data folder in a temporary directory) with the demo bureau and
N published items from the corpus, serves it with gunicorn (2 workers) on 127.0.0.1 and loads it with
`wrk` (Debian package `wrk`), 8 connections, a Lua script that picks a random URL from a list for every
request: the home page; every item page; every column x page x year; column pages with filters. Then one
connection alone gives the server time per request (p50). Before the cache-on runs, `cms pages warm` renders
every item page into the shared page store (as a running site has them); the cache-off runs render every
request. Prints ours with the targets of issues 13 and 17 beside them, and the workers' memory afterwards.

Usage: .venv/bin/python bench/public_pages.py [--items 10000] [--seconds 10] [--workers 2]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _corpus import ROOT, build_published_instance  # noqa: E402
from _load import (  # noqa: E402
    column_paths, free_port, machine_speed, memory_of, run_wrk, run_wrk_measured, serve, stop, warm_up,
    workers_of,
)

TARGET_RPS, TARGET_P95_MS, TARGET_SERVER_MS, TARGET_WORKER_MB = 500, 50, 10, 150



def warm_store(data_dir, count):
    """Render every item page into the shared page store with the CLI; returns (seconds, pages/s)."""
    env = {**os.environ, "CMS_DATA_DIR": data_dir, "CMS_PAGE_CACHE": "1"}
    env.pop("CMS_DATABASE_URL", None)
    t0 = time.perf_counter()
    subprocess.run([os.path.join(ROOT, ".venv", "bin", "flask"), "--app", "wsgi", "cms", "pages", "warm", "--jobs", "2"],
                   cwd=ROOT, env=env, check=True, capture_output=True)
    seconds = time.perf_counter() - t0
    return seconds, count / seconds


def server_cpu_ms(data_dir, sets, samples=300):
    """CPU milliseconds per request in one process (page cache off): the server's own work, which a shared
    machine's load does not inflate. Returns {name: (p50, p95)}."""
    import random

    os.environ["CMS_PAGE_CACHE"] = "0"
    from cms import create_app

    app = create_app()
    client = app.test_client()
    rng = random.Random(9)
    result = {}
    for name, paths in sets.items():
        for path in paths[:20]:
            client.get(path)  # warm-up
        times = []
        for _ in range(samples):
            path = rng.choice(paths)
            t = time.process_time()
            response = client.get(path)
            times.append((time.process_time() - t) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        times.sort()
        result[name] = (times[len(times) // 2], times[int(len(times) * 0.95) - 1])
        print(f"  {name:<7} server CPU per request (cache off): p50 {result[name][0]:.1f} ms, "
              f"p95 {result[name][1]:.1f} ms", flush=True)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    results = []
    speed = machine_speed()
    print(f"machine speed: {speed:.0f} ms of CPU for a fixed Python loop (lower is quicker)", flush=True)
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as data_dir:
        t0 = time.perf_counter()
        ids, counts, _ = build_published_instance(data_dir, args.items)
        print(f"built {len(ids)} published items in {time.perf_counter() - t0:.1f} s", flush=True)
        columns = column_paths(counts)
        # Column pages with the public list's filters (issue 13): validity, sort, year, title/文号 words.
        filtered = []
        for code, years in counts.items():
            for year in sorted(years):
                filtered.append(f"/columns/{code}?year={year}&validity=valid&sort=date")
            for word in ("%E9%80%9A%E7%9F%A5", "%E7%AE%A1%E7%90%86", "%E5%8A%9E%E6%B3%95", "%E8%A7%84%E5%AE%9A"):
                filtered.append(f"/columns/{code}?q={word}")  # 通知, 管理, 办法, 规定
            filtered.append(f"/columns/{code}?validity=valid&sort=relevance&page=2")
        sets = {"home": ["/"], "item": [f"/items/{i}" for i in ids], "column": columns,
                "filtered": filtered}
        files = {}
        for name, paths in sets.items():
            files[name] = os.path.join(data_dir, f"paths-{name}.txt")
            with open(files[name], "w") as fh:
                fh.write("\n".join(paths) + "\n")
        print(f"URLs: {len(sets['item'])} item pages, {len(columns)} column pages (column x page x year)")
        cpu = server_cpu_ms(data_dir, sets)
        warm = warm_store(data_dir, len(ids))
        memory = {}
        for page_cache in (True, False):
            port = free_port()
            server = serve(data_dir, port, args.workers, page_cache)
            try:
                for name in sets:
                    warm_up(port, sets[name])
                    run_wrk(port, files[name], 2, args.connections, 2)  # warm-up
                    loaded = run_wrk_measured(port, files[name], args.seconds, args.connections, 2,
                                              workers_of(server.pid))
                    alone = run_wrk(port, files[name], max(3, args.seconds // 2), 1, 1)
                    results.append((name, page_cache, loaded, alone))
                    print(f"  {name:<7} cache {'on ' if page_cache else 'off'}: {loaded['rps']:.0f} req/s, "
                          f"p95 {loaded['p95']:.1f} ms, workers' CPU {loaded['cpu_ms']:.2f} ms a request; "
                          f"one connection p50 {alone['p50']:.1f} ms", flush=True)
                memory[page_cache] = [memory_of(pid) for pid in workers_of(server.pid)]
                print(f"  workers after the runs (cache {'on' if page_cache else 'off'}): "
                      + ", ".join(f"RSS {rss:.0f} MB (peak {hwm:.0f})" for rss, hwm in memory[page_cache]), flush=True)
            finally:
                stop(server)
    print(f"\n{args.items} published items, SQLite, gunicorn -w {args.workers}, wrk -c{args.connections} "
          f"{args.seconds} s, random URLs over the whole catalog; machine speed {speed:.0f} ms before the runs, "
          f"{machine_speed():.0f} ms after (a fixed Python loop: lower is quicker)")
    print(f"{'page':<8} {'cache':<6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'non-200':>8} "
          f"{'server ms (1 conn p50)':>23} {'workers CPU ms/req':>19}   target")
    print(f"server CPU per request, page cache off (p50 / p95 ms): "
          + ", ".join(f"{name} {p50:.1f} / {p95:.1f}" for name, (p50, p95) in cpu.items())
          + f"   target <= {TARGET_SERVER_MS} ms")
    print(f"page store warmed by `cms pages warm`: {warm[0]:.0f} s for {len(ids)} item pages "
          f"({warm[1]:.0f} pages/s); the cache-on runs serve kept pages, as a site does once its pages are rendered")
    for page_cache, workers in memory.items():
        print(f"worker memory after the runs, cache {'on' if page_cache else 'off'}: "
              + ", ".join(f"{rss:.0f} MB" for rss, _ in workers) + f"   target <= {TARGET_WORKER_MB} MB")
    for name, page_cache, r, alone in results:
        print(f"{name:<8} {'on' if page_cache else 'off':<6} {r['rps']:>7.0f} {r['p50']:>7.1f} {r['p95']:>7.1f} "
              f"{int(r['non200']):>8} {alone['p50']:>23.1f} {r['cpu_ms']:>19.2f}   >= {TARGET_RPS} req/s, "
              f"p95 <= {TARGET_P95_MS} ms, "
              f"server <= {TARGET_SERVER_MS} ms")


if __name__ == "__main__":
    main()

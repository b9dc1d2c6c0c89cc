"""Benchmark: two checkouts side by side under wrk, at the same moment, page cache off (or on).

Req/s on this shared host move by a quarter within minutes, so a figure measured in one session is not
comparable with one measured in another. This serves each checkout in turn with gunicorn (2 workers) over the
same instance, loads it with ``wrk`` on random URLs of each kind, and alternates the checkouts for several
rounds, so that both see the host in the same mood. Beside req/s it prints the workers' CPU milliseconds per
request, which the host's other work moves less.

The instance is one made by ``bench/page_instructions.py`` (its ``--data-dir``: the item, column and home URLs
are in ``paths-<kind>.txt`` there).

Usage: .venv/bin/python bench/page_ab.py --data-dir DIR --checkout OLD --checkout NEW [--rounds 2]
       [--seconds 6] [--pages item,column,home] [--cache]
Needs Debian's wrk.
"""
import argparse
import os
import shutil
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _load import free_port, machine_speed, run_wrk_measured, serve, stop, warm_up, workers_of  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True)
    parser.add_argument("--checkout", action="append", required=True)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("--pages", default="item,column,home")
    parser.add_argument("--cache", action="store_true", help="page cache on (default off)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    kinds = [k.strip() for k in args.pages.split(",") if k.strip()]
    files = {kind: os.path.join(args.data_dir, f"paths-{kind}.txt") for kind in kinds}
    for path in files.values():
        if not os.path.exists(path):
            sys.exit(f"{path} is missing: build the instance with bench/page_instructions.py --data-dir")
    print(f"machine speed: {machine_speed():.0f} ms; page cache {'on' if args.cache else 'off'}, "
          f"{args.workers} workers, wrk -c{args.connections}, {args.seconds} s a run", flush=True)
    print(f"{'round':<6} {'checkout':<28} " + " ".join(f"{k + ' req/s (cpu ms)':>24}" for k in kinds), flush=True)
    totals = {}
    for round_no in range(1, args.rounds + 1):
        order = args.checkout if round_no % 2 else list(reversed(args.checkout))
        for checkout in order:
            port = free_port()
            server = serve(args.data_dir, port, args.workers, args.cache, root=os.path.abspath(checkout))
            try:
                cells = []
                for kind in kinds:
                    with open(files[kind]) as fh:
                        warm_up(port, fh.read().split())
                    pids = workers_of(server.pid)  # (after the warm-up: every worker has started)
                    result = run_wrk_measured(port, files[kind], args.seconds, args.connections, 2, pids)
                    totals.setdefault((checkout, kind), []).append(result["rps"])
                    cells.append(f"{result['rps']:>9.0f} ({result['cpu_ms']:.2f}) p95 {result['p95']:>4.0f}")
                print(f"{round_no:<6} {checkout[-28:]:<28} " + " ".join(f"{c:>24}" for c in cells), flush=True)
            finally:
                stop(server)
    print("mean req/s: " + "; ".join(
        f"{checkout[-20:]} {kind} {sum(v) / len(v):.0f}" for (checkout, kind), v in totals.items()), flush=True)


if __name__ == "__main__":
    main()

"""Benchmark: CPU instructions the server spends on one uncached public page, counted by valgrind's callgrind.

A shared host's speed moves req/s and even CPU milliseconds by a factor of two within an hour; the number of
instructions a request executes does not. This counts them (user space, the whole WSGI call: routing, the
statements, the template, the response) for random URLs over the whole catalog, the page cache off, so two
commits (or two checkouts, ``--checkout``) can be compared at any moment. The page with a route that does
nothing (``null``) is the floor every request pays.

Builds a fresh embedded instance with N published items from the corpus (or reuses ``--data-dir``), then for
each kind of page runs one process under ``valgrind --tool=callgrind --instr-atstart=no``: it makes the app,
serves 30 requests uncounted (templates compiled, statements cached), then counts N requests
(``callgrind_control -i on/off``). ``PYTHONHASHSEED=0`` and no timed view-count flush (valgrind stretches wall
time) make the count repeat to within 0.1%.

Usage: .venv/bin/python bench/page_instructions.py [--items 10000] [--requests 200] [--pages item,column,home]
(``--pages ...,search`` adds the search page over the corpus' development queries, the index built first)
Needs Debian's valgrind. Expect about a minute per page kind.
"""
import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _corpus import ROOT  # noqa: E402
from _load import column_paths  # noqa: E402

WARM_UP = 30


def write_paths(data_dir, ids, counts):
    """Item, column (x page x year) and home URLs of the instance, one file per kind."""
    sets = {"item": [f"/items/{i}" for i in ids], "column": column_paths(counts), "home": ["/"]}
    for name, paths in sets.items():
        with open(os.path.join(data_dir, f"paths-{name}.txt"), "w") as fh:
            fh.write("\n".join(paths) + "\n")


def write_search_paths(data_dir):
    """Index the instance (as ``cms search reindex`` does) and write every development query as a search URL."""
    os.environ["CMS_DATA_DIR"] = data_dir
    os.environ.pop("CMS_DATABASE_URL", None)
    from search_load import build_index, read_queries, search_paths

    build_index()
    with open(os.path.join(data_dir, "paths-search.txt"), "w") as fh:
        fh.write("\n".join(search_paths(read_queries())) + "\n")


def child(data_dir, kind, requests, checkout):
    """Under callgrind: serve ``requests`` random URLs of ``kind``, counting only those."""
    os.environ.update({"CMS_DATA_DIR": data_dir, "CMS_PAGE_CACHE": "0"})
    os.environ.pop("CMS_DATABASE_URL", None)
    sys.path.insert(0, checkout)
    from werkzeug.test import EnvironBuilder

    import cms.content.view_counts as view_counts
    from cms import create_app

    view_counts.FLUSH_SECONDS, view_counts.FLUSH_PENDING = 1e9, 10**9  # no flush timed by the wall clock
    app = create_app()
    app.add_url_rule("/-null", "bench_null", lambda: "ok")
    if kind == "null":
        paths = ["/-null"]
    else:
        with open(os.path.join(data_dir, f"paths-{kind}.txt")) as fh:
            paths = fh.read().split()
    rng = random.Random(5)
    environs = []
    for path in [paths[0]] * WARM_UP + [rng.choice(paths) for _ in range(requests)]:
        path, _, query = path.partition("?")
        environs.append(EnvironBuilder(path=path, query_string=query,
                                       base_url="http://127.0.0.1:5000").get_environ())

    def start_response(status, headers, exc_info=None):
        if not status.startswith("200"):
            raise SystemExit(f"{kind}: {status}")

    for environ in environs[:WARM_UP]:
        b"".join(app(environ, start_response))
    subprocess.run(["callgrind_control", "-i", "on", str(os.getpid())], capture_output=True, check=True)
    for environ in environs[WARM_UP:]:
        b"".join(app(environ, start_response))
    subprocess.run(["callgrind_control", "-i", "off", str(os.getpid())], capture_output=True, check=True)


def count(data_dir, kind, requests, checkout):
    """Instructions per request of ``kind`` (millions)."""
    import re

    with tempfile.TemporaryDirectory(prefix="cms-callgrind-") as out:
        env = {**os.environ, "PYTHONHASHSEED": "0"}
        python = os.path.join(ROOT, ".venv", "bin", "python")
        run = subprocess.run(
            ["valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}/cg.out",
             python, os.path.abspath(__file__), "--child", data_dir, kind, str(requests), checkout],
            env=env, capture_output=True, text=True,
        )
        match = re.search(r"Collected : (\d+)", run.stderr)
        if run.returncode != 0 or not match:
            raise SystemExit(f"{kind}: callgrind failed\n{run.stderr[-2000:]}")
        return int(match.group(1)) / requests / 1e6


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        data_dir, kind, requests, checkout = sys.argv[2:6]
        return child(data_dir, kind, int(requests), checkout)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--pages", default="null,item,column,home")
    parser.add_argument("--data-dir", help="reuse an instance built by an earlier run (kept, not deleted)")
    parser.add_argument("--checkout", action="append",
                        help="a checkout of this project to count (repeatable; default this one)")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    checkouts = [os.path.abspath(c) for c in (args.checkout or [ROOT])]
    kinds = [k.strip() for k in args.pages.split(",") if k.strip()]
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as scratch:
        data_dir = args.data_dir or scratch
        built = f"{args.items} published items"
        if not os.path.exists(os.path.join(data_dir, "paths-item.txt")):
            from _corpus import build_published_instance

            ids, counts, _ = build_published_instance(data_dir, args.items)
            write_paths(data_dir, ids, counts)
        else:
            built = f"the instance in {data_dir}"
        if "search" in kinds and not os.path.exists(os.path.join(data_dir, "paths-search.txt")):
            write_search_paths(data_dir)
        print(f"{built}, SQLite, page cache off; {args.requests} random URLs a kind, "
              f"instructions per request (millions, user space, the whole WSGI call)", flush=True)
        print(f"{'checkout':<40} " + " ".join(f"{k:>8}" for k in kinds), flush=True)
        for checkout in checkouts:
            figures = [count(data_dir, kind, args.requests, checkout) for kind in kinds]
            print(f"{checkout:<40} " + " ".join(f"{f:>8.2f}" for f in figures), flush=True)


if __name__ == "__main__":
    main()

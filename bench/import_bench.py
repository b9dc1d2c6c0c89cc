"""Benchmark: `flask --app wsgi cms import` of N corpus documents into a fresh embedded instance.

Writes N documents of the corpus (grown beyond 14,828 from its paragraphs) as legacy JSON lines, creates a
fresh instance (SQLite + data folder in a temporary directory, demo bureau), and runs the CLI import as a
child process: items committed per second (`cms import --no-index`; with --with-sync the search outbox is
then drained with `cms search sync`, timed on its own), peak RSS of the import process, and a second run (idempotent: nothing created).
Targets of issue 17: >= 500 items/s for 10,000 documents, peak RSS <= 400 MB.

Usage: .venv/bin/python bench/import_bench.py [--items 10000] [--database-url URL]
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timedelta

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _corpus import ROOT, body_html, grown_documents  # noqa: E402

TARGET_RATE, TARGET_RSS_MB = 500, 400
COLUMNS = [("notices", "notice"), ("policies", "policy"), ("work-news", "news"), ("interpretations", "interpretation")]


def run(args, env):
    """Run a CLI command as a child; returns (seconds, peak RSS MB of that child, output)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    wrapper = [sys.executable, "-c", (
        "import resource, subprocess, sys; p = subprocess.run(sys.argv[1:]); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print('PEAK_RSS_KB', u.ru_maxrss, u.ru_utime + u.ru_stime, file=sys.stderr); "
        "sys.exit(p.returncode)")] + args
    proc = subprocess.run(wrapper, cwd=ROOT, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t0
    usage = next((line.split()[1:] for line in proc.stderr.splitlines() if line.startswith("PEAK_RSS_KB")),
                 [before, 0])
    peak, cpu = int(usage[0]), float(usage[1])
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{proc.stdout}\n{proc.stderr[-3000:]}")
    return seconds, peak / 1024, proc.stdout.strip(), cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--with-sync", action="store_true", help="also time `cms search sync` afterwards")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as data_dir:
        path = os.path.join(data_dir, "legacy.jsonl")
        start = datetime(2012, 1, 1, 9)
        with open(path, "w", encoding="utf-8") as fh:
            for n, doc in enumerate(grown_documents(args.items)):
                code, kind = COLUMNS[n % len(COLUMNS)]
                fh.write(json.dumps({
                    "external_id": f"legacy-{doc['id']}", "column": code, "type": kind, "title": doc["title"][:500],
                    "body_html": body_html(doc["body"]),
                    "published_at": (start + timedelta(hours=n)).isoformat() + "+08:00",
                }, ensure_ascii=False) + "\n")
        env = {**os.environ, "CMS_DATA_DIR": data_dir}
        if args.database_url:
            env["CMS_DATABASE_URL"] = args.database_url
        else:
            env.pop("CMS_DATABASE_URL", None)
        flask = [os.path.join(ROOT, ".venv", "bin", "flask"), "--app", "wsgi"]
        run(flask + ["db", "upgrade"], env)
        run(flask + ["cms", "seed-demo"], env)
        seconds, rss, out, cpu = run(flask + ["cms", "import", "--no-index", path], env)
        print(f"\n{args.items} corpus documents, {'PostgreSQL' if args.database_url else 'SQLite'}")
        print(f"import (CLI, items committed): {seconds:.1f} s = {args.items / seconds:.0f} items/s "
              f"(target >= {TARGET_RATE}); peak RSS {rss:.0f} MB (target <= {TARGET_RSS_MB}); "
              f"{args.items / cpu:.0f} items per CPU second; {out.splitlines()[-1]}", flush=True)
        again_s, _, again, _ = run(flask + ["cms", "import", "--no-index", path], env)
        print(f"second import of the same file: {again_s:.1f} s; {again.splitlines()[-1]}", flush=True)
        if args.with_sync:
            sync_s, sync_rss, _, sync_cpu = run(flask + ["cms", "search", "sync"], env)
            print(f"search index from the outbox (cms search sync): {sync_s:.1f} s = "
                  f"{args.items / sync_s:.0f} items/s, peak RSS {sync_rss:.0f} MB; "
                  f"{args.items / sync_cpu:.0f} items per CPU second")


if __name__ == "__main__":
    main()

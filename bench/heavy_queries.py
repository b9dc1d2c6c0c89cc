"""Benchmark: do heavy search queries slow every page? (issue "Hardening", expensive queries)

Builds a fresh embedded instance (SQLite + Whoosh in a temporary folder) with the demo bureau and N corpus
documents published and indexed, serves it with gunicorn (2 workers), then measures the item page with wrk
(random items over the whole catalog, 8 connections) twice: quietly, and while a second wrk sends 8
concurrent "heavy" searches (100 one-character words, and 60 distinct words) without pause. Prints both p95
figures and their ratio against the target (≤ 2×).

Usage: .venv/bin/python bench/heavy_queries.py [--items 5000] [--seconds 15]
Needs Debian's wrk (apt-get install wrk) and ../shared/corpus/docs.jsonl.
"""
import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(ROOT, "..", "shared", "corpus", "docs.jsonl")
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _load import free_port, serve, stop  # noqa: E402

COMMON = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定"


def build_instance(data_dir, count):
    """Publish ``count`` corpus documents directly (one INSERT per 1,000) and rebuild the search index."""
    os.environ["CMS_DATA_DIR"] = data_dir
    os.environ.pop("CMS_DATABASE_URL", None)
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from cms import create_app
    from cms.content.models import Column, Item
    from cms.demo import seed_demo
    from cms.extensions import db
    from cms.search.service import reindex

    app = create_app()
    with app.app_context():
        upgrade(directory=os.path.join(ROOT, "migrations"))
        org = seed_demo()
        db.session.commit()
        columns = [c for c in Column.query.filter_by(organization_id=org.id) if c.accepts]
        section_id = org.sections[1].id
        author_id = db.session.execute(db.text("SELECT id FROM users WHERE username='editor'")).scalar()
        start, rows, seq_by_year = datetime(2015, 1, 1), [], {}
        with open(CORPUS, encoding="utf-8") as fh:
            for n, line in enumerate(fh):
                if n >= count:
                    break
                doc = json.loads(line)
                column = columns[n % len(columns)]
                published = start + timedelta(hours=7 * n)
                seq = seq_by_year[published.year] = seq_by_year.get(published.year, 0) + 1
                body = "".join(f"<p>{p}</p>" for p in doc["body"].split("\n") if p.strip())
                rows.append({
                    "organization_id": org.id, "column_id": column.id, "section_id": section_id,
                    "author_id": author_id, "type": column.accepts[0], "title": doc["title"][:500],
                    "body_html": body, "state": "published", "version": 1, "disclosure": "proactive",
                    "validity": "valid", "workflow": "three_stage", "normative": False,
                    "index_year": published.year, "index_seq": 10000 + seq,
                    "index_no": f"{org.code}/{published.year}-{10000 + seq:05d}", "published_at": published,
                    "created_at": published, "updated_at": published, "view_count": 0,
                })
        for chunk in range(0, len(rows), 1000):
            db.session.execute(insert(Item.__table__), rows[chunk:chunk + 1000])
        db.session.commit()
        reindex()
        ids = [i for (i,) in db.session.execute(db.text("SELECT id FROM items WHERE state='published'"))]
    return ids


LUA = """
local paths = {}
for line in io.lines("%(paths)s") do paths[#paths + 1] = line end
math.randomseed(%(seed)d)
request = function() return wrk.format("GET", paths[math.random(#paths)]) end
done = function(summary, latency, requests)
  io.stderr:write(string.format("RESULT %%d %%d %%.1f %%.1f\\n", summary.requests,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000))
end
"""


def wrk(port, paths_file, seconds, connections, seed, tmp, wait=True):
    script = os.path.join(tmp, f"s{seed}.lua")
    with open(script, "w") as fh:
        fh.write(LUA % {"paths": paths_file, "seed": seed})
    cmd = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--timeout", "10s", "-s", script,
           f"http://127.0.0.1:{port}"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if not wait:
        return proc
    return parse(proc)


def parse(proc):
    _, err = proc.communicate(timeout=600)
    line = [ln for ln in err.splitlines() if ln.startswith("RESULT")][-1].split()
    requests, errors, p50, p95 = int(line[1]), int(line[2]), float(line[3]), float(line[4])
    return {"requests": requests, "errors": errors, "p50": p50, "p95": p95}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is not installed: apt-get install wrk")
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as tmp:
        data_dir = os.path.join(tmp, "data")
        t0 = time.perf_counter()
        ids = build_instance(data_dir, args.items)
        print(f"built and indexed {len(ids)} published corpus items in {time.perf_counter() - t0:.1f} s")
        items_file = os.path.join(tmp, "items.txt")
        with open(items_file, "w") as fh:
            fh.write("\n".join(f"/items/{i}" for i in ids))
        rng = random.Random(3)
        heavy = [" ".join(rng.sample(COMMON, len(COMMON))) for _ in range(50)]
        heavy += [" ".join("".join(rng.sample(COMMON, 3)) for _ in range(60)) for _ in range(50)]
        heavy_file = os.path.join(tmp, "heavy.txt")
        with open(heavy_file, "w") as fh:
            fh.write("\n".join(f"/api/v1/search?q={urllib.parse.quote(q)}" for q in heavy))
        port = free_port()
        server = serve(data_dir, port, args.workers, page_cache=False)
        try:
            wrk(port, items_file, 3, 8, 1, tmp)  # warm-up
            quiet = wrk(port, items_file, args.seconds, 8, 2, tmp)
            background = wrk(port, heavy_file, args.seconds + 4, 8, 3, tmp, wait=False)
            time.sleep(2)
            loaded = wrk(port, items_file, args.seconds, 8, 4, tmp)
            heavy_result = parse(background)
        finally:
            stop(server)
    ratio = loaded["p95"] / quiet["p95"] if quiet["p95"] else float("inf")
    print(f"\n{'run':<34} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8}")
    print(f"{'item page, quiet':<34} {quiet['requests']:>9} {quiet['errors']:>7} {quiet['p50']:>8.1f} {quiet['p95']:>8.1f}")
    print(f"{'item page, 8 heavy searches':<34} {loaded['requests']:>9} {loaded['errors']:>7} "
          f"{loaded['p50']:>8.1f} {loaded['p95']:>8.1f}")
    print(f"{'heavy searches themselves':<34} {heavy_result['requests']:>9} {heavy_result['errors']:>7} "
          f"{heavy_result['p50']:>8.1f} {heavy_result['p95']:>8.1f}")
    print(f"\nitem page p95 under heavy searches / quiet = {ratio:.2f}x (target ≤ 2x)"
          f" — {'OK' if ratio <= 2 else 'MISSED'}")


if __name__ == "__main__":
    main()

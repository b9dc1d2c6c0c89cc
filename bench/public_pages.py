"""Benchmark: requests/s and p95 latency of the public item and column pages.

Builds a fresh embedded instance (SQLite + data folder in a temporary directory) with the demo bureau and
10,000 published items, serves it with gunicorn (2 workers) on 127.0.0.1, loads it from a bounded Python
load generator (threads with keep-alive connections, a fixed number of requests), prints the figures and
stops gunicorn. Usage: .venv/bin/python bench/public_pages.py [--items 10000] [--requests 3000]
"""
import argparse
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime, timedelta

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def build_instance(data_dir, count):
    os.environ["CMS_DATA_DIR"] = data_dir
    os.environ.pop("CMS_DATABASE_URL", None)
    from flask_migrate import upgrade
    from sqlalchemy import insert

    from cms import create_app
    from cms.content.models import Column, Item
    from cms.demo import seed_demo
    from cms.extensions import db

    app = create_app()
    with app.app_context():
        upgrade(directory=os.path.join(ROOT, "migrations"))
        org = seed_demo()
        db.session.commit()
        columns = [c for c in Column.query.filter_by(organization_id=org.id) if c.accepts]
        section_id = org.sections[1].id
        author_id = db.session.execute(db.text("SELECT id FROM users WHERE username='editor'")).scalar()
        paragraphs = [
            "为进一步规范文化市场经营秩序，保障人民群众精神文化生活需求，现就有关事项通知如下。",
            "各单位要高度重视，明确责任分工，细化工作措施，确保各项任务落到实处。",
            "本通知自发布之日起施行，由嘉峪关市文化广播影视新闻出版局负责解释。",
        ]
        start = datetime(2015, 1, 1)
        rows, seq_by_year = [], {}
        for n in range(count):
            column = columns[n % len(columns)]
            published = start + timedelta(hours=7 * n)
            seq_by_year[published.year] = seq_by_year.get(published.year, 0) + 1
            seq = seq_by_year[published.year]
            rows.append({
                "organization_id": org.id, "column_id": column.id, "section_id": section_id, "author_id": author_id,
                "type": column.accepts[0], "title": f"基准测试信息第{n}号：关于文化市场管理工作的通知",
                "body_html": "".join(f"<p>{p}</p>" for p in paragraphs) * 4, "state": "published", "version": 1,
                "disclosure": "proactive", "validity": "valid", "workflow": "three_stage", "normative": False,
                "index_year": published.year, "index_seq": 10000 + seq,
                "index_no": f"{org.code}/{published.year}-{10000 + seq:05d}", "published_at": published,
                "created_at": published, "updated_at": published, "view_count": 0,
            })
        for chunk in range(0, len(rows), 2000):
            db.session.execute(insert(Item.__table__), rows[chunk:chunk + 2000])
        db.session.commit()
        ids = [i for (i,) in db.session.execute(db.text("SELECT id FROM items WHERE state='published'"))]
        codes = [c.code for c in columns]
    return ids, codes


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def load(port, paths, total, threads=8):
    latencies, errors = [], [0]
    lock = threading.Lock()
    per_thread = total // threads

    def worker(seed):
        rng = random.Random(seed)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        local = []
        for _ in range(per_thread):
            path = rng.choice(paths)
            t0 = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            local.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(local)

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": len(latencies), "errors": errors[0], "rps": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000, "p95_ms": latencies[int(len(latencies) * 0.95) - 1] * 1000,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as data_dir:
        t0 = time.perf_counter()
        ids, codes = build_instance(data_dir, args.items)
        print(f"built {len(ids)} published items in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        env = {**os.environ, "CMS_DATA_DIR": data_dir}
        server = subprocess.Popen(
            [os.path.join(ROOT, ".venv", "bin", "gunicorn"), "-w", str(args.workers), "-b", f"127.0.0.1:{port}",
             "--log-level", "warning", "wsgi:app"],
            cwd=ROOT, env=env,
        )
        try:
            for _ in range(100):
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=1).close()
                    break
                except OSError:
                    time.sleep(0.2)
            hot = random.Random(1).sample(ids, min(500, len(ids)))
            item_paths = [f"/items/{i}" for i in hot]
            column_paths = [f"/columns/{c}" for c in codes] + [f"/columns/{c}?page=5" for c in codes]
            load(port, item_paths, 400)  # warm-up: fill the page caches
            results = [("item page", load(port, item_paths, args.requests)),
                       ("column page", load(port, column_paths, args.requests))]
        finally:
            server.terminate()
            server.wait(timeout=20)
    print(f"\n{'page':<12} {'requests':>9} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for name, r in results:
        print(f"{name:<12} {r['requests']:>9} {r['errors']:>7} {r['rps']:>8.0f} {r['p50_ms']:>8.1f} {r['p95_ms']:>8.1f}")
    print(f"\n({args.items} published items, SQLite, gunicorn -w {args.workers}, 8 client threads on the same machine)")


if __name__ == "__main__":
    main()

"""Benchmark: the one-place check (submission and sign-off) with N published items in the catalog.

Builds an embedded instance with N published items from the corpus (grown from its paragraphs beyond
14,828), fingerprinted in bulk, then checks drafts against it: edited copies of random published items
(found) and other corpus texts. Prints the check's p50/p95 and the target (p95 <= 20 ms at 100,000 items).

Usage: .venv/bin/python bench/one_place_speed.py [--items 10000] [--checks 300] [--database-url URL]
"""
import argparse
import os
import random
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _corpus import body_html, build_published_instance, read_corpus  # noqa: E402
from one_place_quality import edited_copy  # noqa: E402

TARGET_P95_MS = 20


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--checks", type=int, default=300)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite in a temp folder)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as data_dir:
        t0 = time.perf_counter()
        ids, _, _ = build_published_instance(data_dir, args.items, args.database_url, fingerprints=True)
        build_s = time.perf_counter() - t0
        print(f"built {len(ids)} published items with fingerprints in {build_s:.1f} s", flush=True)
        from cms import create_app
        from cms.accounts.models import User
        from cms.content.catalog import get_column
        from cms.content.models import Item
        from cms.content.one_place import check
        from cms.content.services import create_item
        from cms.extensions import db

        app = create_app()
        rng = random.Random(3)
        docs = read_corpus()
        with app.app_context():
            editor = User.query.filter_by(username="editor").one()
            org_id = editor.memberships[0].section.organization_id
            column = get_column(org_id, "notices")
            sample = rng.sample(ids, args.checks // 2)
            texts = []
            for item_id in sample:  # edited copies of published items: must be found
                item = db.session.get(Item, item_id)
                plain = item.body_html.replace("</p><p>", "\n").replace("<p>", "").replace("</p>", "")
                texts.append((body_html(edited_copy(plain, rng)), item_id))
            for doc in rng.sample(docs, args.checks - len(texts)):  # other texts (found or not: timed alike)
                texts.append((body_html(doc["body"]), None))
            timings, cpu, found = [], [], 0
            for html, expected in texts:
                draft = create_item(editor, column, title="基准测试草稿", body_html=html)
                db.session.flush()
                t, c = time.perf_counter(), time.process_time()
                result = check(draft)
                timings.append((time.perf_counter() - t) * 1000)
                cpu.append((time.process_time() - c) * 1000)
                if expected is not None and expected in {m.item.id for m in result.conflicts + result.warnings}:
                    found += 1
                db.session.rollback()
            timings.sort()
            p95 = timings[int(len(timings) * 0.95) - 1]
            print(f"\n{args.items} published items, {'PostgreSQL' if args.database_url else 'SQLite'}, "
                  f"{len(timings)} checks")
            print(f"one-place check p50 {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms "
                  f"(target p95 <= {TARGET_P95_MS} ms); CPU time p50 {statistics.median(cpu):.1f} ms; "
                  f"edited copies found {found}/{args.checks // 2}")


if __name__ == "__main__":
    main()

"""Benchmark: rebuild of the search index (`cms search reindex`) on both backends, items/s against the target.

For each backend, builds a fresh instance (demo bureau + N published items from the corpus, inserted in bulk:
SQLite for Whoosh, a schema of its own on the local PostgreSQL server for PostgreSQL full-text search), then
times ``cms.search.service.reindex()`` in-process: loading the items in batches, analyzing them and writing the
index aside, the swap and the replay of the outbox. Issue 17's target: >= 500 items/s on both backends (Wagtail's
``update_index``: 430 docs/s on the same data).

    python bench/search_rebuild.py                          # 10,000 documents, whoosh and postgres
    python bench/search_rebuild.py --items 3000 --backends whoosh --profile

Wall-clock items/s is what the target is about; on a loaded machine the client's items per CPU second (the
rebuild process and its helper process) say more about the code. ``--profile`` prints the top of a cProfile of the rebuild (cumulative time). The corpus is read from
``CMS_BENCH_CORPUS`` or ``../shared/corpus/docs.jsonl``; PostgreSQL from ``CMS_BENCH_POSTGRES_URL``.
"""
import argparse
import os
import sys
import tempfile
import time
import uuid

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _corpus import build_published_instance  # noqa: E402
from _load import machine_speed  # noqa: E402

TARGET_RATE = 500
WAGTAIL_RATE = 430
PG_URL = os.environ.get("CMS_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def _pg_schema():
    import sqlalchemy as sa

    schema = f"cms_bench_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in PG_URL else "?"
    return engine, schema, f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def _rebuild(backend, profile):
    from cms import create_app
    from cms.extensions import db
    from cms.search.service import get_backend, reindex

    os.environ["CMS_SEARCH_BACKEND"] = backend
    app = create_app()
    with app.app_context():
        profiler = None
        if profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        t0, c0 = time.perf_counter(), time.process_time()
        children0 = os.times().children_user + os.times().children_system
        count = reindex()
        seconds = time.perf_counter() - t0
        cpu = time.process_time() - c0 + os.times().children_user + os.times().children_system - children0
        if profiler is not None:
            import pstats

            profiler.disable()
            pstats.Stats(profiler, stream=sys.stdout).sort_stats("cumulative").print_stats(30)
        indexed = get_backend().count()
        index = getattr(get_backend(), "_index", None)  # Whoosh: the segments a search goes through
        segments = len(index.refresh()._segments()) if index is not None else None
        db.session.remove()
        db.engine.dispose()
    return count, seconds, indexed, cpu, segments


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--backends", default="whoosh,postgres")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    results = []
    speed = machine_speed()
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        with tempfile.TemporaryDirectory(prefix="cms-bench-rebuild-") as data_dir:
            engine = schema = url = None
            if backend == "postgres":
                engine, schema, url = _pg_schema()
            try:
                t0 = time.perf_counter()
                build_published_instance(data_dir, args.items, database_url=url)
                print(f"[{backend}] instance with {args.items} published items built in "
                      f"{time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
                count, seconds, indexed, cpu, segments = _rebuild(backend, args.profile)
            finally:
                if engine is not None:
                    import sqlalchemy as sa

                    with engine.begin() as conn:
                        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
                    engine.dispose()
            results.append((backend, count, seconds, indexed, cpu, segments))
    print(f"\nsearch index rebuild, {args.items} corpus documents (load: {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cores; machine speed {speed:.0f} ms before, {machine_speed():.0f} ms after: "
          f"a fixed Python loop, lower is quicker)")
    for backend, count, seconds, indexed, cpu, segments in results:
        rate = count / seconds if seconds else 0
        verdict = "meets" if rate >= TARGET_RATE else "below"
        print(f"  {backend:9s} {count} items in {seconds:.1f} s = {rate:.0f} items/s "
              f"(target >= {TARGET_RATE}, Wagtail {WAGTAIL_RATE}: {verdict}); {indexed} in the index"
              + (f" ({segments} segment(s))" if segments is not None else "") + "; "
              f"client CPU {cpu:.1f} s = {count / cpu if cpu else 0:.0f} items per CPU second"
              + (" (the PostgreSQL server's own CPU not counted)" if backend == "postgres" else ""))


if __name__ == "__main__":
    main()

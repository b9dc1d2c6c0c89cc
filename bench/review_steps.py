"""Benchmark: one item through the review, step by step, through the JSON API, with N published items.

Builds an embedded instance with N published items from the corpus (grown from its paragraphs beyond
14,828), with their one-place fingerprints, so the one-place check at submission and sign-off sees a
realistic catalog. Then, ``--journeys`` times, drives the real API in-process (Flask test client, no
server, one request at a time) as the demo users do:

    editor      POST /api/v1/items                                   (a draft: a corpus text beyond the N published)
    editor      POST /api/v1/items/{id}/transitions submit           (one-place check)
    chief       POST ... approve                                     (科室审核)
    auditor     POST ... approve + confidentiality_checked, checklist (办公室审核, 保密审查)
    leader      POST ... approve                                     (分管领导审定 = sign-off: publication)

Every state-changing call carries the ``version`` the caller saw. For each step it prints p50/p95 wall ms,
p50/p95 CPU ms of this process (``time.process_time``: less sensitive to other jobs on the machine) and the
SQL statements per request, with the target (p95 <= 50 ms) beside; then the whole journey. The queue is the
real one (not immediate): what the requests enqueue (search index, mail) is left for the consumer.

Usage: .venv/bin/python bench/review_steps.py [--items 10000] [--journeys 60] [--database-url URL]
       [--profile STEP]   (cProfile of that step over every journey: create, submit, section, office, sign_off)
       [--slow-sql N]     (the N slowest SQL statements of each step, by total time over the journeys)
       [--trace STEP]     (every SQL statement of that step's last request, in order)
"""
import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from _corpus import body_html, build_published_instance, grown_documents  # noqa: E402

TARGET_P95_MS = 50
STEPS = ("create", "submit", "section", "office", "sign_off")
LABELS = {"create": "create draft (editor, POST /items)", "submit": "submit (editor)",
          "section": "section approve (chief)", "office": "office approve + checklist (auditor)",
          "sign_off": "sign-off = publication (leader)"}
CHECKLIST = ["no_secrets", "no_private", "not_internal", "disclosure_ok"]
WARMUP = 3


def _p95(values):
    values = sorted(values)
    return values[max(int(len(values) * 0.95) - 1, 0)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--journeys", type=int, default=60)
    parser.add_argument("--database-url", default=None, help="PostgreSQL URL (default: SQLite in a temp folder)")
    parser.add_argument("--profile", choices=STEPS, default=None, help="cProfile this step (top 30 by cumulative)")
    parser.add_argument("--trace", choices=STEPS, default=None, help="print the statements of this step's last request")
    parser.add_argument("--slow-sql", type=int, default=0, metavar="N", help="print the N slowest statements per step")
    args = parser.parse_args()
    print(f"load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    with tempfile.TemporaryDirectory(prefix="cms-bench-") as data_dir:
        t0 = time.perf_counter()
        ids, _, _ = build_published_instance(data_dir, args.items, args.database_url, fingerprints=True)
        print(f"built {len(ids)} published items with fingerprints in {time.perf_counter() - t0:.1f} s", flush=True)
        # Texts beyond the N published ones: new documents, not copies of a published item.
        texts = grown_documents(args.items + args.journeys + WARMUP + 20)[args.items:]
        run(args, texts)


def run(args, texts):
    from sqlalchemy import event

    from cms import create_app
    from cms.demo import DEMO_PASSWORD
    from cms.extensions import db

    app = create_app()
    client = app.test_client()
    base = "http://localhost"
    headers = {}
    for name in ("editor", "chief", "auditor", "leader"):
        response = client.post("/api/v1/tokens", json={"username": name, "password": DEMO_PASSWORD}, base_url=base)
        assert response.status_code == 201, response.get_data(as_text=True)
        headers[name] = {"Authorization": f"Bearer {response.get_json()['token']}"}
    statements = []  # (SQL, start) of each statement of the current request; the duration is added after it
    timed = {s: {} for s in STEPS}  # step -> SQL -> [count, total seconds]

    def before(conn, cursor, statement, parameters, context, executemany):
        statements.append([statement, time.perf_counter()])

    def after(conn, cursor, statement, parameters, context, executemany):
        statements[-1][1] = time.perf_counter() - statements[-1][1]

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
        if args.slow_sql:
            event.listen(db.engine, "after_cursor_execute", after)

    wall = {s: [] for s in STEPS}
    cpu = {s: [] for s in STEPS}
    sql = {s: [] for s in STEPS}
    journey_wall, journey_cpu = [], []
    profiler = cProfile.Profile() if args.profile else None
    refused = []
    traced = []

    def call(step, user, url, payload, expect=200):
        statements.clear()
        if profiler is not None and step == args.profile:
            profiler.enable()
        start, c = time.perf_counter(), time.process_time()
        response = client.post(url, json=payload, headers=headers[user], base_url=base)
        elapsed, used = time.perf_counter() - start, time.process_time() - c
        if profiler is not None and step == args.profile:
            profiler.disable()
        if response.status_code != expect:
            return None, response
        if measuring:
            wall[step].append(elapsed * 1000)
            cpu[step].append(used * 1000)
            sql[step].append(len(statements))
            if step == args.trace:
                traced[:] = [statement for statement, _ in statements]
            if args.slow_sql:
                for statement, seconds in statements:
                    entry = timed[step].setdefault(statement, [0, 0.0])
                    entry[0] += 1
                    entry[1] += seconds
        return response.get_json(), response

    done = 0
    for n, doc in enumerate(texts):
        if done >= args.journeys + WARMUP:
            break
        measuring = done >= WARMUP
        start, c = time.perf_counter(), time.process_time()
        item, response = call("create", "editor", "/api/v1/items", {
            "column": "notices", "type": "notice", "title": f"{doc['title'][:200]}（基准{n}）",
            "body_html": body_html(doc["body"]), "disclosure": "proactive"}, expect=201)
        assert item is not None, response.get_data(as_text=True)
        url = f"/api/v1/items/{item['id']}/transitions"
        item, response = call("submit", "editor", url, {"name": "submit", "version": item["version"]})
        if item is None:  # a corpus text the one-place rule finds already published: not a journey
            refused.append((response.status_code, response.get_json()["error"].get("code")))
            continue
        item, response = call("section", "chief", url, {"name": "approve", "version": item["version"]})
        assert item is not None and item["state"] == "pending_office", response.get_data(as_text=True)
        item, response = call("office", "auditor", url, {"name": "approve", "version": item["version"],
                                                         "confidentiality_checked": True, "checklist": CHECKLIST})
        assert item is not None and item["state"] == "pending_leader", response.get_data(as_text=True)
        item, response = call("sign_off", "leader", url, {"name": "approve", "version": item["version"]})
        assert item is not None and item["state"] == "published", response.get_data(as_text=True)
        if measuring:
            journey_wall.append((time.perf_counter() - start) * 1000)
            journey_cpu.append((time.process_time() - c) * 1000)
        done += 1

    backend = "PostgreSQL" if args.database_url else "SQLite"
    print(f"\n{args.items} published items, {backend}, {len(journey_wall)} journeys (+{WARMUP} warm-up)"
          + (f", {len(refused)} texts refused at submission {refused}" if refused else ""))
    print(f"load average now: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'step':<36} {'wall p50':>9} {'wall p95':>9} {'CPU p50':>8} {'CPU p95':>8} {'SQL':>7}  target")
    for step in STEPS:
        counts = sorted(set(sql[step]))
        stmts = str(counts[0]) if len(counts) == 1 else f"{counts[0]}-{counts[-1]}"
        p95 = _p95(wall[step])
        verdict = "OK" if p95 <= TARGET_P95_MS else ("OK by CPU" if _p95(cpu[step]) <= TARGET_P95_MS else "OVER")
        print(f"{LABELS[step]:<36} {statistics.median(wall[step]):>9.1f} {p95:>9.1f} "
              f"{statistics.median(cpu[step]):>8.1f} {_p95(cpu[step]):>8.1f} {stmts:>7}  p95 <= {TARGET_P95_MS} ms "
              f"{verdict}")
    print(f"{'whole journey (5 requests)':<36} {statistics.median(journey_wall):>9.1f} {_p95(journey_wall):>9.1f} "
          f"{statistics.median(journey_cpu):>8.1f} {_p95(journey_cpu):>8.1f}")
    print(f"{'submit + three approvals':<36} "
          f"{statistics.median([sum(x) for x in zip(*(wall[s] for s in STEPS[1:]))]):>9.1f}")
    if args.slow_sql:
        for step in STEPS:
            print(f"\nslowest statements of {step!r} (calls, total ms over {len(wall[step])} requests):")
            width = int(os.environ.get("SQL_WIDTH", "220"))
            ranked = sorted(timed[step].items(), key=lambda kv: -kv[1][1])[:args.slow_sql]
            for statement, (count, seconds) in ranked:
                print(f"  {count:>5} {seconds * 1000:>8.1f}  {' '.join(statement.split())[:width]}")
    if traced:
        print(f"\nstatements of the last {args.trace!r} request:")
        for n, statement in enumerate(traced, 1):
            print(f"  {n:>3}  {' '.join(statement.split())[:int(os.environ.get('SQL_WIDTH', '220'))]}")
    if profiler is not None:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).sort_stats("cumulative")
        stats.print_stats(25)
        stats.print_stats(r"/cms/|huey|sqlite3|commit", 50)  # the project's own code, the queue, the database
        print(f"\ncProfile of step {args.profile!r}:\n{out.getvalue()}")


if __name__ == "__main__":
    main()

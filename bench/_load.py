"""Shared by the load benchmarks: gunicorn over a benchmark instance, wrk on random URLs, workers' memory.

``serve`` starts gunicorn (2 workers by default) on a data folder made by ``_corpus.build_published_instance``;
``run_wrk`` loads it with Debian's ``wrk`` and a Lua script that picks a random URL of a file per request;
``workers_of`` / ``memory_of`` read the workers' VmRSS and VmHWM from ``/proc``.
"""
import os
import subprocess
import sys
import tempfile
import time

from _corpus import ROOT

# The wrk driver: a random URL of a list per request.
LUA = r"""
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do paths[#paths + 1] = line end
math.randomseed(tonumber(os.getenv("BENCH_SEED") or "1"))
request = function()
  return wrk.format("GET", paths[math.random(#paths)])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%d rps=%.1f p50=%.2f p95=%.2f p99=%.2f non200=%d errors=%d\n",
    summary.requests, summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
    latency:percentile(95) / 1000, latency:percentile(99) / 1000, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
"""


PER_PAGE = 20  # the public column list's page size


def column_paths(counts, per_page=PER_PAGE):
    """Every column x page x year URL of an instance, from ``build_published_instance``'s ``counts``
    (``{column code: {year: items}}``): each column's pages without a year, then each year's pages."""
    paths = []
    for code, years in counts.items():
        for year, n in [(None, sum(years.values()))] + sorted(years.items()):
            for page in range(1, (n + per_page - 1) // per_page + 1):
                parts = (f"year={year}" if year else "", f"page={page}" if page > 1 else "")
                query = "&".join(p for p in parts if p)
                paths.append(f"/columns/{code}" + (f"?{query}" if query else ""))
    return paths


def free_port():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_wrk(port, paths_file, seconds, connections, threads):
    import re

    env = {**os.environ, "BENCH_PATHS": paths_file}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(LUA)
        script = fh.name
    try:
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s", script,
             f"http://127.0.0.1:{port}"], env=env, capture_output=True, text=True, timeout=seconds + 60,
        ).stdout
    finally:
        os.unlink(script)
    match = re.search(r"RESULT (.*)", out)
    if not match:
        raise SystemExit(f"wrk gave no result:\n{out}")
    return {k: float(v) for k, v in (part.split("=") for part in match.group(1).split())}


def warm_up(port, paths, count=12):
    """A few requests per worker before measuring: the first request of a worker compiles templates and SQL."""
    import threading
    import urllib.request

    def fetch(offset):
        for n in range(count):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}{paths[(offset + n * 7) % len(paths)]}",
                                       timeout=120).read()
            except OSError:
                pass

    threads = [threading.Thread(target=fetch, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def serve(data_dir, port, workers, page_cache, root=ROOT):
    """gunicorn over the instance in ``data_dir`` (as bench/public_pages.py does), serving the checkout
    ``root`` (this one by default); returns the Popen."""
    import socket

    env = {**os.environ, "CMS_DATA_DIR": data_dir, "CMS_PAGE_CACHE": "1" if page_cache else "0"}
    env.pop("CMS_DATABASE_URL", None)
    server = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "gunicorn"), "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "wsgi:app"], cwd=root, env=env,
    )
    for _ in range(150):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.2)
    return server


def stop(server):
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def workers_of(master_pid):
    """The pids of the children of ``master_pid`` (gunicorn's workers)."""
    pids = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/status") as fh:
                status = fh.read()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("PPid:") and int(line.split()[1]) == master_pid:
                pids.append(int(name))
    return sorted(pids)


def cpu_seconds_of(pids):
    """User + system CPU seconds used so far by the processes ``pids`` (from ``/proc/<pid>/stat``)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return total / os.sysconf("SC_CLK_TCK")


def run_wrk_measured(port, paths_file, seconds, connections, threads, pids):
    """``run_wrk`` plus ``cpu_ms``: the workers' CPU milliseconds per request during the run (the server's
    own cost under load, which a shared host's other work inflates far less than req/s)."""
    before = cpu_seconds_of(pids)
    result = run_wrk(port, paths_file, seconds, connections, threads)
    result["cpu_ms"] = (cpu_seconds_of(pids) - before) * 1000 / max(1.0, result["requests"])
    return result


def memory_of(pid):
    """(VmRSS MB, VmHWM MB) of ``pid``."""
    values = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0]) / 1024
    return values["VmRSS"], values["VmHWM"]


def machine_speed():
    """Milliseconds of CPU for a fixed pure-Python loop (best of 3): printed beside the figures, so runs on
    machines of different speed (or one machine on different days, when its host is shared) can be
    compared: figures scale roughly inversely with it."""
    best = None
    for _ in range(3):
        t = time.process_time()
        total = 0
        for n in range(3_000_000):
            total += n
        ms = (time.process_time() - t) * 1000
        best = ms if best is None else min(best, ms)
    return best

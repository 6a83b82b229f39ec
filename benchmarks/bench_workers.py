"""Benchmark: 1, 2 and 4 dashboard workers over one PostgreSQL store, read while a writer loads new vintages.

    .venv/bin/python benchmarks/bench_workers.py                  # a new database from SANDYQ_TEST_POSTGRES
    .venv/bin/python benchmarks/bench_workers.py --db postgresql://user:pw@host/db --seconds 10

The dashboard holds no state of its own besides its caches (sessions are signed cookies with the store's key,
failed sign-ins are rows of the store), so several worker processes (``sandyq serve`` on ports of their own, as
behind a load balancer) serve one database.  For each number of workers the load generator (threads with
keep-alive connections, spread over the workers) asks for observation queries (a mix of indicators,
geographies and periods: the API's heaviest common answer) for ``--seconds``, while one writer loads a revised
figure as a new vintage every ``--write-every`` seconds (0: none) — so every worker notices changes through the
change counter and drops its caches.  Then the workflow over HTTP: ``max(4, 2 × workers)`` clients of an owner
``POST /api/submissions`` (one figure each, with the owner's API token) for ``--seconds``, and as many clients
of a reviewer ``POST /api/submissions/{id}/approve`` every submission made (each approval a publication: a new
vintage).  It prints reads/s with p50/p95 latency, submissions/s and approvals/s, each with its ratio to one
worker's.

Without ``--db`` a database ``sandyq_bench_<pid>`` is created on the server of ``SANDYQ_TEST_POSTGRES``
(default ``postgresql://sandyq:sandyq@127.0.0.1:5432/sandyq``), filled by ``sandyq init``, and dropped at the end.
The generator shares the machine's cores with the workers and the database, so the figures are a floor.

Measured 2026-12-03 on the default store (111,024 observations), 2 cores shared with six other sessions' jobs
(load average 10-16 throughout: the machine was oversubscribed five to eight times), 16 readers, 8 s per phase:

    --settle 60 --write-every 0 (warmed workers, no publication while reading):
    1 worker :  426.5 reads/s (x1.00; p50 15.4 ms, p95  95.8 ms); 1.6 submissions/s (x1.00); 1.3 approvals/s (x1.00)
    2 workers:  489.6 reads/s (x1.15; p50 13.3 ms, p95 125.0 ms); 1.9 submissions/s (x1.19); 0.8 approvals/s (x0.62)
    4 workers:  228.1 reads/s (x0.53; p50 25.6 ms, p95 306.1 ms); 3.4 submissions/s (x2.15); 1.5 approvals/s (x1.15)

    --settle 15 --write-every 5 (workers still warming, a publication every 5 s while reading):
    1 worker :  819.0 reads/s (x1.00; 1258 answers 503 while warming); 1.7 submissions/s; 1.1 approvals/s
    2 workers:   23.3 reads/s (x0.03; p95 3.1 s);                      0.8 submissions/s; 0.3 approvals/s
    4 workers:    3.1 reads/s (x0.00; p95 8.5 s);                      1.3 submissions/s; 0.4 approvals/s

On two busy cores more workers add no CPU, so the ratios say little about a server with a core per worker: what
they show is where the time goes.  A submission is CPU in Python, not the database: validated exactly as ``load``
validates a file (0.68 s at that load) and compared with its series for the reviewer's flags (0.44 s), against
a few milliseconds of SQL; writers take turns on one advisory lock but hold it for ~20 statements.  An approval
publishes, so every worker reads the store anew and warms its slow answers again (progress, audit, index): with
approvals every second the workers spend their CPU re-warming, and readers wait (the second run).  Earlier, on the
same machine at load 6, with a writer publishing through the store instead of HTTP: 939, 1,750 and 1,518 reads/s
for 1, 2 and 4 workers, 25-59 publications/s — the database is not the limit.
"""

from __future__ import annotations

import argparse
import collections
import http.client
import itertools
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import pandas as pd

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src")
sys.path.insert(0, SRC)

from sandyq.store import Store  # noqa: E402

INDICATORS = ["17-8-1", "IT.NET.USER.ZS", "5-b-1", "IT.CEL.SETS.P2", "4-4-1"]
GEOS = ["KAZ", "KZ-71", "KZ-75", "KAZ,KZ-71", "KZ-11,KZ-15,KZ-19"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _queries(n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        start = rng.randrange(2000, 2020)
        out.append(
            f"/api/observations?indicator={rng.choice(INDICATORS)}&geo={rng.choice(GEOS)}"
            f"&start={start}&end={start + rng.randrange(1, 5)}"
        )
    return out


def _start(db: str, port: int, cache: str) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=SRC, SANDYQ_CACHE=cache)
    cmd = [sys.executable, "-m", "sandyq", "--db", db, "serve", "--port", str(port)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _ready(port: int, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            con = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            con.request("GET", "/api/indicators")
            if con.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"a worker on port {port} did not start within {timeout:g} s")


def _reader(
    ports: list[int], queries: list[str], stop: threading.Event, seed: int, out: list[float], bad: list[int]
) -> None:
    rng = random.Random(seed)
    cons = {p: http.client.HTTPConnection("127.0.0.1", p, timeout=60) for p in ports}
    while not stop.is_set():
        port = rng.choice(ports)
        t = time.perf_counter()
        try:
            cons[port].request("GET", rng.choice(queries))
            res = cons[port].getresponse()
            res.read()
            status = res.status
        except (OSError, http.client.HTTPException):
            cons[port] = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            status = 0
        out.append(time.perf_counter() - t)
        if status != 200:
            bad.append(status)


def _writer(db: str, stop: threading.Event, done: list[int], pause: float = 0.0) -> None:
    with Store(db) as s:
        while not stop.wait(pause):
            frame = pd.DataFrame(
                {"indicator": "17-8-1", "geo": "KAZ", "period": ["2023"], "dims": "", "source": "kz-sdg",
                 "value": [90.0 + random.random()], "unit": "PT", "status": None, "note": None}
            )  # fmt: skip
            s.load_frame(frame, file="submission.csv", format="tidy")
            done.append(1)


def _accounts(db: str) -> tuple[str, str]:
    """An owner of 17-8-1 and a reviewer, each with an API token (made once per database): the two tokens."""
    from sandyq import people

    with Store(db) as s:
        for name, role in (("bench-owner", "owner"), ("bench-reviewer", "reviewer")):
            people.add_user(s, f"{name}-{os.getpid()}", role, indicators=["17-8-1"] if role == "owner" else ())
        owner = people.create_token(s, f"bench-owner-{os.getpid()}", ["submit", "read"])[1]
        reviewer = people.create_token(s, f"bench-reviewer-{os.getpid()}", ["review", "read"])[1]
    return owner, reviewer


_PERIODS = itertools.count()


def _post(con: http.client.HTTPConnection, path: str, body: dict[str, Any], token: str) -> tuple[int, Any]:
    data = json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    con.request("POST", path, body=data, headers=headers)
    res = con.getresponse()
    return res.status, json.loads(res.read() or b"null")


def _submitter(ports: list[int], token: str, stop: threading.Event, seed: int, sids: list[str], bad: list[int]) -> None:
    """POST /api/submissions (one figure of a period nobody published: never stale) until stopped."""
    rng = random.Random(seed)
    cons = {p: http.client.HTTPConnection("127.0.0.1", p, timeout=120) for p in ports}
    while not stop.is_set():
        port = rng.choice(ports)
        n = next(_PERIODS)
        row = {"indicator": "17-8-1", "geo": "KAZ", "period": f"{1800 + n // 12}-{n % 12 + 1:02d}", "unit": "PT",
               "source": "kz-sdg", "value": round(rng.uniform(10, 90), 2)}  # fmt: skip
        try:
            status, body = _post(cons[port], "/api/submissions", {"rows": [row]}, token)
        except (OSError, http.client.HTTPException):
            cons[port], status = http.client.HTTPConnection("127.0.0.1", port, timeout=120), 0
        if status == 201:
            sids.append(body["id"])
        else:
            bad.append(status)


def _approver(ports: list[int], token: str, sids: list[str], lock: threading.Lock, seed: int, out: list[int]) -> None:
    """POST /api/submissions/{id}/approve for each submission taken from ``sids`` until none is left."""
    rng = random.Random(seed)
    cons = {p: http.client.HTTPConnection("127.0.0.1", p, timeout=120) for p in ports}
    while True:
        with lock:
            if not sids:
                return
            sid = sids.pop()
        port = rng.choice(ports)
        try:
            status, _ = _post(cons[port], f"/api/submissions/{sid}/approve", {"comment": "bench"}, token)
        except (OSError, http.client.HTTPException):
            cons[port], status = http.client.HTTPConnection("127.0.0.1", port, timeout=120), 0
        out.append(status)


def _workflow(ports: list[int], tokens: tuple[str, str], seconds: float, users: int) -> tuple[float, float, str]:
    """Submissions/s (``users`` owners' clients for ``seconds``), then approvals/s of all of them; answers not 2xx."""
    stop = threading.Event()
    sids: list[str] = []
    bad: list[int] = []
    threads = [threading.Thread(target=_submitter, args=(ports, tokens[0], stop, i, sids, bad)) for i in range(users)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    submitted = len(sids) / (time.perf_counter() - started)
    statuses: list[int] = []
    lock = threading.Lock()
    todo = list(sids)
    threads = [
        threading.Thread(target=_approver, args=(ports, tokens[1], todo, lock, i, statuses)) for i in range(users)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    approved = sum(1 for s in statuses if s == 200) / (time.perf_counter() - started)
    refused = collections.Counter(bad + [s for s in statuses if s != 200])
    return submitted, approved, ", ".join(f"{n} × {s or 'no answer'}" for s, n in sorted(refused.items())) or "none"


def run(
    db: str, tokens: tuple[str, str], workers: int, seconds: float, users: int, every: float, settle: float
) -> dict[str, Any]:
    """One number of workers: reads/s (with a publication every ``every`` s), then submissions/s and approvals/s."""
    ports = [_free_port() for _ in range(workers)]
    with tempfile.TemporaryDirectory() as cache:
        procs = [_start(db, p, cache) for p in ports]
        try:
            for p in ports:
                _ready(p)
            time.sleep(settle)  # each worker warms its slow answers in the background when it starts
            queries = _queries(400)
            stop = threading.Event()
            lat: list[float] = []
            bad: list[int] = []
            writes: list[int] = []
            threads = [threading.Thread(target=_reader, args=(ports, queries, stop, i, lat, bad)) for i in range(users)]
            threads += [] if every <= 0 else [threading.Thread(target=_writer, args=(db, stop, writes, every))]
            started = time.perf_counter()
            for t in threads:
                t.start()
            time.sleep(seconds)
            stop.set()
            for t in threads:
                t.join()
            took = time.perf_counter() - started
            submitted, approved, refused = _workflow(ports, tokens, seconds, max(4, 2 * workers))
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(30)
    ms = np.array(lat) * 1000
    return {
        "workers": workers,
        "reads": len(lat) / took,
        "p50": float(np.percentile(ms, 50)),
        "p95": float(np.percentile(ms, 95)),
        "not_200": len(bad),
        "vintages": len(writes),
        "submissions": submitted,
        "approvals": approved,
        "refused": refused,
    }


def _line(r: dict[str, Any], base: dict[str, Any]) -> str:
    """One result as a line, with each rate's ratio to one worker's."""
    n = r["workers"]
    return (
        f"{n} worker{'s' if n > 1 else ' '}: {r['reads']:7.1f} reads/s (x{r['reads'] / base['reads']:.2f}; "
        f"p50 {r['p50']:5.1f} ms, p95 {r['p95']:6.1f} ms, {r['not_200']} not 200, {r['vintages']} new vintages "
        f"meanwhile); {r['submissions']:5.1f} submissions/s (x{r['submissions'] / base['submissions']:.2f}); "
        f"{r['approvals']:5.1f} approvals/s (x{r['approvals'] / base['approvals']:.2f}); not 2xx: {r['refused']}"
    )


def _new_database(admin: str) -> str:
    import psycopg

    name = f"sandyq_bench_{os.getpid()}"
    with psycopg.connect(admin, autocommit=True) as con:
        con.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(admin)._replace(path=f"/{name}"))
    subprocess.run([sys.executable, "-m", "sandyq", "--db", url, "init"], env=dict(os.environ, PYTHONPATH=SRC),
                   check=True, capture_output=True)  # fmt: skip
    return url


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", help="a postgresql:// URL of a store (default: a new one, filled by init)")
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--users", type=int, default=16, help="concurrent readers (keep-alive connections)")
    parser.add_argument("--workers", default="1,2,4")
    parser.add_argument("--write-every", type=float, default=5.0, help="seconds between publications while reading")
    parser.add_argument("--settle", type=float, default=20.0, help="seconds to let workers warm before timing")
    args = parser.parse_args()
    admin = os.environ.get("SANDYQ_TEST_POSTGRES", "postgresql://sandyq:sandyq@127.0.0.1:5432/sandyq")
    db = args.db or _new_database(admin)
    try:
        results = []
        tokens = _accounts(db)
        for n in (int(x) for x in args.workers.split(",")):
            results.append(run(db, tokens, n, args.seconds, args.users, args.write_every, args.settle))
            print(_line(results[-1], results[0]), flush=True)
    finally:
        if not args.db:
            import psycopg

            with psycopg.connect(admin, autocommit=True) as con:
                con.execute(f'DROP DATABASE IF EXISTS "{urlsplit(db).path[1:]}" WITH (FORCE)')


if __name__ == "__main__":
    main()

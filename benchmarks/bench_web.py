"""Benchmark: API latency under 50 concurrent connections, and time to first render of the overview.

Goals: p95 latency of the main API endpoints ≤ 25 ms at 50 concurrent
connections on loopback; the overview page rendered in headless Chromium in
≤ 1 s.

    .venv/bin/python benchmarks/bench_web.py                    # builds a store in a temporary folder
    .venv/bin/python benchmarks/bench_web.py --db sandyq.duckdb --requests 4000

The server is uvicorn in a subprocess on 127.0.0.1 (a free port); the client
is one asyncio process with 50 httpx clients (one keep-alive connection each), each sending requests in
turn until the bounded total is reached; then the same load comes from 50 minimal HTTP/1.1 clients on
raw asyncio streams, which shows how much of the latency is the Python client's own.  Every endpoint is requested once
before timing (answers are computed once per process, then served from the
cache, as in production).  Time to first render is measured in Debian's
Chromium (``/usr/bin/chromium`` or ``$SANDYQ_CHROMIUM``) from navigation start
to the first contentful paint and to the chart being drawn; it is skipped
with a message if Chromium is missing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

ENDPOINTS = [
    "/api/indicators",
    "/api/indicators/17-8-1",
    "/api/observations?indicator=17-8-1&geo=KAZ",
    "/api/observations?indicator=IT.NET.USER.ZS&start=2015&end=2020",
    "/api/observations.csv?indicator=17-8-1",
    "/api/progress",
    "/api/glossary",
    "/api/regions/17-8-1",
]
CHROMIUM = os.environ.get("SANDYQ_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of a process (Linux ``/proc``), or None elsewhere."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    code = (
        "import sys, uvicorn; from sandyq.outputs.web import create_app; "
        "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning', "
        "access_log=False)"
    )
    src = str(Path(__file__).resolve().parents[1] / "src")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [src, os.environ.get("PYTHONPATH")]))}
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)], env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/openapi.json", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start within 60 s")


async def load(base: str, total: int, concurrency: int) -> dict[str, list[float]]:
    """Send ``total`` requests over ``concurrency`` connections; latencies (ms) per endpoint."""
    times: dict[str, list[float]] = {e: [] for e in ENDPOINTS}
    counter = iter(range(total))
    async with httpx.AsyncClient(base_url=base, timeout=30) as warm:
        for e in ENDPOINTS:  # warm the per-process caches
            (await warm.get(e)).raise_for_status()

    async def worker() -> None:
        # one client with one keep-alive connection per simulated user
        async with httpx.AsyncClient(base_url=base, timeout=30, limits=httpx.Limits(max_connections=1)) as client:
            for i in counter:
                path = ENDPOINTS[i % len(ENDPOINTS)]
                t0 = time.perf_counter()
                res = await client.get(path)
                times[path].append((time.perf_counter() - t0) * 1000)
                if res.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {res.status_code}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return times


#: First contentful paint of the current page (ms from navigation start); the paint entry may come after "load".
FCP = """new Promise(resolve => {
  new PerformanceObserver(list => {
    const e = list.getEntries().find(x => x.name === 'first-contentful-paint');
    if (e) resolve(e.startTime);
  }).observe({type: 'paint', buffered: true});
  setTimeout(() => resolve(-1), 5000);
})"""


async def load_raw(port: int, total: int, concurrency: int) -> dict[str, list[float]]:
    """The same load from minimal HTTP/1.1 keep-alive clients on asyncio streams (little client overhead)."""
    times: dict[str, list[float]] = {e: [] for e in ENDPOINTS}
    counter = iter(range(total))

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            for i in counter:
                path = ENDPOINTS[i % len(ENDPOINTS)]
                t0 = time.perf_counter()
                writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    int(line.split(b":")[1])
                    for line in head.split(b"\r\n")
                    if line.lower().startswith(b"content-length:")
                )
                await reader.readexactly(length)
                times[path].append((time.perf_counter() - t0) * 1000)
                if not head.startswith(b"HTTP/1.1 200"):
                    raise SystemExit(f"{path}: {head[:20]!r}")
        finally:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return times


def report(times: dict[str, list[float]], wall: float, cpu: float | None, concurrency: int, label: str) -> None:
    every = np.concatenate([np.asarray(v) for v in times.values()])
    print(
        f"[{label}] {len(every)} requests, {concurrency} concurrent connections, {wall:.1f} s "
        f"({len(every) / wall:.0f} requests/s)"
    )
    if cpu is not None:
        print(
            f"[{label}] server CPU per request: {cpu / len(every) * 1000:.2f} ms "
            f"(client and server share the machine's {os.cpu_count()} cores)"
        )
    print(f"{'endpoint':62} {'p50 ms':>8} {'p95 ms':>8}")
    for path, v in times.items():
        a = np.asarray(v)
        print(f"{path:62} {np.percentile(a, 50):8.1f} {np.percentile(a, 95):8.1f}")
    p95 = float(np.percentile(every, 95))
    print(
        f"[{label}] all endpoints: p50 {np.percentile(every, 50):.1f} ms, p95 {p95:.1f} ms (goal ≤ 25 ms: "
        f"{'met' if p95 <= 25 else 'NOT met'})"
    )


def first_render(base: str) -> dict[str, float] | None:
    if not Path(CHROMIUM).exists():
        print(f"time to first render: skipped (no Chromium at {CHROMIUM})")
        return None
    from playwright.sync_api import sync_playwright

    out: dict[str, list[float]] = {"fcp": [], "chart": []}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/en/")  # warm the server cache (the first render computes the roll-up)
        page.goto(f"{base}/en/indicator/17-8-1/")
        for _ in range(5):
            page.goto(f"{base}/en/", wait_until="load")
            fcp = page.evaluate(FCP)
            out["fcp"].append(float(fcp))
            page.goto(f"{base}/en/indicator/17-8-1/", wait_until="load")
            page.wait_for_selector("#chart svg")
            drawn = page.evaluate("performance.now()")
            out["chart"].append(float(drawn))
        browser.close()
    return {k: float(np.median(v)) for k, v in out.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, help="an existing store (default: build one in a temporary folder)")
    ap.add_argument("--requests", type=int, default=3000, help="total requests (bounded; default 3000)")
    ap.add_argument("--concurrency", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            import sandyq

            db = Path(tmp) / "bench.duckdb"
            t0 = time.perf_counter()
            sandyq.init(db)
            print(f"store built in {time.perf_counter() - t0:.1f} s")
        port = free_port()
        proc = start_server(db, port)
        base = f"http://127.0.0.1:{port}"
        try:
            for label, run in (
                ("httpx", lambda: load(base, args.requests, args.concurrency)),
                ("raw", lambda: load_raw(port, args.requests, args.concurrency)),
            ):
                t0, cpu0 = time.perf_counter(), cpu_seconds(proc.pid)
                times = asyncio.run(run())
                wall, cpu1 = time.perf_counter() - t0, cpu_seconds(proc.pid)
                report(times, wall, None if cpu0 is None or cpu1 is None else cpu1 - cpu0, args.concurrency, label)
            render = first_render(base)
            if render is not None:
                print(
                    f"overview first contentful paint: {render['fcp']:.0f} ms (goal ≤ 1000 ms: "
                    f"{'met' if render['fcp'] <= 1000 else 'NOT met'}); indicator chart drawn after "
                    f"{render['chart']:.0f} ms (median of 5)"
                )
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()

"""Benchmark: latency of SDMX REST data queries over loopback, by format.

Two queries, as issue 18 asks:

* one indicator × all areas × all years (``SP.POP.TOTL``, every disaggregation: ~6,700 observations);
* a flow of more than 100,000 observations (``DF_ALL``, every observation in force: ~111,000).

Each is asked in the four formats (SDMX-ML generic and structure-specific,
SDMX-JSON, SDMX-CSV).  "first" is the first request after the store changed (the
observations are read and the source chosen); "again" is the median of the
next ``--repeat`` requests (the selection is cached; the message is written anew
each time).  The server is ``create_app`` under uvicorn in a thread on a free port.

    .venv/bin/python benchmarks/bench_sdmx.py                    # builds a store in a temporary folder
    .venv/bin/python benchmarks/bench_sdmx.py --db sandyq.duckdb --repeat 5
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

FORMATS = {
    "generic": "application/vnd.sdmx.genericdata+xml;version=2.1",
    "structure-specific": "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
    "json": "application/vnd.sdmx.data+json;version=1.0.0",
    "csv": "application/vnd.sdmx.data+csv;version=1.0.0",
}


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _time(url: str, accept: str) -> tuple[float, int]:
    t = time.perf_counter()
    res = requests.get(url, headers={"Accept": accept}, timeout=600)
    res.raise_for_status()
    return time.perf_counter() - t, len(res.content)


def main() -> None:
    import uvicorn

    import sandyq
    from sandyq.outputs.web import create_app

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="a store (default: sandyq init in a temporary folder)")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or str(Path(tmp) / "bench.duckdb")
        if not args.db:
            sandyq.init(db)
        app = create_app(db)
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_port(), log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        while not server.started:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{server.config.port}/sdmx"
        dims = requests.get(f"{base}/datastructure/SANDYQ/DSD_SANDYQ/1.0", timeout=60).text.count("<str:Dimension ")
        queries = {
            "SP.POP.TOTL × all areas × all years": f"{base}/data/DF_ALL/SP_POP_TOTL" + "." * (dims - 1),
            "DF_ALL (every observation)": f"{base}/data/DF_ALL/all",
        }
        print(f"{'query':40} {'format':20} {'obs':>8} {'MB':>7} {'first s':>8} {'again s':>8}")
        for name, url in queries.items():
            n = requests.get(url, headers={"Accept": FORMATS["csv"]}, timeout=600).text.count("\n") - 1
            for fmt, accept in FORMATS.items():
                app.state.dash.cache.clear()  # the first request selects anew
                first, size = _time(url, accept)
                again = statistics.median(_time(url, accept)[0] for _ in range(args.repeat))
                print(f"{name:40} {fmt:20} {n:8d} {size / 1e6:7.2f} {first:8.2f} {again:8.2f}")
        server.should_exit = True
        thread.join(15)


if __name__ == "__main__":
    main()

"""Benchmark: what the store's safety costs — opening briefly, the change counter, defensive reads, ``check``.

Goals on 2 cores, for a store of 500,000 observations: a brief read-only open
with :meth:`~sandyq.store.Store.data_version` (what a dashboard does before each
request) under 100 ms; reading every observation in force under 3 s (skipping
unreadable rows costs no measurable time); a load of 100,000 rows that revises
half of them under 5 s; ``check`` under 5 s.  Measured on a busy machine (load
average 7): 94 ms, 2.6–3.2 s, 2.3 s and 1.0 s.

    .venv/bin/python benchmarks/bench_store.py                 # 500,000 synthetic observations
    .venv/bin/python benchmarks/bench_store.py --rows 2000000
    .venv/bin/python benchmarks/bench_store.py --db sandyq.duckdb   # an existing store (read-only figures only)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sandyq.store import Store


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    """``n`` observations with distinct keys: 100 indicators × 250 places × years, values in [0, 100)."""
    i = np.arange(n)
    return pd.DataFrame(
        {
            "indicator": "x." + pd.Series(i % 100).astype(str),
            "geo": "G" + pd.Series(i // 100 % 250).astype(str),
            "period": (1800 + i // 25_000 % 300).astype(str),
            "dims": "age=Y" + pd.Series(i // 7_500_000).astype(str),
            "source": "bench",
            "value": np.random.default_rng(seed).random(n) * 100,
            "unit": "PT",
            "status": None,
            "note": None,
        }
    )


def timed(label: str, func: Callable[[], object], repeat: int = 1) -> float:
    """Run ``func`` ``repeat`` times and print the median time."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    print(f"{label:<58} {median * 1000:10.1f} ms" + (f"  (median of {repeat})" if repeat > 1 else ""))
    return median


def brief_read(path: str) -> int:
    """What a dashboard does before a request: open read-only, read the change counter, let go."""
    with Store(path, read_only=True) as s:
        return s.data_version()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=500_000, help="synthetic observations (default 500,000)")
    parser.add_argument("--db", help="an existing store to read instead (nothing is written to it)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = args.db or str(Path(tmp) / "bench.duckdb")
        if args.db is None:
            frame = synthetic(args.rows)
            with Store(path) as s:
                timed(f"first load of {args.rows:,} rows", lambda: s.load_frame(frame, file="a", format="t"))
        timed("brief read-only open + data_version()", lambda: brief_read(path), repeat=20)
        with Store(path, read_only=args.db is not None) as s:
            n = timed(f"observations(): {s.count():,} rows, every one in force", s.observations, repeat=3)
            timed("check(): the whole store", s.check, repeat=3)
            if args.db is None:
                change = synthetic(min(100_000, args.rows), seed=1)
                change.loc[::2, "value"] = frame["value"].to_numpy()[: len(change) : 2]
                timed(
                    f"a load of {len(change):,} rows revising half of them",
                    lambda: s.load_frame(change, file="b", format="t"),
                )
        print(f"reads per second of every observation: {1 / n:.2f}")


if __name__ == "__main__":
    main()

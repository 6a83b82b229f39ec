"""Benchmark: ``sandyq evaluate IT.NET.USER.ZS --treated KAZ --from 2018`` with placebos over every donor.

Goal: under 10 s on the default store (2 cores), for each method.

    .venv/bin/python benchmarks/bench_evaluate.py --db sandyq.duckdb     # a built default store
    .venv/bin/python benchmarks/bench_evaluate.py                        # builds one in a temporary folder

The time covers reading the indicator, balancing the panel, the estimate, the in-space placebo of every donor
(refitted in one batch), the placebo standard error, the in-time placebo and leave-one-out donors.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import sandyq

GOAL_S = 10.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, help="a store built by `sandyq init` (default: build one)")
    parser.add_argument("--indicator", default="IT.NET.USER.ZS")
    parser.add_argument("--treated", default="KAZ")
    parser.add_argument("--start", type=int, default=2018)
    parser.add_argument("--methods", default="sdid,sc,did")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db
        if db is None:
            db = Path(tmp) / "bench.duckdb"
            began = time.perf_counter()
            sandyq.init(db)
            print(f"built the default store in {time.perf_counter() - began:.1f} s")
        slow = []
        with sandyq.connect(db, read_only=True) as m:
            for method in args.methods.split(","):
                began = time.perf_counter()
                ev = m.evaluate(args.indicator, args.treated, args.start, method=method)
                took = time.perf_counter() - began
                print(
                    f"evaluate {args.indicator} --treated {args.treated} --from {args.start} --method {method}: "
                    f"{took:.2f} s — effect {ev.effect:+.2f}, {len(ev.placebo)} placebos "
                    f"({len(ev.dropped)} donors dropped), p = {ev.p_value:.3f}, s.e. {ev.se:.2f}"
                )
                if took >= GOAL_S:
                    slow.append(method)
    print("goal: < 10 s each —", "met" if not slow else f"missed by {', '.join(slow)}")
    return 1 if slow else 0


if __name__ == "__main__":
    raise SystemExit(main())

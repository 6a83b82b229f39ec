"""Benchmark: 10,000 uncertainty-analysis runs of COINr's ASEM index.

Settings of COINr's sensitivity vignette (winsorisation limit 1–5, min-max
[1, 100] vs z-score (10, 2), ±25 % noise on the weights of levels 2 and 3,
arithmetic vs geometric mean).  COINr regenerates the index for every run, about
0.095 s per run on the reference machine, i.e. roughly 16 minutes for 10,000 runs;
the goal here is under 2 s.  Run with::

    .venv/bin/python benchmarks/bench_composite.py [RUNS]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
try:
    import sandyq.analytics.composite  # noqa: F401
except ImportError:  # running from a checkout without an installed package
    sys.path.insert(0, str(ROOT / "src"))

from sandyq.analytics.composite import CompositeIndex, run_sensitivity, run_uncertainty  # noqa: E402

COINR_SECONDS_PER_RUN = 0.095


def main(runs: int = 10_000) -> None:
    t0 = time.perf_counter()
    index = CompositeIndex.from_yaml(ROOT / "examples" / "coinr-asem" / "asem.yaml")
    load = time.perf_counter() - t0

    t1 = time.perf_counter()
    ua = run_uncertainty(index, runs=runs, seed=1)
    total = time.perf_counter() - t1
    stats = ua.rank_stats()

    t2 = time.perf_counter()
    sa = run_sensitivity(index, base_samples=1024, seed=1)
    sa_time = time.perf_counter() - t2

    print(f"load spec and data:           {load:6.3f} s")
    print(f"uncertainty, {runs} runs:     {total:6.3f} s (nominal build + 10 combinations + runs)")
    print(f"runs per second:              {runs / total:,.0f}")
    print(
        f"COINr at {COINR_SECONDS_PER_RUN} s/run would take {runs * COINR_SECONDS_PER_RUN:,.0f} s "
        f"(speed-up ×{runs * COINR_SECONDS_PER_RUN / total:,.0f})"
    )
    print(f"goal < 2 s for 10,000 runs:   {'met' if total < 2 and runs >= 10_000 else 'check'}")
    print(f"sensitivity, {sa.runs} runs:    {sa_time:6.3f} s ({sa.runs / sa_time:,.0f} runs per second)")
    print()
    print(stats.loc[["CHE", "NLD", "IND"]].round(2).to_string())


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)

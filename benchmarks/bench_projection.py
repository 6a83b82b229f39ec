"""Benchmark: project every series with intervals and the probability of reaching a target.

Goal: 2,000 annual series in under 10 s on 2 cores.

    .venv/bin/python benchmarks/bench_projection.py                      # 2,000 synthetic series
    .venv/bin/python benchmarks/bench_projection.py --series 5000
    .venv/bin/python benchmarks/bench_projection.py --observations obs.parquet   # a store export
    .venv/bin/python benchmarks/bench_projection.py --db sandyq.duckdb             # every series in a store

Synthetic series are realistic annual indicators of 8–25 years: shares in
percent that follow S-curves (Internet use, e-services), positive counts
growing with noise (ICT specialists, subscriptions) and ranks drifting with
noise (ICT Development Index).  Each is projected five years past its last
value with 80 % and 95 % intervals and the probability of reaching a target.
An observations file (CSV or Parquet with the store's columns: indicator, geo,
period, year, dims, value, unit, source) replaces them with real series.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sandyq.analytics.progress import ProjectionInput, forecast_many
from sandyq.analytics.progress._series import annual_series, iter_series


def synthetic(n_series: int, seed: int = 0) -> list[tuple[ProjectionInput, float, str]]:
    """(input, target, polarity) for ``n_series`` synthetic annual series."""
    rng = np.random.default_rng(seed)
    out = []
    for i in range(n_series):
        n = int(rng.integers(8, 26))
        start = int(rng.integers(1995, 2024 - n + 1))
        years = np.arange(start, start + n)
        kind = i % 3
        if kind == 0:  # a share on an S-curve, in percent
            mid, speed = rng.uniform(-3, 3), rng.uniform(0.1, 0.5)
            z = mid + speed * np.arange(n) + np.cumsum(rng.normal(0, 0.08, n))
            values = 100 / (1 + np.exp(-z))
            unit, kindname, polarity = "PT", "level", "higher"
            target = min(99.0, values[-1] * rng.uniform(1.0, 1.3))
        elif kind == 1:  # a positive count growing with noise
            growth = rng.normal(0.04, 0.03)
            values = rng.uniform(10, 5000) * np.exp(np.cumsum(rng.normal(growth, 0.05, n)))
            unit, kindname, polarity = "TH_UNITS", "level", "higher"
            target = values[-1] * rng.uniform(1.0, 1.5)
        else:  # a rank drifting with noise
            values = np.clip(np.round(rng.uniform(20, 120) + np.cumsum(rng.normal(-0.8, 3.0, n))), 1, 190)
            unit, kindname, polarity = "RANK", "rank", "lower"
            target = max(1.0, values[-1] - rng.uniform(0, 20))
        item = ProjectionInput(years, values, int(years[-1]) + 5, unit=unit, kind=kindname, key=f"s{i}")
        out.append((item, float(target), polarity))
    return out


def from_observations(frame: pd.DataFrame) -> list[tuple[ProjectionInput, float, str]]:
    """Every series with at least two annual values, target = last value × 1.1."""
    out = []
    for key, years, values, unit in iter_series(annual_series(frame)):
        if years.size >= 2:
            kind = "rank" if unit == "RANK" else "level"
            item = ProjectionInput(years, values, int(years[-1]) + 5, unit=unit, kind=kind, key="/".join(key))
            out.append((item, float(values[-1]) * 1.1, "lower" if kind == "rank" else "higher"))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--series", type=int, default=2000, help="number of synthetic series (default 2000)")
    parser.add_argument("--observations", type=Path, help="CSV or Parquet observations instead of synthetic series")
    parser.add_argument("--db", type=Path, help="a sandyq DuckDB store: project every series in it")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best is reported")
    args = parser.parse_args()
    if args.db:
        from sandyq.store import Store

        with Store(args.db, read_only=True) as store:
            work = from_observations(store.observations())
    elif args.observations:
        path = args.observations
        work = from_observations(pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path))
    else:
        work = synthetic(args.series)
    inputs = [w[0] for w in work]
    best, cpu = float("inf"), float("inf")
    for _ in range(max(1, args.repeat)):
        t0, c0 = time.perf_counter(), time.process_time()
        forecasts = forecast_many(inputs)
        projections = [fc.at(item.until, target, pol) for fc, (item, target, pol) in zip(forecasts, work, strict=True)]
        best, cpu = min(best, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    with_interval = sum(1 for p in projections if "95" in p.intervals)
    with_prob = sum(1 for p in projections if p.probability is not None)
    lengths = [len(i.years) for i in inputs]
    print(f"series: {len(inputs)} (length {min(lengths)}–{max(lengths)} years), horizon 5 years")
    print(f"with 95 % interval: {with_interval}, with probability: {with_prob}")
    print(f"time: {best:.2f} s wall, {cpu:.2f} s CPU (best of {max(1, args.repeat)}; wall time grows when busy)")
    print(f"throughput: {len(inputs) / best:,.0f} series/second")
    goal = (
        "met" if len(inputs) >= 2000 and best < 10 * len(inputs) / 2000 else "n/a" if len(inputs) < 2000 else "MISSED"
    )
    print(f"goal (2,000 series in under 10 s): {goal}")


if __name__ == "__main__":
    main()

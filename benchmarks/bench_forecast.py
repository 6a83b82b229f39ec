"""Benchmark: sandyq's projections against statsforecast's AutoETS and AutoTheta, naive and drift.

One run, the same series and the same forecast origins for every method (issue 13, item 5):

    .venv/bin/python benchmarks/bench_forecast.py --db sandyq.duckdb
    .venv/bin/python benchmarks/bench_forecast.py --db sandyq.duckdb --select sandyq,naive,drift --max-series 500
    .venv/bin/python benchmarks/bench_forecast.py --db sandyq.duckdb --no-peers      # the combination alone

Series: every (indicator, geo, dims, source) series of the store, cut to its
longest run of consecutive years, with at least ``--min-values`` (6) values.
Origins: standing at every year from the ``--min-train``-th (3rd) value to the
last but one (or only at the ``--origins`` latest origins from which all 5
horizons are observed), each method forecasts 1–5 years ahead with only the values known
then; sandyq's peer paths (see ``sandyq.analytics.progress._peers``) see only
peers' values up to the origin year.

Scores (M4 conventions, averaged over every forecast): MASE (absolute error
over the in-sample mean absolute annual change), sMAPE (%), coverage of the
80 % and 95 % intervals, MSIS (the 95 % interval score of Gneiting & Raftery
2007, scaled like MASE), and the Brier skill of the probability of "value at
the horizon ≥ value at origin + c × typical annual change × h" for
c ∈ {−0.5, 0, 0.5, 1, 2} against always saying each event's overall frequency
(the base rate, known in hindsight: a demanding reference).  statsforecast's
probabilities come from a normal distribution matching their 95 % interval;
naive and drift are the textbook Gaussian random walks (Hyndman &
Athanasopoulos, *FPP3*, §5.5).  series/s counts forecast problems (one series
at one origin) per second of wall time.  sandyq uses its default calibration.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sandyq.analytics.progress import ProjectionInput, forecast_many
from sandyq.analytics.progress._calibration import quantile
from sandyq.analytics.progress._peers import PeerPanel
from sandyq.analytics.progress._series import annual_series, iter_series
from sandyq.analytics.progress._transform import choose_transform

HORIZON = 5
LEVELS = (0.8, 0.95)
EVENTS = (-0.5, 0.0, 0.5, 1.0, 2.0)
METHODS = ("sandyq", "AutoETS", "AutoTheta", "naive", "drift")
BANDS = ((2, 5, "2–5"), (6, 10, "6–10"), (11, 20, "11–20"), (21, 10**6, "21+"))


@dataclass(frozen=True)
class Task:
    """One series at one origin: the values known then and the outcomes 1…H years later."""

    series: int
    key: str
    indicator: str
    unit: str | None
    years: np.ndarray
    values: np.ndarray
    actual: np.ndarray


@dataclass
class Result:
    """One method's forecasts for every task, flattened to forecast rows in task order."""

    mean: np.ndarray
    lo: dict[float, np.ndarray]
    hi: dict[float, np.ndarray]
    prob: np.ndarray  # (rows, len(EVENTS))
    seconds: float


def longest_run(years: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The longest stretch of consecutive years (the last one on ties)."""
    breaks = np.flatnonzero(np.diff(years) != 1) + 1
    starts, ends = np.r_[0, breaks], np.r_[breaks, years.size]
    lengths = ends - starts
    best = int(np.flatnonzero(lengths == lengths.max())[-1])
    return years[starts[best] : ends[best]], values[starts[best] : ends[best]]


def load_tasks(
    db: Path, min_values: int, min_train: int, max_series: int | None, seed: int, origins: int | None = None
) -> list[Task]:
    """Every rolling-origin task on the store's series (a random sample of series when ``max_series``)."""
    from sandyq.store import Store

    with Store(db, read_only=True) as store:
        annual = annual_series(store.observations())
    series = []
    for key, years, values, unit in iter_series(annual):
        y, v = longest_run(years, values)
        if y.size >= min_values and np.isfinite(v).all():
            series.append((key, y, v, unit))
    if max_series is not None and max_series < len(series):
        pick = np.sort(np.random.default_rng(seed).choice(len(series), max_series, replace=False))
        series = [series[i] for i in pick]
    tasks = []
    for s, (key, y, v, unit) in enumerate(series):
        for origin in _origins(y.size, min_train, origins):
            end = min(origin + 1 + HORIZON, y.size)
            tasks.append(Task(s, "/".join(key), key[0], unit, y[: origin + 1], v[: origin + 1], v[origin + 1 : end]))
    return tasks


def _origins(size: int, min_train: int, count: int | None) -> range:
    """Every origin, or the ``count`` latest whose 5 horizons are all observed (the latest ones if none is)."""
    first, stop = min_train - 1, size - 1
    if count is None:
        return range(first, stop)
    full = size - 1 - HORIZON  # the latest origin with every horizon observed
    top = full if full >= first else stop - 1
    return range(max(first, top - count + 1), top + 1)


def _normal(mean: np.ndarray, sd: np.ndarray, thresholds: np.ndarray) -> tuple[dict, dict, np.ndarray]:
    """Intervals and P(Y ≥ threshold) of normal forecasts (NaN where sd is not finite and positive)."""
    from scipy import special

    sd = np.where(sd > 0, sd, np.nan)
    lo = {lv: mean - special.ndtri(0.5 + lv / 2) * sd for lv in LEVELS}
    hi = {lv: mean + special.ndtri(0.5 + lv / 2) * sd for lv in LEVELS}
    prob = special.ndtr((mean[:, None] - thresholds) / sd[:, None])
    return lo, hi, prob


def thresholds_of(tasks: list[Task]) -> np.ndarray:
    """The event thresholds of every forecast row: origin value + c × typical change × h."""
    rows = []
    for t in tasks:
        scale = np.mean(np.abs(np.diff(t.values)))
        h = np.arange(1, t.actual.size + 1, dtype=float)
        rows.append(t.values[-1] + np.multiply.outer(h * scale, EVENTS))
    return np.concatenate(rows)


def run_sandyq(tasks: list[Task], thresholds: np.ndarray, peers: bool) -> Result:
    from scipy import special

    t0 = time.perf_counter()
    inputs = [
        ProjectionInput(
            t.years, t.values, int(t.years[-1]) + t.actual.size, unit=t.unit,
            kind="rank" if t.unit == "RANK" else "level", key=t.key, group=t.indicator,
        )
        for t in tasks
    ]  # fmt: skip
    forecasts = forecast_many(inputs, peers=panel_for(tasks) if peers else None)
    seconds = time.perf_counter() - t0
    mean: list[np.ndarray] = []
    prob: list[np.ndarray] = []
    lo: dict[float, list[np.ndarray]] = {lv: [] for lv in LEVELS}
    hi: dict[float, list[np.ndarray]] = {lv: [] for lv in LEVELS}
    row = 0
    for t, fc in zip(tasks, forecasts, strict=True):
        k = t.actual.size
        loc, sc, inv = fc.loc[:k], fc.scale[:k], fc.transform.inverse
        mean.append(inv(loc))
        for lv in LEVELS:
            q = quantile(lv, fc.df)
            lo[lv].append(inv(loc - q * sc))
            hi[lv].append(inv(loc + q * sc))
        z = (loc[:, None] - fc.transform.forward(thresholds[row : row + k])) / np.where(sc > 0, sc, np.nan)[:, None]
        prob.append(special.ndtr(z) if np.isinf(fc.df) else special.stdtr(fc.df, z))
        row += k
    return Result(
        np.concatenate(mean),
        {lv: np.concatenate(v) for lv, v in lo.items()},
        {lv: np.concatenate(v) for lv, v in hi.items()},
        np.concatenate(prob),
        seconds,
    )


def panel_for(tasks: list[Task]) -> PeerPanel:
    """The peer panel of every series in the benchmark; each task sees only peers' changes that ended by its origin."""
    last: dict[int, Task] = {t.series: t for t in tasks}  # a series' last task holds all its values
    rows = [
        (t.indicator, t.unit, np.r_[t.years, t.years[-1] + np.arange(1, t.actual.size + 1)], np.r_[t.values, t.actual])
        for t in last.values()
    ]
    return PeerPanel.from_series(rows)


def run_statsforecast(tasks: list[Task], thresholds: np.ndarray, name: str) -> Result:
    from statsforecast.models import AutoETS, AutoTheta

    factory: Callable[[], object] = {
        "AutoETS": lambda: AutoETS(season_length=1),
        "AutoTheta": lambda: AutoTheta(season_length=1),
    }[name]
    model = factory()
    t0 = time.perf_counter()
    means, lows, highs = [], [], []
    for t in tasks:
        k = t.actual.size
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                out = model.forecast(y=t.values.astype(float), h=k, level=[80, 95])  # type: ignore[attr-defined]
            means.append(np.asarray(out["mean"], dtype=float))
            lows.append(np.asarray(out["lo-95"], dtype=float))
            highs.append(np.asarray(out["hi-95"], dtype=float))
        except Exception:  # a failed fit falls back to the last value, without an interval
            means.append(np.full(k, t.values[-1]))
            lows.append(np.full(k, np.nan))
            highs.append(np.full(k, np.nan))
    seconds = time.perf_counter() - t0
    mean = np.concatenate(means)
    sd = (np.concatenate(highs) - np.concatenate(lows)) / (2 * 1.959963984540054)
    lo, hi, prob = _normal(mean, sd, thresholds)
    return Result(mean, lo, hi, prob, seconds)


def run_simple(tasks: list[Task], thresholds: np.ndarray, name: str) -> Result:
    """Naive (σ√h) and drift (σ√(h(1 + h/(T−1)))) with normal errors."""
    t0 = time.perf_counter()
    means, sds = [], []
    for t in tasks:
        v, k = t.values, t.actual.size
        h = np.arange(1, k + 1, dtype=float)
        d = np.diff(v)
        if name == "naive":
            means.append(np.full(k, v[-1]))
            sds.append(np.sqrt(np.mean(d * d)) * np.sqrt(h))
        else:
            slope = d.mean()
            means.append(v[-1] + slope * h)
            s = np.sqrt(((d - slope) ** 2).sum() / (d.size - 1)) if d.size >= 2 else np.nan
            sds.append(s * np.sqrt(h * (1 + h / d.size)))
    seconds = time.perf_counter() - t0
    mean = np.concatenate(means)
    lo, hi, prob = _normal(mean, np.concatenate(sds), thresholds)
    return Result(mean, lo, hi, prob, seconds)


def rows_frame(tasks: list[Task]) -> pd.DataFrame:
    """One row per forecast: series, horizon, training length, outcome, MASE scale."""
    parts = []
    for t in tasks:
        k = t.actual.size
        parts.append(
            pd.DataFrame({
                "series": t.series, "indicator": t.indicator, "h": np.arange(1, k + 1), "n_train": t.years.size,
                "actual": t.actual, "origin_value": t.values[-1], "scale": np.mean(np.abs(np.diff(t.values))),
                "kind": choose_transform(t.unit, "rank" if t.unit == "RANK" else "level", t.values).name,
            })
        )  # fmt: skip
    return pd.concat(parts, ignore_index=True)


def scores(frame: pd.DataFrame, res: Result, mask: np.ndarray, base: np.ndarray) -> dict[str, float]:
    """MASE, sMAPE, coverage, MSIS and Brier skill of one method's forecasts selected by ``mask``."""
    y, f = frame["actual"].to_numpy(), res.mean
    scale = frame["scale"].to_numpy()
    ok = mask & (scale > 0) & np.isfinite(f)
    a = 0.05
    lo, hi = res.lo[0.95], res.hi[0.95]
    iv = ok & np.isfinite(lo) & np.isfinite(hi)
    msis = (hi - lo + 2 / a * np.maximum(lo - y, 0) + 2 / a * np.maximum(y - hi, 0)) / np.where(scale > 0, scale, 1)
    out = {
        "forecasts": float(ok.sum()),
        "MASE": float(np.mean(np.abs(y - f)[ok] / scale[ok])),
        "sMAPE": float(np.mean(200 * np.abs(y - f)[ok] / np.maximum(np.abs(y) + np.abs(f), 1e-12)[ok])),
        "cov80": float(np.mean(((y >= res.lo[0.8]) & (y <= res.hi[0.8]))[iv])),
        "cov95": float(np.mean(((y >= lo) & (y <= hi))[iv])),
        "MSIS": float(np.mean(msis[iv])),
        "with_interval": float(iv.sum() / max(ok.sum(), 1)),
    }
    outcome = (y[:, None] >= base_thresholds(frame)).astype(float)
    p = res.prob
    pv = ok[:, None] & np.isfinite(p)
    bs = np.mean(((p - outcome) ** 2)[pv])
    ref = np.mean(((base[None, :] - outcome) ** 2 * np.ones_like(p))[pv])
    out["Brier"] = float(bs)
    out["BrierSkill"] = float(1 - bs / ref)
    return out


def base_thresholds(frame: pd.DataFrame) -> np.ndarray:
    h = frame["h"].to_numpy(dtype=float)
    return frame["origin_value"].to_numpy()[:, None] + np.multiply.outer(h * frame["scale"].to_numpy(), EVENTS)


def table(frame: pd.DataFrame, results: dict[str, Result], mask: np.ndarray, base: np.ndarray) -> pd.DataFrame:
    rows = {name: scores(frame, res, mask, base) for name, res in results.items()}
    return pd.DataFrame(rows).T


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a sandyq DuckDB store (`sandyq init` builds one)")
    parser.add_argument("--select", default=",".join(METHODS), help=f"methods, comma-separated ({','.join(METHODS)})")
    parser.add_argument("--max-series", type=int, help="a random sample of this many series (default: all)")
    parser.add_argument("--min-values", type=int, default=6, help="the fewest consecutive values a series needs")
    parser.add_argument("--min-train", type=int, default=3, help="the fewest values known at an origin")
    parser.add_argument("--origins", type=int, help="only each series' last N origins (default: all)")
    parser.add_argument("--no-peers", action="store_true", help="sandyq without peer paths")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    chosen = [m.strip() for m in args.select.split(",") if m.strip()]
    unknown = sorted(set(chosen) - set(METHODS))
    if unknown:
        parser.error(f"unknown methods {unknown}; choose from {', '.join(METHODS)}")
    tasks = load_tasks(args.db, args.min_values, args.min_train, args.max_series, args.seed, args.origins)
    frame = rows_frame(tasks)
    thresholds = thresholds_of(tasks)
    n_series = frame["series"].nunique()
    print(f"{n_series:,} series, {len(tasks):,} origins, {len(frame):,} forecasts (horizons 1–{HORIZON})")
    results: dict[str, Result] = {}
    for name in chosen:
        if name == "sandyq":
            results[name] = run_sandyq(tasks, thresholds, peers=not args.no_peers)
        elif name in ("AutoETS", "AutoTheta"):
            results[name] = run_statsforecast(tasks, thresholds, name)
        else:
            results[name] = run_simple(tasks, thresholds, name)
        print(f"  {name}: {len(tasks) / results[name].seconds:,.0f} series/s", flush=True)
    outcome = frame["actual"].to_numpy()[:, None] >= base_thresholds(frame)
    base = outcome.mean(axis=0)
    everything = np.ones(len(frame), dtype=bool)
    pd.set_option("display.width", 200)
    fmt = {"forecasts": "{:,.0f}", "MASE": "{:.3f}", "sMAPE": "{:.2f}", "MSIS": "{:.1f}", "Brier": "{:.4f}"}
    main_table = table(frame, results, everything, base)
    main_table["series/s"] = [len(tasks) / results[n].seconds for n in main_table.index]
    print("\nAll forecasts")
    print(_fmt(main_table, fmt))
    n = frame["n_train"].to_numpy()
    for lo_, hi_, label in BANDS:
        sel = (n >= lo_) & (n <= hi_)
        if sel.any():
            print(f"\nValues known at the origin: {label} ({int(sel.sum()):,} forecasts)")
            print(
                _fmt(table(frame, results, sel, base)[["MASE", "sMAPE", "cov80", "cov95", "MSIS", "BrierSkill"]], fmt)
            )
    kind = frame["kind"].to_numpy()
    for name, label in (("logit", "bounded shares (logit scale)"), ("identity", "unbounded (linear scale)")):
        sel = kind == name
        if sel.any():
            print(f"\nUnit type: {label} ({int(sel.sum()):,} forecasts)")
            print(
                _fmt(table(frame, results, sel, base)[["MASE", "sMAPE", "cov80", "cov95", "MSIS", "BrierSkill"]], fmt)
            )
    h = frame["h"].to_numpy()
    rows = {}
    for x in range(1, HORIZON + 1):
        t = table(frame, results, h == x, base)
        rows.update({(x, m): t.loc[m, ["MASE", "cov95", "MSIS"]] for m in t.index})
    print("\nBy horizon")
    print(_fmt(pd.DataFrame(rows).T.rename_axis(["h", "method"]), fmt))


def _fmt(frame: pd.DataFrame, fmt: dict[str, str]) -> str:
    out = frame.copy().astype(object)
    for col in out.columns:
        spec = fmt.get(col, "{:.3f}")
        out[col] = [spec.format(float(v)) for v in frame[col]]
    return str(out.to_string())


if __name__ == "__main__":
    main()

"""sandyq backtests itself: rolling-origin forecasts, MASE against naive and drift, interval coverage.

Every series with enough years is replayed: standing at each past year (the
origin) sandyq projects the next years with only the data known then, exactly
as it would today, and compares with what was observed.  The errors give the
accuracy table and fit the :class:`~._calibration.Calibration` that widens the
intervals of every later projection.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ...errors import InvalidValueError, Problem
from ...framework._models import Indicator
from ..results import json_safe, to_records
from ._calibration import LEVELS, Calibration, degrees_of_freedom, fit_factor, fit_tail, quantile
from ._distribution import ZDistribution, fit_quantiles
from ._events import EventScores, evaluate
from ._fit import MIN_POINTS, forecast_batch
from ._series import SERIES_KEYS, annual_series, iter_series
from ._transform import choose_transform

__all__ = ["METHOD", "BacktestResult", "backtest", "calibrate", "fit_calibration", "typical_change"]

METHOD = (
    "Rolling-origin backtest. For every series with enough years, sandyq stands at each past year (the origin), "
    "projects the following years (up to the maximum horizon) with only the data known then, and compares the "
    "projection with what was later observed. Accuracy is the mean absolute scaled error (MASE): the absolute error "
    "divided by the series' average year-to-year change before the origin, so 1 means 'off by one typical annual "
    "change'. It is shown for sandyq's projection (an equal-weight combination of Theta, damped-trend exponential "
    "smoothing and random walk with drift, fitted on a scale that respects the unit's bounds) and for two simple "
    "benchmarks: naive (the last value carried forward) and drift (the straight line through the first and last "
    "values); lower is better. Coverage is the share of outcomes that fell inside the 80 % and 95 % prediction "
    "intervals ('raw': the models' own intervals; otherwise after calibration). The models' intervals use Student's t "
    "with n − 2 degrees of freedom for a projection from n values. Calibration takes, on these backtests, the "
    "empirical quantiles of the scaled errors (error divided by the models' standard error) for each series length "
    "(3–4, 5–6, 7–10, 11+ values) and horizon where at least 200 series give errors (conformal prediction); elsewhere "
    "a factor k that multiplies every interval half-width and a cap on the degrees of freedom, fitted so that "
    "coverage matches 80 % and 95 %. The projection reported is the median of that distribution; probabilities of "
    "reaching a target use the same distribution. Probabilities are checked on threshold events: targets set from "
    "the value at each origin (−1 to 2 times the series' typical annual change per year ahead), judged on the level "
    "reached; the Brier score (0 best) is compared with always saying the base rate and with a random walk with "
    "drift, and the reliability table shows, per tenth of probability, the share of targets met. 'Cross-validated' "
    "coverage and every event score fit the calibration on half of the series and measure it on the other half."
)


@dataclass(frozen=True)
class BacktestResult:
    """Every backtest forecast, the per-indicator and pooled summary, and the fitted calibration."""

    records: pd.DataFrame
    summary: pd.DataFrame
    calibration: Calibration
    method: str = METHOD
    settings: dict[str, Any] = field(default_factory=dict)
    events: EventScores | None = None

    def to_frame(self) -> pd.DataFrame:
        return self.summary

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "settings": json_safe(self.settings),
            "summary": to_records(self.summary),
            "calibration": self.calibration.to_dict(),
            "events": None if self.events is None else self.events.to_dict(),
        }

    def to_text(self) -> str:
        if self.summary.empty:
            return "No series is long enough to backtest.\n\n" + self.method
        table = self.summary.copy()
        for col in [c for c in table.columns if c.startswith("coverage")]:
            table[col] = (table[col] * 100).map(lambda v: "" if pd.isna(v) else f"{v:.0f} %")
        for col in ("mase", "mase_naive", "mase_drift"):
            table[col] = table[col].map(lambda v: "" if pd.isna(v) else f"{v:.2f}")
        c = self.calibration
        ks = ", ".join(f"h={h}: {k:.2f}" for h, k in sorted(c.by_horizon.items()))
        short = (
            ""
            if c.factor_short is None
            else f"; from fewer than {c.short_below} values k = {c.factor_short:.2f} pooled ("
            + ", ".join(f"h={h}: {k:.2f}" for h, k in sorted(c.by_horizon_short.items()))
            + ")"
        )
        tail = "none" if np.isinf(c.tail_df) else f"{c.tail_df:g}"
        cv = c.coverage.get("cross_validated", {})
        lines = [
            table.to_string(index=False),
            "",
            f"Calibration: k = {c.factor:.2f} pooled"
            + (f" ({ks})" if ks else "")
            + short
            + f"; degrees-of-freedom cap: {tail}",
            "Cross-validated coverage: "
            + ", ".join(f"{k} % → {v * 100:.1f} %" for k, v in cv.items() if np.isfinite(v)),
            "",
            *([] if self.events is None else [self.events.to_text(), ""]),
            self.method,
        ]
        return "\n".join(lines)

    def format(self, fmt: str = "table") -> str:
        """The result as text for ``sandyq backtest --format table|json|csv``."""
        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        if fmt == "csv":
            return str(self.summary.to_csv(index=False))
        if fmt == "table":
            return self.to_text()
        raise InvalidValueError("unknown format", [Problem("", f"{fmt!r}; use table, json or csv")])


def typical_change(years: np.ndarray, values: np.ndarray) -> float:
    """The average absolute change per year (the MASE scale), 0 for a constant series."""
    return float(np.mean(np.abs(np.diff(values)) / np.diff(years))) if values.size >= 2 else float("nan")


def _series_sigma(years: np.ndarray, z: np.ndarray, relative: bool) -> float:
    """One-year spread of a series around its drift on the model scale (NaN if fewer than 4 values).

    ``relative``: divided by the series' average absolute annual change, so that
    it compares across units (used for the linear scale).
    """
    if z.size < 4:
        return float("nan")
    d, g = np.diff(z), np.diff(years).astype(float)
    drift = (z[-1] - z[0]) / (years[-1] - years[0])
    sigma = float(np.sqrt(((d - drift * g) ** 2 / g).sum() / (d.size - 1)))
    if relative:
        scale = typical_change(years, z)
        return sigma / scale if scale > 0 else float("nan")
    return sigma


def backtest(
    observations: pd.DataFrame,
    indicators: Mapping[str, Indicator] | None = None,
    *,
    min_train: int = 3,
    max_horizon: int = 6,
    levels: Sequence[float] = LEVELS,
    min_per_horizon: int = 30,
    engine: str = "fast",
    min_series: int = 200,
) -> BacktestResult:
    """Rolling-origin backtest over every series with at least ``min_train + 1`` annual values.

    Returns every forecast (``records``), per-indicator and pooled MASE (sandyq,
    naive, drift) and coverage (raw and calibrated), and the fitted calibration.
    """
    if min_train < 2 or max_horizon < 1:
        raise InvalidValueError(
            "backtest needs min_train ≥ 2 and max_horizon ≥ 1", [Problem("", f"{min_train}, {max_horizon}")]
        )
    annual = annual_series(observations)
    items: list[tuple[np.ndarray, np.ndarray, int]] = []
    meta: list[tuple[int, int]] = []  # (series index, origin position)
    series: list[tuple[tuple[str, ...], np.ndarray, np.ndarray, Any]] = []
    sigmas: dict[str, list[float]] = {}
    for key, years, values, unit_ in iter_series(annual):
        ind = (indicators or {}).get(key[0])
        unit = ind.unit if ind is not None else unit_
        transform = choose_transform(unit, "rank" if unit == "RANK" else "level", values)
        z = transform.forward(values)
        series.append((key, years, values, transform))
        sigmas.setdefault(transform.name, []).append(_series_sigma(years, z, transform.name == "identity"))
        for origin in range(min_train - 1, years.size - 1):
            ahead = years[origin + 1 :] - years[origin]
            if ahead[0] <= max_horizon:
                items.append((years[: origin + 1], z[: origin + 1], int(ahead[ahead <= max_horizon].max())))
                meta.append((len(series) - 1, origin))
    raw = forecast_batch(items, engine=engine)
    cols: dict[str, list[np.ndarray]] = {
        k: []
        for k in ("s", "origin", "year", "h", "n", "actual", "forecast", "naive", "drift", "scale", "z")
        + ("loc", "sd", "drift_loc", "drift_sd", "dz", "last")
    }
    for (s_idx, origin), fc in zip(meta, raw, strict=True):
        if fc is None:
            continue
        _, years, values, transform = series[s_idx]
        t0, y0 = years[origin], values[origin]
        h = years[origin + 1 :] - t0
        keep = h <= fc.loc.size
        h, actual = h[keep], values[origin + 1 :][keep]
        loc, sd = fc.loc[h - 1], fc.sd[h - 1]
        train_y, train_v = years[: origin + 1], values[: origin + 1]
        slope = (train_v[-1] - train_v[0]) / (train_y[-1] - train_y[0])
        drift_loc, drift_sd, dz = _drift_on_scale(train_y, transform.forward(train_v), h)
        with np.errstate(divide="ignore", invalid="ignore"):
            z = np.where(sd > 0, (transform.forward(actual) - loc) / sd, np.nan)
        parts = {
            "s": np.full(h.size, s_idx), "origin": np.full(h.size, t0), "year": t0 + h, "h": h,
            "n": np.full(h.size, origin + 1), "actual": actual, "forecast": transform.inverse(loc),
            "naive": np.full(h.size, y0), "drift": y0 + slope * h,
            "scale": np.full(h.size, np.mean(np.abs(np.diff(train_v)) / np.diff(train_y))), "z": z,
            "loc": loc, "sd": sd, "drift_loc": drift_loc, "drift_sd": drift_sd, "dz": np.full(h.size, dz),
            "last": np.full(h.size, transform.forward(y0)),
        }  # fmt: skip
        for k, v in parts.items():
            cols[k].append(np.asarray(v))
    records = _records(cols, series)
    calibration = fit_calibration(records, levels, min_per_horizon, min_series)
    typical = {k: float(np.nanmedian(v)) for k, v in sigmas.items() if np.isfinite(v).any()}
    calibration = Calibration(**{**calibration.__dict__, "typical_sigma": typical})
    events, frame = evaluate(records, lambda part: _fit(part, levels, min_per_horizon, min_series))
    if events is not None:
        calibration = Calibration(**{**calibration.__dict__, "events": events.to_dict()})
    summary = _summary(records, calibration, levels, frame)
    settings = {"min_train": min_train, "max_horizon": max_horizon, "levels": list(levels), "engine": engine}
    return BacktestResult(records, summary, calibration, METHOD, settings, events)


def _drift_on_scale(years: np.ndarray, z: np.ndarray, h: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Random walk with drift on the model scale (mean and sd at horizons ``h``) and the mean absolute change.

    The naive benchmark of the event backtest (:mod:`._events`): normal, with
    the spread of the year-to-year changes around the drift (NaN from fewer
    than 3 values).
    """
    d, g = np.diff(z), np.diff(years).astype(float)
    span = float(years[-1] - years[0])
    drift = (z[-1] - z[0]) / span
    hh = h.astype(float)
    sd = np.full(h.size, np.nan)
    if d.size >= 2:
        s2 = float(((d - drift * g) ** 2 / g).sum() / (d.size - 1))
        sd = np.sqrt(s2 * (hh + hh * hh / span))
    return z[-1] + drift * hh, sd, float(np.mean(np.abs(d) / g))


def _records(cols: dict[str, list[np.ndarray]], series: list[tuple[tuple[str, ...], Any, Any, Any]]) -> pd.DataFrame:
    names = ["origin", "year", "h", "n_train", "actual", "forecast", "naive", "drift", "scale", "z"]
    names += ["loc", "sd", "drift_loc", "drift_sd", "dz", "last"]
    if not cols["s"]:
        return pd.DataFrame(columns=[*SERIES_KEYS, *names, "df"])
    flat = {k: np.concatenate(v) for k, v in cols.items()}
    keys = np.array([s[0] for s in series], dtype=object)[flat["s"]]
    frame = pd.DataFrame({k: [row[i] for row in keys] for i, k in enumerate(SERIES_KEYS)})
    sources = ["origin", "year", "h", "n", "actual", "forecast", "naive", "drift", "scale", "z"]
    for name, src in zip(names, sources + names[10:], strict=True):
        frame[name] = flat[src]
    frame["df"] = degrees_of_freedom(frame["n_train"].to_numpy())
    return frame


def _fit(records: pd.DataFrame, levels: Sequence[float], min_per_horizon: int, min_series: int) -> Calibration:
    """Tail cap and factors (pooled, per horizon; for short and for full projections) from backtest records."""
    ok = records[np.isfinite(records["z"].to_numpy(dtype=float))]
    a, d = np.abs(ok["z"].to_numpy(dtype=float)), ok["df"].to_numpy(dtype=float)
    tail, _ = fit_tail(a, d, levels)
    d = np.minimum(d, tail)
    h, n = ok["h"].to_numpy(), ok["n_train"].to_numpy()
    short_below = MIN_POINTS["damped"]
    parts: dict[bool, tuple[float | None, dict[int, float]]] = {}
    for is_short in (False, True):
        sel = (n < short_below) == is_short
        if sel.sum() < min_per_horizon:
            parts[is_short] = (None, {})
            continue
        pooled = fit_factor(a[sel], d[sel], levels)
        by_h = {
            int(x): fit_factor(a[sel & (h == x)], d[sel & (h == x)], levels)
            for x in np.unique(h[sel])
            if (sel & (h == x)).sum() >= min_per_horizon
        }  # fmt: skip
        parts[is_short] = (pooled, by_h)
    long_k, long_h = parts[False]
    short_k, short_h = parts[True]
    if long_k is None:  # everything was short: the short factors serve for all
        long_k, long_h, short_k, short_h = short_k, short_h, None, {}
    sid = ok.groupby(list(SERIES_KEYS), sort=False).ngroup().to_numpy()
    z = ok["z"].to_numpy(dtype=float)
    return Calibration(
        distribution=fit_quantiles(z, n, h, sid, min_series) if min_series else ZDistribution(),
        factor=1.0 if long_k is None else long_k,
        by_horizon=long_h,
        tail_df=tail,
        factor_short=short_k,
        by_horizon_short=short_h,
        short_below=short_below,
    )


def fit_calibration(
    records: pd.DataFrame, levels: Sequence[float] = LEVELS, min_per_horizon: int = 30, min_series: int = 200
) -> Calibration:
    """Fit the calibration on backtest records and measure its coverage (raw, in-sample, cross-validated).

    ``min_series``: the fewest series whose errors make a (length band, horizon)
    cell of the empirical distribution (0: the factor-k t distribution only).
    """
    ok = records[np.isfinite(records["z"].to_numpy(dtype=float))]
    if ok.empty:
        return Calibration(fitted_at=dt.date.today().isoformat())
    cal = _fit(ok, levels, min_per_horizon, min_series)
    z, h, n = ok["z"].to_numpy(dtype=float), ok["h"].to_numpy(), ok["n_train"].to_numpy()
    a = np.abs(z)
    # two-fold cross-validation by series: fit on one half, measure on the other
    fold = ok.groupby(list(SERIES_KEYS), sort=False).ngroup().to_numpy() % 2
    halves = [(fold == f, _fit(ok[fold != f], levels, min_per_horizon, min_series)) for f in (0, 1)]
    halves = [(sel, other) for sel, other in halves if sel.any() and not sel.all()]
    coverage: dict[str, dict[str, float]] = {"raw": {}, "calibrated": {}, "cross_validated": {}}
    for level in levels:
        name = f"{level * 100:g}"
        coverage["raw"][name] = float(np.mean(a <= quantile(level, degrees_of_freedom(n))))
        coverage["calibrated"][name] = float(np.mean(cal.covered(z, h, n, level)))
        if halves:
            inside = np.concatenate([other.covered(z[sel], h[sel], n[sel], level) for sel, other in halves])
            coverage["cross_validated"][name] = float(np.mean(inside))
    n_series = int(ok.groupby(list(SERIES_KEYS)).ngroups)
    return Calibration(
        **{
            **cal.__dict__,
            "coverage": coverage,
            "n_forecasts": int(a.size),
            "n_series": n_series,
            "fitted_at": dt.date.today().isoformat(),
            "fitted_on": f"sandyq backtest of {n_series} series",
        }
    )


def _summary(
    records: pd.DataFrame, cal: Calibration, levels: Sequence[float], events: pd.DataFrame | None = None
) -> pd.DataFrame:
    if records.empty:
        return pd.DataFrame()
    rec = records.copy()
    scale = rec["scale"].where(rec["scale"] > 0)
    for col, src in (("e", "forecast"), ("e_naive", "naive"), ("e_drift", "drift")):
        rec[col] = (rec[src] - rec["actual"]).abs() / scale
    rec["abs_z"] = rec["z"].abs()
    n = rec["n_train"].to_numpy()
    for level in levels:
        name = f"{level * 100:g}"
        rec[f"raw{name}"] = rec["abs_z"] <= quantile(level, degrees_of_freedom(n))
        rec[f"cal{name}"] = cal.covered(rec["z"].to_numpy(dtype=float), rec["h"].to_numpy(), n, level)

    def block(frame: pd.DataFrame, name: str) -> dict[str, Any]:
        valid = frame["abs_z"].notna()
        row: dict[str, Any] = {
            "indicator": name,
            "series": int(frame.groupby(list(SERIES_KEYS)).ngroups),
            "forecasts": len(frame),
            "mase": frame["e"].mean(),
            "mase_naive": frame["e_naive"].mean(),
            "mase_drift": frame["e_drift"].mean(),
        }
        for level in levels:
            name_ = f"{level * 100:g}"
            row[f"coverage{name_}_raw"] = frame.loc[valid, f"raw{name_}"].mean() if valid.any() else np.nan
            row[f"coverage{name_}"] = frame.loc[valid, f"cal{name_}"].mean() if valid.any() else np.nan
        return row

    rows = [block(g, str(ind)) for ind, g in rec.groupby("indicator", sort=True)]
    rows.append(block(rec, "(all)"))
    out = pd.DataFrame(rows)
    if events is not None and not events.empty:
        scores = {str(ind): EventScores.of(g) for ind, g in events.groupby("indicator", sort=True)}
        scores["(all)"] = EventScores.of(events)
        out["brier"] = out["indicator"].map(lambda i: scores[i].brier if i in scores else np.nan)
        out["brier_skill_base"] = out["indicator"].map(lambda i: scores[i].skill_base if i in scores else np.nan)
        out["brier_skill_drift"] = out["indicator"].map(lambda i: scores[i].skill_drift if i in scores else np.nan)
    return out


def calibrate(
    observations: pd.DataFrame, indicators: Mapping[str, Indicator] | None = None, **kwargs: Any
) -> Calibration:
    """Backtest and return only the fitted :class:`Calibration` (for the store to save)."""
    return backtest(observations, indicators, **kwargs).calibration

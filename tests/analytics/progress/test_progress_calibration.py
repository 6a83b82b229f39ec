"""Backtests and calibration: MASE, coverage, and calibrated intervals on processes with known distributions."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sandyq.analytics.progress import (
    DEFAULT_CALIBRATION,
    Calibration,
    ProjectionInput,
    backtest,
    calibrate,
    fit_factor,
    fit_tail,
    forecast_many,
)
from sandyq.analytics.progress._distribution import GRID
from sandyq.errors import LoadError, SandyqError


def _observations(series: list[np.ndarray], unit: str = "INDEX", start: int = 2000, prefix: str = "s") -> pd.DataFrame:
    rows = [
        (f"{prefix}{i}", "KAZ", str(start + j), start + j, "", float(v), unit, "", "synthetic")
        for i, y in enumerate(series)
        for j, v in enumerate(y)
    ]
    return pd.DataFrame(
        rows, columns=["indicator", "geo", "period", "year", "dims", "value", "unit", "status", "source"]
    )


def _random_walks(seed: int, count: int, n: int, noise: str = "normal") -> list[np.ndarray]:
    """Random walks with drift: the drift differs by series; innovations N(0, 1) or t(3)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(count):
        shocks = rng.normal(0, 1, n) if noise == "normal" else rng.standard_t(3, n)
        out.append(50 + np.cumsum(rng.normal(0, 0.5) + shocks))
    return out


def _coverage(series: list[np.ndarray], calibration: Calibration, origin: int) -> dict[str, float]:
    """Share of later values inside the 80 % and 95 % intervals projected from the first ``origin`` years."""
    n = series[0].size
    years = np.arange(2000, 2000 + n)
    inputs = [ProjectionInput(years[:origin], y[:origin], int(years[-1]), unit="INDEX") for y in series]
    inside = {"80": [], "95": []}  # type: dict[str, list[bool]]
    for y, fc in zip(series, forecast_many(inputs, calibration), strict=True):
        for j in range(origin, n):
            p = fc.at(int(years[j]))
            for level, (lo, hi) in p.intervals.items():
                inside[level].append(lo <= y[j] <= hi)
    return {k: float(np.mean(v)) for k, v in inside.items()}


@pytest.mark.parametrize(("noise", "tolerance"), [("normal", 0.015), ("t3", 0.02)])
def test_calibrated_intervals_cover_their_nominal_level_on_new_series(noise: str, tolerance: float) -> None:
    """Fit the calibration on one synthetic sample, check coverage on an independent one.

    Gaussian random walks with drift are the drift model exactly; t(3) innovations
    have heavier tails than any of the models assume.
    """
    fitted = calibrate(_observations(_random_walks(1, 150, 16, noise)))
    assert fitted.fitted and fitted.n_forecasts > 1000
    cov = _coverage(_random_walks(2, 300, 16, noise), fitted, origin=10)
    assert cov["95"] == pytest.approx(0.95, abs=tolerance)
    assert cov["80"] == pytest.approx(0.80, abs=tolerance + 0.01)
    if noise == "t3":
        assert np.isfinite(fitted.tail_df)  # heavy tails are recognised


def test_raw_intervals_undercover_heavy_tailed_outcomes() -> None:
    result = backtest(_observations(_random_walks(3, 80, 16, "t3")))
    cov = result.calibration.coverage
    assert cov["raw"]["95"] < 0.95
    assert abs(cov["cross_validated"]["95"] - 0.95) < abs(cov["raw"]["95"] - 0.95)


def test_mase_against_naive_and_drift_on_a_straight_line() -> None:
    """On y = t: the drift benchmark is exact, naive is off by h, and the scale is 1 a year."""
    line = [np.arange(12, dtype=float) + 10.0]
    result = backtest(_observations(line), min_train=5, max_horizon=3)
    rec = result.records
    assert (rec["scale"] == 1.0).all()
    pooled = result.summary.set_index("indicator").loc["(all)"]
    assert pooled["mase_drift"] == pytest.approx(0.0, abs=1e-12)
    assert pooled["mase_naive"] == pytest.approx(rec["h"].mean())
    assert pooled["forecasts"] == len(rec) == 3 * 5 + 2 + 1  # origins 2004–2010, horizons ≤ 3 within 2011


def test_backtest_summary_has_every_indicator_and_a_pooled_row() -> None:
    obs = pd.concat(
        [_observations(_random_walks(4, 10, 12)), _observations(_random_walks(5, 3, 4), prefix="short")],
        ignore_index=True,
    )
    result = backtest(obs)
    summary = result.summary
    assert summary["indicator"].iloc[-1] == "(all)"
    assert {"mase", "mase_naive", "mase_drift", "coverage80", "coverage95", "coverage80_raw"} <= set(summary)
    assert summary["series"].iloc[-1] == 13  # backtests start from 3 values: the four-year series count too
    assert json.loads(result.format("json"))["calibration"]["n_series"] == 13
    assert result.format("csv").splitlines()[0].startswith("indicator,series,forecasts,mase")
    text = result.format("table")
    assert "(all)" in text and "MASE" in text and "Cross-validated coverage" in text


def test_backtest_with_no_long_series_explains() -> None:
    result = backtest(_observations([np.array([1.0, 2.0, 3.0])]))
    assert result.summary.empty
    assert "No series is long enough" in result.format("table")


def test_backtest_rejects_bad_settings_and_formats() -> None:
    obs = _observations(_random_walks(6, 2, 10))
    with pytest.raises(SandyqError):
        backtest(obs, min_train=1)
    with pytest.raises(SandyqError):
        backtest(obs).format("xml")


def test_fit_factor_and_tail_recover_known_distributions() -> None:
    rng = np.random.default_rng(7)
    assert fit_factor(np.abs(rng.normal(0, 1.5, 40000))) == pytest.approx(1.5, abs=0.03)
    nu, k = fit_tail(rng.standard_t(4, 40000))
    assert nu in (3.0, 4.0, 6.0) and k == pytest.approx(1.0, abs=0.1)
    assert fit_tail(rng.normal(0, 1, 40000))[0] >= 10


def test_calibration_json_round_trip_and_files(tmp_path: Path) -> None:
    path = tmp_path / "calibration.json"
    DEFAULT_CALIBRATION.save(path)
    loaded = Calibration.load(path)
    assert loaded == DEFAULT_CALIBRATION
    assert json.loads(path.read_text())["tail_df"] == DEFAULT_CALIBRATION.tail_df == 1.5
    assert json.loads(Calibration().to_json())["tail_df"] is None  # no cap: JSON null, not Infinity


def test_calibration_load_errors_are_reported() -> None:
    with pytest.raises(LoadError, match="not valid JSON"):
        Calibration.from_json("{factor: 1")
    with pytest.raises(LoadError, match="JSON object"):
        Calibration.from_json("[1, 2]")
    with pytest.raises(LoadError, match="could not be read"):
        Calibration.from_json('{"factor": "wide"}')
    with pytest.raises(LoadError):
        Calibration.load("/nonexistent/calibration.json")


def test_default_calibration_widens_long_horizons_more_than_short_ones() -> None:
    k = DEFAULT_CALIBRATION.k([1, 3, 6, 10])
    assert list(k) == sorted(k)


def test_the_empirical_distribution_learns_skewed_errors_and_keeps_coverage_on_new_series() -> None:
    """Right-skewed shocks (gamma, mean zero): the learnt intervals are asymmetric and cover new series."""

    def skewed(seed: int, count: int) -> list[np.ndarray]:
        rng = np.random.default_rng(seed)
        return [50 + np.cumsum(rng.gamma(1.0, 1.0, 14) - 1.0) for _ in range(count)]

    cal = backtest(_observations(skewed(11, 300)), min_series=200).calibration
    assert {(3, 1), (2, 1), (1, 1), (0, 1)} <= set(cal.distribution.table)
    q = cal.distribution.table[(3, 1)]
    lo, mid, hi = (q[GRID.index(p)] for p in (0.025, 0.5, 0.975))
    assert hi - mid > 1.3 * (mid - lo)  # the upper tail is the long one
    coverage = _coverage(skewed(12, 300), cal, origin=11)
    assert coverage["80"] == pytest.approx(0.80, abs=0.03)
    assert coverage["95"] == pytest.approx(0.95, abs=0.02)


def test_a_calibration_with_broken_quantiles_is_refused() -> None:
    data = DEFAULT_CALIBRATION.to_dict()
    data["distribution"]["quantiles"]["3:1"] = list(reversed(data["distribution"]["quantiles"]["3:1"]))
    with pytest.raises(LoadError, match="could not be read"):
        Calibration.from_dict(data)

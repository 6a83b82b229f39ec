"""Projection: the fast fits against statsmodels, bounds, intervals and the probability of reaching a target."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandyq.analytics.progress import Calibration, ProjectionInput, Transform, choose_transform, forecast_many, project
from sandyq.analytics.progress._fit import fit_regular

# Kazakhstan, proportion of individuals using the Internet, % (SDG 17.8.1, Bureau of National Statistics,
# kazstat/sdg-data-kazstat data/indicator_17-8-1.csv @ 72277878)
KZ_INTERNET = {
    2011: 50.6, 2012: 61.906624019322635, 2013: 63.3, 2014: 63.9, 2015: 72.8660129673921, 2016: 76.8,
    2017: 78.8, 2018: 81.3, 2019: 84.2, 2020: 88.2, 2021: 92.9, 2022: 94.0, 2023: 94.7,
}  # fmt: skip
# Kazakhstan, UN E-Government Development Index rank (UN DESA, E-Government Survey 2010–2022)
KZ_EGDI_RANK = {2010: 46, 2012: 38, 2014: 28, 2016: 33, 2018: 39, 2022: 28}
RAW = Calibration()  # the models' own intervals, for tests that check the models rather than the calibration


def _series(seed: int, count: int) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    out = []
    for i in range(count):
        n = int(rng.integers(8, 26))
        kind = i % 3
        if kind == 0:
            y = np.cumsum(rng.normal(0.3, 1.0, n))
        elif kind == 1:
            y = np.log(np.cumsum(rng.gamma(2.0, 1.0, n)) + 5.0)
        else:
            y = 10 * np.tanh(np.linspace(-2, 1.5, n)) + rng.normal(0, 0.3, n)
        out.append(y)
    return out


@pytest.mark.slow
def test_theta_and_drift_match_statsmodels() -> None:
    from statsmodels.tsa.forecasting.theta import ThetaModel

    for y in _series(0, 12):
        fast = {f.name: f for f in fit_regular(y[None, :], 6)}
        ref = ThetaModel(pd.Series(y), period=1, deseasonalize=False).fit().forecast(6).to_numpy()
        # α is found by golden-section search here and by statsmodels' optimiser there
        np.testing.assert_allclose(fast["theta"].mean[0], ref, rtol=1e-4)
        drift = y[-1] + (y[-1] - y[0]) / (y.size - 1) * np.arange(1, 7)
        np.testing.assert_allclose(fast["drift"].mean[0], drift)


def _damped_sse(y: np.ndarray, params: tuple[float, float, float]) -> float:
    from sandyq.analytics.progress._fit import _damped_sse

    a, b, p = (np.array([v]) for v in params)
    return float(_damped_sse(y[None, :], a, b, p)[0][0])


@pytest.mark.slow
def test_damped_trend_is_at_least_as_good_a_fit_as_statsmodels_and_agrees_at_the_same_optimum() -> None:
    """ETS(A,Ad,N): our grid + search reaches a likelihood no worse than statsmodels' optimiser,
    and where both reach the same optimum the point forecasts agree."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel

    from sandyq.analytics.progress._fit import _damped_params, _standardise

    agree = 0
    same = 0
    for y in _series(1, 20):
        zs, shift, scale = _standardise(y[None, :])
        a, b, p = _damped_params(zs)
        ours = _damped_sse(zs[0], (a[0], b[0], p[0])) * scale[0, 0] ** 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = ETSModel(pd.Series(y), error="add", trend="add", damped_trend=True).fit(disp=False)
        assert ours <= res.sse * 1.005  # never materially worse (statsmodels often stalls at α → 0)
        if abs(ours / res.sse - 1) < 1e-3:
            same += 1
            fast = fit_regular(y[None, :], 6, ("damped",))[0].mean[0]
            tol = 0.05 * np.std(np.diff(y))
            agree += bool(np.all(np.abs(fast - res.forecast(6).to_numpy()) <= tol))
    assert same >= 10  # in the others statsmodels stalls at a worse optimum (α → 0)
    assert agree == same


def test_combination_is_the_equal_weight_mean_of_the_models() -> None:
    years = list(KZ_INTERNET)
    p = project(years, list(KZ_INTERNET.values()), 2025, unit="PT", calibration=RAW)
    t = Transform("logit", 0.0, 100.0)
    mean_logit = np.mean([t.forward(v) for v in p.model_values.values()])
    assert p.models == ("drift", "theta", "damped")
    assert p.value == pytest.approx(float(t.inverse(mean_logit)), rel=1e-9)


def test_statsmodels_engine_gives_a_close_projection() -> None:
    years, values = list(KZ_INTERNET), list(KZ_INTERNET.values())
    fast = project(years, values, 2026, unit="PT", calibration=RAW)
    ref = project(years, values, 2026, unit="PT", calibration=RAW, engine="statsmodels")
    assert fast.value is not None and ref.value is not None
    assert abs(fast.value - ref.value) < 1.0  # percentage points


def test_digital_skills_projection_is_near_the_commissions_business_as_usual() -> None:
    """Methods note §7: basic digital skills 54 % (2021), 55.6 % (2023); Commission BAU 59 %: expect ≈ 59–62 %."""
    p = project([2021, 2023], [54.0, 55.6], 2030, target=80.0, unit="PT")
    assert p.value is not None and 59.0 <= p.value <= 62.0
    assert p.probability is not None and p.probability < 0.5  # off track
    assert p.models == ("drift",)


@pytest.mark.parametrize("target", [96.0, 98.0, 99.5])
def test_share_projection_and_intervals_stay_within_0_100(target: float) -> None:
    p = project(list(KZ_INTERNET), list(KZ_INTERNET.values()), 2035, target=target, unit="PT")
    assert p.value is not None and 94.7 < p.value < 100.0
    for lo, hi in p.intervals.values():
        assert 0.0 <= lo < hi <= 100.0
    assert p.probability is not None and 0.0 < p.probability < 1.0


def test_probability_falls_as_the_target_rises_and_mirrors_for_lower_is_better() -> None:
    years, values = list(KZ_INTERNET), list(KZ_INTERNET.values())
    fc = forecast_many([ProjectionInput(years, values, 2026, unit="PT")])[0]
    probs = [fc.probability(2026, t) for t in (90.0, 95.0, 97.0, 99.0)]
    assert all(a is not None for a in probs)
    assert probs == sorted(probs, reverse=True)  # type: ignore[type-var]
    median = fc.at(2026).value
    assert median is not None
    assert fc.probability(2026, median) == pytest.approx(0.5, abs=1e-6)
    up, down = fc.probability(2026, 97.0, "higher"), fc.probability(2026, 97.0, "lower")
    assert up is not None and down is not None and up + down == pytest.approx(1.0)


def test_wider_calibration_pulls_probabilities_towards_one_half() -> None:
    years, values = list(KZ_INTERNET), list(KZ_INTERNET.values())
    narrow = project(years, values, 2026, target=97.0, unit="PT", calibration=RAW)
    wide = project(years, values, 2026, target=97.0, unit="PT", calibration=Calibration(factor=3.0))
    assert narrow.probability is not None and wide.probability is not None
    assert abs(wide.probability - 0.5) < abs(narrow.probability - 0.5)
    assert wide.intervals["95"][1] - wide.intervals["95"][0] > narrow.intervals["95"][1] - narrow.intervals["95"][0]


def test_rank_with_gaps_uses_drift_for_unequal_spacing_and_stays_at_least_one() -> None:
    years, ranks = list(KZ_EGDI_RANK), list(KZ_EGDI_RANK.values())
    p = project(years, ranks, 2030, target=15, polarity="lower", unit="RANK", kind="rank")
    assert p.models == ("drift",)
    assert p.model_values["drift"] == pytest.approx(28 + (28 - 46) / 12 * 8)  # linear, never a growth rate
    assert p.transform == "identity"
    for lo, _ in p.intervals.values():
        assert lo >= 1.0
    assert any("not consecutive" in n for n in p.notes)


def test_counts_are_projected_linearly_and_clipped_at_zero() -> None:
    p = project(range(2010, 2020), [100, 90, 80, 70, 60, 50, 40, 30, 20, 10], 2030, unit="PERSONS")
    assert p.transform == "identity"
    assert p.value is not None and p.value >= 0.0
    assert all(lo >= 0.0 for lo, _ in p.intervals.values())


def test_no_projection_without_two_values_and_for_a_past_year() -> None:
    one = project([2020], [5.0], 2025)
    assert one.value is None and "one data point" in one.explanation
    past = project([2018, 2019, 2020], [1.0, 2.0, 3.0], 2019)
    assert past.value is None and "not after the latest value" in past.explanation


def test_two_values_without_typical_spread_give_no_interval() -> None:
    p = project([2021, 2023], [54.0, 55.6], 2030, target=80.0, unit="PT", calibration=RAW)
    assert p.value is not None and p.intervals == {} and p.probability is None


def test_batch_equals_one_by_one() -> None:
    rng = np.random.default_rng(3)
    inputs = [
        ProjectionInput(np.arange(2000, 2000 + n), 50 + np.cumsum(rng.normal(1, 1, n)), 2000 + n + 3, unit="INDEX")
        for n in (8, 8, 12, 20)
    ]
    batch = forecast_many(inputs)
    for item, fc in zip(inputs, batch, strict=True):
        single = forecast_many([item])[0]
        np.testing.assert_allclose(fc.loc, single.loc)
        np.testing.assert_allclose(fc.scale, single.scale)


def test_projection_to_dict_is_json_safe() -> None:
    import json

    p = project(list(KZ_INTERNET), list(KZ_INTERNET.values()), 2025, target=96.0, unit="PT")
    d = json.loads(json.dumps(p.to_dict()))
    assert set(d["intervals"]) == {"80", "95"}
    assert d["intervals"]["95"]["lower"] < d["value"] < d["intervals"]["95"]["upper"]
    assert d["method"] and d["explanation"]


@given(st.floats(min_value=0.5, max_value=99.5), st.sampled_from(["PT", "INDEX_0_100"]))
def test_logit_transform_round_trips_inside_the_bounds(x: float, unit: str) -> None:
    t = choose_transform(unit)
    assert float(t.inverse(t.forward(x))) == pytest.approx(x, rel=1e-9, abs=1e-9)

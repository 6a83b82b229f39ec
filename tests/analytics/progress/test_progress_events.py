"""How sure sandyq is, checked on outcomes it could not see: a reduced backtest of the default store.

Every 6th series of the default store (published statistics only, as
``sandyq backtest`` uses) is replayed from every origin; the calibration is
cross-validated by series.  The test fails if the 80 % and 95 % intervals
leave ±5 points of their nominal coverage, if the probabilities of reaching a
target are no better than always saying the base rate (Brier skill ≤ 0) or
than the naive drift model, or if a reliability bin is off by more than 0.05.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sandyq
from sandyq.analytics.progress import BacktestResult, backtest
from sandyq.analytics.progress._events import EventScores, brier, reliability, score_events
from sandyq.analytics.progress._series import SERIES_KEYS


@pytest.fixture(scope="module")
def reduced(default_db: Path) -> BacktestResult:
    with sandyq.connect(default_db, read_only=True) as m:
        obs = m.store.observations(None, dims="")
        indicators = m.framework.indicators
    obs = obs[obs["source"] != "sandyq"]
    every_sixth = obs.groupby(list(SERIES_KEYS), sort=True).ngroup() % 6 == 0
    return backtest(obs[every_sixth], indicators)


@pytest.mark.slow
def test_reduced_backtest_keeps_coverage_within_five_points_of_nominal(reduced: BacktestResult) -> None:
    cv = reduced.calibration.coverage["cross_validated"]
    assert cv["80"] == pytest.approx(0.80, abs=0.05)
    assert cv["95"] == pytest.approx(0.95, abs=0.05)
    assert reduced.calibration.n_series > 500
    # the models' own intervals were too narrow: the calibration is doing work
    assert reduced.calibration.coverage["raw"]["95"] < 0.90


@pytest.mark.slow
def test_reduced_backtest_probabilities_beat_the_base_rate_and_drift_and_are_reliable(reduced: BacktestResult) -> None:
    events = reduced.events
    assert events is not None and events.events > 100_000
    assert events.skill_base > 0.2
    assert events.skill_drift > 0.0
    assert events.max_gap <= 0.05
    assert len(events.reliability) == 10
    text = reduced.format("table")
    assert "Brier score" in text and "Skill vs base rate" in text and "0.9–1.0" in text
    row = reduced.summary.iloc[-1]
    assert row["indicator"] == "(all)" and row["brier_skill_base"] == pytest.approx(events.skill_base)


def test_brier_and_reliability_of_a_perfectly_calibrated_forecaster() -> None:
    rng = np.random.default_rng(3)
    p = rng.uniform(size=50_000)
    met = (rng.uniform(size=p.size) < p).astype(float)
    table = reliability(p, met)
    assert table["gap"].abs().max() < 0.02
    # Brier of a calibrated uniform forecaster is E[p(1 − p)] = 1/6; the base rate's is 1/4
    assert brier(p, met) == pytest.approx(1 / 6, abs=0.005)
    scores = EventScores.of(pd.DataFrame({"p": p, "p_drift": np.full(p.size, 0.5), "met": met}))
    assert scores.skill_base == pytest.approx(1 / 3, abs=0.03)


def test_events_are_set_from_the_origin_and_judged_on_the_level_reached() -> None:
    # one forecast: origin value 10 (model scale), typical change 1 a year, h = 2, reached 13
    rec = pd.DataFrame(
        {
            "indicator": ["x"], "geo": ["KAZ"], "dims": [""], "source": ["s"], "origin": [2020], "h": [2],
            "n_train": [8], "loc": [12.0], "sd": [1.0], "z": [1.0], "drift_loc": [12.0], "drift_sd": [1.0],
            "dz": [1.0], "last": [10.0],
        }
    )  # fmt: skip
    ev = score_events(rec, sandyq.analytics.progress.Calibration(), offsets=(0.0, 1.0, 2.0))
    # targets 10, 12 and 14: the first two were met (13 reached), the third not
    assert ev["met"].tolist() == [1.0, 1.0, 0.0]
    assert ev["p"].is_monotonic_decreasing and ev.loc[1, "p"] == pytest.approx(0.5, abs=1e-9)

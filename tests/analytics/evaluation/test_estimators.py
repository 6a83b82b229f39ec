"""The estimators and their inference on small panels whose answers are known by construction."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sandyq.analytics.evaluation import (
    Panel,
    bootstrap_se,
    estimate,
    frank_wolfe,
    in_time_placebo,
    jackknife_se,
    leave_one_out,
    panel_from_frame,
    placebos,
    simplex_least_squares,
)
from sandyq.analytics.evaluation._weights import frank_wolfe_many
from sandyq.errors import ComputationError, DataError


def _factor_panel(effect: float, n0: int = 12, n1: int = 1, seed: int = 1) -> Panel:
    """Units = unit effect + loading × common trend + noise; the treated block gets ``effect`` from period 8."""
    rng = np.random.default_rng(seed)
    t = np.arange(12.0)
    trend = np.sin(t / 2) * 3 + t
    n = n0 + n1
    y = rng.normal(0, 5, n)[:, None] + rng.uniform(0.5, 1.5, n)[:, None] * trend + rng.normal(0, 0.3, (n, 12))
    y[n0:, 8:] += effect
    return Panel(y, [f"u{i}" for i in range(n)], list(range(2000, 2012)), n0=n0, t0=8)


def test_did_is_the_two_way_fixed_effects_coefficient() -> None:
    p = _factor_panel(5.0)
    rows = [
        (u, t, p.y[i, j], int(i >= p.n0 and j >= p.t0)) for i, u in enumerate(p.units) for j, t in enumerate(p.periods)
    ]
    f = pd.DataFrame(rows, columns=["u", "t", "y", "d"])
    x = pd.get_dummies(f[["u", "t"]].astype(str), drop_first=True).astype(float)
    x.insert(0, "const", 1.0)
    x["d"] = f["d"]
    beta = np.linalg.lstsq(x.to_numpy(), f["y"].to_numpy(), rcond=None)[0]
    assert estimate(p, "did").tau == pytest.approx(beta[-1], abs=1e-9)


@pytest.mark.parametrize("method", ["sdid", "sc", "adh"])
def test_synthetic_methods_recover_a_known_effect(method: str) -> None:
    assert estimate(_factor_panel(5.0), method).tau == pytest.approx(5.0, abs=1.0)
    assert estimate(_factor_panel(0.0), method).tau == pytest.approx(0.0, abs=1.0)


def test_a_real_effect_ranks_first_and_none_does_not() -> None:
    assert placebos(estimate(_factor_panel(8.0), "sdid")).rank == 1
    assert placebos(estimate(_factor_panel(0.0), "sdid")).p_value > 0.2


def test_batched_frank_wolfe_takes_the_same_steps_as_one_problem() -> None:
    rng = np.random.default_rng(3)
    mats = [rng.normal(size=(9, 7)) for _ in range(3)] + [rng.normal(size=(6, 5))]
    one = [frank_wolfe(m, 0.3, min_decrease=1e-8, max_iter=500) for m in mats]
    many = frank_wolfe_many(mats, [0.3] * 4, min_decrease=[1e-8] * 4, max_iter=500)
    for a, b in zip(one, many, strict=True):
        assert len(a.values) == len(b.values)
        np.testing.assert_allclose(a.weights, b.weights, atol=1e-10)


def test_simplex_least_squares_is_exact() -> None:
    from scipy.optimize import minimize

    rng = np.random.default_rng(4)
    a, b = rng.normal(size=(15, 6)), rng.normal(size=15)
    w = simplex_least_squares(a, b)
    ref = minimize(
        lambda x: np.sum((a @ x - b) ** 2),
        np.full(6, 1 / 6),
        method="SLSQP",
        bounds=[(0, 1)] * 6,
        constraints=[{"type": "eq", "fun": lambda x: x.sum() - 1}],
        options={"ftol": 1e-14},
    )
    assert np.sum((a @ w - b) ** 2) <= np.sum((a @ ref.x - b) ** 2) + 1e-9
    assert w.sum() == pytest.approx(1.0) and (w >= 0).all()


def test_adh_predictors_and_optimised_v() -> None:
    p = _factor_panel(5.0)
    spans = [(2000, 2003), (2004, 2007), (2007, 2007)]
    equal = estimate(p, "adh", predictors=spans)
    tuned = estimate(p, "adh", predictors=spans, v="optimise")
    assert tuned.pre_rmspe <= equal.pre_rmspe + 1e-9
    assert tuned.tau == pytest.approx(5.0, abs=1.5)


def test_jackknife_and_bootstrap_need_a_treated_block() -> None:
    single = estimate(_factor_panel(5.0), "sdid")
    assert jackknife_se(single) is None and bootstrap_se(single) is None
    block = estimate(_factor_panel(5.0, n0=14, n1=4), "sdid")
    jk, bs = jackknife_se(block), bootstrap_se(block, replications=30, seed=1)
    assert jk is not None and bs is not None and 0 < jk < 5 and 0 < bs < 5
    assert bootstrap_se(block, replications=30, seed=1) == bs  # seeded
    with pytest.raises(ComputationError):
        placebos(block)


def test_leave_one_out_and_in_time_placebo() -> None:
    est = estimate(_factor_panel(5.0), "sc")
    loo = leave_one_out(est)
    assert set(loo) == set(est.weights()) and all(abs(v - 5.0) < 2.5 for v in loo.values())
    fake = in_time_placebo(est)
    assert fake is not None and fake[0] == 2006 and abs(fake[1]) < 1.5


def test_panel_balancing_names_the_dropped_donors() -> None:
    rows = [(u, t, float(t - 2000 + i)) for i, u in enumerate("ABCT") for t in range(2000, 2005)]
    f = pd.DataFrame(rows, columns=["unit", "period", "value"]).drop(index=[0, 1])  # A lacks 2000 and 2001
    p = panel_from_frame(f, "T", 2003)
    assert p.units == ["B", "C", "T"] and p.dropped == {"A": "no value for 2000, 2001"}
    with pytest.raises(DataError, match="treated"):
        panel_from_frame(f[~((f.unit == "T") & (f.period == 2002))], "T", 2003)

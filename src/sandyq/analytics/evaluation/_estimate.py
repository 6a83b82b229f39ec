"""The estimators: difference-in-differences, synthetic control (two variants) and synthetic DiD.

All four are weighted double differences of one panel (Arkhangelsky et al. 2021, eq. 1–4):

``tau = [mean of treated − Σ ω_i · donor_i] over the post-periods − Σ λ_t · [the same] in pre-period t``

* ``did``: uniform donor weights ω and uniform time weights λ — two-way fixed effects with one treated block
  (the coefficient of the treatment dummy in ``y ~ unit + period + D``, which the doctest checks);
* ``sc``: ω on the simplex fitted to the pre-period path without intercept, λ = 0 (the synthdid paper's SC,
  a ridge of 1e-6 · noise);
* ``adh``: Abadie, Diamond & Hainmueller (2010): ω minimise ``(X₁ − X₀ω)' V (X₁ − X₀ω)`` for predictors ``X``
  (pre-period outcome means over chosen spans, plus covariates), with V equal (predictors scaled by their sd) or
  optimised so the synthetic unit tracks the outcome over the pre-period;
* ``sdid``: ω regularised with ζ = (N₁T₁)^¼ · σ(first differences of donors' pre-period outcomes) and an
  intercept, λ fitted to predict the post-period mean from the pre-periods, both by synthdid's Frank-Wolfe
  with its two-step sparsification.

The gap per period (the event study) is ``treated − Σω·donors`` less its λ-weighted pre-period level; its mean
over the post-periods is ``tau``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from ...errors import InvalidValueError
from ._panel import Panel
from ._weights import frank_wolfe_many, simplex_least_squares, sparsify, sum_normalize

__all__ = ["METHODS", "Estimate", "Settings", "estimate", "gap_of", "refit", "refit_many", "settings_for"]

METHODS = ("sdid", "sc", "did", "adh")


@dataclass(frozen=True)
class Settings:
    """How the weights are fitted (synthdid's ``opts``); kept so that placebos refit the same way."""

    method: str
    zeta_omega: float = 0.0
    zeta_lambda: float = 0.0
    omega_intercept: bool = True
    lambda_intercept: bool = True
    update_omega: bool = True
    update_lambda: bool = True
    min_decrease: float = 1e-5
    max_iter: int = 10000
    max_iter_pre_sparsify: int = 100
    sparsify: bool = True
    predictors: tuple[tuple[Any, Any], ...] | None = None
    v: str = "equal"


@dataclass
class Estimate:
    """An estimate with its weights, its gap per period and how it was fitted."""

    method: str
    tau: float
    omega: Any
    lam: Any
    gap: Any
    panel: Panel
    settings: Settings
    noise_level: float
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def pre_rmspe(self) -> float:
        """Root mean squared gap before treatment (the fit of the synthetic unit)."""
        return float(np.sqrt(np.mean(self.gap[: self.panel.t0] ** 2)))

    @property
    def post_rmspe(self) -> float:
        """Root mean squared gap after treatment."""
        return float(np.sqrt(np.mean(self.gap[self.panel.t0 :] ** 2)))

    def weights(self) -> dict[str, float]:
        """Donor weights by unit, largest first, zeros left out."""
        pairs = sorted(zip(self.panel.donors, self.omega.tolist(), strict=True), key=lambda p: -p[1])
        return {u: w for u, w in pairs if w > 0}


def noise_level(y: Any, n0: int, t0: int) -> float:
    """Standard deviation of the donors' first differences over the pre-period (synthdid's ``noise.level``).

    >>> noise_level(np.array([[1.0, 2.0, 4.0], [0.0, 0.0, 3.0], [9.0, 9.0, 9.0]]), 2, 3)
    1.2909944487358056
    """
    return float(np.std(np.diff(y[:n0, :t0], axis=1), ddof=1))


def settings_for(
    method: str, panel: Panel, *, predictors: Sequence[tuple[Any, Any]] | None = None, v: str = "equal"
) -> tuple[Settings, float]:
    """The synthdid defaults of ``method`` on ``panel`` and the noise level they scale with."""
    if method not in METHODS:
        raise InvalidValueError(f"method {method!r}: choose one of {', '.join(METHODS)}")
    if v not in ("equal", "optimise"):
        raise InvalidValueError(f"v {v!r}: choose 'equal' or 'optimise'")
    y, n0, t0 = panel.y, panel.n0, panel.t0
    sigma = noise_level(y, n0, t0)
    n1, t1 = y.shape[0] - n0, y.shape[1] - t0
    eta_omega = (n1 * t1) ** 0.25 if method == "sdid" else 1e-6
    base = Settings(method, zeta_omega=eta_omega * sigma, zeta_lambda=1e-6 * sigma, min_decrease=1e-5 * sigma)
    if method == "sc":
        return replace(base, omega_intercept=False, update_lambda=False), sigma
    if method == "did":
        return replace(base, update_omega=False, update_lambda=False), sigma
    if method == "adh":
        spans = tuple((a, b) for a, b in predictors) if predictors else None
        return replace(base, omega_intercept=False, update_lambda=False, predictors=spans, v=v), sigma
    return base, sigma


def _collapsed(y: Any, n0: int, t0: int) -> Any:
    """synthdid's ``collapsed.form``: donors and the treated mean × pre-periods and the post-period mean."""
    top = np.column_stack([y[:n0, :t0], y[:n0, t0:].mean(axis=1)])
    bottom = np.append(y[n0:, :t0].mean(axis=0), y[n0:, t0:].mean())
    return np.vstack([top, bottom])


def _fw_weights(mats: list[Any], zeta: float, intercept: bool, starts: list[Any], s: Settings) -> list[Any]:
    """synthdid's two-step fit of many problems: ``max_iter_pre_sparsify`` steps, sparsify, then to convergence."""
    many = len(mats)
    fits = frank_wolfe_many(
        mats,
        [zeta] * many,
        intercept=intercept,
        starts=starts,
        min_decrease=[s.min_decrease] * many,
        max_iter=s.max_iter_pre_sparsify,
    )
    if s.sparsify:
        fits = frank_wolfe_many(
            mats,
            [zeta] * many,
            intercept=intercept,
            starts=[sparsify(f.weights) for f in fits],
            min_decrease=[s.min_decrease] * many,
            max_iter=s.max_iter,
        )
    return [f.weights for f in fits]


def _predictor_matrix(panel_y: Any, periods: list[Any], t0: int, spans: tuple[tuple[Any, Any], ...] | None) -> Any:
    """Predictors × units: each pre-period outcome, or its mean over each span ``(first, last)``."""
    pre = panel_y[:, :t0]
    if not spans:
        return pre.T
    rows = []
    for first, last in spans:
        cols = [j for j, p in enumerate(periods[:t0]) if first <= p <= last]
        if not cols:
            raise InvalidValueError(f"predictor span {first}–{last} has no pre-period")
        rows.append(pre[:, cols].mean(axis=1))
    return np.array(rows)


def _adh_weights(y: Any, n0: int, t0: int, periods: list[Any], s: Settings) -> tuple[Any, Any]:
    """ADH (2010) donor weights and the predictor weights V (nested: V chosen to fit the pre-period outcome)."""
    x = _predictor_matrix(y, periods, t0, s.predictors)
    x0, x1 = x[:, :n0], x[:, n0:].mean(axis=1)
    scale = x.std(axis=1, ddof=1)
    scale[scale == 0] = 1.0
    x0s, x1s = x0 / scale[:, None], x1 / scale
    k = x.shape[0]
    if s.v == "equal" or k == 1:
        v = np.full(k, 1.0 / k)
        return simplex_least_squares(x0s, x1s, v), v
    from scipy.optimize import minimize

    target, donors = y[n0:, :t0].mean(axis=0), y[:n0, :t0]

    def loss(z: Any) -> float:
        w = simplex_least_squares(x0s, x1s, np.exp(z) / np.exp(z).sum())
        return float(np.mean((target - w @ donors) ** 2))

    best = minimize(loss, np.zeros(k), method="Nelder-Mead", options={"maxiter": 200 * k, "xatol": 1e-4})
    v = np.exp(best.x) / np.exp(best.x).sum()
    return simplex_least_squares(x0s, x1s, v), v


def refit(
    y: Any,
    n0: int,
    t0: int,
    s: Settings,
    omega: Any | None = None,
    lam: Any | None = None,
    periods: list[Any] | None = None,
) -> tuple[float, Any, Any]:
    """``(tau, omega, lambda)`` on ``y`` fitted per ``s`` (synthdid's ``synthdid_estimate`` with ``opts``).

    ``omega`` and ``lam`` are the starting weights when they are updated, the weights themselves otherwise.
    """
    return refit_many([(y, n0)], t0, s, [omega], [lam], periods)[0]


def refit_many(
    problems: Sequence[tuple[Any, int]],
    t0: int,
    s: Settings,
    omegas: Sequence[Any | None],
    lams: Sequence[Any | None],
    periods: list[Any] | None = None,
) -> list[tuple[float, Any, Any]]:
    """:func:`refit` of many panels ``(y, n0)`` at once, their Frank-Wolfe problems solved in lockstep."""
    count = len(problems)
    lam_out: list[Any] = []
    for lam in lams:
        if s.method in ("sc", "adh"):
            lam_out.append(np.zeros(t0))
        elif lam is None or s.method == "did":
            lam_out.append(np.full(t0, 1.0 / t0))
        else:
            lam_out.append(np.asarray(lam, dtype=float))
    omega_out: list[Any] = [None if o is None else sum_normalize(o) for o in omegas]
    collapsed = [_collapsed(y, n0, t0) for y, n0 in problems]
    if s.method == "adh":
        omega_out = [_adh_weights(y, n0, t0, periods or list(range(y.shape[1])), s)[0] for y, n0 in problems]
    else:
        if s.update_lambda:
            mats = [yc[:n0, :] for yc, (_, n0) in zip(collapsed, problems, strict=True)]
            lam_out = _fw_weights(mats, s.zeta_lambda, s.lambda_intercept, lam_out, s)
        if s.update_omega:
            omega_out = _fw_weights([yc[:, :t0].T for yc in collapsed], s.zeta_omega, s.omega_intercept, omega_out, s)
        else:
            omega_out = [
                np.full(n0, 1.0 / n0) if o is None else o for o, (_, n0) in zip(omega_out, problems, strict=True)
            ]
    out = []
    for j in range(count):
        y, n0 = problems[j]
        n1, t1 = y.shape[0] - n0, y.shape[1] - t0
        omega, lam = np.asarray(omega_out[j], dtype=float), np.asarray(lam_out[j], dtype=float)
        tau = float(np.concatenate([-omega, np.full(n1, 1.0 / n1)]) @ y @ np.concatenate([-lam, np.full(t1, 1.0 / t1)]))
        out.append((tau, omega, lam))
    return out


def gap_of(y: Any, n0: int, t0: int, omega: Any, lam: Any) -> Any:
    """The gap per period: treated mean − Σω·donors, less its λ-weighted pre-period level."""
    d = y[n0:].mean(axis=0) - omega @ y[:n0]
    return d - float(lam @ d[:t0])


def estimate(
    panel: Panel, method: str = "sdid", *, predictors: Sequence[tuple[Any, Any]] | None = None, v: str = "equal"
) -> Estimate:
    """The ``method`` estimate of the treatment effect on ``panel`` (average over the post-periods).

    With uniform weights, ``did`` is the two-way fixed-effects coefficient; where the treated unit's pre-period
    path is one donor's, ``sc`` puts the weight on that donor:

    >>> y = np.array([[1.0, 2.0, 3.0, 4.0], [2.0, 2.0, 2.0, 2.0], [5.0, 6.0, 7.0, 4.0], [2.0, 2.0, 2.0, 1.0]])
    >>> p = Panel(y, ["a", "b", "c", "T"], [1, 2, 3, 4], n0=3, t0=3)
    >>> round(estimate(p, "did").tau, 6)
    -1.0
    >>> e = estimate(p, "sc")
    >>> {k: round(v, 3) for k, v in e.weights().items() if v > 1e-3}
    {'b': 1.0}
    >>> round(e.tau, 3), (np.round(e.gap, 3) + 0.0).tolist()
    (-1.0, [0.0, 0.0, 0.0, -1.0])
    """
    s, sigma = settings_for(method, panel, predictors=predictors, v=v)
    tau, omega, lam = refit(panel.y, panel.n0, panel.t0, s, periods=panel.periods)
    gap = gap_of(panel.y, panel.n0, panel.t0, omega, lam)
    return Estimate(method, tau, omega, lam, gap, panel, s, sigma)

"""How sure an estimate is: in-space and in-time placebos, leave-one-out donors, and standard errors.

* :func:`placebos` — each donor in turn as if it were treated (the real treated unit left out), refitted with the
  estimate's own settings (synthdid's ``opts``: the regularisation found on the real panel); the permutation
  p-value ranks the treated unit's post/pre RMSPE ratio (Abadie, Diamond & Hainmueller 2010) and its |effect|
  among the placebos';
* :func:`placebo_se`, :func:`jackknife_se`, :func:`bootstrap_se` — Arkhangelsky et al. (2021), Algorithms 2–4, as
  ``synthdid``'s ``vcov`` computes them. With one treated unit the placebo draw is a donor picked at random, so a
  replication is a draw from the in-space placebo estimates: the seeded estimate uses the same placebos, and the
  exact limit (infinitely many replications) is their population standard deviation. Jackknife and bootstrap are
  undefined with one treated unit (synthdid returns NA), and so is the jackknife when one donor has all the weight;
* :func:`leave_one_out` — the estimate without each donor that has weight;
* :func:`in_time_placebo` — the same method on the pre-period only, treatment moved earlier: an effect found
  there is a warning that the method finds effects where there are none.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from ...errors import ComputationError
from ._estimate import Estimate, estimate, gap_of, refit_many
from ._weights import sum_normalize

__all__ = [
    "Placebos",
    "bootstrap_se",
    "in_time_placebo",
    "jackknife_se",
    "leave_one_out",
    "placebo_se",
    "placebos",
]


@dataclass
class Placebos:
    """The in-space placebo estimates (one per donor) and the permutation tests they give."""

    units: list[str]
    taus: Any
    gaps: Any  # donors × periods
    pre_rmspe: Any
    post_rmspe: Any
    treated_tau: float
    treated_ratio: float

    @property
    def ratios(self) -> Any:
        """Post/pre RMSPE ratio of each placebo (infinite when its pre-period fit is perfect)."""
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.pre_rmspe > 0, self.post_rmspe / self.pre_rmspe, np.inf)

    @property
    def p_value(self) -> float:
        """Share of all units (treated included) whose post/pre RMSPE ratio is at least the treated unit's.

        With N donors the smallest p-value possible is 1/(N + 1).
        """
        return float((1 + np.sum(self.ratios >= self.treated_ratio)) / (len(self.taus) + 1))

    @property
    def p_value_effect(self) -> float:
        """Share of all units whose |effect| is at least the treated unit's (a two-sided permutation test)."""
        return float((1 + np.sum(np.abs(self.taus) >= abs(self.treated_tau))) / (len(self.taus) + 1))

    @property
    def rank(self) -> int:
        """The treated unit's rank by post/pre RMSPE ratio among all units (1 = largest)."""
        return int(1 + np.sum(self.ratios > self.treated_ratio))


def _ratio(post: float, pre: float) -> float:
    return post / pre if pre > 0 else float("inf")


def placebos(est: Estimate) -> Placebos:
    """Each donor as if treated, the treated unit left out; refitted with ``est``'s settings, in one batch.

    >>> from sandyq.analytics.evaluation import Panel, estimate
    >>> y = np.array([[1.0, 2, 3, 4], [2, 2, 2, 2], [5, 6, 7, 9], [1, 3, 2, 1]])
    >>> pl = placebos(estimate(Panel(y, ["a", "b", "c", "T"], [1, 2, 3, 4], n0=3, t0=3), "did"))
    >>> np.round(pl.taus, 4).tolist(), round(pl.p_value_effect, 2)
    ([0.5, -2.5, 2.0], 0.25)
    """
    p, s = est.panel, est.settings
    n0, t0 = p.n0, p.t0
    if p.y.shape[0] - n0 != 1:
        raise ComputationError("in-space placebos need one treated unit; this panel has a block")
    problems, omegas = [], []
    for j in range(n0):
        rows = [i for i in range(n0) if i != j] + [j]
        problems.append((p.y[rows], n0 - 1))
        omegas.append(sum_normalize(est.omega[rows[:-1]]))
    fits = refit_many(problems, t0, s, omegas, [est.lam] * n0, p.periods)
    gaps = np.array([gap_of(y, m, t0, o, lam) for (y, m), (_, o, lam) in zip(problems, fits, strict=True)])
    pre = np.sqrt(np.mean(gaps[:, :t0] ** 2, axis=1))
    post = np.sqrt(np.mean(gaps[:, t0:] ** 2, axis=1))
    return Placebos(
        list(p.donors), np.array([f[0] for f in fits]), gaps, pre, post, est.tau, _ratio(est.post_rmspe, est.pre_rmspe)
    )


def placebo_se(
    est: Estimate,
    replications: int = 200,
    seed: int = 0,
    placebo: Placebos | None = None,
) -> tuple[float, float]:
    """synthdid's placebo standard error (Algorithm 4): seeded with ``replications`` draws, and its exact limit.

    Returns ``(seeded, exact)``; ``exact`` is the population sd of the in-space placebo estimates (one treated
    unit), the value the seeded one estimates.
    """
    pl = placebo if placebo is not None else placebos(est)
    rng = np.random.default_rng(seed)
    draws = pl.taus[rng.integers(0, len(pl.taus), size=replications)]
    return float(np.sqrt((replications - 1) / replications) * np.std(draws, ddof=1)), float(np.std(pl.taus))


def _refit_rows(est: Estimate, samples: list[list[int]], update: bool) -> Any:
    p, s = est.panel, est.settings
    if not update:
        from dataclasses import replace

        s = replace(s, update_omega=False, update_lambda=False)
    problems, omegas = [], []
    for rows in samples:
        ctrl = sorted(i for i in rows if i < p.n0)
        tr = sorted(i for i in rows if i >= p.n0)
        problems.append((p.y[ctrl + tr], len(ctrl)))
        omegas.append(sum_normalize(est.omega[ctrl]))
    return np.array([f[0] for f in refit_many(problems, p.t0, s, omegas, [est.lam] * len(samples), p.periods)])


def jackknife_se(est: Estimate) -> float | None:
    """synthdid's jackknife standard error (Algorithm 3, weights held fixed); None where it is undefined."""
    p = est.panel
    n = p.y.shape[0]
    if n - p.n0 == 1 or np.count_nonzero(est.omega) == 1:
        return None
    u = _refit_rows(est, [[i for i in range(n) if i != k] for k in range(n)], update=False)
    return float(np.sqrt(((n - 1) / n) * (n - 1) * np.var(u, ddof=1)))


def bootstrap_se(est: Estimate, replications: int = 200, seed: int = 0) -> float | None:
    """synthdid's bootstrap standard error (Algorithm 2: units resampled, weights refitted); None with one treated."""
    p = est.panel
    n = p.y.shape[0]
    if n - p.n0 == 1:
        return None
    rng = np.random.default_rng(seed)
    samples: list[list[int]] = []
    while len(samples) < replications:
        draw = rng.integers(0, n, size=n).tolist()
        if any(i < p.n0 for i in draw) and any(i >= p.n0 for i in draw):
            samples.append(draw)
    u = _refit_rows(est, samples, update=True)
    return float(np.sqrt((replications - 1) / replications) * np.std(u, ddof=1))


def leave_one_out(est: Estimate) -> dict[str, float]:
    """The estimate without each donor that has weight (refitted from the start), by donor left out."""
    p = est.panel
    dropped = [j for j in range(p.n0) if est.omega[j] > 0] if est.method != "did" else list(range(p.n0))
    if p.n0 < 3 or not dropped:
        return {}
    out = {}
    for j in dropped:
        rows = [i for i in range(p.y.shape[0]) if i != j]
        out[p.units[j]] = estimate(
            p.subset(rows, p.n0 - 1), est.method, predictors=est.settings.predictors, v=est.settings.v
        ).tau
    return out


def in_time_placebo(est: Estimate, periods_back: int | None = None) -> tuple[Any, float] | None:
    """The method on the pre-period alone, treated from ``periods_back`` periods before the real start.

    Returns ``(fake start period, effect)``, or None when the pre-period is too short (fewer than 4 periods).
    By default the fake start leaves two thirds of the pre-period before it.
    """
    p = est.panel
    if p.t0 < 4:
        return None
    back = periods_back if periods_back is not None else max(1, p.t0 // 3)
    fake_t0 = min(max(2, p.t0 - back), p.t0 - 1)
    return p.periods[fake_t0], estimate(p.before(fake_t0, p.t0), est.method, predictors=None, v=est.settings.v).tau

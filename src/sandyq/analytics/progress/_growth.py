"""Diffusion curves with a saturation level for bounded shares: logistic and Gompertz.

Adoption shares (Internet use, coverage, literacy) are often described by
S-shaped diffusion curves that level off at a saturation ``K`` below 100 %
(ITU and the diffusion literature, e.g. Meade & Islam 2006):

* logistic: ``y = K / (1 + exp(−(a + b·t)))``, so ``logit(y / K)`` is linear in t;
* Gompertz: ``y = K · exp(−exp(−(a + b·t)))``, so ``−log(−log(y / K))`` is linear in t.

For each candidate ``K`` on a grid from just above the largest value to the
upper bound the curve is a straight line on the transformed scale, fitted by
least squares; the ``K`` with the smallest squared error on the original scale
wins.  All series of one length are fitted at once.

**Not used by default.**  On the rolling-origin benchmark (the 5,063 origins
of bounded-share series of the default store, last 3 full-horizon origins, see
``benchmarks/bench_forecast.py``) both curves lost: MASE 2.79 (logistic) and
2.79 (Gompertz) against 2.48 for drift, 2.37 for the default combination, which
on the logit scale already bends towards the bound, and 2.21 for its blend with
peer paths (see :mod:`._peers`).  The free saturation level is poorly
determined by short series.  They remain for analysis and for comparison.
"""

from __future__ import annotations

import numpy as np

__all__ = ["CURVES", "fit_curve"]

#: The diffusion curves: name → (linearising transform of y/K, its inverse).
CURVES = ("logistic", "gompertz")
_EPS = 1e-6


def _forward(curve: str, p: np.ndarray) -> np.ndarray:
    p = np.clip(p, _EPS, 1.0 - _EPS)
    return np.log(p / (1.0 - p)) if curve == "logistic" else -np.log(-np.log(p))


def _inverse(curve: str, x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x)) if curve == "logistic" else np.exp(-np.exp(-x))


def fit_curve(
    values: np.ndarray, horizon: int, curve: str = "logistic", upper: float = 100.0, grid: int = 40
) -> tuple[np.ndarray, np.ndarray]:
    """Forecasts (m × ``horizon``) and saturation levels (m) of ``values`` (m series × n consecutive years).

    >>> t = np.arange(10.0)
    >>> y = 80.0 / (1 + np.exp(-(-2.0 + 0.5 * t)))
    >>> mean, k = fit_curve(y[None, :], 3)
    >>> round(float(k[0]), 0), bool((mean[0] < 80).all()), mean[0].round(1).tolist()
    (80.0, True, [76.2, 77.7, 78.6])
    """
    if curve not in CURVES:
        raise ValueError(f"unknown curve {curve!r}; use one of {CURVES}")
    y = np.asarray(values, dtype=float)
    m, n = y.shape
    top = np.maximum(y.max(axis=1), _EPS)
    # saturation candidates from just above the largest value to the upper bound
    frac = np.linspace(0.0, 1.0, grid)[:, None]
    low = np.minimum(top * (1.0 + 1e-3), upper)[None, :]
    ks = low + frac * (upper - low)  # (grid, m)
    t = np.arange(n, dtype=float)
    tc = t - t.mean()
    x = _forward(curve, y[None, :, :] / ks[:, :, None])  # (grid, m, n)
    slope = (x * tc).sum(axis=2) / (tc * tc).sum()
    intercept = x.mean(axis=2) - slope * t.mean()
    fitted = ks[:, :, None] * _inverse(curve, intercept[:, :, None] + slope[:, :, None] * t)
    sse = ((fitted - y[None, :, :]) ** 2).sum(axis=2)
    best = sse.argmin(axis=0)
    pick = np.arange(m)
    k, a, b = ks[best, pick], intercept[best, pick], slope[best, pick]
    ahead = n - 1 + np.arange(1, horizon + 1, dtype=float)
    mean = k[:, None] * _inverse(curve, a[:, None] + b[:, None] * ahead[None, :])
    return mean, k

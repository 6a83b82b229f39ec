"""Vectorised fits of the three forecasting models on many short annual series at once.

The default projection combines three models that did well on short annual
series in the M3/M4 competitions:

* **random walk with drift**: the last value plus the average annual change;
* **Theta** (Assimakopoulos & Nikolopoulos 2000), which is simple exponential
  smoothing (SES) plus half the slope of a linear trend (Hyndman & Billah 2003),
  exactly as statsmodels' ``ThetaModel`` computes it;
* **damped-trend exponential smoothing**, ETS(A,Ad,N), with statsmodels' bounds
  (0 < β < α < 1, 0.8 ≤ φ ≤ 0.98).

statsmodels fits one series at a time in 10–300 ms.  Here every series of the
same length is fitted in one pass: SES's α by a grid refined by golden-section
search on the sum of squared one-step errors (the likelihood with known initial
level, as in statsmodels), and the damped trend on a grid of (α, β, φ) where, for
each grid point, the initial level and trend are solved in closed form (the
one-step errors are linear in them).  :func:`fit_statsmodels` is the reference
the tests compare against.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "MIN_POINTS",
    "ModelFit",
    "RawForecast",
    "combine",
    "fit_irregular",
    "fit_regular",
    "fit_statsmodels",
    "forecast_batch",
]

#: The fewest consecutive annual values each model is fitted on.
MIN_POINTS: dict[str, int] = {"drift": 2, "theta": 4, "damped": 7}

_Z95 = 1.959963984540054


@dataclass(frozen=True)
class ModelFit:
    """One model's forecasts for ``m`` series and ``H`` horizons (NaN sd: spread not estimable)."""

    name: str
    mean: np.ndarray
    sd: np.ndarray


def _standardise(z: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Shift each series to end at 0 and scale it to unit range; every model here is equivariant."""
    shift = z[:, -1:].copy()
    scale = (z.max(axis=1) - z.min(axis=1))[:, None]
    scale[~(scale > 0)] = 1.0
    return (z - shift) / scale, shift, scale


def _drift(z: np.ndarray, horizon: int) -> ModelFit:
    m, n = z.shape
    d = np.diff(z, axis=1)
    drift = d.mean(axis=1)
    h = np.arange(1, horizon + 1, dtype=float)
    mean = z[:, -1:] + drift[:, None] * h
    if n >= 3:
        s2 = ((d - drift[:, None]) ** 2).sum(axis=1) / (n - 2)
        sd = np.sqrt(s2[:, None] * h * (1.0 + h / (n - 1)))
    else:
        sd = np.full((m, horizon), np.nan)
    return ModelFit("drift", mean, sd)


def _ses(z: np.ndarray, alpha: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """SSE of one-step errors and final level of SES started at the first value; ``alpha`` broadcasts."""
    level = np.broadcast_to(z[..., 0], np.broadcast_shapes(alpha.shape, z.shape[:-1])).copy()
    sse = np.zeros_like(level)
    for t in range(1, z.shape[-1]):
        e = z[..., t] - level
        sse += e * e
        level += alpha * e
    return sse, level


def _fit_alpha(z: np.ndarray) -> np.ndarray:
    """SES smoothing parameter per series: grid over (0, 1), then golden-section search."""
    grid = np.concatenate([[1e-4], np.linspace(0.02, 0.98, 49), [0.9999]])
    sse, _ = _ses(z[None, :, :], grid[:, None])
    best = sse.argmin(axis=0)
    lo = grid[np.maximum(best - 1, 0)]
    hi = grid[np.minimum(best + 1, grid.size - 1)]
    r = (np.sqrt(5.0) - 1.0) / 2.0
    c, d = hi - r * (hi - lo), lo + r * (hi - lo)
    fc, fd = _ses(z, c)[0], _ses(z, d)[0]
    for _ in range(30):
        left = fc < fd
        hi, lo = np.where(left, d, hi), np.where(left, lo, c)
        c, d = np.where(left, hi - r * (hi - lo), d), np.where(left, c, lo + r * (hi - lo))
        f_new = _ses(z, np.where(left, c, d))[0]
        fc, fd = np.where(left, f_new, fd), np.where(left, fc, f_new)
    # keep the grid optimum if the search did not improve on it (flat or boundary optima)
    mid = (lo + hi) / 2.0
    return np.where(_ses(z, mid)[0] <= sse.min(axis=0), mid, grid[best])


def _theta(z: np.ndarray, horizon: int) -> ModelFit:
    m, n = z.shape
    alpha = _fit_alpha(z)
    sse, level = _ses(z, alpha)
    t = np.arange(n, dtype=float)
    tc = t - t.mean()
    b0 = (z * tc).sum(axis=1) / (tc * tc).sum()
    h = np.arange(1, horizon + 1, dtype=float)
    # (1 − (1 − α)^n) / α, stable for small α
    frac = -np.expm1(n * np.log1p(-alpha)) / alpha
    mean = level[:, None] + 0.5 * b0[:, None] * (h[None, :] - 1.0 + frac[:, None])
    s2 = sse / max(n - 2, 1)
    sd = np.sqrt(s2[:, None] * (1.0 + (h[None, :] - 1.0) * alpha[:, None] ** 2))
    return ModelFit("theta", mean, sd)


def _damped_sse(z: np.ndarray, alpha: np.ndarray, beta: np.ndarray, phi: np.ndarray) -> tuple[np.ndarray, ...]:
    """SSE with the best initial states, and the final level and trend, of ETS(A,Ad,N).

    The one-step errors are ``e = a + l0·c_l + b0·c_b`` where ``a`` depends on
    the data and ``c_l``, ``c_b`` only on (α, β, φ); the initial level and trend
    that minimise the sum of squares solve a 2×2 linear system.  Parameters
    broadcast against the series axis (shape ``(..., m)``).
    """
    # the parts that depend only on the parameters are computed at the parameters' shape (once per grid point)
    pshape = np.broadcast_shapes(alpha.shape, beta.shape, phi.shape)
    shape = np.broadcast_shapes(pshape, z.shape[:-1])
    ll, lb = np.ones(pshape), np.zeros(pshape)  # level = ly + l0·ll + b0·lb
    bl, bb = np.zeros(pshape), np.ones(pshape)  # trend = by + l0·bl + b0·bb
    sll, slb, sbb = np.zeros(pshape), np.zeros(pshape), np.zeros(pshape)
    ly, by = np.zeros(shape), np.zeros(shape)
    syy, syl, syb = np.zeros(shape), np.zeros(shape), np.zeros(shape)
    for t in range(z.shape[-1]):
        el, eb = -(ll + phi * bl), -(lb + phi * bb)
        ey = z[..., t] - (ly + phi * by)
        syy += ey * ey
        syl += ey * el
        syb += ey * eb
        sll += el * el
        slb += el * eb
        sbb += eb * eb
        ly += phi * by + alpha * ey
        by = phi * by + beta * ey
        ll, lb = ll + phi * bl + alpha * el, lb + phi * bb + alpha * eb
        bl, bb = phi * bl + beta * el, phi * bb + beta * eb
    det = sll * sbb - slb * slb
    det = np.where(np.abs(det) > 1e-14, det, 1e-14)
    x_l = -(sbb * syl - slb * syb) / det
    x_b = -(sll * syb - slb * syl) / det
    sse = np.maximum(syy + x_l * syl + x_b * syb, 0.0)
    return sse, ly + x_l * ll + x_b * lb, by + x_l * bl + x_b * bb


_A_BOUNDS, _P_BOUNDS = (1e-4, 1.0 - 1e-4), (0.8, 0.98)


def _refine(z: np.ndarray, x: np.ndarray, current: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Coordinate-wise golden-section search around ``x`` (columns α, β*, φ), in place of a full optimiser."""
    bounds = [_A_BOUNDS, _A_BOUNDS, _P_BOUNDS]
    r = (np.sqrt(5.0) - 1.0) / 2.0

    def objective(p: np.ndarray) -> np.ndarray:
        return np.asarray(_damped_sse(z, p[:, 0], p[:, 0] * p[:, 1], p[:, 2])[0])

    for width in (0.15, 0.05, 0.015):
        for k in range(3):
            span = width * (0.25 if k == 2 else 1.0)
            lo, hi = np.maximum(x[:, k] - span, bounds[k][0]), np.minimum(x[:, k] + span, bounds[k][1])

            def at(v: np.ndarray, k: int = k) -> np.ndarray:
                p = x.copy()
                p[:, k] = v
                return objective(p)

            c, d = hi - r * (hi - lo), lo + r * (hi - lo)
            fc, fd = at(c), at(d)
            for _ in range(12):
                left = fc < fd
                hi, lo = np.where(left, d, hi), np.where(left, lo, c)
                c, d = np.where(left, hi - r * (hi - lo), d), np.where(left, c, lo + r * (hi - lo))
                f_new = at(np.where(left, c, d))
                fc, fd = np.where(left, f_new, fd), np.where(left, fc, f_new)
            cand, f_cand = np.where(fc < fd, c, d), np.minimum(fc, fd)
            better = f_cand < current
            x[better, k] = cand[better]
            current = np.where(better, f_cand, current)
    return x, current


def _damped_params(z: np.ndarray, starts: int = 3, chunk: int = 256) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(α, β, φ) per series: a grid over (α, β* = β/α, φ), then refinement from the best few grid points."""
    a_grid = np.array([1e-4, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.9999])
    s_grid = np.array([1e-4, 0.05, 0.15, 0.3, 0.5, 0.75, 0.9999])
    p_grid = np.linspace(0.8, 0.98, 7)
    grid = np.column_stack([g.ravel() for g in np.meshgrid(a_grid, s_grid, p_grid, indexing="ij")])
    m = z.shape[0]
    top = np.empty((starts, m), dtype=int)
    for s in range(0, m, chunk):
        sse = _damped_sse(z[s : s + chunk], grid[:, :1], grid[:, :1] * grid[:, 1:2], grid[:, 2:3])[0]
        top[:, s : s + chunk] = np.argsort(sse, axis=0)[:starts]
    # refine all starts of all series in one batch, then keep each series' best
    x = grid[top.ravel()].copy()
    zz = np.tile(z, (starts, 1))
    f0 = np.asarray(_damped_sse(zz, x[:, 0], x[:, 0] * x[:, 1], x[:, 2])[0])
    x, f = _refine(zz, x, f0)
    pick = f.reshape(starts, m).argmin(axis=0) * m + np.arange(m)
    best = x[pick]
    return best[:, 0], best[:, 0] * best[:, 1], best[:, 2]


def _damped(z: np.ndarray, horizon: int) -> ModelFit:
    m, n = z.shape
    alpha, beta, phi = _damped_params(z)
    sse, level, trend = _damped_sse(z, alpha, beta, phi)
    h = np.arange(1, horizon + 1, dtype=float)
    cum = np.cumsum(phi[:, None] ** h[None, :], axis=1)  # φ + … + φ^h
    mean = level[:, None] + cum * trend[:, None]
    c = alpha[:, None] + beta[:, None] * cum  # c_j, j = 1 … H
    var_mult = 1.0 + np.concatenate([np.zeros((m, 1)), np.cumsum(c[:, :-1] ** 2, axis=1)], axis=1)
    s2 = sse / max(n - 5, 1)
    return ModelFit("damped", mean, np.sqrt(s2[:, None] * var_mult))


def fit_regular(z: np.ndarray, horizon: int, models: tuple[str, ...] | None = None) -> list[ModelFit]:
    """Fit every eligible model to ``z`` (m series × n consecutive years), forecasting ``horizon`` years.

    >>> z = np.array([[1.0, 2.0, 3.1, 3.9, 5.0, 6.1, 7.0, 8.0]])
    >>> fits = fit_regular(z, 2)
    >>> [f.name for f in fits], [round(float(f.mean[0, 0]), 1) for f in fits]
    (['drift', 'theta', 'damped'], [9.0, 8.5, 8.9])
    """
    m, n = z.shape
    names = models or tuple(k for k, need in MIN_POINTS.items() if n >= need)
    zs, shift, scale = _standardise(np.asarray(z, dtype=float))
    builders = {"drift": _drift, "theta": _theta, "damped": _damped}
    out = []
    for name in names:
        fit = builders[name](zs, horizon)
        out.append(ModelFit(name, fit.mean * scale + shift, fit.sd * scale))
    return out


def fit_irregular(years: np.ndarray, z: np.ndarray, horizon: int) -> list[ModelFit]:
    """Random walk with drift for one series with gaps between years (exact for unequal spacing).

    Over a gap of g years the change is drift·g plus noise of variance σ²·g.

    >>> fit = fit_irregular(np.array([2010, 2012, 2016]), np.array([1.0, 2.0, 4.0]), 2)[0]
    >>> fit.mean.round(2).tolist(), bool(np.isfinite(fit.sd).all())
    ([[4.5, 5.0]], True)
    """
    t = np.asarray(years, dtype=float)
    d, g = np.diff(z), np.diff(t)
    span = t[-1] - t[0]
    drift = (z[-1] - z[0]) / span
    h = np.arange(1, horizon + 1, dtype=float)
    mean = z[-1] + drift * h
    if d.size >= 2:
        s2 = float(((d - drift * g) ** 2 / g).sum() / (d.size - 1))
        sd = np.sqrt(s2 * (h + h * h / span))
    else:
        sd = np.full(horizon, np.nan)
    return [ModelFit("drift", mean[None, :], sd[None, :])]


def combine(fits: list[ModelFit]) -> tuple[np.ndarray, np.ndarray]:
    """Equal-weight combination: mean of the means; sd from the mean sd and the models' disagreement.

    ``sd² = (mean of model sds)² + variance of model means`` — perfectly
    correlated model errors, plus the spread between the models.

    >>> a = ModelFit("a", np.array([[1.0]]), np.array([[1.0]]))
    >>> b = ModelFit("b", np.array([[3.0]]), np.array([[1.0]]))
    >>> [round(float(x[0, 0]), 3) for x in combine([a, b])]
    [2.0, 1.414]
    """
    means = np.stack([f.mean for f in fits])
    sds = np.stack([f.sd for f in fits])
    mean = means.mean(axis=0)
    ok = np.isfinite(sds)
    count = ok.sum(axis=0)
    mean_sd = np.where(count > 0, np.where(ok, sds, 0.0).sum(axis=0) / np.maximum(count, 1), np.nan)
    return mean, np.sqrt(mean_sd**2 + means.var(axis=0))


def fit_statsmodels(z: np.ndarray, horizon: int) -> list[ModelFit]:
    """The same three models fitted by statsmodels (one series; slow; the reference for tests)."""
    from statsmodels.tsa.exponential_smoothing.ets import ETSModel
    from statsmodels.tsa.forecasting.theta import ThetaModel

    y = np.asarray(z, dtype=float)
    n = y.size
    out = [ModelFit(f.name, f.mean, f.sd) for f in fit_regular(y[None, :], horizon, ("drift",))]
    series = pd.Series(y, index=pd.RangeIndex(n))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if n >= MIN_POINTS["theta"]:
            res = ThetaModel(series, period=1, deseasonalize=False).fit()
            mean = res.forecast(horizon).to_numpy()
            pi = res.prediction_intervals(horizon, alpha=0.05)
            sd = (pi["upper"].to_numpy() - pi["lower"].to_numpy()) / (2 * _Z95)
            out.append(ModelFit("theta", mean[None, :], sd[None, :]))
        if n >= MIN_POINTS["damped"]:
            ets = ETSModel(series, error="add", trend="add", damped_trend=True).fit(disp=False)
            frame = ets.get_prediction(start=n, end=n + horizon - 1).summary_frame(alpha=0.05)
            sd = (frame["pi_upper"].to_numpy() - frame["pi_lower"].to_numpy()) / (2 * _Z95)
            out.append(ModelFit("damped", frame["mean"].to_numpy()[None, :], sd[None, :]))
    return out


@dataclass(frozen=True)
class RawForecast:
    """The combined forecast of one series on the model scale, before calibration."""

    loc: np.ndarray  # (H,) mean = median on the model scale
    sd: np.ndarray  # (H,) NaN where the spread cannot be estimated
    models: tuple[str, ...]
    model_loc: dict[str, np.ndarray]
    span: int  # years between the first and the last value
    peer_weight: float = 0.0  # the weight of the peer path in ``loc`` (see :mod:`._peers`)


def _usable(sd: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The spread, or NaN where it is zero: values on an exact line show no variability, not certainty."""
    tiny = 1e-9 * (1.0 + float(np.max(np.abs(z))))
    return np.where(sd > tiny, sd, np.nan)


def forecast_batch(items: list[tuple[np.ndarray, np.ndarray, int]], engine: str = "fast") -> list[RawForecast | None]:
    """Forecast many series: each item is (years, values on the model scale, horizon ≥ 1).

    Series of consecutive years are grouped by length and fitted together;
    series with gaps get the drift model for unequal spacing; a single value
    gives None.

    >>> out = forecast_batch([(np.arange(2015, 2023), np.arange(8.0), 3), (np.array([2020]), np.array([1.0]), 2)])
    >>> out[0].models, out[0].loc.round(1).tolist(), out[1]
    (('drift', 'theta', 'damped'), [7.8, 8.6, 9.5], None)
    """
    if engine not in ("fast", "statsmodels"):
        raise ValueError(f"unknown engine {engine!r}")
    out: list[RawForecast | None] = [None] * len(items)
    groups: dict[int, list[int]] = {}
    for i, (years, z, horizon) in enumerate(items):
        if z.size < 2 or horizon < 1:
            continue
        span = int(years[-1] - years[0])
        if span == z.size - 1:
            groups.setdefault(z.size, []).append(i)
        else:
            fits = fit_irregular(years, z, horizon)
            out[i] = RawForecast(
                fits[0].mean[0], _usable(fits[0].sd[0], z), ("drift",), {"drift": fits[0].mean[0]}, span
            )
    for n, members in groups.items():
        horizon = max(items[i][2] for i in members)
        if engine == "fast":
            fits = fit_regular(np.stack([items[i][1] for i in members]), horizon)
            per_series = [
                [ModelFit(f.name, f.mean[j : j + 1], f.sd[j : j + 1]) for f in fits] for j in range(len(members))
            ]
        else:
            per_series = [fit_statsmodels(items[i][1], horizon) for i in members]
        for j, i in enumerate(members):
            fits_j = per_series[j]
            loc, sd = combine(fits_j)
            h = items[i][2]
            models = tuple(f.name for f in fits_j)
            sd_i = _usable(sd[0, :h], items[i][1])
            out[i] = RawForecast(loc[0, :h], sd_i, models, {f.name: f.mean[0, :h] for f in fits_j}, n - 1)
    return out

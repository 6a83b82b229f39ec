"""The calibration of sandyq's prediction intervals: a widening factor and a tail weight, fitted on backtests.

Prediction intervals of statistical models are too narrow on short annual
series (in the M4 competition nominal 95 % ETS intervals covered about 84 % of
yearly outcomes), so a raw "probability of reaching the target" would be
overconfident.  sandyq's predictive distribution for a projection from ``n``
values is Student's t with ``n − 2`` degrees of freedom (the spread itself is
estimated from few values), scaled by the models' standard error.  The
backtests (:mod:`._backtest`) then fit

* a factor ``k`` by which every interval half-width, and the spread behind every
  probability, is multiplied — per forecast horizon where there are enough
  forecasts, pooled otherwise, and separately for projections from fewer than
  seven values (which combine only the drift and Theta models) — and
* a cap ``ν`` on the degrees of freedom, because real outcomes have heavier
  tails than the models assume (a few breaks and revisions among many smooth
  years).

Both are chosen so that the backtested coverage of the 80 % and 95 % intervals
matches the nominal levels as closely as possible (least squares).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ...errors import InvalidValueError, LoadError, Problem
from ..results import json_safe
from ._distribution import GRID, ZDistribution, probability_above

__all__ = ["DEFAULT_CALIBRATION", "LEVELS", "Calibration", "degrees_of_freedom", "fit_factor", "fit_tail", "quantile"]

#: Nominal coverage levels of the intervals sandyq reports.
LEVELS: tuple[float, ...] = (0.8, 0.95)

#: Candidate caps on the degrees of freedom (∞ = no cap).
TAIL_GRID: tuple[float, ...] = (np.inf, 30.0, 10.0, 6.0, 4.0, 3.0, 2.5, 2.0, 1.5, 1.0)

_K_GRID = np.round(np.arange(0.3, 10.0 + 1e-9, 0.005), 3)


def quantile(level: float, df: ArrayLike) -> np.ndarray:
    """Two-sided ``level`` quantile of Student's t with ``df`` degrees of freedom (normal where df is inf).

    >>> quantile(0.95, [np.inf, 3]).round(2).tolist()
    [1.96, 3.18]
    """
    from scipy import special

    d = np.asarray(df, dtype=float)
    p = 0.5 + level / 2.0
    return np.where(np.isinf(d), special.ndtri(p), special.stdtrit(np.where(np.isinf(d), 1.0, d), p))


def degrees_of_freedom(n_points: ArrayLike, tail_df: float = np.inf) -> np.ndarray:
    """Degrees of freedom of a projection from ``n`` values: n − 2 (at least 1), capped at ``tail_df``.

    >>> degrees_of_freedom([2, 5, 20]).tolist(), degrees_of_freedom([20], 4.0).tolist()
    ([1.0, 3.0, 18.0], [4.0])
    """
    return np.minimum(np.maximum(np.asarray(n_points, dtype=float) - 2.0, 1.0), tail_df)


def _loss(abs_z: np.ndarray, df: np.ndarray, levels: Sequence[float]) -> np.ndarray:
    """Squared coverage error summed over ``levels``, for every k of the grid."""
    loss = np.zeros_like(_K_GRID)
    for level in levels:
        u = np.sort(abs_z / quantile(level, df))
        loss += (np.searchsorted(u, _K_GRID, side="right") / u.size - level) ** 2
    return loss


def _clean(abs_z: ArrayLike, df: ArrayLike | None) -> tuple[np.ndarray, np.ndarray]:
    a = np.abs(np.asarray(abs_z, dtype=float))
    d = np.full(a.shape, np.inf) if df is None else np.broadcast_to(np.asarray(df, dtype=float), a.shape)
    ok = np.isfinite(a)
    return a[ok], d[ok]


def fit_factor(abs_z: ArrayLike, df: ArrayLike | None = None, levels: Sequence[float] = LEVELS) -> float:
    """The factor k that brings the coverage of ``|z| ≤ k·q_level(df)`` closest to each level (least squares).

    ``abs_z`` are absolute standardised forecast errors and ``df`` their degrees
    of freedom (None: normal).  For errors that are really N(0, 2²), k is close to 2:

    >>> z = np.abs(np.random.default_rng(0).normal(0.0, 2.0, 20000))
    >>> round(fit_factor(z), 1)
    2.0
    """
    a, d = _clean(abs_z, df)
    if a.size == 0:
        return 1.0
    return float(_K_GRID[int(np.argmin(_loss(a, d, levels)))])


def fit_tail(abs_z: ArrayLike, df: ArrayLike | None = None, levels: Sequence[float] = LEVELS) -> tuple[float, float]:
    """(cap ν on the degrees of freedom, factor k) that best match the coverage at ``levels``.

    Errors from a t distribution with 2 degrees of freedom need a cap near 2:

    >>> z = np.random.default_rng(1).standard_t(2, 20000)
    >>> nu, k = fit_tail(z)
    >>> nu, round(k, 1)
    (2.0, 1.0)
    """
    a, d = _clean(abs_z, df)
    if a.size == 0:
        return float(np.inf), 1.0
    best: tuple[float, float, float] = (np.inf, np.inf, 1.0)
    for cap in TAIL_GRID:
        loss = _loss(a, np.minimum(d, cap), levels)
        i = int(np.argmin(loss))
        if loss[i] < best[0] - 1e-6:
            best = (float(loss[i]), float(cap), float(_K_GRID[i]))
    return best[1], best[2]


def _level_index(level: float) -> tuple[int, int]:
    """Positions in :data:`GRID` of the ends of the central ``level`` interval."""
    lo, hi = round(0.5 - level / 2, 6), round(0.5 + level / 2, 6)
    if lo not in GRID or hi not in GRID:
        raise InvalidValueError("no quantiles for this level", [Problem("", f"{level}; the grid has {GRID}")])
    return GRID.index(lo), GRID.index(hi)


def _lookup(table: Mapping[int, float], default: float, h: np.ndarray) -> np.ndarray:
    """Factor per horizon from ``table``; beyond its longest horizon that one's, else ``default``."""
    if not table:
        return np.full(h.shape, float(default))
    last = max(table)
    return np.array([table.get(int(x), table[last] if x > last else default) for x in h.ravel()]).reshape(h.shape)


@dataclass(frozen=True)
class Calibration:
    """The interval widening fitted on backtests; saved and loaded as JSON so the store can keep it.

    >>> c = Calibration(factor=1.4, by_horizon={1: 1.2, 2: 1.5}, tail_df=3.0, factor_short=0.9)
    >>> c.k([1, 2, 3, 7]).tolist(), c.k([1, 2], n_points=5).tolist(), c.df([2, 10]).tolist()
    ([1.2, 1.5, 1.5, 1.5], [0.9, 0.9], [1.0, 3.0])
    >>> Calibration.from_json(c.to_json()) == c
    True
    """

    factor: float = 1.0
    by_horizon: dict[int, float] = field(default_factory=dict)
    tail_df: float = float("inf")
    factor_short: float | None = None  # for projections from fewer than ``short_below`` values
    by_horizon_short: dict[int, float] = field(default_factory=dict)
    short_below: int = 7
    typical_sigma: dict[str, float] = field(default_factory=dict)  # per transform; linear: relative
    coverage: dict[str, dict[str, float]] = field(default_factory=dict)
    n_forecasts: int = 0
    n_series: int = 0
    fitted_at: str = ""
    fitted_on: str = ""
    distribution: ZDistribution = field(default_factory=ZDistribution)
    events: dict[str, Any] = field(default_factory=dict, compare=False)  # Brier scores and reliability

    @property
    def fitted(self) -> bool:
        """Whether this calibration comes from backtests (False: intervals are the models' own)."""
        return bool(self.n_forecasts > 0 or self.factor != 1.0 or self.by_horizon or np.isfinite(self.tail_df))

    def k(self, horizons: Sequence[int] | np.ndarray, n_points: ArrayLike | None = None) -> np.ndarray:
        """The widening factor for each horizon (the longest fitted horizon's beyond it).

        ``n_points`` (scalar or per horizon): projections from fewer than
        ``short_below`` values use the factors fitted on such projections.
        """
        h = np.asarray(horizons, dtype=int)
        out = _lookup(self.by_horizon, self.factor, h)
        if n_points is None or self.factor_short is None:
            return out
        short = np.broadcast_to(np.asarray(n_points) < self.short_below, h.shape)
        return np.where(short, _lookup(self.by_horizon_short, self.factor_short, h), out)

    def quantiles(
        self, horizons: Sequence[int] | np.ndarray, n_points: int, df: float | None = None, empirical: bool = True
    ) -> np.ndarray:
        """Quantiles at :data:`~._distribution.GRID` of the scaled error, one row per horizon.

        The backtests' empirical quantiles where their cell was fitted, else the
        factor-k t distribution (``df``: its degrees of freedom, default
        :meth:`df` of ``n_points``; ``empirical=False``: always the latter, for
        a spread that is not the models' own).

        >>> Calibration(factor=2.0).quantiles([1], 30, df=float("inf"))[0, GRID.index(0.975)].round(2)
        np.float64(3.92)
        """
        from scipy import special

        h = np.asarray(horizons, dtype=int)
        d = float(self.df(n_points)) if df is None else float(df)
        p = np.asarray(GRID)
        base = special.ndtri(p) if np.isinf(d) else special.stdtrit(d, p)
        k = self.k(h, n_points)
        rows = []
        for x, kx in zip(h, k, strict=True):
            cell = self.distribution.cell(int(n_points), int(x)) if empirical else None
            rows.append(cell if cell is not None else kx * base)
        return np.array(rows).reshape(h.size, p.size)

    def covered(self, z: ArrayLike, horizons: ArrayLike, n_points: ArrayLike, level: float) -> np.ndarray:
        """Whether each scaled error ``z`` lies inside the central ``level`` interval (NaN z: False).

        >>> Calibration().covered([0.5, -2.5], [1, 1], [30, 30], 0.95).tolist()
        [True, False]
        """
        zz = np.asarray(z, dtype=float)
        h = np.asarray(horizons, dtype=int)
        n = np.asarray(n_points, dtype=int)
        lo_i, hi_i = _level_index(level)
        out = np.zeros(zz.shape, dtype=bool)
        for key in {(int(a), int(b)) for a, b in zip(n, h, strict=True)}:
            sel = (n == key[0]) & (h == key[1])
            q = self.quantiles([key[1]], key[0])[0]
            out[sel] = (zz[sel] >= q[lo_i]) & (zz[sel] <= q[hi_i])
        return out

    def probability(self, x: float, horizon: int, n_points: int) -> float:
        """P(scaled error ≥ ``x``) for a projection from ``n_points`` values ``horizon`` years ahead.

        >>> round(Calibration().probability(0.0, 1, 30), 3)
        0.5
        """
        return probability_above(self.quantiles([horizon], n_points)[0], x)

    def df(self, n_points: ArrayLike) -> np.ndarray:
        """Degrees of freedom of the predictive t distribution for a projection from ``n`` values."""
        return degrees_of_freedom(n_points, self.tail_df)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = json_safe(self)
        out["by_horizon"] = {str(k): float(v) for k, v in sorted(self.by_horizon.items())}
        out["by_horizon_short"] = {str(k): float(v) for k, v in sorted(self.by_horizon_short.items())}
        out["tail_df"] = None if np.isinf(self.tail_df) else float(self.tail_df)
        out["distribution"] = self.distribution.to_dict()
        return out

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], file: str = "") -> Calibration:
        try:
            tail = data.get("tail_df")
            return cls(
                factor=float(data.get("factor", 1.0)),
                by_horizon={int(k): float(v) for k, v in dict(data.get("by_horizon") or {}).items()},
                tail_df=float("inf") if tail is None else float(tail),
                factor_short=None if data.get("factor_short") is None else float(data["factor_short"]),
                by_horizon_short={int(k): float(v) for k, v in dict(data.get("by_horizon_short") or {}).items()},
                short_below=int(data.get("short_below", 7)),
                typical_sigma={str(k): float(v) for k, v in dict(data.get("typical_sigma") or {}).items()},
                coverage={
                    str(k): {str(a): float(b) for a, b in dict(v).items() if b is not None}
                    for k, v in dict(data.get("coverage") or {}).items()
                },
                n_forecasts=int(data.get("n_forecasts", 0)),
                n_series=int(data.get("n_series", 0)),
                fitted_at=str(data.get("fitted_at", "")),
                fitted_on=str(data.get("fitted_on", "")),
                distribution=ZDistribution.from_dict(dict(data.get("distribution") or {})),
                events=dict(data.get("events") or {}),
            )
        except (TypeError, ValueError, AttributeError) as exc:
            raise LoadError("the calibration could not be read", [Problem(file, str(exc))]) from None

    @classmethod
    def from_json(cls, text: str, file: str = "") -> Calibration:
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise LoadError("the calibration is not valid JSON", [Problem(file, exc.msg, row=exc.lineno)]) from None
        if not isinstance(data, dict):
            raise LoadError("the calibration must be a JSON object", [Problem(file, f"got {type(data).__name__}")])
        return cls.from_dict(data, file)

    def save(self, path: str | Path) -> None:
        Path(path).write_text(self.to_json(), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path) -> Calibration:
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as exc:
            raise LoadError(
                "the calibration file could not be read", [Problem(str(p), exc.strerror or str(exc))]
            ) from None
        return cls.from_json(text, str(p))


def _default() -> Calibration:
    """The calibration bundled with sandyq (``default_calibration.json`` beside this module)."""
    from importlib import resources

    text = (resources.files("sandyq") / "analytics" / "progress" / "default_calibration.json").read_text("utf-8")
    return Calibration.from_json(text, "sandyq/analytics/progress/default_calibration.json")


#: The calibration used when none is given: sandyq's backtest (``min_train=3``,
#: ``max_horizon=6``) of the World Bank WDI series bundled with sandyq (the
#: default store's ``wdi`` source: 217 economies and 47 aggregates, 2000–2025,
#: CC BY 4.0) of its 12 indicators: mobile, fixed-telephone and fixed-broadband
#: subscriptions, secure servers, R&D expenditure, researchers, high-tech exports,
#: tertiary enrolment, access to electricity, GDP per capita (US$ and PPP) and
#: population — the empirical error quantiles per series-length band × horizon
#: (:mod:`._distribution`) with the factor-k t distribution behind them.  It is
#: kept in ``default_calibration.json``; a slow test re-runs the backtest and
#: checks it gives the same numbers.  To refit it after a change to the models::
#:
#:     import sandyq
#:     from sandyq.analytics.progress import backtest
#:     from tests.analytics.progress.test_progress_default_calibration import WDI
#:     with sandyq.connect("sandyq.duckdb", read_only=True) as m:   # a store made by `sandyq init`
#:         obs = m.store.observations(WDI, dims="", source="wdi")
#:         cal = backtest(obs, m.framework.indicators).calibration
#:     cal.save("src/sandyq/analytics/progress/default_calibration.json")
#:
#: The store's own backtest (``sandyq backtest --save``) replaces it.
DEFAULT_CALIBRATION = _default()

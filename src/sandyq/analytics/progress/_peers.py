"""Peer paths: how other countries and regions at the same level of the same indicator moved next.

A programme target usually has a short series (2–5 values) that cannot show
where a trend bends; other countries' histories of the same indicator can.
The *peer panel* records, for every series of an indicator and every year it
was observed, its level, its recent pace (mean annual change over up to the
3 previous years) and its change over the next 1–5 years, all on the model
scale of :mod:`._transform`.  A series standing at level ``z`` with pace ``p``
in year ``t`` is then projected to move like the peers that stood in the same
level and pace bins, counting only changes that had *ended by* ``t`` — so a
backtest or an assessment as of a past date never sees later values.

* Bounded shares (logit scale) are binned by level and pace: near saturation
  peers slow down, which a trend model cannot know from a short series.
* Unbounded quantities (linear scale) are not comparable in level across
  countries; their pace and change are measured in the series' own typical
  annual change, and only the pace is binned.

The peer centre is blended with the Theta/damped/drift combination by the
weights of :data:`PEER_WEIGHTS` (by scale and number of values), chosen on the
rolling-origin benchmark ``benchmarks/bench_forecast.py`` (4,633 store series,
every origin, 372,682 forecasts): the MASE-optimal weights were 0.5–0.8, and
those used are rounded towards the combination (chosen on the same store, so
in-sample).  On the benchmark's last three full-horizon origins (66,340
forecasts) the blend lowers MASE from 2.841 to 2.714 (bounded shares 2.370 →
2.209, linear scale 3.116 → 3.010), in every length band and horizon, and the
95 % interval score from 43.3 to 42.5.  The intervals stay the combination's
(and the calibration's); ``sandyq backtest`` and the calibration it fits still
measure the combination alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from ._transform import choose_transform

if TYPE_CHECKING:
    import datetime as dt

    import pandas as pd

    from ...framework._models import Indicator

__all__ = [
    "MIN_PEERS",
    "PEER_WEIGHTS",
    "PeerPanel",
    "pace_of",
    "panel_from_annual",
    "panel_from_observations",
    "peer_group",
    "peer_weight",
]

#: Weight of the peer centre by model scale: (fewest values, weight) pairs, the last that applies wins.
PEER_WEIGHTS: dict[str, tuple[tuple[int, float], ...]] = {
    "logit": ((2, 0.6), (6, 0.6), (11, 0.5), (21, 0.4)),
    "identity": ((2, 0.6), (6, 0.4), (11, 0.2), (21, 0.5)),
}
#: The fewest peer transitions a bin needs before its mean change is used.
MIN_PEERS = 10
HORIZONS = 5
_PACE_YEARS = 3
_LEVEL_EDGES = {"logit": np.arange(-6.0, 6.01, 0.5), "identity": np.array([])}
_PACE_EDGES = {
    "logit": np.array([-0.1, -0.02, 0.02, 0.08, 0.15, 0.25, 0.4]),
    "identity": np.array([-0.75, -0.25, 0.25, 0.75, 1.25]),
}
_CLIP = {"logit": 1.5, "identity": 3.0}  # the largest change per year a single transition may contribute


def peer_weight(transform: str, n_values: int) -> float:
    """The weight of the peer centre for a series of ``n_values`` on the ``transform`` scale.

    >>> peer_weight("logit", 4), peer_weight("logit", 30), peer_weight("identity", 12), peer_weight("log", 4)
    (0.6, 0.4, 0.2, 0.0)
    """
    weight = 0.0
    for fewest, w in PEER_WEIGHTS.get(transform, ()):
        if n_values >= fewest:
            weight = w
    return weight


def peer_group(indicator: str, transform: str) -> tuple[str, str]:
    """The panel key of a series: its indicator and model scale (peers share both)."""
    return (indicator, transform)


def pace_of(years: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The pace at every value: mean annual change over up to the 3 previous values (NaN at the first).

    >>> pace_of(np.array([2000, 2001, 2002, 2003, 2004]), np.array([0.0, 1.0, 3.0, 6.0, 7.0])).tolist()
    [nan, 1.0, 1.5, 2.0, 2.0]
    """
    out = np.full(z.size, np.nan)
    i = np.arange(1, z.size)
    j = np.maximum(0, i - _PACE_YEARS)
    out[1:] = (z[i] - z[j]) / (years[i] - years[j])
    return out


def _typical(years: np.ndarray, z: np.ndarray) -> np.ndarray:
    """The mean absolute annual change up to every value (the MASE scale as known then; NaN at the first)."""
    step = np.abs(np.diff(z)) / np.diff(years)
    out = np.full(z.size, np.nan)
    out[1:] = np.cumsum(step) / np.arange(1, z.size)
    return out


@dataclass
class _Bins:
    """Cumulative (by end year) sums and counts of peer changes: [h − 1, level bin, pace bin, year − first]."""

    first: int
    sums: np.ndarray
    counts: np.ndarray


@dataclass(frozen=True)
class PeerPanel:
    """Binned peer transitions per (indicator, scale); :meth:`centre` answers one series at one origin."""

    bins: Mapping[tuple[str, str], _Bins] = field(default_factory=dict)

    @classmethod
    def from_series(cls, rows: Iterable[tuple[str, str | None, np.ndarray, np.ndarray]]) -> PeerPanel:
        """A panel from (indicator, unit, years, values) series (values on their own scale).

        >>> years = np.arange(2000, 2010)
        >>> rows = [("x", "PT", years, 100 / (1 + np.exp(-(0.4 * np.arange(10) - s)))) for s in np.linspace(0, 4, 40)]
        >>> panel = PeerPanel.from_series(rows)
        >>> sorted(panel.bins)
        [('x', 'logit')]
        >>> z = np.log(np.array([60.0, 70.0, 79.0]) / np.array([40.0, 30.0, 21.0]))
        >>> path = panel.centre("x", "logit", np.array([2007, 2008, 2009]), z, 2)
        >>> (100 / (1 + np.exp(-path))).round(1).tolist()
        [84.9, 89.3]
        """
        series: dict[tuple[str, str], list[tuple[np.ndarray, np.ndarray]]] = {}
        for indicator, unit, years, values in rows:
            y, v = np.asarray(years, dtype=int), np.asarray(values, dtype=float)
            if y.size < 3:
                continue
            transform = choose_transform(unit, "rank" if unit == "RANK" else "level", v)
            series.setdefault(peer_group(indicator, transform.name), []).append((y, transform.forward(v)))
        bins = {}
        for key, members in series.items():
            part = _transitions(members, key[1])
            if part.size:
                bins[key] = _bin(part, key[1])
        return cls(bins)

    def centre(self, indicator: str, transform: str, years: np.ndarray, z: np.ndarray, horizon: int) -> np.ndarray:
        """The peer centre for horizons 1…``horizon`` on the model scale (NaN where peers are too few).

        Only peer changes that ended by the series' last year count.
        """
        out = np.full(horizon, np.nan)
        table = self.bins.get(peer_group(indicator, transform))
        if table is None or z.size < 2:
            return out
        level, pace = z[-1], pace_of(years, z)[-1]
        scale = 1.0
        if transform == "identity":
            scale = float(_typical(years, z)[-1])
            if not scale > 0:
                return out
            pace /= scale
        col = int(years[-1]) - table.first
        if col < 0:
            return out
        col = min(col, table.sums.shape[3] - 1)
        lb, pb = _bin_of(level, _LEVEL_EDGES[transform]), _bin_of(pace, _PACE_EDGES[transform])
        for h in range(1, min(horizon, HORIZONS) + 1):
            s, c = table.sums[h - 1, lb, pb, col], table.counts[h - 1, lb, pb, col]
            if c < MIN_PEERS:  # the level bin alone
                s, c = table.sums[h - 1, lb, :, col].sum(), table.counts[h - 1, lb, :, col].sum()
            if c >= MIN_PEERS:
                out[h - 1] = level + scale * s / c
        return out


def _transitions(members: list[tuple[np.ndarray, np.ndarray]], transform: str) -> np.ndarray:
    """Rows (h, level, pace, change, end year) of many series at once (each: sorted years, model-scale values).

    Linear-scale pace and change are in the series' typical annual change as known at the start.
    """
    sizes = np.array([y.size for y, _ in members])
    first = np.repeat(np.cumsum(sizes) - sizes, sizes)
    sid = np.repeat(np.arange(sizes.size), sizes)
    years = np.concatenate([y for y, _ in members])
    z = np.concatenate([v for _, v in members])
    idx = np.arange(z.size)
    pos = idx - first
    back = idx - np.minimum(pos, _PACE_YEARS)
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where(pos > 0, (z - z[back]) / (years - years[back]), np.nan)
        step = np.where(pos > 0, np.abs(z - z[np.maximum(idx - 1, 0)]) / (years - years[np.maximum(idx - 1, 0)]), 0.0)
        total = np.cumsum(step)
        scale = (total - total[first]) / pos if transform == "identity" else np.ones(z.size)
    key = sid.astype(np.int64) * 100_000 + years
    usable = np.flatnonzero(np.isfinite(pace) & (scale > 0))
    rows = []
    for h in range(1, HORIZONS + 1):
        end = np.minimum(np.searchsorted(key, key[usable] + h), key.size - 1)
        hit = key[end] == key[usable] + h
        start, end = usable[hit], end[hit]
        change = np.clip((z[end] - z[start]) / scale[start], -_CLIP[transform] * h, _CLIP[transform] * h)
        rows.append(np.column_stack([np.full(start.size, h), z[start], pace[start] / scale[start], change, years[end]]))
    return np.concatenate(rows)


def _bin_of(x: float | np.ndarray, edges: np.ndarray) -> np.ndarray:
    return np.digitize(x, edges)


def _bin(rows: np.ndarray, transform: str) -> _Bins:
    """Cumulative sums and counts of the changes by horizon, level bin, pace bin and end year."""
    first, last = int(rows[:, 4].min()), int(rows[:, 4].max())
    shape = (HORIZONS, _LEVEL_EDGES[transform].size + 1, _PACE_EDGES[transform].size + 1, last - first + 1)
    index = (
        rows[:, 0].astype(int) - 1,
        _bin_of(rows[:, 1], _LEVEL_EDGES[transform]),
        _bin_of(rows[:, 2], _PACE_EDGES[transform]),
        rows[:, 4].astype(int) - first,
    )
    sums, counts = np.zeros(shape), np.zeros(shape)
    np.add.at(sums, index, rows[:, 3])
    np.add.at(counts, index, 1.0)
    return _Bins(first, np.cumsum(sums, axis=3), np.cumsum(counts, axis=3))


def panel_from_annual(annual: pd.DataFrame, indicators: Mapping[str, Indicator] | None = None) -> PeerPanel:
    """The peer panel of every series of an :func:`~._series.annual_series` table (as known at its date)."""
    from ._series import iter_series

    rows = []
    for key, years, values, unit in iter_series(annual):
        ind = (indicators or {}).get(key[0])
        rows.append((key[0], ind.unit if ind is not None else unit, years, values))
    return PeerPanel.from_series(rows)


def panel_from_observations(
    observations: pd.DataFrame, as_of: dt.date | str | None = None, indicators: Mapping[str, Indicator] | None = None
) -> PeerPanel:
    """The peer panel of an observations table as known at ``as_of`` (by vintage and year; default: everything)."""
    from ._series import annual_series

    return panel_from_annual(annual_series(observations, as_of), indicators)

"""Projection to the target year, with prediction intervals and the probability of reaching the target.

The projection is an equal-weight combination of Theta, damped-trend
exponential smoothing and random walk with drift (see :mod:`._fit`), fitted on
a scale that respects the unit's bounds (see :mod:`._transform`).  On that
scale the predictive distribution is Student's t with n − 2 degrees of freedom
(capped by the calibration, because real outcomes have heavy tails), centred
on the combination's mean, with the combination's standard error multiplied by
the factor ``k`` fitted on sandyq's backtests (see :mod:`._calibration`).
Intervals are its quantiles, transformed back; the probability of reaching a
target ``x_T`` is ``F((ŷ_T − g(x_T)) / (k·σ_T))``, mirrored when lower is better.

``calibration=None`` uses :data:`~._calibration.DEFAULT_CALIBRATION` (fitted on
World Bank series); pass the store's own calibration when there is one, or
``Calibration()`` for the models' uncalibrated intervals.

Short series use what they support: two values give the drift model only,
Theta needs 4 consecutive years and the damped trend 7.  Series with gaps use
the drift model for unequal spacing.  Two values cannot show how much a series
varies; the calibration's typical year-to-year spread of series on the same
scale is used instead, and the result says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..._messages import Message, joined, recognised
from ..results import json_safe
from ._calibration import DEFAULT_CALIBRATION, LEVELS, Calibration, quantile
from ._distribution import GRID, probability_above
from ._fit import RawForecast, forecast_batch
from ._peers import PeerPanel, peer_weight
from ._status import clean_points
from ._transform import Transform, choose_transform

__all__ = ["Forecast", "Projection", "ProjectionInput", "forecast_many", "project"]

_MODEL_NAMES = {
    "drift": "random walk with drift",
    "theta": "Theta",
    "damped": "damped-trend exponential smoothing",
    "peers": "peer paths",
}
#: A projection from one model only (the English begins with a capital: it opens the method's sentence).
_ONLY = {
    "drift": "Random walk with drift only",
    "theta": "Theta only",
    "damped": "Damped-trend exponential smoothing only",
    "peers": "Peer paths only",
}
_BLENDED = (
    "blended (weight {w}) with the peer path: how other series of the same indicator at the same level and pace "
    "moved next"
)
_EMPIRICAL = (
    "intervals, probability and the centre (their median) from the empirical distribution of the scaled errors of "
    "projections from {n} values {h} {h:plural:year|years} ahead in rolling-origin backtests ({where})"
)
_SCALED_NORMAL = (
    "interval spread scaled by k = {k:.2f} with normal tails, calibrated on rolling-origin backtests ({where})"
)
_SCALED_T = (
    "interval spread scaled by k = {k:.2f} with the tails of Student's t with {df} df, calibrated on rolling-origin "
    "backtests ({where})"
)
_EXTRAPOLATED = (
    "the backtests start from 3 values, so for a series of {n} values this widening is extrapolated from them, "
    "not itself tested"
)


def _with_peers(
    fc: RawForecast, peers: PeerPanel, group: str, transform: str, years: np.ndarray, z: np.ndarray
) -> RawForecast:
    """The forecast with its centre blended with the peer path where peers are enough (weight by scale and n)."""
    weight = peer_weight(transform, z.size)
    if weight <= 0 or not group:
        return fc
    path = peers.centre(group, transform, years, z, fc.loc.size)
    ok = np.isfinite(path)
    if not ok.any():
        return fc
    loc = np.where(ok, (1.0 - weight) * fc.loc + weight * np.where(ok, path, 0.0), fc.loc)
    model_loc = {**fc.model_loc, "peers": np.where(ok, path, np.nan)}
    return RawForecast(loc, fc.sd, (*fc.models, "peers"), model_loc, fc.span, weight)


@dataclass(frozen=True)
class Projection:
    """The projected value in one year, its intervals and the probability of reaching the target."""

    year: int
    value: float | None
    intervals: dict[str, tuple[float, float]]
    probability: float | None
    target: float | None
    polarity: str
    horizon: int
    explanation: str
    method: str
    transform: str = "identity"
    models: tuple[str, ...] = ()
    model_values: dict[str, float] = field(default_factory=dict)
    calibrated: bool = False
    factor: float | None = None
    points: tuple[tuple[int, float], ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = json_safe(self)
        out["points"] = [{"year": int(y), "value": json_safe(v)} for y, v in self.points]
        out["intervals"] = {k: {"lower": json_safe(a), "upper": json_safe(b)} for k, (a, b) in self.intervals.items()}
        return out


@dataclass(frozen=True)
class ProjectionInput:
    """One series to project: its years and values, the last year wanted, unit and target kind."""

    years: Sequence[int] | np.ndarray
    values: Sequence[float] | np.ndarray
    until: int
    unit: str | None = None
    kind: str = "level"
    key: str = ""
    group: str = ""  # the indicator: peers are series of the same group (see :mod:`._peers`)


@dataclass(frozen=True, eq=False)
class Forecast:
    """The predictive distribution of one series for every year after its last value up to ``until``."""

    key: str
    points: tuple[tuple[int, float], ...]
    transform: Transform
    years: np.ndarray
    loc: np.ndarray
    scale: np.ndarray
    factors: np.ndarray
    models: tuple[str, ...]
    model_loc: dict[str, np.ndarray]
    calibrated: bool
    df: float = float("inf")
    notes: tuple[str, ...] = ()
    calibrated_on: str = ""
    offsets: np.ndarray | None = None  # (years × GRID) quantiles of value − loc on the model scale
    empirical: bool = False  # the offsets are the backtests' empirical error quantiles (else factor-k t)
    peer_weight: float = 0.0

    @property
    def last_year(self) -> int | None:
        return self.points[-1][0] if self.points else None

    def _index(self, year: int) -> int | None:
        hits = np.flatnonzero(self.years == year)
        return int(hits[0]) if hits.size else None

    def probability(self, year: int, target: float, polarity: str = "higher") -> float | None:
        """P(value in ``year`` meets ``target``) under the (widened) predictive distribution."""
        from scipy import special

        i = self._index(year)
        if i is None or not np.isfinite(self.scale[i]) or polarity == "neutral":
            return None
        diff = self.loc[i] - float(self.transform.forward(target))
        if self.scale[i] <= 0:
            return float(diff >= 0 if polarity != "lower" else diff <= 0)
        if self.offsets is not None:
            up = probability_above(self.offsets[i], -diff)
            return up if polarity != "lower" else 1.0 - up
        x = diff / self.scale[i] if polarity != "lower" else -diff / self.scale[i]
        return float(special.ndtr(x) if np.isinf(self.df) else special.stdtr(self.df, x))

    def at(
        self, year: int, target: float | None = None, polarity: str = "higher", levels: Sequence[float] = LEVELS
    ) -> Projection:
        """The :class:`Projection` for ``year`` (explained when it cannot be made)."""
        i = self._index(year)
        base: dict[str, Any] = {"target": target, "polarity": polarity, "points": self.points}
        if i is None:
            last = self.last_year
            return Projection(
                year, None, {}, None, horizon=0 if last is None else year - last,
                explanation=Message("No projection: {why}.", {"why": self._why_none(year)}), method="none",
                notes=self.notes, **base,
            )  # fmt: skip
        inv = self.transform.inverse
        value = float(inv(self.centre(i)))
        intervals = self._intervals(i, levels)
        prob = None if target is None else self.probability(year, target, polarity)
        horizon = int(year - (self.last_year or year))
        return Projection(
            year, value, intervals, prob, horizon=horizon,
            explanation=_explain(value, year, horizon, intervals, prob, target), method=self._method(i),
            transform=self.transform.name, models=self.models,
            model_values={k: float(inv(v[i])) for k, v in self.model_loc.items() if np.isfinite(v[i])},
            calibrated=self.calibrated,
            factor=float(self.factors[i]), notes=self.notes, **base,
        )  # fmt: skip

    def centre(self, i: int) -> float:
        """The median of the ``i``-th projected year on the model scale (the models' mean, corrected for bias)."""
        if self.offsets is None or not np.isfinite(self.offsets[i]).all():
            return float(self.loc[i])
        return float(self.loc[i] + self.offsets[i][GRID.index(0.5)])

    def _why_none(self, year: int) -> Message:
        """Why there is no projection for ``year``."""
        last = self.last_year
        if last is None:
            return Message("there are no data")
        if year <= last:
            return Message("{year} is not after the latest value ({last})", {"year": year, "last": last})
        if len(self.points) < 2:
            return Message("one data point cannot show a trend")
        return Message("{year} is beyond the projected years", {"year": year})

    def _intervals(self, i: int, levels: Sequence[float]) -> dict[str, tuple[float, float]]:
        """The prediction intervals of the ``i``-th projected year on the original scale, keyed by level in %."""
        intervals: dict[str, tuple[float, float]] = {}
        if not np.isfinite(self.scale[i]):
            return intervals
        for level in levels:
            if self.offsets is not None:
                lo, hi = GRID.index(round(0.5 - level / 2, 6)), GRID.index(round(0.5 + level / 2, 6))
                ends = np.array([self.offsets[i][lo], self.offsets[i][hi]])
            else:
                q = float(quantile(level, self.df))
                ends = np.array([-q * self.scale[i], q * self.scale[i]])
            bounds = self.transform.inverse(self.loc[i] + ends)
            intervals[f"{level * 100:g}"] = (float(bounds[0]), float(bounds[1]))
        return intervals

    def _method(self, i: int) -> Message:
        """The models, the scale and the calibration of the ``i``-th projected year, in words."""
        own = [m for m in self.models if m != "peers"]
        if len(own) > 1:
            names = joined(*(Message(_MODEL_NAMES[m]) for m in own), sep=", ")
            how = Message("Equal-weight combination of {models}", {"models": names})
        else:
            how = Message(_ONLY[own[0]]) if own else Message(_ONLY["peers"])
        parts: list[Message] = [how]
        if "peers" in self.models and np.isfinite(self.model_loc["peers"][i]):
            parts.append(Message(_BLENDED, {"w": f"{self.peer_weight:.0%}"}))
        parts.append(self.transform.describe())
        return joined(joined(*parts, sep=", "), self._calibration_text(i), sep="; ")

    def _calibration_text(self, i: int) -> Message:
        """How the intervals were widened (or that they were not)."""
        if not self.calibrated:
            return Message("intervals are the models' own (not calibrated by backtests)")
        where = recognised(self.calibrated_on) if self.calibrated_on else "sandyq backtest"
        if self.empirical:
            h = int(self.years[i] - (self.last_year or self.years[i]))
            cal = Message(_EMPIRICAL, {"n": len(self.points), "h": h, "where": where})
        elif np.isinf(self.df):
            cal = Message(_SCALED_NORMAL, {"k": float(self.factors[i]), "where": where})
        else:
            cal = Message(_SCALED_T, {"k": float(self.factors[i]), "df": float(self.df), "where": where})
        if len(self.points) < 3:
            return joined(cal, Message(_EXTRAPOLATED, {"n": len(self.points)}), sep="; ")
        return cal


def _explain(
    value: float,
    year: int,
    horizon: int,
    intervals: dict[str, tuple[float, float]],
    prob: float | None,
    target: float | None,
) -> str:
    """The projection in a sentence: value, 95 % interval, probability, and a warning for long horizons."""
    p: dict[str, Any] = {"value": value, "year": year, "h": horizon}
    head = "Projected {value} in {year} ({h} {h:plural:year|years} after the latest value)"
    if "95" in intervals:
        head += ", 95 % interval {lo}–{hi}"
        p.update(lo=intervals["95"][0], hi=intervals["95"][1])
    if prob is not None:
        head += "; probability of reaching {target}: {p:.0f} %"
        p.update(target=target, p=prob * 100)
    elif target is not None:
        head += "; no probability (the spread cannot be estimated from these data)"
    text = Message(head + ".", p)
    if horizon > 10:
        return joined(text, Message("Beyond 10 years this is an extrapolation of the current trend, not a forecast."))
    return text


def forecast_many(
    inputs: Sequence[ProjectionInput],
    calibration: Calibration | None = None,
    engine: str = "fast",
    peers: PeerPanel | None = None,
) -> list[Forecast]:
    """Forecast many series at once (series of equal length are fitted together).

    With ``peers``, each centre is blended with its peer path (see :mod:`._peers`):
    how series of the same indicator (``ProjectionInput.group``) at the same level moved next.

    >>> fc = forecast_many([ProjectionInput([2021, 2023], [54.0, 55.6], 2030, unit="PT")])[0]
    >>> round(fc.at(2030).value, 1), fc.models
    (61.1, ('drift',))
    """
    prepared = []
    items: list[tuple[np.ndarray, np.ndarray, int]] = []
    for item in inputs:
        years, values = clean_points(item.years, item.values)
        transform = choose_transform(item.unit, item.kind, values)
        z = transform.forward(values)
        horizon = int(item.until - years[-1]) if years.size else 0
        prepared.append((item, years, values, transform))
        items.append((years, z, horizon))
    raw = forecast_batch(items, engine=engine)
    if peers is not None:
        raw = [
            fc if fc is None else _with_peers(fc, peers, item.group, transform.name, years, z)
            for fc, (item, years, _, transform), (_, z, _) in zip(raw, prepared, items, strict=True)
        ]
    cal = DEFAULT_CALIBRATION if calibration is None else calibration
    out = []
    for (item, years, values, transform), fc in zip(prepared, raw, strict=True):
        points = tuple((int(a), float(b)) for a, b in zip(years, values, strict=True))
        notes: list[str] = []
        if fc is None:
            empty = np.array([], dtype=float)
            out.append(
                Forecast(item.key, points, transform, np.array([], dtype=int), empty, empty, empty, (), {}, False)
            )
            continue
        h = np.arange(1, fc.loc.size + 1)
        sd = fc.sd.copy()
        df = float(cal.df(years.size))
        if years.size == 2:
            notes.append(
                "with two values only the drift model can be used, and they cannot show how much the series varies"
            )
        elif fc.span != years.size - 1:
            notes.append("the years are not consecutive, so only the drift model (for unequal spacing) is used")
        if not np.isfinite(sd).any():
            if years.size > 2:
                notes.append("the values lie on an exact line, which shows no year-to-year variability")
            # on the linear scale the typical spread is relative to the series' own average annual change
            unit_scale = (
                1.0 if transform.name != "identity" else float(np.mean(np.abs(np.diff(values)) / np.diff(years)))
            )
            if transform.name in cal.typical_sigma and unit_scale > 0:
                df = float("inf")
                sd = cal.typical_sigma[transform.name] * unit_scale * np.sqrt(h * (1.0 + h / max(fc.span, 1)))
                notes.append(
                    "the interval uses the typical year-to-year variation of the calibration's series "
                    + ("on the logit scale" if transform.name == "logit" else "relative to their average annual change")
                )
            else:
                notes.append("no interval or probability without a calibration giving the typical variation")
        factors = cal.k(h, years.size)
        own = bool(np.isfinite(fc.sd).any())  # the spread is the models' own (not the typical one)
        out.append(
            Forecast(
                item.key,
                points,
                transform,
                years[-1] + h,
                fc.loc,
                sd * factors,
                factors,
                fc.models,
                fc.model_loc,
                cal.fitted,
                df,
                tuple(notes),
                cal.fitted_on,
                cal.quantiles(h, years.size, df, own) * sd[:, None],
                own and cal.distribution.cell(years.size, 1) is not None,
                fc.peer_weight,
            )
        )
    return out


def project(
    years: Sequence[int] | ArrayLike,
    values: Sequence[float] | ArrayLike,
    year: int,
    *,
    target: float | None = None,
    polarity: str = "higher",
    unit: str | None = None,
    kind: str = "level",
    calibration: Calibration | None = None,
    levels: Sequence[float] = LEVELS,
    engine: str = "fast",
) -> Projection:
    """Project one series to ``year``, with intervals and the probability of reaching ``target``.

    >>> p = project([2016, 2017, 2018, 2019, 2020, 2021, 2022, 2023],
    ...             [76.8, 78.8, 81.3, 84.2, 88.2, 92.9, 94.0, 94.7], 2025, target=95.0, unit="PT")
    >>> p.models, 94.7 < p.value < 100, p.intervals["95"][1] < 100, 0.5 < p.probability < 1
    (('drift', 'theta', 'damped'), True, True, True)
    """
    item = ProjectionInput(np.asarray(years), np.asarray(values), int(year), unit=unit, kind=kind)
    return forecast_many([item], calibration, engine)[0].at(int(year), target, polarity, levels)

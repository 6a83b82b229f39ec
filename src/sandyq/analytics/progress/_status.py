"""Status of a target: the Eurostat / Statistics Canada ratio of observed to required growth.

With a target (Eurostat SDG monitoring; Open SDG ``sdg-build``)::

    CAGR_a = (y_t / y_0) ** (1 / (t − t0)) − 1       observed, from the base year to the latest year
    CAGR_r = (x_T / y_0) ** (1 / (T − t0)) − 1       required, from the same base to the target x_T in year T
    ratio  = direction · CAGR_a / |CAGR_r|           direction = +1 higher-is-better, −1 lower-is-better

    ratio ≥ 0.95 significant progress · 0.60–0.95 moderate · 0–0.60 insufficient · < 0 movement away

A latest value that already meets the target is "target achieved" whatever the
trend; once the target year is in the data, the value in that year decides
between achieved and missed.  Without a target the observed rate (sign-flipped
when lower is better) is banded at +1 % / 0 / −1 % a year (Statistics Canada's
first implementation of the Eurostat scheme).  All thresholds are configurable.

Growth rates need positive values.  Ranks (ordinal), cumulative totals, zero or
negative values and units that may be negative use the same ratio on the
average annual *change* instead (linear, never compounded); the result says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
from numpy.typing import ArrayLike

from ..._messages import Message, joined
from ...errors import DataError, InvalidValueError, Problem, UsageError
from ...framework._units import UNITS
from ..results import json_safe

__all__ = [
    "DEFAULT_THRESHOLDS",
    "STATUSES",
    "TargetStatus",
    "Thresholds",
    "assess_status",
    "cagr",
    "classify_rate",
    "classify_ratio",
    "open_sdg_score",
    "progress_ratio",
]

Polarity = Literal["higher", "lower", "neutral"]
Kind = Literal["level", "rank", "cumulative", "flow"]

#: Every status code and its label.
STATUSES: dict[str, str] = {
    "achieved": "target achieved",
    "significant_progress": "significant progress",
    "moderate_progress": "moderate progress",
    "insufficient_progress": "insufficient progress",
    "moving_away": "movement away from the target",
    "missed": "target missed",
    "moderate_movement_away": "moderate movement away",
    "significant_movement_away": "significant movement away",
    "not_assessed": "not assessed (no desired direction)",
    "insufficient_data": "insufficient data",
    "no_data": "no data",
}


@dataclass(frozen=True)
class Thresholds:
    """Cut-offs for the ratio (with a target) and for the rate (without one).

    Defaults: 0.95 / 0.60 / 0 (Eurostat, Open SDG) and +1 % / 0 / −1 % a year
    (Statistics Canada's Eurostat-based scheme).

    >>> Thresholds(significant=0.9).significant
    0.9
    """

    significant: float = 0.95
    moderate: float = 0.60
    insufficient: float = 0.0
    rate_significant: float = 0.01
    rate_moderate: float = 0.0
    rate_away: float = -0.01

    def __post_init__(self) -> None:
        if not self.significant >= self.moderate >= self.insufficient:
            raise InvalidValueError(
                "thresholds must satisfy significant ≥ moderate ≥ insufficient",
                [Problem("", f"got {self.significant}, {self.moderate}, {self.insufficient}")],
            )
        if not self.rate_significant >= self.rate_moderate >= self.rate_away:
            raise InvalidValueError(
                "rate thresholds must satisfy significant ≥ moderate ≥ away",
                [Problem("", f"got {self.rate_significant}, {self.rate_moderate}, {self.rate_away}")],
            )

    def to_dict(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.__dict__.items()}


DEFAULT_THRESHOLDS = Thresholds()


def cagr(start: ArrayLike, end: ArrayLike, years: ArrayLike) -> Any:
    """Compound annual growth rate ``(end/start)**(1/years) − 1``; NaN where undefined.

    Undefined for a non-positive start, a negative end or a span of no years.

    >>> round(float(cagr(8.5, 17.0, 12)), 4)        # EU renewables 2004–2016
    0.0595
    >>> round(float(cagr(8.5, 20.0, 16)), 4)        # required for 20 % by 2020
    0.0549
    >>> cagr([54.0, 0.0], [55.6, 3.0], [2, 2]).round(4).tolist()
    [0.0147, nan]
    """
    s = np.asarray(start, dtype=float)
    e = np.asarray(end, dtype=float)
    n = np.asarray(years, dtype=float)
    ok = (s > 0) & (e >= 0) & (n > 0)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = np.where(
            ok, np.power(np.where(ok, e / np.where(ok, s, 1.0), 1.0), 1.0 / np.where(ok, n, 1.0)) - 1.0, np.nan
        )
    return out if out.ndim else float(out)


def progress_ratio(observed: float, required: float, polarity: Polarity) -> float:
    """``direction · observed / |required|`` (Open SDG); NaN if no direction or nothing required.

    Eurostat's reading underachievement, 2006–2018: −0.4 %/yr observed against
    −1.9 %/yr required (lower is better) is 0.21; +4.0 %/yr observed is −2.1.

    >>> round(progress_ratio(-0.004, -0.019, "lower"), 2)
    0.21
    >>> round(progress_ratio(0.040, -0.019, "lower"), 1)
    -2.1
    """
    if polarity == "neutral" or not np.isfinite(required) or required == 0 or not np.isfinite(observed):
        return float("nan")
    direction = 1.0 if polarity == "higher" else -1.0
    return direction * observed / abs(required)


def classify_ratio(ratio: float, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """The status code for a ratio of observed to required growth.

    >>> [classify_ratio(r) for r in (1.08, 0.95, 0.7, 0.21, -2.1)]
    ['significant_progress', 'significant_progress', 'moderate_progress', 'insufficient_progress', 'moving_away']
    """
    if ratio >= thresholds.significant:
        return "significant_progress"
    if ratio >= thresholds.moderate:
        return "moderate_progress"
    if ratio >= thresholds.insufficient:
        return "insufficient_progress"
    return "moving_away"


def classify_rate(rate: float, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    """The status code for a direction-adjusted annual rate when there is no target.

    >>> [classify_rate(r) for r in (0.02, 0.005, -0.005, -0.03)]
    ['significant_progress', 'moderate_progress', 'moderate_movement_away', 'significant_movement_away']
    """
    if rate > thresholds.rate_significant:
        return "significant_progress"
    if rate >= thresholds.rate_moderate:
        return "moderate_progress"
    if rate >= thresholds.rate_away:
        return "moderate_movement_away"
    return "significant_movement_away"


def open_sdg_score(
    value: float | None, *, has_target: bool, achieved: bool = False, coefficient: float = 1.0
) -> float | None:
    """Open SDG's progress score from −5 to +5 (``sdg-build`` ``SeriesProgress.get_score``).

    With a target ``value`` is the ratio: 0.95 → 2.5, 0.6 → 0, 0 → −2.5, ≥ 1.3 → 5,
    ≤ −0.6 → −5.  Without one it is the direction-adjusted CAGR, scored on Open
    SDG's own thresholds (1.5 % / 0.5 % / 0): ≤ −2 % → −5, ≥ 2 % → +5.  A target
    achieved scores 5.  ``coefficient`` is Open SDG's natural-limit reduction C.

    >>> [round(open_sdg_score(r, has_target=True), 2) for r in (0.95, 0.6, 0.0, 1.3, -0.6)]
    [2.5, 0.0, -2.5, 5.0, -5.0]
    >>> [round(open_sdg_score(v, has_target=False), 2) for v in (-0.02, 0.0, 0.005, 0.015, 0.02)]
    [-5.0, -2.5, 0.0, 2.5, 5.0]
    """
    if achieved:
        return 5.0
    if value is None or not np.isfinite(value):
        return None
    if has_target:
        if value >= 0.6:
            return min(7.1429 * value - 4.2857, 5.0)
        return max(4.1667 * value - 2.5, -5.0)
    high, med, low = 0.015 * coefficient, 0.005 * coefficient, 0.0
    if value < low:
        return max(125.0 * value - 2.5, -5.0)
    if coefficient == 0:
        return 5.0
    if value >= high:
        return min(500.0 * value / coefficient - 5.0, 5.0)
    if value >= med:
        return 250.0 * value / coefficient - 1.25
    return 500.0 * value / coefficient - 2.5


@dataclass(frozen=True)
class TargetStatus:
    """The status of one indicator against one target (or against none), and why."""

    status: str
    explanation: str
    method: str
    polarity: str
    kind: str = "level"
    target: float | None = None
    target_year: int | None = None
    base_year: int | None = None
    base_value: float | None = None
    latest_year: int | None = None
    latest_value: float | None = None
    observed_rate: float | None = None
    required_rate: float | None = None
    rate_kind: str | None = None  # "cagr" or "linear"
    ratio: float | None = None
    score: float | None = None
    anticipated_value: float | None = None
    anticipated_progress: float | None = None
    needed_rate: float | None = None  # from the latest value to the target (same kind as the observed rate)
    target_year_passed: bool = False
    points: tuple[tuple[int, float], ...] = ()
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    def to_dict(self) -> dict[str, Any]:
        out = json_safe(self)
        out["label"] = self.label
        out["points"] = [{"year": int(y), "value": json_safe(v)} for y, v in self.points]
        return dict(out)


def _num(x: float | None) -> str:
    """A number for an explanation: 17, 8.5, 0.0595, 300,000."""
    if x is None or not np.isfinite(x):
        return "n/a"
    if abs(x) >= 10000:
        return f"{x:,.0f}"
    return f"{x:.4g}"


def _rate_text(rate: float, rate_kind: str) -> Message:
    if rate_kind == "cagr":
        return Message("{rate:+.2f} % a year", {"rate": rate * 100})
    return Message("{rate:+} a year", {"rate": rate})


def clean_points(
    years: Sequence[int] | ArrayLike, values: Sequence[float] | ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Years and values as sorted arrays without missing values; duplicate years are an error."""
    y = np.asarray(years, dtype=float)
    v = np.asarray(values, dtype=float)
    if y.shape != v.shape:
        raise DataError("years and values differ in length", [Problem("", f"{y.size} years, {v.size} values")])
    keep = np.isfinite(y) & np.isfinite(v)
    y, v = y[keep].astype(int), v[keep]
    order = np.argsort(y, kind="stable")
    y, v = y[order], v[order]
    dup = y[1:][y[1:] == y[:-1]]
    if dup.size:
        raise DataError(
            "a series has two values for the same year",
            [Problem("", f"duplicate year {int(d)}") for d in np.unique(dup)],
        )
    return y, v


def resolve_polarity(
    polarity: str, kind: str, unit: str | None, target: float | None, base: float | None
) -> tuple[Polarity, list[str]]:
    """The direction to judge by: ranks are lower-is-better; a neutral indicator takes it from its target."""
    notes: list[str] = []
    if kind == "rank" or unit == "RANK":
        if polarity == "higher":
            notes.append("a rank is better when lower; judged as lower-is-better")
        return "lower", notes
    if polarity == "neutral" and target is not None and base is not None and target != base:
        inferred: Polarity = "higher" if target > base else "lower"
        notes.append(f"the indicator has no preferred direction; the target sets it ({inferred} is better)")
        return inferred, notes
    if polarity not in ("higher", "lower", "neutral"):
        raise InvalidValueError("polarity must be higher, lower or neutral", [Problem("", f"got {polarity!r}")])
    return polarity, notes  # type: ignore[return-value]


def meets(value: float, target: float, polarity: str) -> bool:
    """Whether ``value`` meets ``target`` in the desired direction."""
    return bool(value >= target) if polarity != "lower" else bool(value <= target)


def _use_linear(kind: str, unit: str | None, values: Sequence[float]) -> str | None:
    """Why growth rates cannot be used, or None if they can."""
    if kind == "rank" or unit == "RANK":
        return "a rank is ordinal, so its average annual change in places is used, not a growth rate"
    if kind == "cumulative":
        return "a cumulative total grows by addition, so its average annual increase is used, not a growth rate"
    spec = UNITS.get(unit) if unit else None
    if spec is not None and spec.minimum is not None and spec.minimum < 0:
        return f"the unit ({unit}) may be negative, so the average annual change is used, not a growth rate"
    if any(v <= 0 for v in values):
        return "a value is zero or negative, so growth rates are undefined and the average annual change is used"
    return None


@dataclass
class _Case:
    """One series reduced to what its status is judged on: the base, the evaluation point, the direction, the target.

    The helpers of :func:`assess_status` read it and add their notes to it; ``result``
    builds the :class:`TargetStatus` with the notes gathered so far.
    """

    t0: int
    x0: float
    t1: int
    x1: float
    pol: Polarity
    kind: str
    target: float | None
    target_year: int | None
    passed: bool
    notes: list[str]
    common: dict[str, Any]
    achieved: bool = False
    flow_ahead: bool = False

    @property
    def direction(self) -> float:
        """+1 when higher is better, −1 when lower is better, 0 without a direction."""
        return {"higher": 1.0, "lower": -1.0}.get(self.pol, 0.0)

    @property
    def flow_text(self) -> str:
        """Why an annual flow that already reaches its target is not yet "achieved"."""
        return Message(
            "The latest annual value {x1} ({t1}) already reaches the {target} a year set for {year}; a flow target "
            "counts as achieved only when the {year} value is reported.",
            {"x1": self.x1, "t1": self.t1, "target": self.target, "year": self.target_year},
        )

    def moved(self, observed: float, rate_kind: str) -> Message:
        """The movement from the base to the evaluation point, in words."""
        return Message(
            "from {x0} in {t0} to {x1} in {t1} ({rate})",
            {"x0": self.x0, "t0": self.t0, "x1": self.x1, "t1": self.t1, "rate": _rate_text(observed, rate_kind)},
        )

    def result(self, status: str, explanation: str, method: str, **more: Any) -> TargetStatus:
        """The status with this case's direction, points and notes."""
        return TargetStatus(status, explanation, method, self.pol, notes=tuple(self.notes), **more, **self.common)


def assess_status(
    years: Sequence[int] | ArrayLike,
    values: Sequence[float] | ArrayLike,
    *,
    target: float | None = None,
    target_year: int | None = None,
    polarity: str = "higher",
    kind: str = "level",
    unit: str | None = None,
    base_year: int | None = None,
    baseline: tuple[int, float] | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> TargetStatus:
    """Classify a series against a target (or without one) and explain why.

    The base is ``baseline`` (year, value) if given, else the first value in or
    after ``base_year``, else the first value.  Once the data reach the target
    year, the value in that year decides between achieved and missed.

    EU share of renewable energy, 8.5 % (2004) → 17 % (2016), target 20 % by 2020:

    >>> s = assess_status([2004, 2016], [8.5, 17.0], target=20.0, target_year=2020, unit="PT")
    >>> s.status, round(s.ratio, 2)
    ('significant_progress', 1.08)

    Digital Decade basic digital skills, 54 % (2021) → 55.6 % (2023), target 80 % by 2030:

    >>> s = assess_status([2021, 2023], [54.0, 55.6], target=80.0, target_year=2030, unit="PT")
    >>> s.status, round(s.ratio, 2), round(s.anticipated_value, 1), round(s.anticipated_progress, 2)
    ('insufficient_progress', 0.33, 61.6, 0.29)
    """
    if target is not None and target_year is None:
        raise UsageError("a target needs a target year", [Problem("", f"target {target} has no year")])
    y, v = clean_points(years, values)
    notes: list[str] = []
    if baseline is not None:
        y, v = _with_baseline(y, v, baseline, notes)
        base_year = int(baseline[0])
    points = tuple((int(a), float(b)) for a, b in zip(y, v, strict=True))
    common: dict[str, Any] = {"kind": kind, "target": target, "target_year": target_year, "points": points}
    if y.size == 0:
        pol, more = resolve_polarity(polarity, kind, unit, target, None)
        return TargetStatus(
            "no_data", "There are no data for this indicator.", "none", pol, notes=tuple(notes + more), **common
        )
    start = _base_index(y, base_year, baseline is not None, notes)
    pol, more = resolve_polarity(polarity, kind, unit, target, float(v[start]))
    notes += more
    passed, end = _evaluation_index(y, start, target_year, notes)
    t0, x0, t1, x1 = int(y[start]), float(v[start]), int(y[end]), float(v[end])
    common.update(base_year=t0, base_value=x0, latest_year=t1, latest_value=x1, target_year_passed=passed)
    case = _Case(t0, x0, t1, x1, pol, kind, target, target_year, passed, notes, common)
    _judge_achieved(case, y[end + 1 :], v[end + 1 :])
    if t1 == t0:
        return _without_trend(case, y.size)

    why_linear = _use_linear(kind, unit, [x0, x1] + ([] if target is None else [float(target)]))
    if why_linear:
        notes.append(why_linear)
    rate_kind = "linear" if why_linear else "cagr"
    observed = (x1 - x0) / (t1 - t0) if why_linear else float(cagr(x0, x1, t1 - t0))
    if target is None:
        return _no_target(case, observed, rate_kind, thresholds)
    return _with_target(case, observed, rate_kind, thresholds)


def _with_baseline(
    y: np.ndarray, v: np.ndarray, baseline: tuple[int, float], notes: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """The points with the programme baseline in place of the data's value for its year (noted if they differ)."""
    b_year, b_value = int(baseline[0]), float(baseline[1])
    if b_year in y and not np.isclose(v[y == b_year][0], b_value):
        given = _num(float(v[y == b_year][0]))
        notes.append(f"the data give {given} for {b_year}; the programme baseline {_num(b_value)} is used")
    keep = y != b_year
    y, v = np.append(y[keep], b_year), np.append(v[keep], b_value)
    order = np.argsort(y)
    return y[order], v[order]


def _base_index(y: np.ndarray, base_year: int | None, from_baseline: bool, notes: list[str]) -> int:
    """The index of the base point: the first value in or after ``base_year`` (the latest if none is)."""
    start = 0 if base_year is None else int(np.searchsorted(y, base_year))
    if start >= y.size:
        notes.append(f"no value in or after base year {base_year}; the latest value is the only point")
        return y.size - 1
    if base_year is not None and y[start] != base_year and not from_baseline:
        notes.append(f"no value for base year {base_year}; the next year with data, {y[start]}, is the base")
    return start


def _evaluation_index(y: np.ndarray, start: int, target_year: int | None, notes: list[str]) -> tuple[bool, int]:
    """Whether the data reach the target year, and the index of the evaluation point.

    The evaluation point is the latest value, or the value in the target year once
    the data reach it (the last one before it if that year is missing), never before the base.
    """
    if target_year is None or int(y[-1]) < target_year:
        return False, y.size - 1
    upto = np.flatnonzero(y <= target_year)
    end = int(upto[-1]) if upto.size else start
    if int(y[end]) != target_year:
        notes.append(f"no value for the target year {target_year}; the last value before it ({y[end]}) is used")
    return True, max(end, start)


def _judge_achieved(case: _Case, later_years: np.ndarray, later_values: np.ndarray) -> None:
    """Set whether the evaluation point meets the target, and whether it is an annual flow met ahead of time.

    A missed target reached after the target year is noted.  An annual flow counts as
    achieved only with the flow of the target year itself, so a flow that reaches its
    target earlier is ``flow_ahead`` instead of achieved.
    """
    if case.target is None:
        return
    target, pol = float(case.target), case.pol
    achieved = pol != "neutral" and meets(case.x1, target, pol)
    if case.passed and not achieved:
        later = [(int(a), float(b)) for a, b in zip(later_years, later_values, strict=True) if meets(b, target, pol)]
        if later:
            case.notes.append(f"reached the target later, in {later[0][0]} ({_num(later[0][1])})")
    case.flow_ahead = achieved and case.kind == "flow" and not case.passed
    case.achieved = achieved and not case.flow_ahead


def _without_trend(case: _Case, n_points: int) -> TargetStatus:
    """The status when the evaluation point is the base itself, so no rate can be measured.

    An annual flow that reaches its target in its only year says nothing about progress (one good year is not a
    trend, and the flow is judged in the target year): ``insufficient_data``, never a progress status.

    >>> s = assess_status([2019], [600.0], target=500, target_year=2025, kind="flow")
    >>> s.status
    'insufficient_data'
    """
    if case.flow_ahead:
        text = Message("{flow} One data point shows no trend; progress needs a second.", {"flow": case.flow_text})
        return case.result("insufficient_data", text, "latest annual value compared with the target")
    if case.achieved:
        if case.passed and case.t1 == case.target_year:
            text = Message(
                "The value {x1} in the target year {year} meets the target {target}.",
                {"x1": case.x1, "year": case.target_year, "target": case.target},
            )
        else:
            text = Message(
                "The value {x1} ({t1}) already meets the target {target} for {year}; a trend needs a second data "
                "point.",
                {"x1": case.x1, "t1": case.t1, "target": case.target, "year": case.target_year},
            )
        return case.result("achieved", text, "latest value compared with the target", score=5.0)
    one = (
        Message("Only one data point ({t1}: {x1}); a trend needs at least two.", {"t1": case.t1, "x1": case.x1})
        if n_points == 1
        else Message(
            "No value after the base year {t0} ({x0}), so progress since then cannot be measured yet.",
            {"t0": case.t0, "x0": case.x0},
        )
    )
    return case.result("insufficient_data", one, "none")


def _with_target(case: _Case, observed: float, rate_kind: str, thresholds: Thresholds) -> TargetStatus:
    """The Eurostat / Open SDG status: the observed rate against the rate the target requires."""
    assert case.target is not None and case.target_year is not None
    target, horizon = case.target, case.target_year - case.t0
    linear = rate_kind == "linear"
    if horizon > 0:
        required = (target - case.x0) / horizon if linear else float(cagr(case.x0, target, horizon))
    else:
        required = float("nan")
    ratio = progress_ratio(observed, required, case.pol) if case.direction * required > 0 else float("nan")
    anticipated, anticipated_progress = _anticipated(case, observed, linear)
    needed = _needed(case, linear)
    status, text = _target_verdict(case, observed, required, ratio, rate_kind, thresholds)
    method = Message(
        "Eurostat/Open SDG ratio, on the average annual change (linear) instead of growth rates"
        if linear
        else "Eurostat/Open SDG ratio of observed to required compound annual growth (CAGR) from the base year"
    )
    limits = {"a": float(thresholds.significant), "b": float(thresholds.moderate), "c": float(thresholds.insufficient)}
    return case.result(
        status,
        text,
        joined(method, Message("thresholds {a} / {b} / {c}", limits), sep="; "),
        observed_rate=observed,
        required_rate=required if np.isfinite(required) else None,
        rate_kind=rate_kind,
        ratio=ratio if np.isfinite(ratio) else None,
        score=open_sdg_score(ratio if np.isfinite(ratio) else None, has_target=True, achieved=case.achieved),
        anticipated_value=anticipated,
        anticipated_progress=anticipated_progress,
        needed_rate=needed,
    )


def _needed(case: _Case, linear: bool) -> float | None:
    """The annual rate that takes the latest value to the target by the target year (None once met or due)."""
    if case.passed or case.achieved or case.flow_ahead or case.target is None or case.target_year is None:
        return None
    ahead = case.target_year - case.t1
    if ahead <= 0:
        return None
    if linear:
        return (case.target - case.x1) / ahead
    rate = float(cagr(case.x1, case.target, ahead))
    return rate if np.isfinite(rate) else None


def _anticipated(case: _Case, observed: float, linear: bool) -> tuple[float | None, float | None]:
    """The value the observed rate leads to by the target year, and the share of the way to the target it is."""
    if case.passed:
        return None, None
    assert case.target is not None and case.target_year is not None
    ahead = case.target_year - case.t1
    anticipated = case.x1 + observed * ahead if linear else case.x1 * (1.0 + observed) ** ahead
    if case.target == case.x0:
        return anticipated, None
    return anticipated, (anticipated - case.x0) / (case.target - case.x0)


def _target_verdict(
    case: _Case, observed: float, required: float, ratio: float, rate_kind: str, thresholds: Thresholds
) -> tuple[str, str]:
    """The status code and its explanation against a target, the first matching case deciding."""
    target, target_year, t0 = case.target, case.target_year, case.t0
    common = {"target": target, "year": target_year, "t0": t0, "x0": case.x0, "x1": case.x1, "t1": case.t1}
    if case.flow_ahead:
        return "significant_progress", case.flow_text
    if case.achieved:
        if case.direction * observed < 0:
            case.notes.append(f"the value has moved away from the target since {t0}, though it still meets it")
        pol = Message(f"{case.pol} is better")
        if case.passed and case.t1 == target_year:
            msgid = "The value {x1} in the target year {year} meets the target {target} ({pol})."
        else:
            msgid = "The value {x1} in {t1} meets the target {target} ({pol})."
        return "achieved", Message(msgid, {**common, "pol": pol})
    moved = case.moved(observed, rate_kind)
    need = Message(
        "reaching {target} by {year} required {rate} from {t0}", {**common, "rate": _rate_text(required, rate_kind)}
    )
    if case.passed:
        ratio_txt = Message("ratio {r:.2f}", {"r": ratio}) if np.isfinite(ratio) else Message("no ratio")
        return "missed", Message(
            "The target {target} for {year} was not met: the value was {x1} in {t1}; it moved {moved}, {need} "
            "({ratio}).",
            {**common, "moved": moved, "need": need, "ratio": ratio_txt},
        )
    if not np.isfinite(required):
        return "insufficient_data", Message(
            "The base year {t0} is not before the target year {year}, so no required rate can be set.", common
        )
    if case.direction * required <= 0:
        return "moving_away", Message(
            "The base value {x0} ({t0}) already met the target {target}, but the latest value {x1} ({t1}) no longer "
            "does.",
            common,
        )
    status = classify_ratio(ratio, thresholds)
    return status, Message(
        "The value moved {moved}; {need}. The ratio of observed to required is {ratio:.2f}, {band}: {status}.",
        {"moved": moved, "need": need, "ratio": ratio, "band": _ratio_band(status, thresholds),
         "status": Message(STATUSES[status])},
    )  # fmt: skip


def _ratio_band(status: str, thresholds: Thresholds) -> str:
    """The band of ratios a status stands for, in words."""
    t = thresholds
    return {
        "significant_progress": Message("≥ {a}", {"a": t.significant}),
        "moderate_progress": Message("between {a} and {b}", {"a": t.moderate, "b": t.significant}),
        "insufficient_progress": Message("between {a} and {b}", {"a": t.insufficient, "b": t.moderate}),
        "moving_away": Message("< {a}", {"a": t.insufficient}),
    }[status]


def _no_target(case: _Case, observed: float, rate_kind: str, thresholds: Thresholds) -> TargetStatus:
    """The no-target variant: the observed rate itself, in the desired direction."""
    base, pol, moved = case.x0, case.pol, case.moved(observed, rate_kind)
    rate = observed if rate_kind == "cagr" else (observed / abs(base) if base != 0 else float("nan"))
    if rate_kind != "cagr":
        case.notes.append("the rate is the average annual change relative to the base value (not compounded)")
    if pol == "neutral":
        return case.result(
            "not_assessed",
            Message(
                "The value moved {moved}; the indicator has no preferred direction and no target, so it is not judged.",
                {"moved": moved},
            ),
            "observed trend only",
            observed_rate=observed,
            rate_kind=rate_kind,
        )
    adjusted = case.direction * rate
    if not np.isfinite(adjusted):
        return case.result(
            "insufficient_data",
            Message("The value moved {moved}; a zero base gives no relative rate.", {"moved": moved}),
            "none",
            observed_rate=observed,
            rate_kind=rate_kind,
        )
    status = classify_rate(adjusted, thresholds)
    text = Message(
        "No target: the value moved {moved}; in the desired direction ({pol}) that is {rate:+.2f} % a year against "
        "bands of {a:+} % / {b:+} % / {c:+} %: {status}.",
        {"moved": moved, "pol": Message(f"{pol} is better"), "rate": adjusted * 100,
         "a": thresholds.rate_significant * 100, "b": thresholds.rate_moderate * 100,
         "c": thresholds.rate_away * 100, "status": Message(STATUSES[status])},
    )  # fmt: skip
    return case.result(
        status,
        text,
        "Eurostat no-target variant (Statistics Canada thresholds): "
        "the observed annual rate, sign-flipped when lower is better",
        observed_rate=observed,
        rate_kind=rate_kind,
        ratio=None,
        score=open_sdg_score(adjusted, has_target=False),
    )

"""Assessment of one series against a target and its milestones: status, projection, probability.

:func:`assess` is the ad-hoc entry point (``sandyq assess --values 2004:8.5,2016:17
--target 20 --target-year 2020``); :func:`assess_series` is what the programme
roll-up calls for every target.  A multi-milestone target (rank 30 by 2022, 25
by 2025, 15 by 2050) is assessed against the next milestone not yet past, and
every milestone is reported: met or missed where the data reach it, otherwise
projected with the probability of reaching it.

Two more answers come with every assessment: the *required path* — the values
that, year by year from the base, would have reached each milestone at the
rate the status compares against (compound or linear, as the status) — and, when
the status (the pace so far) and the probability (reaching the milestone) seem
to disagree, one sentence saying why (:func:`reconcile`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ..._messages import Message, joined
from ...errors import InvalidValueError, Problem, UsageError
from ..results import json_safe
from ._calibration import Calibration
from ._peers import PeerPanel
from ._projection import Forecast, Projection, ProjectionInput, forecast_many
from ._series import as_of_date
from ._status import DEFAULT_THRESHOLDS, TargetStatus, Thresholds, _num, assess_status, clean_points, meets

__all__ = ["Assessment", "MilestoneCheck", "assess", "assess_series", "parse_values", "reconcile", "required_path"]

#: Statuses that say the pace so far is enough, and those that say it is not (the others make no claim on pace).
_ON_PACE = frozenset({"significant_progress"})
_OFF_PACE = frozenset({"moderate_progress", "insufficient_progress", "moving_away"})


@dataclass(frozen=True)
class MilestoneCheck:
    """One milestone (or the final target): met, missed, projected, or before the data."""

    year: int
    target: float
    state: str  # "met", "missed", "projected", "no_data"
    explanation: str
    observed: float | None = None
    observed_year: int | None = None
    projected: float | None = None
    interval95: tuple[float, float] | None = None
    probability: float | None = None
    current: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dict(json_safe(self))


@dataclass(frozen=True)
class Assessment:
    """Status, projection and milestones of one series, with the explanation and the data used."""

    status: TargetStatus
    projection: Projection | None
    milestones: tuple[MilestoneCheck, ...]
    explanation: str
    method: str
    as_of: int | None = None
    required: tuple[tuple[int, float], ...] = ()  # the required path, year by year (see required_path)
    reconciliation: str | None = None  # why status and probability differ, when they seem to

    @property
    def points(self) -> tuple[tuple[int, float], ...]:
        return self.status.points

    @property
    def probability(self) -> float | None:
        return None if self.projection is None else self.projection.probability

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status.to_dict(),
            "projection": None if self.projection is None else self.projection.to_dict(),
            "milestones": [m.to_dict() for m in self.milestones],
            "explanation": self.explanation,
            "method": self.method,
            "as_of": self.as_of,
            "points": [{"year": y, "value": json_safe(v)} for y, v in self.points],
            "required_trajectory": [{"year": y, "value": json_safe(v)} for y, v in self.required],
            "reconciliation": self.reconciliation,
        }

    def to_text(self) -> str:
        """Plain text for the terminal."""
        s = self.status
        head = f"Status: {s.label}"
        if s.ratio is not None:
            head += f" (ratio of observed to required growth {s.ratio:.2f})"
        lines = [head, s.explanation]
        p = self.projection
        if p is not None and p.value is not None:
            iv = "; ".join(f"{k} %: {_num(a)}–{_num(b)}" for k, (a, b) in p.intervals.items())
            line = f"Projection {p.year}: {_num(p.value)}" + (f" ({iv})" if iv else "")
            if p.probability is not None and p.target is not None:
                line += f"; probability of reaching {_num(p.target)}: {p.probability * 100:.0f} %"
            lines.append(line)
        elif p is not None:
            lines.append(p.explanation)
        if self.reconciliation:
            lines.append(self.reconciliation)
        if len(self.milestones) > 1:
            lines.append("Milestones:")
            lines += [f"  {m.year} ({_num(m.target)}): {m.explanation}" for m in self.milestones]
        notes = list(s.notes) + ([] if p is None else list(p.notes))
        lines += [f"Note: {n}." for n in dict.fromkeys(notes)]
        lines.append("Data: " + ", ".join(f"{y}: {_num(v)}" for y, v in self.points))
        lines.append(f"Method: {self.method}")
        return "\n".join(lines)


def parse_values(text: str) -> dict[int, float]:
    """Parse ``"2004:8.5,2016:17"`` (also ``=`` and ``;``) into ``{year: value}``.

    >>> parse_values("2004:8.5, 2016:17")
    {2004: 8.5, 2016: 17.0}
    """
    out: dict[int, float] = {}
    problems = []
    for item in [p for p in re.split(r"[,;\s]+", text.strip()) if p]:
        m = re.fullmatch(r"(\d{4})[:=](-?\d+(?:\.\d*)?(?:[eE]-?\d+)?)", item)
        if not m:
            problems.append(Problem("--values", f"{item!r} is not YEAR:VALUE (e.g. 2016:17.5)"))
            continue
        year = int(m.group(1))
        if year in out:
            problems.append(Problem("--values", f"year {year} is given twice"))
        out[year] = float(m.group(2))
    if problems or not out:
        raise InvalidValueError("the values could not be read", problems or [Problem("--values", "no values given")])
    return out


def _value_at(years: np.ndarray, values: np.ndarray, year: int) -> tuple[float | None, str]:
    """The observed value in ``year``, else a linear interpolation between the neighbouring years."""
    hit = np.flatnonzero(years == year)
    if hit.size:
        return float(values[hit[0]]), ""
    if years.size < 2 or year < years[0] or year > years[-1]:
        return None, ""
    return float(np.interp(year, years, values)), " (interpolated between neighbouring years)"


def _milestone(
    year: int,
    target: float,
    years: np.ndarray,
    values: np.ndarray,
    polarity: str,
    forecast: Forecast | None,
    current: bool,
    kind: str = "level",
    ref: int | None = None,
) -> MilestoneCheck:
    """One milestone checked: against the data where they reach its year, else against the projection."""
    if years.size and year <= int(years[-1]):
        return _observed_milestone(year, target, years, values, polarity, current)
    return _projected_milestone(year, target, years, values, polarity, forecast, current, kind, ref)


def _observed_milestone(
    year: int, target: float, years: np.ndarray, values: np.ndarray, polarity: str, current: bool
) -> MilestoneCheck:
    """A milestone the data reach: met or missed by the value of its year (interpolated if need be)."""
    value, how = _value_at(years, values, year)
    if value is None:
        return MilestoneCheck(
            year, target, "no_data", f"no data for {year} (the data start in {years[0]})", current=current
        )
    word = "met" if meets(value, target, polarity) else "missed"
    text = f"{word}: {_num(value)} in {year}{how} against {_num(target)}"
    return MilestoneCheck(year, target, word, text, value, year, current=current)


def _projected_milestone(
    year: int,
    target: float,
    years: np.ndarray,
    values: np.ndarray,
    polarity: str,
    forecast: Forecast | None,
    current: bool,
    kind: str,
    ref: int | None,
) -> MilestoneCheck:
    """A milestone after the data: already reached by a stock, else projected with its probability."""
    proj = forecast.at(year, target, polarity) if forecast is not None else None
    projected, iv, prob = (
        (None, None, None) if proj is None else (proj.value, proj.intervals.get("95"), proj.probability)
    )
    last = int(years[-1]) if years.size else None
    if last is not None and kind != "flow" and meets(float(values[-1]), target, polarity):
        text = f"already reached: {_num(float(values[-1]))} in {last}, ahead of {year}"
        return MilestoneCheck(year, target, "met", text, float(values[-1]), last, projected, iv, prob, current)
    overdue = ref is not None and year < ref
    if projected is None:
        why = "no data" if last is None else "too few data to project"
        due = f"due in {year} but not yet in the data" if overdue else "not yet due"
        return MilestoneCheck(year, target, "no_data", f"{due}; {why}", current=current)
    text = f"projected {_num(projected)}"
    if overdue:
        text = f"due in {year} but not yet in the data; {text}"
    if iv is not None:
        text += f" (95 %: {_num(iv[0])}–{_num(iv[1])})"
    if prob is not None:
        text += f", probability of reaching it {prob * 100:.0f} %"
    return MilestoneCheck(year, target, "projected", text, None, None, projected, iv, prob, current)


def assess_series(
    years: Sequence[int] | ArrayLike,
    values: Sequence[float] | ArrayLike,
    milestones: Sequence[tuple[int, float]] = (),
    *,
    polarity: str = "higher",
    kind: str = "level",
    unit: str | None = None,
    base_year: int | None = None,
    baseline: tuple[int, float] | None = None,
    as_of_year: int | None = None,
    project_to: int | None = None,
    calibration: Calibration | None = None,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    engine: str = "fast",
    series_end: tuple[int, Any] | None = None,
    peers: PeerPanel | None = None,
    group: str = "",
) -> Assessment:
    """Assess a series against a trajectory of (year, value) milestones, the last being the target.

    The current milestone is the first one after the latest data and not before
    ``as_of_year`` (default: the latest data year); if every milestone is past,
    the final target.  ``series_end`` (last year, why) marks a discontinued
    series: milestones after its last year cannot be judged on it, and if the
    current one is among them the status says so instead of a verdict.
    ``peers`` and ``group`` (the indicator) blend the projection with peer paths (see :mod:`._peers`).

    >>> a = assess_series([2015, 2016], [52.0, 52.0], [(2022, 30.0), (2025, 25.0), (2050, 15.0)],
    ...                   kind="rank", unit="RANK", as_of_year=2018)
    >>> a.status.status, a.status.target_year, [m.state for m in a.milestones]
    ('insufficient_progress', 2022, ['projected', 'projected', 'projected'])
    """
    y, v = clean_points(years, values)
    if baseline is not None and baseline[0] not in y:
        y, v = clean_points(np.append(y, baseline[0]), np.append(v, baseline[1]))
    trajectory = sorted((int(a), float(b)) for a, b in milestones)
    last = int(y[-1]) if y.size else None
    ref = as_of_year if as_of_year is not None else last
    current = _current_milestone(trajectory, last, ref)
    target, target_year = (None, project_to) if current is None else (current[1], current[0])
    status = assess_status(
        y, v, target=target, target_year=None if current is None else current[0],
        polarity=polarity, kind=kind, unit=unit, base_year=base_year, baseline=baseline, thresholds=thresholds,
    )  # fmt: skip
    pol = status.polarity
    until = max([m[0] for m in trajectory] + ([project_to] if project_to else []), default=0)
    forecast = None
    if last is not None and until > last:
        item = ProjectionInput(y, v, until, unit=unit, kind=kind, group=group)
        forecast = forecast_many([item], calibration, engine, peers=peers)[0]
    late = _overdue_note(current, last, ref)
    if late:
        overdue = (
            Message(
                "The target year {year} has passed but no figure for it is in the data, so this is the pace up to "
                "{last}, not a verdict of met or missed.",
                {"year": current[0], "last": last},
            )
            if current is not None and status.status not in ("achieved", "no_data", "insufficient_data")
            else ""
        )
        explanation = joined(status.explanation, overdue)
        status = TargetStatus(**{**status.__dict__, "notes": status.notes + (late,), "explanation": explanation})
    projection = None
    if forecast is not None and target_year is not None and target_year > int(y[-1]):
        projection = forecast.at(target_year, target, pol)
    checks = tuple(_milestone(a, b, y, v, pol, forecast, (a, b) == current, kind, ref) for a, b in trajectory)
    path = required_path(status, trajectory)
    if series_end is not None and last is not None and last <= series_end[0]:
        ended = _ended(status, checks, trajectory, current, series_end)
        if ended is not None:
            status, checks = ended
            return Assessment(status, None, checks, status.explanation, status.method, ref, path)
    why = reconcile(status, projection, y, v)
    if projection is None or projection.value is None:
        text = joined(status.explanation, why)
        return Assessment(status, projection, checks, text, status.method, ref, path, why)
    text = joined(status.explanation, projection.explanation, why)
    method = Message("{basis}. Projection: {projection}", {"basis": status.method, "projection": projection.method})
    return Assessment(status, projection, checks, text, method, ref, path, why)


def _ended(
    status: TargetStatus,
    checks: tuple[MilestoneCheck, ...],
    trajectory: Sequence[tuple[int, float]],
    current: tuple[int, float] | None,
    series_end: tuple[int, Any],
) -> tuple[TargetStatus, tuple[MilestoneCheck, ...]] | None:
    """The status and milestones of a series that ended before the current milestone (None if it did not)."""
    last_year, reason = series_end
    beyond = [(a, b) for a, b in trajectory if a > last_year]
    if not beyond or current is None or current[0] <= last_year:
        return None
    listed = ", ".join(f"{a}: {_num(b)}" for a, b in beyond)
    text = Message(
        "{reason} Its last value is {x} ({year}); the milestones after {last} ({listed}) cannot be judged on it.",
        {"reason": reason, "x": status.latest_value, "year": status.latest_year, "last": last_year, "listed": listed},
    )
    earlier = f"on the data up to {status.latest_year} the pace was: {status.label}"
    if status.ratio is not None:
        earlier += f" (ratio {status.ratio:.2f})"
    ended = TargetStatus(
        **{**status.__dict__, "status": "insufficient_data", "explanation": text, "method": "none",
           "score": None, "notes": (*status.notes, earlier)}
    )  # fmt: skip
    why = f"cannot be judged: the series ended in {last_year}"
    new = tuple(
        MilestoneCheck(m.year, m.target, "no_data", why, current=m.current) if m.year > last_year else m for m in checks
    )
    return ended, new


def required_path(status: TargetStatus, trajectory: Sequence[tuple[int, float]]) -> tuple[tuple[int, float], ...]:
    """Year by year, the values that lead from the base to each milestone in turn.

    Compound growth between two points where the status compares growth rates,
    a straight line where it compares annual changes (ranks, cumulative totals,
    zero or negative values).  Empty without a base or without milestones after it.

    >>> s = assess_status([2017, 2019], [77.0, 80.0], target=83.0, target_year=2022, unit="PT")
    >>> [(y, round(v, 2)) for y, v in required_path(s, [(2018, 77.0), (2022, 83.0)])]
    [(2017, 77.0), (2018, 77.0), (2019, 78.46), (2020, 79.94), (2021, 81.46), (2022, 83.0)]
    """
    if status.base_year is None or status.base_value is None:
        return ()
    ahead = [(int(a), float(b)) for a, b in sorted(trajectory) if a > status.base_year]
    if not ahead:
        return ()
    linear = status.rate_kind == "linear"
    out = [(int(status.base_year), float(status.base_value))]
    for year, value in ahead:
        y0, x0 = out[-1]
        geometric = not linear and x0 > 0 and value > 0
        for t in range(y0 + 1, year + 1):
            share = (t - y0) / (year - y0)
            out.append((t, x0 * (value / x0) ** share if geometric else x0 + (value - x0) * share))
    return tuple(out)


def _rate(rate: float, kind: str | None) -> str:
    if kind == "cagr":
        return f"{rate * 100:+.1f} % a year"
    return f"{'+' if rate >= 0 else ''}{_num(rate)} a year"


def reconcile(status: TargetStatus, projection: Projection | None, years: np.ndarray, values: np.ndarray) -> str | None:
    """One sentence saying why the status (the pace so far) and the probability seem to disagree, or None.

    They seem to disagree when the pace is enough (significant progress) but the
    probability of reaching the milestone is below one half, when the pace falls
    short but the probability is at least one half, or when the latest value
    meets a target not yet due but the projection makes it unlikely to still
    meet it then.  The sentence names the likeliest reason: the recent trend
    differs from the trend since the base, the value is near a bound it cannot
    pass, or the projection is too uncertain to separate the two.

    >>> s = assess_status([2015, 2020, 2021, 2022], [50.0, 80.0, 81.0, 81.5], target=95.0, target_year=2027,
    ...                   unit="PT")
    >>> s.status
    'significant_progress'
    >>> p = Projection(2027, 86.0, {"95": (80.0, 92.0)}, 0.1, 95.0, "higher", 5, "", "")
    >>> why = reconcile(s, p, np.array([2015, 2020, 2021, 2022]), np.array([50.0, 80.0, 81.0, 81.5]))
    >>> why.split(", because ")[1]
    'growth has slowed recently (+0.9 % a year from 2020 to 2022).'
    >>> why.startswith("The pace since 2015 (+7.2 % a year) has kept up with the +5.5 % a year the target required")
    True
    """
    if projection is None or projection.probability is None or projection.target is None:
        return None
    p = projection.probability
    st = status.status
    on_pace = st in _ON_PACE and p < 0.5
    off_pace = st in _OFF_PACE and p >= 0.5
    meets_now = st == "achieved" and not status.target_year_passed and p < 0.5
    if not (on_pace or off_pace or meets_now):
        return None
    target, year = _num(projection.target), projection.year
    chance = f"{p * 100:.0f} %"
    reason = _why_differ(status, projection, years, values, slower=on_pace or meets_now)
    if meets_now:
        return (
            f"The latest value already meets the target, but the projection gives only {chance} that it will still "
            f"do so in {year}, because {reason}."
        )
    observed = _rate(status.observed_rate or 0.0, status.rate_kind)
    required = _rate(status.required_rate or 0.0, status.rate_kind)
    if on_pace:
        return (
            f"The pace since {status.base_year} ({observed}) has kept up with the {required} the target required, "
            f"but the projection gives only {chance} of reaching {target} by {year}, because {reason}."
        )
    return (
        f"The pace since {status.base_year} ({observed}) has fallen short of the {required} the target required, "
        f"yet the projection gives {chance} of reaching {target} by {year}, because {reason}."
    )


def _why_differ(
    status: TargetStatus, projection: Projection, years: np.ndarray, values: np.ndarray, slower: bool
) -> str:
    """The likeliest reason the projection and the pace since the base point different ways."""
    base = status.base_year if status.base_year is not None else int(years[0]) if years.size else None
    keep = years >= base if base is not None else np.ones(years.size, dtype=bool)
    y, v = years[keep], values[keep]
    if y.size >= 3:
        k = int(np.flatnonzero(y >= y[-1] - 3)[0])  # the recent window: the last three years
        k = min(k, y.size - 2)
        t0, x0, t1, x1 = int(y[k]), float(v[k]), int(y[-1]), float(v[-1])
        if status.rate_kind == "cagr" and x0 > 0 and x1 > 0:
            recent = (x1 / x0) ** (1.0 / (t1 - t0)) - 1.0
        else:
            recent = (x1 - x0) / (t1 - t0)
        overall = status.observed_rate or 0.0
        if (slower and recent < 0.7 * overall) or (not slower and recent > 1.3 * overall):
            word = "slowed" if slower else "picked up"
            return f"growth has {word} recently ({_rate(recent, status.rate_kind)} from {t0} to {t1})"
    if projection.transform == "logit" and slower:
        return "a share grows more slowly as it nears its upper bound, and the projection allows for that"
    if not slower and status.needed_rate is not None:
        return (
            f"the latest value is already close: {_rate(status.needed_rate, status.rate_kind)} from "
            f"{status.latest_year} is enough"
        )
    iv = projection.intervals.get("95")
    spread = f" (95 %: {_num(iv[0])}–{_num(iv[1])})" if iv else ""
    return f"the projection is uncertain{spread} and its centre lies on the other side of the target"


def _current_milestone(
    trajectory: Sequence[tuple[int, float]], last: int | None, ref: int | None
) -> tuple[int, float] | None:
    """The first milestone after the latest data and not before the reference year; else the final target."""
    if not trajectory:
        return None
    ahead = [m for m in trajectory if (last is None or m[0] > last) and (ref is None or m[0] >= ref)]
    return ahead[0] if ahead else trajectory[-1]


def _overdue_note(current: tuple[int, float] | None, last: int | None, ref: int | None) -> str | None:
    """A note when the current target year has passed by the reference year while the data stop before it."""
    if current is None or ref is None or ref <= current[0] or (last is not None and last >= current[0]):
        return None
    return f"the target year {current[0]} has passed but its data are not yet available"


def assess(
    values: Mapping[int, float] | Mapping[str, float] | str,
    target: float | None = None,
    target_year: int | None = None,
    *,
    polarity: str = "higher",
    kind: str = "level",
    unit: str | None = None,
    base_year: int | None = None,
    milestones: Sequence[tuple[int, float]] = (),
    as_of: dt.date | str | int | None = None,
    calibration: Calibration | None = None,
    thresholds: Thresholds | None = None,
) -> Assessment:
    """Ad-hoc assessment of ``{year: value}`` (or ``"2004:8.5,2016:17"``) against a target.

    EU renewables 8.5 % (2004) → 17 % (2016) against 20 % by 2020:

    >>> a = assess("2004:8.5,2016:17", target=20, target_year=2020, unit="PT")
    >>> a.status.label, round(a.status.ratio, 2), a.projection.year
    ('significant progress', 1.08, 2020)
    """
    data = parse_values(values) if isinstance(values, str) else {int(k): float(x) for k, x in values.items()}
    if target is not None and target_year is None:
        raise UsageError("a target needs a target year", [Problem("--target-year", "missing")])
    trajectory = list(milestones)
    if target is not None and target_year is not None:
        trajectory = [m for m in trajectory if m[0] != target_year] + [(int(target_year), float(target))]
    if isinstance(as_of, int):
        ref: int | None = as_of
    else:
        day = as_of_date(as_of)
        ref = None if day is None else day.year
    return assess_series(
        list(data), list(data.values()), trajectory, polarity=polarity, kind=kind, unit=unit, base_year=base_year,
        as_of_year=ref, project_to=target_year, calibration=calibration, thresholds=thresholds or DEFAULT_THRESHOLDS,
    )  # fmt: skip

"""Assessment of one series against a target and its milestones: status, projection, probability.

:func:`assess` is the ad-hoc entry point (``sandyq assess --values 2004:8.5,2016:17
--target 20 --target-year 2020``); :func:`assess_series` is what the programme
roll-up calls for every target.  A multi-milestone target (rank 30 by 2022, 25
by 2025, 15 by 2050) is assessed against the next milestone not yet past, and
every milestone is reported: met or missed where the data reach it, otherwise
projected with the probability of reaching it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from ...errors import InvalidValueError, Problem, UsageError
from ..results import json_safe
from ._calibration import Calibration
from ._projection import Forecast, Projection, ProjectionInput, forecast_many
from ._series import as_of_date
from ._status import DEFAULT_THRESHOLDS, TargetStatus, Thresholds, _num, assess_status, clean_points, meets

__all__ = ["Assessment", "MilestoneCheck", "assess", "assess_series", "parse_values"]


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
) -> Assessment:
    """Assess a series against a trajectory of (year, value) milestones, the last being the target.

    The current milestone is the first one after the latest data and not before
    ``as_of_year`` (default: the latest data year); if every milestone is past,
    the final target.

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
        forecast = forecast_many([ProjectionInput(y, v, until, unit=unit, kind=kind)], calibration, engine)[0]
    late = _overdue_note(current, last, ref)
    if late:
        status = TargetStatus(**{**status.__dict__, "notes": status.notes + (late,)})
    projection = None
    if forecast is not None and target_year is not None and target_year > int(y[-1]):
        projection = forecast.at(target_year, target, pol)
    checks = tuple(_milestone(a, b, y, v, pol, forecast, (a, b) == current, kind, ref) for a, b in trajectory)
    if projection is None or projection.value is None:
        return Assessment(status, projection, checks, status.explanation, status.method, ref)
    text = f"{status.explanation} {projection.explanation}"
    return Assessment(status, projection, checks, text, f"{status.method}. Projection: {projection.method}", ref)


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

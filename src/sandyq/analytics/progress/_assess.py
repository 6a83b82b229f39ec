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
from .._results import json_safe
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
    last = int(years[-1]) if years.size else None
    if last is not None and year <= last:
        value, how = _value_at(years, values, year)
        if value is None:
            return MilestoneCheck(
                year, target, "no_data", f"no data for {year} (the data start in {years[0]})", current=current
            )
        ok = meets(value, target, polarity)
        word = "met" if ok else "missed"
        return MilestoneCheck(
            year,
            target,
            word,
            f"{word}: {_num(value)} in {year}{how} against {_num(target)}",
            value,
            year,
            current=current,
        )
    proj = forecast.at(year, target, polarity) if forecast is not None else None
    projected = proj.value if proj is not None else None
    iv = proj.intervals.get("95") if proj is not None else None
    prob = proj.probability if proj is not None else None
    if last is not None and kind != "flow" and meets(float(values[-1]), target, polarity):
        text = f"already reached: {_num(float(values[-1]))} in {last}, ahead of {year}"
        return MilestoneCheck(year, target, "met", text, float(values[-1]), last, projected, iv, prob, current)
    if projected is None:
        why = "no data" if last is None else "too few data to project"
        due = f"due in {year} but not yet in the data" if ref is not None and year < ref else "not yet due"
        return MilestoneCheck(year, target, "no_data", f"{due}; {why}", current=current)
    text = f"projected {_num(projected)}"
    if ref is not None and year < ref:
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
    current: tuple[int, float] | None = None
    if trajectory:
        ahead = [m for m in trajectory if (last is None or m[0] > last) and (ref is None or m[0] >= ref)]
        current = ahead[0] if ahead else trajectory[-1]
    status = assess_status(
        y, v, target=None if current is None else current[1], target_year=None if current is None else current[0],
        polarity=polarity, kind=kind, unit=unit, base_year=base_year, baseline=baseline, thresholds=thresholds,
    )  # fmt: skip
    pol = status.polarity
    until = max([m[0] for m in trajectory] + ([project_to] if project_to else []), default=0)
    forecast = None
    if last is not None and until > last:
        item = ProjectionInput(y, v, until, unit=unit, kind=kind)
        forecast = forecast_many([item], calibration, engine)[0]
    notes: list[str] = []
    if current is not None and ref is not None and ref > current[0] and (last is None or last < current[0]):
        notes.append(f"the target year {current[0]} has passed but its data are not yet available")
    target_year = current[0] if current is not None else project_to
    projection = None
    if forecast is not None and target_year is not None and last is not None and target_year > last:
        projection = forecast.at(target_year, None if current is None else current[1], pol)
    checks = tuple(_milestone(a, b, y, v, pol, forecast, (a, b) == current, kind, ref) for a, b in trajectory)
    if notes:
        status = TargetStatus(**{**status.__dict__, "notes": status.notes + tuple(notes)})
    text = status.explanation
    if projection is not None and projection.value is not None:
        text += " " + projection.explanation
    method = status.method + (
        f". Projection: {projection.method}" if projection is not None and projection.value is not None else ""
    )
    return Assessment(status, projection, checks, text, method, ref)


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

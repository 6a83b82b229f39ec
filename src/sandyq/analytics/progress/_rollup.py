"""Programme roll-up: every target's status and projection, counts, execution rate and risk warnings.

For each target the total (dims '') series of its indicator at its geography is
taken from the indicator's own source, or from the fullest other source (the
result says which).  Targets without data are listed as such, never dropped.
The execution rate is the share of all targets achieved, the figure reported as
"40 % performance after three years".  A task's risk is raised when an
indicator linked to it is off track or moving away, with the reason shown.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...errors import InvalidValueError, Problem
from ...framework._models import Indicator, Programme, Target, Task
from ..results import json_safe
from ._assess import Assessment, assess_series
from ._calibration import DEFAULT_CALIBRATION, Calibration
from ._series import annual_series, as_of_date, select_series
from ._status import DEFAULT_THRESHOLDS, STATUSES, Thresholds, _num

__all__ = ["ProgressReport", "RiskWarning", "TargetProgress", "progress"]

_HIGH = frozenset({"moving_away", "missed", "significant_movement_away"})
_ELEVATED = frozenset({"insufficient_progress", "moderate_movement_away"})


@dataclass(frozen=True)
class TargetProgress:
    """One target of a programme with its assessment (None when there are no data)."""

    target_id: str
    indicator_id: str
    indicator_name: str
    direction_id: str
    direction_name: str
    task_id: str
    task_name: str
    geo: str
    kind: str
    unit: str | None
    status: str
    explanation: str
    source: str | None = None
    source_note: str = ""
    assessment: Assessment | None = None
    vintage: str | None = None  # newest publication date of the values used

    @property
    def label(self) -> str:
        return STATUSES[self.status]

    def row(self) -> dict[str, Any]:
        """A flat row for tables and CSV."""
        a = self.assessment
        st = a.status if a is not None else None
        p = a.projection if a is not None else None
        iv = p.intervals.get("95") if p is not None else None
        iv80 = p.intervals.get("80") if p is not None else None
        return {
            "direction": self.direction_id,
            "task": self.task_id,
            "target": self.target_id,
            "indicator": self.indicator_id,
            "geo": self.geo,
            "status": self.status,
            "label": self.label,
            "latest_year": st.latest_year if st else None,
            "latest_value": st.latest_value if st else None,
            "target_year": st.target_year if st else None,
            "target_value": st.target if st else None,
            "ratio": st.ratio if st else None,
            "projection_year": p.year if p else None,
            "projection": p.value if p else None,
            "lower80": iv80[0] if iv80 else None,
            "upper80": iv80[1] if iv80 else None,
            "lower95": iv[0] if iv else None,
            "upper95": iv[1] if iv else None,
            "probability": p.probability if p else None,
            "unit": self.unit,
            "source": self.source,
            "vintage": self.vintage,
            "explanation": self.explanation,
        }

    def to_dict(self) -> dict[str, Any]:
        out = {k: json_safe(getattr(self, k)) for k in self.__dataclass_fields__ if k != "assessment"}
        out["label"] = self.label
        out["assessment"] = None if self.assessment is None else self.assessment.to_dict()
        return out


@dataclass(frozen=True)
class RiskWarning:
    """A task's risk and whether its indicators raise it, with the reasons."""

    task_id: str
    task_name: str
    risk_id: str
    risk_text: str
    raised: bool
    level: str  # "high", "elevated", "none", "unknown"
    indicators: tuple[str, ...]
    reasons: tuple[str, ...]
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return dict(json_safe(self))


@dataclass(frozen=True)
class ProgressReport:
    """The roll-up of a programme as of a date."""

    programme_id: str
    programme_name: str
    as_of: str
    targets: tuple[TargetProgress, ...]
    counts: dict[str, int]
    execution_rate: float | None
    execution_rate_with_data: float | None
    risks: tuple[RiskWarning, ...]
    calibrated: bool
    method: str
    notes: tuple[str, ...] = field(default_factory=tuple)

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame([t.row() for t in self.targets])

    def to_dict(self) -> dict[str, Any]:
        return {
            "programme": self.programme_id,
            "name": self.programme_name,
            "as_of": self.as_of,
            "counts": dict(self.counts),
            "execution_rate": json_safe(self.execution_rate),
            "execution_rate_with_data": json_safe(self.execution_rate_with_data),
            "calibrated": self.calibrated,
            "method": self.method,
            "notes": list(self.notes),
            "targets": [t.to_dict() for t in self.targets],
            "risks": [r.to_dict() for r in self.risks],
        }

    def to_text(self) -> str:
        n = len(self.targets)
        achieved = self.counts.get("achieved", 0)
        with_data = sum(v for k, v in self.counts.items() if k != "no_data")
        lines = [f"{self.programme_name} ({self.programme_id}) — progress as of {self.as_of}"]
        rate = "n/a" if self.execution_rate is None else f"{self.execution_rate * 100:.0f} %"
        lines.append(f"Execution rate: {achieved} of {n} targets achieved ({rate}); {with_data} of {n} have data.")
        lines.append("By status: " + " · ".join(f"{STATUSES[k]} {v}" for k, v in self.counts.items() if v))
        current: tuple[str | None, str | None] = (None, None)
        for t in self.targets:
            if (t.direction_id, t.task_id) != current:
                if t.direction_id != current[0]:
                    lines += ["", f"{t.direction_name} [{t.direction_id}]"]
                lines.append(f"  {t.task_name} [{t.task_id}]")
                current = (t.direction_id, t.task_id)
            r = t.row()
            latest = (
                "no data"
                if r["latest_value"] is None
                else (
                    f"{_num(r['latest_value'])} {r['unit'] or ''} ({r['latest_year']}; {r['source']}, {r['vintage']})"
                )
            )
            goal = "" if r["target_value"] is None else f" → {_num(r['target_value'])} by {r['target_year']}"
            proj = ""
            if r["projection"] is not None:
                proj = f"; projected {_num(r['projection'])}"
                if r["lower95"] is not None:
                    proj += f" [{_num(r['lower95'])}–{_num(r['upper95'])}]"
                if r["probability"] is not None:
                    proj += f", P = {r['probability'] * 100:.0f} %"
            lines.append(f"    {t.target_id}: {t.label} — {t.indicator_name}: {latest}{goal}{proj}")
        raised = [r for r in self.risks if r.raised]
        lines += ["", f"Risks raised: {len(raised)} of {len(self.risks)}"]
        lines += [f"  [{r.level}] {r.task_id} / {r.risk_id}: {r.explanation}" for r in raised]
        lines += ["", f"Method: {self.method}"]
        return "\n".join(lines)

    def format(self, fmt: str = "table") -> str:
        """The report as text for ``sandyq progress --format table|json|csv``."""
        if fmt == "json":
            return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)
        if fmt == "csv":
            return str(self.to_frame().to_csv(index=False))
        if fmt == "table":
            return self.to_text()
        raise InvalidValueError("unknown format", [Problem("", f"{fmt!r}; use table, json or csv")])


def _base_year(years: tuple[int, ...], start: int) -> int | None:
    """The programme's starting point: the latest year at or before its start, else the first year."""
    before = [y for y in years if y <= start]
    return max(before) if before else (min(years) if years else None)


def _assess_target(
    target: Target,
    ind: Indicator | None,
    annual: pd.DataFrame,
    programme: Programme,
    as_of_year: int,
    calibration: Calibration | None,
    thresholds: Thresholds,
    names: dict[str, str],
    language: str,
) -> TargetProgress:
    common: dict[str, Any] = {
        "target_id": target.id, "indicator_id": target.indicator, "geo": target.geo, "kind": target.kind, **names
    }  # fmt: skip
    if ind is None:
        return TargetProgress(
            indicator_name=target.indicator, unit=None, status="no_data",
            explanation=f"The indicator {target.indicator!r} is not defined, so there are no data.", **common,
        )  # fmt: skip
    name = ind.name.get(language)
    choice = select_series(annual, target.indicator, target.geo, ind.source)
    if choice is None:
        return TargetProgress(
            indicator_name=name, unit=ind.unit, status="no_data",
            explanation=f"No data for {target.indicator} at {target.geo} up to {as_of_year}.", **common,
        )  # fmt: skip
    baseline = None if target.baseline is None else (target.baseline.year, target.baseline.value)
    assessment = assess_series(
        choice.years, choice.values, [(m.year, m.value) for m in target.trajectory()], polarity=ind.polarity,
        kind=target.kind, unit=ind.unit, baseline=baseline,
        base_year=None if baseline else _base_year(choice.years, programme.start), as_of_year=as_of_year,
        calibration=calibration, thresholds=thresholds,
    )  # fmt: skip
    explanation = assessment.explanation
    if not choice.preferred:
        explanation += f" Data: {choice.note}."
    return TargetProgress(
        indicator_name=name, unit=ind.unit, status=assessment.status.status, explanation=explanation,
        source=choice.source, source_note=choice.note, assessment=assessment, vintage=choice.vintage, **common,
    )  # fmt: skip


def _risks(
    programme: Programme,
    rows: list[TargetProgress],
    indicators: Mapping[str, Indicator],
    annual: pd.DataFrame,
    as_of_year: int,
    thresholds: Thresholds,
    low_probability: float,
    language: str,
) -> list[RiskWarning]:
    """One warning per risk of every task, judged on the indicators linked to it (else the task's own)."""
    by_indicator: dict[str, list[TargetProgress]] = {}
    for r in rows:
        by_indicator.setdefault(r.indicator_id, []).append(r)
    out = []
    for task in programme.tasks():
        for risk in task.risks:
            linked = risk.indicators or _task_indicators(task)
            evidence = _RiskEvidence()
            for ind_id in linked:
                for status, text, prob in _indicator_states(
                    ind_id, by_indicator, indicators, annual, as_of_year, thresholds
                ):
                    evidence.add(ind_id, status, text, prob, low_probability)
            level = evidence.level
            explanation = evidence.explanation()
            if not risk.indicators:
                explanation += " (No indicator is linked to this risk; the task's indicators are used.)"
            out.append(
                RiskWarning(
                    task.id,
                    task.name.get(language),
                    risk.id,
                    risk.text.get(language),
                    level in ("high", "elevated"),
                    level,
                    tuple(linked),
                    tuple(evidence.reasons),
                    explanation,
                )
            )
    return out


@dataclass
class _RiskEvidence:
    """What the linked indicators say about one risk: the level each gives and why."""

    reasons: list[str] = field(default_factory=list)  # why the risk is raised
    fine: list[str] = field(default_factory=list)  # indicators on track
    missing: list[str] = field(default_factory=list)  # indicators without usable data
    levels: list[str] = field(default_factory=list)

    def add(self, ind_id: str, status: str, text: str, prob: float | None, low_probability: float) -> None:
        """Record one state of an indicator: off track (high), lagging or unlikely (elevated), fine or no data."""
        low = prob is not None and prob < low_probability
        label = f"{ind_id}: {STATUSES[status]}"
        if status not in _HIGH and status not in _ELEVATED and not low:
            if status in ("no_data", "insufficient_data"):
                self.missing.append(ind_id)
            else:
                self.levels.append("none")
                self.fine.append(label)
            return
        self.levels.append("high" if status in _HIGH else "elevated")
        if low and prob is not None:
            label += f", probability of reaching the milestone {prob * 100:.0f} %"
        self.reasons.append(f"{label} — {text}")

    @property
    def level(self) -> str:
        """The highest level given: high, elevated, none, or unknown when no indicator has usable data."""
        for level in ("high", "elevated", "none"):
            if level in self.levels:
                return level
        return "unknown"

    def explanation(self) -> str:
        """Why the risk is raised, not raised, or cannot be judged; and which indicators lack data."""
        level = self.level
        if level in ("high", "elevated"):
            text = "Raised: " + "; ".join(self.reasons)
        elif level == "none":
            text = "Not raised: " + "; ".join(self.fine) + "."
        else:
            return "Cannot be judged: the linked indicators have no usable data."
        if self.missing:
            text += " No usable data for " + ", ".join(dict.fromkeys(self.missing)) + "."
        return text


def _task_indicators(task: Task) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*(t.indicator for t in task.targets), *task.indicators)))


def _indicator_states(
    ind_id: str,
    by_indicator: dict[str, list[TargetProgress]],
    indicators: Mapping[str, Indicator],
    annual: pd.DataFrame,
    as_of_year: int,
    thresholds: Thresholds,
) -> list[tuple[str, str, float | None]]:
    """(status, why, probability of reaching the current milestone) for an indicator's targets, or its trend."""
    if ind_id in by_indicator:
        return [
            (r.status, r.explanation if r.assessment is None else r.assessment.status.explanation,
             None if r.assessment is None else r.assessment.probability)
            for r in by_indicator[ind_id]
        ]  # fmt: skip
    ind = indicators.get(ind_id)
    choice = select_series(annual, ind_id, "KAZ", ind.source if ind else None) if ind is not None else None
    if ind is None or choice is None:
        return [("no_data", "no data", None)]
    a = assess_series(choice.years, choice.values, polarity=ind.polarity, unit=ind.unit, thresholds=thresholds)
    return [(a.status.status, a.status.explanation, None)]


METHOD = (
    "Each target is judged by the Eurostat/Open SDG ratio of observed to required annual growth since the programme's "
    "baseline (or the latest value at the programme's start), against the next milestone not yet past; a latest value "
    "that meets it counts as achieved. Projections combine Theta, damped-trend exponential smoothing and random walk "
    "with drift on a scale that respects the unit's bounds; the probability of reaching the milestone comes from the "
    "projection's predictive distribution. The execution rate is the share of all targets achieved."
)


def progress(
    programme: Programme,
    indicators: Mapping[str, Indicator],
    observations: pd.DataFrame,
    as_of: dt.date | str | None = None,
    calibration: Calibration | None = None,
    *,
    thresholds: Thresholds | None = None,
    low_probability: float = 0.2,
    language: str = "en",
) -> ProgressReport:
    """Roll up every target of ``programme`` as of ``as_of`` (default: today).

    Only observations published by ``as_of`` (by vintage) and for years up to it
    are used.  A risk is raised ("high") when a linked indicator moves away from
    its target, missed it or declines without one; "elevated" when progress is
    insufficient or the probability of reaching the current milestone is below
    ``low_probability``.
    """
    day = as_of_date(as_of) or dt.date.today()
    th = thresholds or DEFAULT_THRESHOLDS
    flows = {t.indicator for t in programme.targets() if t.kind == "flow"}
    annual = annual_series(observations, day, sums=flows)
    rows: list[TargetProgress] = []
    for direction in programme.directions:
        for task in direction.tasks:
            for target in task.targets:
                names = {
                    "direction_id": direction.id, "direction_name": direction.name.get(language),
                    "task_id": task.id, "task_name": task.name.get(language),
                }  # fmt: skip
                ind = indicators.get(target.indicator)
                rows.append(_assess_target(target, ind, annual, programme, day.year, calibration, th, names, language))
    counts = Counter(r.status for r in rows)
    ordered = {k: counts.get(k, 0) for k in STATUSES if counts.get(k, 0)}
    achieved = counts.get("achieved", 0)
    with_data = sum(1 for r in rows if r.status != "no_data")
    notes = []
    used = DEFAULT_CALIBRATION if calibration is None else calibration
    if not used.fitted:
        notes.append("intervals and probabilities are the models' own, not calibrated by backtests")
    elif calibration is None:
        notes.append(
            "intervals and probabilities use the built-in calibration (World Bank WDI backtest); "
            "run sandyq backtest to calibrate on the store"
        )
    return ProgressReport(
        programme.id,
        programme.name.get(language),
        day.isoformat(),
        tuple(rows),
        ordered,
        achieved / len(rows) if rows else None,
        achieved / with_data if with_data else None,
        tuple(_risks(programme, rows, indicators, annual, day.year, th, low_probability, language)),
        used.fitted,
        METHOD,
        tuple(notes),
    )

"""The figures of a report, gathered once from the store and said in any language afterwards.

Everything a report shows is computed here, as of the report's date: the
programme roll-up (and the one at the date compared with), the figures in force
at both dates, the audit findings, the composite index and the regional
dispersion.  The roll-up is computed once and renamed into each language
(:func:`in_language`: names, notes and owners from the framework's trilingual
texts; every composed sentence is a :class:`~sandyq._messages.Message`), so
the report in three languages costs one computation, and the three say the same figures.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:
    from ... import Monitor
    from ...analytics.progress import ProgressReport
    from ...framework import Framework, Programme

__all__ = ["Facts", "gather", "in_language"]

_MIN_REGIONS = 5
#: Monte Carlo runs behind the composite index's rank intervals (as many as the dashboard's index page draws).
INDEX_RUNS = 200


class _AsOf:
    """The monitor read as of a date: what the composite index reads through (the ``Reader`` protocol)."""

    def __init__(self, monitor: Monitor, as_of: str) -> None:
        self.framework, self.store, self._m, self._as_of = monitor.framework, monitor.store, monitor, as_of

    def observations(self, *args: Any, **kwargs: Any) -> pd.DataFrame:
        kwargs.setdefault("as_of", self._as_of)
        return self._m.observations(*args, **kwargs)


@dataclass
class Facts:
    """Every figure of one report (as of one date, compared with another), in no language yet."""

    framework: Framework
    programme: Programme
    report: ProgressReport  # in English; see in_language
    ids: list[str]
    now: pd.DataFrame  # the programme's figures in force at the report's date
    since: str | None = None
    then: pd.DataFrame | None = None
    before: ProgressReport | None = None
    findings: list[Any] = dataclasses.field(default_factory=list)
    panel: Any = None  # the composite index (PanelResult), or the exception that stopped it
    regions: dict[str, tuple[str, pd.DataFrame, pd.DataFrame]] = dataclasses.field(default_factory=dict)
    evaluations: Any = None  # the policy evaluation (_evaluation.Evaluations); None when not asked for
    measures: Any = None  # the measures of the action plan as of the report's date (list of sandyq.measures states)


def previous_vintage(obs: pd.DataFrame) -> str | None:
    """The day of the vintage before the newest one among ``obs`` (None with fewer than two).

    >>> previous_vintage(pd.DataFrame({"vintage": pd.to_datetime(["2020-01-02", "2021-05-06", "2020-01-02"])}))
    '2020-01-02'
    """
    if obs.empty:
        return None
    days = sorted({str(v.date()) for v in pd.to_datetime(obs["vintage"]).dropna().dt.normalize().unique()})
    return days[-2] if len(days) >= 2 else None


def gather(monitor: Monitor, programme: str, as_of: Any = None, compare_to: Any = None, *, whole: bool = True) -> Facts:
    """Compute every figure of the report of ``programme`` as of ``as_of``, compared with ``compare_to``.

    ``whole=False`` leaves out the two slowest parts, the audit and the composite index (their chapters then say
    nothing was computed): for a quick look at the targets as of another date.
    """
    from ...analytics.audit import audit
    from ...analytics.composite import digital_index

    report = monitor.progress(programme, as_of=as_of, language="en")
    prog = monitor.framework.programme(programme)
    ids = [i for i in prog.indicator_ids() if i in monitor.framework.indicators]
    now = monitor.observations(ids, as_of=report.as_of, dims="", derived=False)
    facts = Facts(monitor.framework, prog, report, ids, now)
    facts.since = str(compare_to) if compare_to is not None else previous_vintage(now)
    if facts.since is not None:
        facts.then = monitor.observations(ids, as_of=facts.since, dims="", derived=False)
        facts.before = monitor.progress(programme, as_of=facts.since, language="en")
    facts.regions = _regions(now)
    from ... import measures

    facts.measures = measures.measure_states(monitor.framework, monitor.store, programme, as_of=report.as_of)
    if not whole:
        return facts
    wanted = set(ids)
    facts.findings = [
        f for f in audit(monitor, as_of=report.as_of, severity="warning")
        if f.indicator in wanted or wanted.intersection(f.related or ())
    ]  # fmt: skip
    try:
        facts.panel = digital_index(_AsOf(monitor, report.as_of), runs=INDEX_RUNS)
    except Exception as exc:
        facts.panel = exc
    from ._evaluation import evaluations

    facts.evaluations = evaluations(monitor, ids, prog.start, report.as_of, now)
    return facts


def _regions(now: pd.DataFrame) -> dict[str, tuple[str, pd.DataFrame, pd.DataFrame]]:
    """Per indicator with regions: its source, the regional figures and their dispersion by year."""
    from ...analytics.regional import dispersion

    obs = now[now["geo"].astype(str).str.startswith("KZ-") & now["value"].notna()]
    out = {}
    for ind_id, part in obs.groupby("indicator", sort=True):
        source = str(part["source"].value_counts().index[0])
        data = part[part["source"] == source].drop_duplicates(["geo", "year"])
        if data["geo"].nunique() < _MIN_REGIONS:
            continue
        table = dispersion(data[["geo", "year", "value"]])
        table = table[table["n"] >= _MIN_REGIONS]
        if not table.empty:
            out[str(ind_id)] = (source, data, table)
    return out


def in_language(report: ProgressReport, programme: Programme, framework: Framework, language: str) -> ProgressReport:
    """``report`` (computed in English) with its names, notes and owners in ``language``, and said in it."""
    if language == report.language:
        return report
    directions = {d.id: d for d in programme.directions}
    tasks = {t.id: t for t in programme.tasks()}
    targets = {t.id: t for t in programme.targets()}
    out = []
    for t in report.targets:
        ind = framework.indicators[t.indicator_id]
        target = targets.get(t.target_id)
        changes: dict[str, Any] = {"language": language, "indicator_name": ind.name.get(language),
                                   "direction_name": directions[t.direction_id].name.get(language),
                                   "task_name": tasks[t.task_id].name.get(language)}  # fmt: skip
        if t.unit_name is not None and ind.unit is not None:
            from ...framework import UNITS

            changes["unit_name"] = UNITS[ind.unit].name(language) if ind.unit in UNITS else t.unit_name
        if target is not None:
            changes["owner"] = None if target.owner is None else target.owner.get(language)
            changes["note"] = None if target.note is None else target.note.get(language)
        out.append(dataclasses.replace(t, **changes))
    risks = []
    for r in report.risks:
        task = tasks.get(r.task_id)
        risk = None if task is None else next((k for k in task.risks if k.id == r.risk_id), None)
        risks.append(dataclasses.replace(
            r, task_name=r.task_name if task is None else task.name.get(language),
            risk_text=r.risk_text if risk is None else risk.text.get(language),
        ))  # fmt: skip
    note = None if programme.note is None else programme.note.get(language)
    return dataclasses.replace(
        report, targets=tuple(out), risks=tuple(risks), language=language,
        programme_name=programme.name.get(language), programme_note=note,
    )  # fmt: skip

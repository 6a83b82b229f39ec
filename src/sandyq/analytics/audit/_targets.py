"""Targets and the data they are judged on: an outcome in the store must be used.

* **target_unjudged**: a programme target (or one of its milestones) whose year
  has a figure in the store for the target's indicator and geography (the total,
  dims blank) that the target's assessment does not use.  Every programme of the
  framework is linked to its series as the roll-up links it (the declared
  source, else the indicator's own, else the fullest other) and its status
  computed on it, and each target and milestone year is looked up in the store:

  - a ``warning`` when the figure is in the series the target is judged on (or
    the target has no series at all) and the assessment still leaves that year
    out, or when the target is judged on a series without that year and so gives
    no verdict (a 2018 target reading "data not yet available" while the
    official series has 79.6 for 2018): the outcome is in the store but the
    target is not judged on it;
  - an ``info`` when the target has its verdict (achieved or missed) on its own
    series and another source also has a figure for the year: worth knowing,
    since the target's declared measure is kept on purpose.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ...framework._models import Programme, Target
from ..progress import assess_status
from ..progress._series import SeriesChoice, annual_series, select_many
from ._data import AuditData, empty_findings, fmt

__all__ = ["check_targets"]

#: Statuses that are a verdict on the target year's own figure (or on a value that already meets the target).
_VERDICTS = frozenset({"achieved", "missed"})


class _Judged:
    """How a target is judged: the source of its series, the years its status uses, and the status."""

    def __init__(self, target: Target, programme: Programme, choice: SeriesChoice | None, data: AuditData) -> None:
        ind = data.framework.indicators.get(target.indicator)
        self.source = None if choice is None else choice.source
        if choice is None or ind is None:
            self.years: set[int] = set()
            self.status = "no_data"
            return
        baseline = None if target.baseline is None else (target.baseline.year, target.baseline.value)
        before = [y for y in choice.years if y <= programme.start]
        status = assess_status(
            choice.years, choice.values, target=target.value, target_year=target.year, polarity=ind.polarity,
            kind=target.kind, unit=ind.unit, baseline=baseline,
            base_year=None if baseline else (max(before) if before else min(choice.years)),
        )  # fmt: skip
        self.years = {int(y) for y, _ in status.points}
        self.status = status.status


def _findings(programme: Programme, target: Target, row: _Judged, totals: pd.DataFrame) -> list[dict[str, Any]]:
    have = totals[(totals["indicator"] == target.indicator) & (totals["geo"] == target.geo)]
    if have.empty:
        return []
    used = row.years
    out = []
    for milestone in target.trajectory():  # loops over a target's few milestones
        year = int(milestone.year)
        if year in used:
            continue
        here = have[have["year"] == year]
        if here.empty:
            continue
        own = here[here["source"] == row.source] if row.source else here
        pick = (own if len(own) else here).iloc[0]
        verdict = row.status in _VERDICTS
        severity = "info" if verdict and not len(own) and row.source else "warning"
        judged = (
            f"judged on {row.source}, which has no {year} value" if not len(own) and row.source else "not judged on it"
        )
        out.append(
            {
                "rule": "target_unjudged",
                "severity": severity,
                "indicator": target.indicator,
                "geo": target.geo,
                "period": str(year),
                "dims": "",
                "sources": (str(pick["source"]),),
                "expected": float(milestone.value),
                "found": float(pick["value"]),
                "tolerance": "none: a figure in the store for a target or milestone year is used",
                "message": (
                    f"target {target.id} ({programme.id}) sets {fmt(np.array([milestone.value]))[0]} for {year}; the "
                    f"store has {fmt(np.array([pick['value']]))[0]} for {year} ({pick['source']}), but the target is "
                    f"{judged} (status: {row.status})"
                ),
                "figures": {
                    "target": target.id,
                    "programme": programme.id,
                    "status": row.status,
                    "judged_on": row.source,
                },
                "related": (),
            }
        )
    return out


def check_targets(data: AuditData) -> pd.DataFrame:
    """target_unjudged findings (see the module docstring).

    >>> import sandyq
    >>> from ._data import make_data
    >>> obs = pd.DataFrame({"indicator": "dk.digital_literacy", "geo": "KAZ", "period": ["2017", "2018"],
    ...                     "value": [76.2, 79.6], "source": "kz-bns-survey"})
    >>> check_targets(make_data(obs, sandyq.load_framework())).empty  # 2018 is judged on 79.6
    True
    """
    fw = data.framework
    obs = data.obs
    totals = obs[(obs["dims"] == "") & obs["annual"]][["indicator", "geo", "year", "source", "value"]]
    wanted = {t.indicator for p in fw.programmes.values() for t in p.targets()}
    totals = totals[totals["indicator"].isin(wanted)]
    if totals.empty:
        return empty_findings()
    flows = {t.indicator for p in fw.programmes.values() for t in p.targets() if t.kind == "flow"}
    annual = annual_series(obs[obs["indicator"].isin(wanted) & (obs["dims"] == "")], sums=flows)
    series = set(zip(annual["indicator"], annual["geo"], strict=True))
    present = set(zip(totals["indicator"], totals["geo"], strict=True)) & series
    targets = [(p, t) for p in fw.programmes.values() for t in p.targets() if (t.indicator, t.geo) in present]
    # targets share series: one choice per indicator, geography and declared source, all ranked at once
    inds = [fw.indicators.get(t.indicator) for _, t in targets]
    requests = [
        None if i is None else (t.indicator, t.geo, i.source, t.source) for (_, t), i in zip(targets, inds, strict=True)
    ]
    choices = select_many(annual, [r for r in requests if r is not None])
    rows: list[dict[str, Any]] = []
    for (programme, target), request in zip(targets, requests, strict=True):  # the few programmes' targets
        choice = None if request is None else choices[request]
        rows += _findings(programme, target, _Judged(target, programme, choice, data), totals)
    return pd.DataFrame(rows) if rows else empty_findings()

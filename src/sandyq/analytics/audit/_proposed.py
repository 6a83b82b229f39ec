"""Figures proposed for publication, checked as the store would be after it: declared rules and outliers.

A reviewer reads a submission as a diff with flags (issue 16).  Two checks look at the store *after* the
submission would be published (the figures in force, with each submitted figure in place of the one it
revises, or added):

* ``rule``: every declared validation rule of the framework (:class:`sandyq.framework.Rule`,
  ``rules/*.yaml``) that reads a submitted indicator, at severity ``error`` or ``warning`` (``info``
  rules document known departures, such as a change of method), evaluated exactly as the audit's
  ``declared_rule`` does (:mod:`._declared`); a broken rule flags every submitted row that is one of
  its inputs for the broken key (same source, period and disaggregation; the same geography, or a
  region of it for a sum over regions);
* ``outlier``: a submitted figure whose change from the previous one (or to the next, for a figure
  in the middle of its series) lies more than :data:`OUTLIER_SCALES` robust scales from the median
  of the series' other changes (:func:`outlier`), as the audit's ``jump`` rule measures it.

Each flag is one English sentence of the catalog (:mod:`sandyq._messages`), so a page says it in
Kazakh or Russian (:func:`sandyq._messages.said`), and none holds ``"; "`` outside brackets (flags
are kept joined by it).
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from ..._messages import Message
from ..._messages import add_sentence as _add
from ...framework import Framework, Rule, parse_dims
from ...store import Store
from ._data import fmt, make_data
from ._declared import _rule_findings

__all__ = ["OUTLIER_MIN_CHANGES", "OUTLIER_SCALES", "after_publication", "outlier", "proposed_flags"]

#: A change is an outlier beyond this many robust scales (1.4826 × MAD) from the median of the other changes.
OUTLIER_SCALES = 5.0
#: Only series with at least this many other changes are tested.
OUTLIER_MIN_CHANGES = 5
#: The robust scale is at least this share of the series' median level (a flat series does not flag every move).
LEVEL_FLOOR = 0.02

_KEY = ["indicator", "geo", "period", "dims", "source"]
_SERIES = ["indicator", "geo", "dims", "source"]

# fmt: off
_add("rule {id}: {left} {op} {right} does not hold with {a} against {b} ({text})",
     "правило {id}: условие {left} {op} {right} не выполняется: {a} против {b} ({text})",
     "{id} ережесі: {left} {op} {right} шарты орындалмайды: {a} және {b} ({text})")
_add("outlier: {x0} in {t0} → {x1} in {t1} ({delta}) is {z} robust scales from the series' typical change "
     "({median} ± {scale})",
     "выброс: {x0} в {t0} → {x1} в {t1} ({delta}): отклонение от типичного изменения ряда ({median} ± {scale}) "
     "составляет {z} робастных единиц разброса",
     "шығарынды: {t0} кезеңінде {x0} → {t1} кезеңінде {x1} ({delta}): қатардың әдеттегі өзгерісінен ({median} ± "
     "{scale}) ауытқуы {z} робаст шашырау бірлігі")
# fmt: on


def outlier(
    others: Sequence[float], change: float, level: float, *, k: float = OUTLIER_SCALES, floor: float = LEVEL_FLOOR
) -> tuple[float, float, float] | None:
    """``(z, median, scale)`` when ``change`` lies more than ``k`` robust scales from the median of ``others``.

    The scale is 1.4826 × the median absolute deviation of the other changes, at least ``floor`` × ``level``
    (the series' median level); fewer than :data:`OUTLIER_MIN_CHANGES` other changes: never an outlier (None).

    >>> others = [1.0, 1.2, 0.9, 1.1, 1.0]            # a series rising by about one point a year, around 50
    >>> outlier(others, 1.3, 50.0) is None             # an ordinary year
    True
    >>> [round(x, 2) for x in outlier(others, 9.0, 50.0)]  # 8 points above the median change, scale 1 (2 % of 50)
    [8.0, 1.0, 1.0]
    """
    if len(others) < OUTLIER_MIN_CHANGES:
        return None
    x = np.asarray(others, dtype=float)
    median = float(np.median(x))
    scale = max(1.4826 * float(np.median(np.abs(x - median))), floor * abs(level))
    if scale <= 0:
        return None
    z = abs(change - median) / scale
    return (z, median, scale) if z > k else None


def after_publication(store: Store, frame: pd.DataFrame, indicators: Collection[str]) -> pd.DataFrame:
    """The figures in force of ``indicators`` as they would be once ``frame`` (staged rows) is published."""
    obs = store.observations(sorted(set(indicators) | set(frame["indicator"].astype(str))))
    obs = obs[obs["source"] != "derived"]
    new = frame[[*_KEY, "value", "unit", "status", "note"]].copy()
    new["value"] = new["value"].astype(float)
    new["year"] = new["period"].astype(str).str[:4].astype(int)
    new["vintage"] = pd.Timestamp(datetime.now(UTC).replace(tzinfo=None))
    both = pd.concat([obs, new[[c for c in obs.columns if c in new.columns]]], ignore_index=True)
    return both.drop_duplicates(_KEY, keep="last").reset_index(drop=True)


def proposed_flags(store: Store, framework: Framework, frame: pd.DataFrame) -> list[list[str]]:
    """For each row of ``frame`` (staged rows), the broken rules and the outlier it makes (see the module)."""
    submitted = set(frame["indicator"].astype(str))
    rules = {
        rule_id: rule
        for rule_id, rule in framework.rules.items()
        if rule.severity != "info" and submitted & set(rule.indicators())
    }
    after = after_publication(store, frame, {i for r in rules.values() for i in r.indicators()})
    out: list[list[str]] = [[] for _ in range(len(frame))]
    rows = frame.reset_index(drop=True)
    if rules:  # a rule compares figures of one key (source, period, …): the submitted periods and sources suffice
        pairs = set(rows["period"].astype(str) + "\x00" + rows["source"].astype(str))
        data = make_data(after[(after["period"].astype(str) + "\x00" + after["source"]).isin(pairs)], framework)
        for rule in rules.values():
            found = _rule_findings(rule, "", data.obs)
            for i, flag in _rule_flags(rule, found, rows, framework):
                out[i].append(flag)
    for i, flag in _outliers(after, rows):
        out[i].append(flag)
    return out


def _rule_flags(rule: Rule, found: pd.DataFrame, rows: pd.DataFrame, framework: Framework) -> list[tuple[int, str]]:
    """The flags of one rule's findings on the submitted rows that are among their inputs."""
    if found.empty:
        return []
    reads = set(rule.indicators())
    geography = framework.geography
    flags = []
    for f in found.to_dict("records"):
        message = Message(
            "rule {id}: {left} {op} {right} does not hold with {a} against {b} ({text})",
            {
                "id": rule.id,
                "left": rule.left,
                "op": rule.operator,
                "right": rule.right,
                "a": fmt(np.array([f["found"]]))[0],
                "b": fmt(np.array([f["expected"]]))[0],
                "text": rule.text.en,
            },
        )
        for i, r in enumerate(rows.to_dict("records")):
            if r["indicator"] not in reads or (r["source"], str(r["period"])) != (f["source"], str(f["period"])):
                continue
            unit = geography.get(r["geo"]) if geography.resolve(r["geo"]) is not None else None
            if r["geo"] != f["geo"] and (unit is None or unit.parent != f["geo"]):
                continue
            if _within(str(f["dims"]), str(r["dims"])):
                flags.append((i, str(message)))
    return flags


def _within(total: str, dims: str) -> bool:
    """Whether the disaggregation ``dims`` is ``total`` or one of its categories (``total`` plus one dimension).

    >>> _within("", ""), _within("", "SEX=F"), _within("AGE=Y15-24", "AGE=Y15-24;SEX=F"), _within("", "AGE=A;SEX=F")
    (True, True, True, False)
    """
    whole, part = parse_dims(total) if total else {}, parse_dims(dims) if dims else {}
    return whole.items() <= part.items() and len(part) - len(whole) <= 1


def _outliers(after: pd.DataFrame, rows: pd.DataFrame) -> list[tuple[int, str]]:
    """The outlier flags of the submitted rows, each against its series after publication."""
    flags = []
    wanted = set(map(tuple, rows[_SERIES].astype(str).to_numpy()))
    mine = after[after["indicator"].isin(rows["indicator"])]
    mine = mine[[tuple(k) in wanted for k in mine[_SERIES].astype(str).to_numpy()]]
    series = dict(list(mine.groupby(_SERIES, sort=False)))
    for i, r in enumerate(rows.to_dict("records")):
        g = series.get(tuple(r[c] for c in _SERIES))
        if g is None:
            continue
        g = g[g["period"].astype(str).str.len() == len(str(r["period"]))].sort_values("period")
        periods, values = g["period"].astype(str).tolist(), g["value"].to_numpy(dtype=float)
        at = periods.index(str(r["period"]))
        changes = np.diff(values)
        level = float(np.median(np.abs(values)))
        for j in (at - 1, at):  # the change into the figure, then out of it
            if j < 0 or j >= len(changes):
                continue
            others = [c for n, c in enumerate(changes) if n not in (at - 1, at)]
            hit = outlier(others, float(changes[j]), level)
            if hit is not None:
                flags.append((i, _outlier_text(periods[j], values[j], periods[j + 1], values[j + 1], *hit)))
                break
    return flags


def _outlier_text(t0: str, x0: float, t1: str, x1: float, z: float, median: float, scale: float) -> str:
    """An outlier flag in English (a catalog sentence)."""
    x = fmt(np.array([x0, x1]))
    return str(
        Message(
            "outlier: {x0} in {t0} → {x1} in {t1} ({delta}) is {z} robust scales from the series' typical change "
            "({median} ± {scale})",
            {
                "x0": x[0],
                "t0": t0,
                "x1": x[1],
                "t1": t1,
                "delta": f"{x1 - x0:+.4g}",
                "z": f"{z:.1f}",
                "median": f"{median:.3g}",
                "scale": f"{scale:.3g}",
            },
        )
    )

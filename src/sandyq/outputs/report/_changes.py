"""What changed between two vintages: new figures, revised figures and targets whose status moved.

The report as of one date is compared with the store as of an earlier one
(``--compare-to``; by default the vintage before the newest among the
programme's figures), so a reader sees what the latest publications changed.

>>> import pandas as pd
>>> now = pd.DataFrame({"indicator": ["a", "a"], "geo": ["KAZ"] * 2, "period": ["2020", "2021"],
...                     "source": ["s", "s"], "value": [1.0, 2.0]})
>>> then = now.iloc[:1].assign(value=0.5)
>>> new, revised = diff(now, then)
>>> list(new["period"]), list(revised["value_then"])
(['2021'], [0.5])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from ..._messages import number
from ._model import Document, Heading, Paragraph, Table
from ._words import say

if TYPE_CHECKING:
    from ...analytics.progress import ProgressReport
    from ._facts import Facts

__all__ = ["changes", "diff"]

_KEY = ["indicator", "geo", "period", "source"]
_ROWS = 25
_COUNTS = "New figures: {new}; revised figures: {revised}; targets whose status moved: {moved}."


def diff(now: pd.DataFrame, then: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Figures in ``now`` that ``then`` lacks, and figures whose value differs (``value_then`` beside ``value``)."""
    if now.empty:
        return now, now.assign(value_then=pd.Series(dtype=float))
    merged = now.merge(then[[*_KEY, "value"]], on=_KEY, how="left", suffixes=("", "_then"), indicator=True)
    new = merged[merged["_merge"] == "left_only"].drop(columns=["_merge", "value_then"])
    both = merged[merged["_merge"] == "both"]
    revised = both[both["value"].ne(both["value_then"]) & ~(both["value"].isna() & both["value_then"].isna())]
    return new.reset_index(drop=True), revised.drop(columns=["_merge"]).reset_index(drop=True)


def changes(doc: Document, facts: Facts, report: ProgressReport, language: str) -> None:
    """Add "What changed since …" to ``doc``: counts, then the changed figures and statuses (the first few)."""
    from ._facts import in_language

    if facts.since is None or facts.then is None or facts.before is None:
        return
    since, ids = facts.since, facts.ids
    new, revised = diff(facts.now, facts.then)
    before = in_language(facts.before, facts.programme, facts.framework, language)
    was = {t.target_id: t for t in before.targets}
    moved = [
        (was[t.target_id], t) for t in report.targets if t.target_id in was and was[t.target_id].status != t.status
    ]
    doc.meta["compare_to"] = since
    doc.meta["changes"] = {"new": len(new), "revised": len(revised), "moved": len(moved)}
    doc.add(Heading(2, say(language, "What changed since {day}", day=since)))
    counts = {"new": len(new), "revised": len(revised), "moved": len(moved)}
    doc.add(Paragraph(say(language, _COUNTS, **counts)))
    rows = [(o.indicator_name, say(language, "status moved"), "", say(language, o.label), say(language, n.label))
            for o, n in moved]  # fmt: skip
    names = {i: facts.framework.indicators[i].name.get(language) for i in ids}
    for r in revised.itertuples(index=False):
        rows.append((names[r.indicator], say(language, "revised figure"), f"{r.geo} {r.period} ({r.source})",
                     number(language, r.value_then), number(language, r.value)))  # fmt: skip
    for r in new.sort_values(["indicator", "period"]).itertuples(index=False):
        rows.append((names[r.indicator], say(language, "new figure"), f"{r.geo} {r.period} ({r.source})", "",
                     number(language, r.value)))  # fmt: skip
    if not rows:
        return
    head = tuple(say(language, w) for w in ("Indicator", "Change", "Period", "Before", "Now"))
    more = len(rows) - _ROWS
    caption = say(language, "and {n} more", n=more) if more > 0 else ""
    doc.add(Table(head, tuple(rows[:_ROWS]), caption, (False, False, False, True, True)))

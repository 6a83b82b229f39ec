"""Seed 000's Tables 2–5 regenerated from the store, with every printed figure checked.

``seed_table(monitor, "table4")`` rebuilds a table from the observations in the
store and recomputes every printed figure that is derived from others:

* **Table 2** (average annual growth of ICT indicators over the stated periods):
  recomputed wherever the store has the underlying levels — ICT costs from
  Table 3, computers in organizations from the BNS series, the ICT share of
  manufacturing from the two printed shares; each row says which input it used.
  Rows without underlying data are "printed only".
* **Table 3** (ICT costs by year): the printed amounts, with the change on the
  previous year computed beside them.
* **Table 4** (Internet users per 100 people and their growth rate): recomputed
  from the table's own population and user counts (same source).
* **Table 5** (infrastructure, 2017): each figure beside the same statistic from
  another source in the store (e.g. WDI's ``IT.CEL.SETS.P2``).

Every cell check says what was printed, what was recomputed, the tolerance (half
a unit of the printed precision, or a relative tolerance between sources) and
whether they match; a table lists the sources (with vintages) it used.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from ...errors import NotFoundError
from ..reader import Reader
from ..results import json_safe, to_records
from ._seedtables import CHECK_COLUMNS, SEED, TABLES, TableDef, build

__all__ = ["TABLES", "SeedTable", "TableDef", "seed_table", "table_names"]


@dataclass
class SeedTable:
    """A regenerated seed table: its rows, per-cell checks, sources, units and notes."""

    name: str
    number: int
    title: str
    locator: str
    frame: pd.DataFrame
    checks: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=CHECK_COLUMNS))
    sources: list[dict[str, Any]] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_frame(self) -> pd.DataFrame:
        """The table's rows (a copy): printed and recomputed figures side by side, with source and vintage."""
        return self.frame.copy()

    @property
    def mismatches(self) -> pd.DataFrame:
        """The checks where the printed figure differs from the recomputed one beyond the tolerance."""
        return self.checks[self.checks["matches"].eq(False)].reset_index(drop=True)

    def caption(self) -> list[str]:
        """Lines to print under the table: units, sources with vintages, mismatches, notes."""
        lines = []
        if self.units:
            lines.append("Units: " + "; ".join(f"{c}: {u}" for c, u in self.units.items()))
        elif "unit" in self.frame.columns:
            lines.append("Units: see the unit column")
        for s in self.sources:
            lines.append(f"Source {s['id']}: {s['citation']} (vintage {s['vintage']}; {s['licence']})")
        for r in self.mismatches.itertuples(index=False):
            lines.append(
                f"Differs beyond the tolerance: {r.indicator} {r.period} ({r.column}): {r.reason}; "
                f"recomputed from {r.inputs}"
            )
        return lines + list(self.notes)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict: title, locator, rows, checks, sources, units and notes."""
        return {
            "name": self.name,
            "number": self.number,
            "title": self.title,
            "locator": self.locator,
            "rows": to_records(self.frame),
            "checks": to_records(self.checks),
            "mismatches": len(self.mismatches),
            "sources": json_safe(self.sources),
            "units": dict(self.units),
            "notes": list(self.notes),
        }


def table_names() -> list[str]:
    """The tables :func:`seed_table` rebuilds.

    >>> table_names()
    ['table2', 'table3', 'table4', 'table5']
    """
    return list(TABLES)


def _resolve(name: str) -> TableDef:
    key = "".join(str(name).lower().split()).replace("-", "").replace("_", "")
    key = key.removeprefix("seed000").removeprefix("seed")
    if key.isdigit():
        key = f"table{int(key)}"
    if key not in TABLES:
        raise NotFoundError(f"unknown table {name!r} (known: {', '.join(TABLES)}; '4' or 'table4' both work)")
    return TABLES[key]


def seed_table(monitor: Reader, name: str, *, language: str = "en") -> SeedTable:
    """Rebuild seed 000's table ``name`` (``"table4"``, ``"4"`` …) from the store of ``monitor``.

    >>> import sandyq
    >>> from sandyq.errors import NotFoundError
    >>> with sandyq.connect(":memory:") as m:
    ...     try:
    ...         seed_table(m, "3")
    ...     except NotFoundError as exc:
    ...         print(exc.summary)
    the store holds no figures of seed-000 Table 3; load the default content first (`sandyq init`)
    """
    d = _resolve(name)
    printed = [i for i, _ in d.rows] or list(d.indicators.values())
    if monitor.store.observations(printed, source=SEED).empty:
        raise NotFoundError(
            f"the store holds no figures of {SEED} Table {d.number}; load the default content first (`sandyq init`)"
        )
    built = build(monitor, d, language)
    sources = []
    for sid, vintage in built.used.items():
        src = monitor.framework.sources.get(sid)
        sources.append(
            {
                "id": sid,
                "name": src.name.get(language) if src else sid,
                "publisher": src.publisher.get(language) if src else "",
                "citation": src.citation.get(language) if src else sid,
                "licence": src.licence.get(language) if src else "",
                "url": src.url if src else None,
                "vintage": str(vintage.date()),
            }
        )
    return SeedTable(
        name=d.name,
        number=d.number,
        title=d.title,
        locator=f"Seed 000, Table {d.number}",
        frame=built.frame,
        checks=built.checks.reset_index(drop=True),
        sources=sources,
        units=built.units,
        notes=built.notes,
    )

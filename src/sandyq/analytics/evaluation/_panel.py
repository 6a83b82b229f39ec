"""A balanced panel for policy evaluation: control units first, then the treated ones; periods in order.

:func:`panel_from_frame` builds it from a long table (unit, period, value), keeping only the donors observed in
every period and saying which it dropped: synthetic control and synthetic difference-in-differences need a
complete units × periods matrix, and an imputed donor value would be the estimate's own assumption.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ...errors import DataError, InvalidValueError

__all__ = ["Panel", "panel_from_frame"]


@dataclass
class Panel:
    """Outcomes ``y`` (units × periods): ``n0`` control units first, then the treated; ``t0`` pre-periods first.

    >>> p = Panel(np.arange(9.0).reshape(3, 3), ["a", "b", "T"], [2000, 2001, 2002], n0=2, t0=2)
    >>> p.treated, p.donors, p.pre_periods, p.post_periods
    (['T'], ['a', 'b'], [2000, 2001], [2002])
    """

    y: Any
    units: list[str]
    periods: list[Any]
    n0: int
    t0: int
    dropped: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.y = np.asarray(self.y, dtype=float)
        n, t = self.y.shape
        if n != len(self.units) or t != len(self.periods):
            raise DataError(f"panel: {n}×{t} values for {len(self.units)} units and {len(self.periods)} periods")
        if not 2 <= self.n0 < n:
            raise DataError(f"panel: {self.n0} donors for {n} units; at least two donors and one treated are needed")
        if not 2 <= self.t0 < t:
            raise DataError(f"panel: {self.t0} pre-periods of {t}; at least two before and one after are needed")
        if not np.isfinite(self.y).all():
            raise DataError("panel: the matrix has missing values; balance it first (panel_from_frame)")

    @property
    def donors(self) -> list[str]:
        return self.units[: self.n0]

    @property
    def treated(self) -> list[str]:
        return self.units[self.n0 :]

    @property
    def pre_periods(self) -> list[Any]:
        return self.periods[: self.t0]

    @property
    def post_periods(self) -> list[Any]:
        return self.periods[self.t0 :]

    def subset(self, rows: Sequence[int], n0: int) -> Panel:
        """The panel of ``rows`` (indices into :attr:`units`), the first ``n0`` of them controls."""
        idx = list(rows)
        return Panel(self.y[idx], [self.units[i] for i in idx], self.periods, n0, self.t0)

    def before(self, t0: int, end: int) -> Panel:
        """The panel of periods ``[0, end)`` treated from period index ``t0`` (an in-time placebo)."""
        return Panel(self.y[:, :end], self.units, self.periods[:end], self.n0, t0)


def panel_from_frame(
    frame: Any,
    treated: str | Sequence[str],
    start: Any,
    *,
    unit: str = "unit",
    period: str = "period",
    value: str = "value",
    donors: Sequence[str] | None = None,
    periods: Sequence[Any] | None = None,
) -> Panel:
    """The balanced panel of a long table, treated from period ``start``; donors with a gap are dropped and named.

    The treated units must be observed in every period kept (``periods``: all periods of the table by default).

    >>> import pandas as pd
    >>> rows = [(u, t, v) for u, base in [("A", 1.0), ("B", 2.0), ("C", 3.0), ("T", 2.5)]
    ...         for t, v in zip([2000, 2001, 2002], [base, base + 1, base + 2])]
    >>> f = pd.DataFrame(rows[:-1], columns=["unit", "period", "value"])  # T lacks 2002
    >>> f = pd.concat([f, pd.DataFrame([("T", 2002, 4.5)], columns=f.columns)]).iloc[1:]  # A lacks 2000
    >>> p = panel_from_frame(f, "T", 2002)
    >>> p.units, p.dropped
    (['B', 'C', 'T'], {'A': 'no value for 2000'})
    """
    treated_units = [treated] if isinstance(treated, str) else list(treated)
    wide = frame.pivot_table(index=unit, columns=period, values=value, aggfunc="first")
    if periods is not None:
        wide = wide.reindex(columns=list(periods))
    wide = wide.reindex(columns=sorted(wide.columns))
    missing = [u for u in treated_units if u not in wide.index]
    if missing:
        raise DataError(f"panel: no values for the treated unit(s) {', '.join(missing)}")
    gaps = [str(c) for u in treated_units for c in wide.columns if not np.isfinite(wide.at[u, c])]
    if gaps:
        raise DataError(f"panel: the treated unit(s) lack values for {', '.join(sorted(set(gaps)))}")
    pool = [u for u in (donors if donors is not None else wide.index) if u not in treated_units]
    dropped: dict[str, str] = {}
    kept: list[str] = []
    for u in pool:
        if u not in wide.index:
            dropped[str(u)] = "no values"
            continue
        holes = [str(c) for c in wide.columns if not np.isfinite(wide.at[u, c])]
        if holes:
            more = f" and {len(holes) - 3} more" if len(holes) > 3 else ""
            dropped[str(u)] = f"no value for {', '.join(holes[:3])}{more}"
        else:
            kept.append(u)
    cols = list(wide.columns)
    t0 = sum(1 for c in cols if c < start)
    if t0 == len(cols):
        raise InvalidValueError(f"panel: no period from {start} on (the last is {cols[-1]})")
    panel = Panel(
        wide.loc[kept + treated_units].to_numpy(float),
        [str(u) for u in kept + treated_units],
        cols,
        n0=len(kept),
        t0=t0,
    )
    panel.dropped = dropped
    return panel

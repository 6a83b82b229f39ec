"""Which units exist in which year, and which changed borders: the facts regional statistics need.

A region that did not exist in a year is *absent*, not zero; a comparison across a
boundary change must say so.  These facts come from a geography object (duck
typed: ``geography.get(code)`` returning a unit with ``exists_in(year)`` and
``boundary_changes``, each with a ``date``) or from two plain callables:

* ``existence(geo, year) -> bool``
* ``boundary_note(geo, year0, year1) -> str | None``: why ``geo`` in ``year0`` and in
  ``year1`` are not the same territory, or ``None``.

Without either, every unit is taken to exist in every year with fixed borders.
A change dated in year *Y* puts *Y* on the new borders, so it separates
``year0 < Y ≤ year1``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np
import pandas as pd

from ...errors import InvalidValueError, NotFoundError

__all__ = ["BoundaryNote", "Existence", "Territory"]

Existence = Callable[[str, int], bool]
BoundaryNote = Callable[[str, int, int], "str | None"]


def _year(date: Any) -> int:
    if isinstance(date, dt.date | pd.Timestamp):
        return int(date.year)
    return int(str(date)[:4])


def _text(description: Any) -> str:
    if description is None:
        return ""
    getter = getattr(description, "get", None)
    return str(getter("en")) if callable(getter) else str(description)


class Territory:
    """Existence and boundary facts for regional statistics.

    >>> t = Territory(existence=lambda g, y: not (g == "KZ-61" and y < 2018))
    >>> t.present(pd.DataFrame({"geo": ["KZ-61", "KZ-61"], "year": [2017, 2018]})).tolist()
    [False, True]
    >>> t.unstable(["KZ-61", "KZ-11"], 2015, 2020)
    {'KZ-61': 'KZ-61 does not exist in 2015–2017'}
    """

    def __init__(
        self,
        geography: Any | None = None,
        *,
        existence: Existence | None = None,
        boundary_note: BoundaryNote | None = None,
    ) -> None:
        if geography is not None and not callable(getattr(geography, "get", None)):
            raise InvalidValueError("geography: expected an object with .get(code) (sandyq.framework Geography)")
        self._geography = geography
        self._existence = existence
        self._boundary_note = boundary_note

    def _unit(self, geo: str) -> Any | None:
        if self._geography is None:
            return None
        try:
            return self._geography.get(geo)
        except (NotFoundError, KeyError, LookupError):
            return None  # not in the geography (e.g. a country): assumed to exist with fixed borders

    def exists(self, geo: str, year: int) -> bool:
        """Whether ``geo`` exists in ``year``."""
        if self._existence is not None:
            return bool(self._existence(geo, int(year)))
        unit = self._unit(geo)
        return True if unit is None else bool(unit.exists_in(int(year)))

    def note(self, geo: str, year0: int, year1: int) -> str | None:
        """Why ``geo`` is not the same territory in ``year0`` and ``year1`` (``None`` if it is)."""
        if self._boundary_note is not None:
            return self._boundary_note(geo, int(year0), int(year1))
        unit = self._unit(geo)
        if unit is None:
            return None
        lo, hi = sorted((int(year0), int(year1)))
        notes = [
            f"{geo}: boundary change on {change.date}" + (f" ({_text(d)})" if (d := _description(change)) else "")
            for change in getattr(unit, "boundary_changes", ()) or ()
            if lo < _year(change.date) <= hi
        ]
        return "; ".join(notes) or None

    def present(self, frame: pd.DataFrame) -> pd.Series:
        """Boolean mask: does each row's geo exist in its year?  (One call per distinct geo-year.)"""
        pairs = frame[["geo", "year"]].drop_duplicates()
        flags = [self.exists(g, y) for g, y in zip(pairs["geo"], pairs["year"], strict=True)]
        pairs = pairs.assign(_exists=np.asarray(flags, dtype=bool))
        merged = frame[["geo", "year"]].merge(pairs, on=["geo", "year"], how="left")
        return pd.Series(merged["_exists"].to_numpy(dtype=bool), index=frame.index)

    def unstable(self, geos: Iterable[str], year0: int, year1: int) -> dict[str, str]:
        """Units that are not the same territory throughout [year0, year1], with the reason."""
        out: dict[str, str] = {}
        years = range(int(year0), int(year1) + 1)
        for geo in sorted(set(geos)):
            absent = [y for y in years if not self.exists(geo, y)]
            if absent:
                span = str(absent[0]) if len(absent) == 1 else f"{absent[0]}–{absent[-1]}"
                out[geo] = f"{geo} does not exist in {span}"
                continue
            note = self.note(geo, year0, year1)
            if note:
                out[geo] = note
        return out


def _description(change: Any) -> Any:
    for name in ("description_en", "description", "note"):
        value = getattr(change, name, None)
        if value:
            return value
    return None

"""Geographic units: countries, aggregates and regions with their lifetimes, and boundary files.

The records :class:`~sandyq.framework.Geography` is made of, apart from the
geography itself so that the table readers (:mod:`._geosheet`, :mod:`._regions`)
build them without importing it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

from ._models import Text

__all__ = ["BoundaryChange", "BoundarySet", "GeoKind", "GeoUnit", "geo_key"]

GeoKind = Literal["country", "aggregate", "region"]


@dataclass(frozen=True)
class BoundaryChange:
    """A change to a unit's territory: when, what, and which other units took part."""

    date: datetime.date
    description: Text
    codes: tuple[str, ...]


@dataclass(frozen=True)
class GeoUnit:
    """A country, aggregate or region, with its names, aliases and lifetime.

    ``valid_from``/``valid_to`` are legal dates (``valid_to`` is the first day
    the unit no longer exists); ``first_year``/``last_year`` are the statistical
    years published for the unit as such (``None`` = open-ended).

    >>> from sandyq.framework import load_geography
    >>> south = load_geography().get("KZONT")
    >>> south.code, south.last_year, south.exists_in(2017), south.exists_in(2018)
    ('KZ-YUZ', 2017, True, False)
    """

    code: str
    kind: GeoKind
    name: Text
    parent: str | None = None
    level: str | None = None
    iso2: str | None = None
    valid_from: datetime.date | None = None
    valid_to: datetime.date | None = None
    first_year: int | None = None
    last_year: int | None = None
    boundary_changes: tuple[BoundaryChange, ...] = ()
    aliases: tuple[str, ...] = ()

    def exists_in(self, year: int) -> bool:
        """Whether statistics for ``year`` are published for this unit as such."""
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )

    def exists_on(self, date: datetime.date) -> bool:
        """Whether the unit legally exists on ``date``."""
        return (self.valid_from is None or date >= self.valid_from) and (self.valid_to is None or date < self.valid_to)


@dataclass(frozen=True)
class BoundarySet:
    """A bundled GeoJSON boundary file and the statistical years it draws.

    ``join_property`` is the feature property that identifies a unit in every
    year the file covers (for Kazakhstan ``sdg_ref_area``, because the pre-2018
    file gives South Kazakhstan ``iso_3166_2`` ``KZ-61``).
    """

    name: str
    country: str | None
    path: str
    join_property: str
    first_year: int | None
    last_year: int | None

    def covers(self, year: int) -> bool:
        return (self.first_year is None or year >= self.first_year) and (
            self.last_year is None or year <= self.last_year
        )


def geo_key(code: object) -> str:
    """Normalised lookup key: no whitespace, upper case (hyphens are kept: KZYUZ ≠ KZ-YUZ)."""
    return "".join(str(code).split()).upper()

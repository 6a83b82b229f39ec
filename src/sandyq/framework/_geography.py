"""Geography: countries, World Bank aggregates and Kazakhstan's regions over time.

Every figure sandyq stores is about a *geography*, named by a canonical code:

* countries: ISO 3166-1 alpha-3 (``KAZ``), plus the World Bank's ``XKX`` (Kosovo)
  and ``CHI`` (Channel Islands), which have no ISO code;
* aggregates: World Bank codes (``WLD``, ``ECS``, ``UMC`` …);
* Kazakhstan's regions: ISO 3166-2:KZ (``KZ-71`` Astana …), plus the retired
  South Kazakhstan oblast as ``KZ-YUZ`` (its ISO letter code at the time).

Sources name the same unit in other ways (the SDG platform's ``KZNS``, KATO
``710000000``, the old ISO letter code ``KZ-AST``, alpha-2 ``KZ``).
:meth:`Geography.resolve` maps all of them to the canonical code, and
:meth:`Geography.crosswalk` gives one scheme's table.  Regions carry the years
they exist in and their boundary changes, because regional series break when
oblasts are split (2018, 2022); :meth:`Geography.boundary_set` says which
bundled boundary file draws a statistical year.

The tables live in ``sandyq/content/geography`` (see its ``SOURCE.md``).  They
are read once (:func:`load_geography` is cached) and checked as a whole: a bad
row, date or an alias that means two units raises
:class:`~sandyq.errors.FrameworkError` naming the file, row and column.

>>> geo = load_geography()
>>> geo.resolve("KZNS"), geo.resolve(" kaz "), geo.resolve("KZONT")
('KZ-71', 'KAZ', 'KZ-YUZ')
>>> geo.name("KZ-71", "ru")
'г. Астана'
"""

from __future__ import annotations

import difflib
import functools
from collections.abc import Mapping
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from ..errors import FrameworkError, NotFoundError, Problem
from ._geosheet import Draft, Row, read_sheet
from ._geounit import BoundarySet, GeoUnit, geo_key
from ._regions import read_boundary_sets, read_regions

__all__ = ["Geography", "load_geography"]

#: Feature properties tried, in order, by :meth:`Geography.feature_code`.
FEATURE_KEYS = ("sdg_ref_area", "iso_3166_2", "ISO_3166_2_alpha", "KATO", "iso_a3", "ISO_A3", "ADM0_A3")


class Geography:
    """All geographic units and their aliases; read-only.

    Build one with :func:`load_geography` (the bundled tables) or
    :meth:`from_folder`.
    """

    def __init__(
        self,
        units: list[GeoUnit],
        schemes: Mapping[str, Mapping[str, str]],
        boundary_sets: list[BoundarySet],
        root: Traversable | None = None,
    ) -> None:
        self._units = {u.code: u for u in sorted(units, key=lambda u: u.code)}
        self._schemes = {name: dict(table) for name, table in schemes.items()}
        self._index = {geo_key(alias): code for table in self._schemes.values() for alias, code in table.items()}
        self._index.update({geo_key(code): code for code in self._units})
        self._boundary_sets = {b.name: b for b in boundary_sets}
        self._root = root

    @classmethod
    def from_folder(cls, folder: Path | str | Traversable) -> Geography:
        """Read and check the geography tables in ``folder`` (not cached)."""
        root: Traversable = Path(folder) if isinstance(folder, str | Path) else folder
        units, schemes, sets = _read_tables(root)
        return cls(units, schemes, sets, root)

    def __repr__(self) -> str:
        return (
            f"Geography({len(self.countries())} countries, {len(self.aggregates())} aggregates, "
            f"{sum(u.kind == 'region' for u in self._units.values())} regions)"
        )

    def __len__(self) -> int:
        return len(self._units)

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str | int) and self.resolve(code) is not None

    def resolve(self, code: str | int) -> str | None:
        """The canonical code for a canonical code or an alias, or ``None`` if unknown.

        Whitespace is ignored and case does not matter.

        >>> geo = load_geography()
        >>> geo.resolve("kz-ast"), geo.resolve(710000000), geo.resolve("XKX"), geo.resolve("NOPE")
        ('KZ-71', 'KZ-71', 'XKX', None)
        """
        return self._index.get(geo_key(code))

    def get(self, code: str | int) -> GeoUnit:
        """The unit named by ``code`` (canonical or alias); :class:`NotFoundError` if unknown."""
        canonical = self.resolve(code)
        if canonical is None:
            close = difflib.get_close_matches(geo_key(code), list(self._index), n=3)
            hint = f" (did you mean {', '.join(close)}?)" if close else ""
            message = f"unknown geography code {code!r}{hint}"
            raise NotFoundError(message)
        return self._units[canonical]

    def name(self, code: str | int, language: str = "en") -> str:
        """The unit's name in ``language`` (kk, ru or en; others fall back to en)."""
        return self.get(code).name.get(language)

    def regions(self, country: str = "KAZ", year: int | None = None) -> list[GeoUnit]:
        """A country's first-level regions that exist in ``year`` (all if ``None``), ordered by code.

        >>> geo = load_geography()
        >>> [len(geo.regions(year=y)) for y in (2017, 2018, 2022)]
        [16, 17, 20]
        """
        parent = self.get(country).code
        return [
            u
            for u in self._units.values()
            if u.kind == "region" and u.parent == parent and (year is None or u.exists_in(year))
        ]

    def countries(self) -> list[GeoUnit]:
        """All countries and economies, ordered by code."""
        return [u for u in self._units.values() if u.kind == "country"]

    def aggregates(self) -> list[GeoUnit]:
        """All World Bank aggregates, ordered by code."""
        return [u for u in self._units.values() if u.kind == "aggregate"]

    def schemes(self) -> list[str]:
        """The names of the alias schemes :meth:`crosswalk` knows."""
        return sorted(self._schemes)

    def crosswalk(self, scheme: str) -> dict[str, str]:
        """One scheme's codes mapped to canonical codes.

        Schemes: ``sdg`` (SDG platform REF_AREA), ``kato``, ``iso_alpha`` (old
        ISO 3166-2:KZ letter codes), ``pcode`` (OCHA COD-AB), ``iso2`` and
        ``iso_numeric`` (ISO 3166-1), ``other``.

        >>> cw = load_geography().crosswalk("sdg")
        >>> cw["KZNS"], cw["KZYUZ"], cw["KZONT"]
        ('KZ-71', 'KZ-61', 'KZ-YUZ')
        """
        try:
            return dict(self._schemes[scheme])
        except KeyError:
            message = f"unknown code scheme {scheme!r} (known: {', '.join(self.schemes())})"
            raise NotFoundError(message) from None

    def boundary_sets(self) -> list[BoundarySet]:
        """The bundled boundary files."""
        return list(self._boundary_sets.values())

    def boundary_set(self, year: int, country: str = "KAZ") -> str:
        """The name of the boundary file that draws ``country``'s regions in statistical ``year``.

        >>> geo = load_geography()
        >>> geo.boundary_set(2017), geo.boundary_set(2018), geo.boundary_set(2022)
        ('kz-adm1-pre2018', 'kz-adm1-2018', 'kz-adm1-2024')
        """
        parent = self.get(country).code
        for b in self._boundary_sets.values():
            if b.country == parent and b.covers(year):
                return b.name
        message = f"no boundary set for {parent} in {year}"
        raise NotFoundError(message)

    def boundary_file(self, name: str) -> Traversable:
        """The GeoJSON file of a boundary set (read it with ``.read_text()`` or ``.open()``)."""
        if name not in self._boundary_sets or self._root is None:
            message = f"unknown boundary set {name!r} (known: {', '.join(self._boundary_sets)})"
            raise NotFoundError(message)
        root: Traversable = self._root
        for part in self._boundary_sets[name].path.split("/"):
            root = root / part
        return root

    def feature_code(self, properties: Mapping[str, Any], year: int | None = None) -> str | None:
        """The canonical code of a GeoJSON feature, from its ``properties``.

        Tries :data:`FEATURE_KEYS` in order (``sdg_ref_area`` first, which is
        unambiguous in all bundled Kazakh files) and returns the first that
        resolves to a unit existing in ``year`` (any unit if ``year`` is None).

        >>> geo = load_geography()
        >>> south = {"iso_3166_2": "KZ-61", "sdg_ref_area": "KZONT"}  # pre-2018 file
        >>> geo.feature_code(south), geo.feature_code({"iso_3166_2": "KZ-61", "ISO_3166_2_alpha": "KZ-YUZ"}, 2017)
        ('KZ-YUZ', 'KZ-YUZ')
        >>> geo.feature_code({"iso_a3": None, "ADM0_A3": "KOS"})  # Natural Earth's Kosovo
        'XKX'
        """
        for key in FEATURE_KEYS:
            value = properties.get(key)
            if value is None or value in ("", "-99"):
                continue
            code = self.resolve(value)
            if code is not None and (year is None or self._units[code].exists_in(year)):
                return code
        return None


# --- reading the tables ------------------------------------------------------------------------------------------


def _read_countries(root: Traversable, draft: Draft) -> None:
    required = ("code", "iso2", "iso_numeric", "name_en", "name_ru", "name_kk", "aliases")
    for row in read_sheet(root, "countries.csv", required, draft.problems):
        code, name = row.get("code", required=True), row.text("name")
        if code is not None and name is not None:
            unit = GeoUnit(code=code, kind="country", name=name, iso2=row.get("iso2"))
            draft.add(unit, row, {"iso2": "iso2", "iso_numeric": "iso_numeric", "aliases": "other"})


def _read_aggregates(root: Traversable, draft: Draft) -> None:
    for row in read_sheet(root, "aggregates.csv", ("code", "name_en", "name_ru", "name_kk"), draft.problems):
        code, name = row.get("code", required=True), row.text("name")
        if code is not None and name is not None:
            draft.add(GeoUnit(code=code, kind="aggregate", name=name), row, {})


def _read_tables(root: Traversable) -> tuple[list[GeoUnit], dict[str, dict[str, str]], list[BoundarySet]]:
    """Read every table under ``root`` and check them together; :class:`FrameworkError` lists all problems."""
    draft = Draft()
    _read_countries(root, draft)
    _read_aggregates(root, draft)
    read_regions(root, draft)
    read_boundary_sets(root, draft)
    owner: dict[str, tuple[str, Row]] = {}
    for unit, row in draft.units:
        if geo_key(unit.code) in owner:
            first = owner[geo_key(unit.code)][1]
            row.fail("code", f"duplicate code {unit.code!r} (first in {first.file}, row {first.line})")
        owner[geo_key(unit.code)] = (unit.code, row)
    schemes: dict[str, dict[str, str]] = {}
    for scheme, column, alias, code, row in draft.aliases:
        taken = owner.get(geo_key(alias))
        if taken is not None and taken[0] != code:
            where = f"{taken[1].file}, row {taken[1].line}"
            row.fail(column, f"alias {alias!r} of {code} already means {taken[0]} ({where})")
            continue
        owner[geo_key(alias)] = (code, row)
        schemes.setdefault(scheme, {})[alias] = code
    for b in draft.sets:
        if b.country is not None and geo_key(b.country) not in owner:
            draft.problems.append(
                Problem(str(root / "boundary_sets.csv"), f"unknown country {b.country!r}", column="country")
            )
    if draft.problems:
        raise FrameworkError(f"the bundled geography is invalid ({len(draft.problems)} problems)", draft.problems)
    return [unit for unit, _ in draft.units], schemes, draft.sets


@functools.cache
def load_geography() -> Geography:
    """The geography bundled with sandyq (read once, then cached)."""
    return Geography.from_folder(resources.files("sandyq") / "content" / "geography")

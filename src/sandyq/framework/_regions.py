"""Reading Kazakhstan's region tables: units, boundary changes and boundary files.

Part of reading the geography (:mod:`sandyq.framework._geography`), split off
because regions carry what countries do not: a level, dates of validity,
statistical years and boundary changes.  ``kz_regions.csv`` has one row per unit that has existed
since the last boundary file we hold (the 20 current units plus South
Kazakhstan, retired in 2018); ``kz_boundary_changes.csv`` one row per change to
a unit; ``boundary_sets.csv`` the bundled GeoJSON files and their years.
"""

from __future__ import annotations

from importlib.resources.abc import Traversable

from ._geosheet import Draft, Row, read_sheet
from ._geounit import BoundaryChange, BoundarySet, GeoUnit

__all__ = ["read_boundary_sets", "read_regions"]

LEVELS = ("oblast", "city")

#: (regions table, boundary changes table, parent country)
REGION_TABLES = (("kz_regions.csv", "kz_boundary_changes.csv", "KAZ"),)

#: alias columns of a regions table -> scheme name
REGION_SCHEMES = {"sdg": "sdg", "kato": "kato", "iso_alpha": "iso_alpha", "pcode": "pcode"}

_REGION_COLUMNS = (
    "code",
    "level",
    "name_en",
    "name_ru",
    "name_kk",
    *REGION_SCHEMES,
    "valid_from",
    "valid_to",
    "first_year",
    "last_year",
)
_CHANGE_COLUMNS = ("code", "date", "codes", "description_en", "description_ru", "description_kk")
_SET_COLUMNS = ("name", "country", "path", "join_property", "first_year", "last_year")


def _read_changes(root: Traversable, name: str, draft: Draft) -> list[tuple[str, BoundaryChange, Row]]:
    out = []
    for row in read_sheet(root, name, _CHANGE_COLUMNS, draft.problems):
        code, date, text = row.get("code", required=True), row.date("date"), row.text("description")
        if date is None and row.get("date") is None:
            row.fail("date", "empty value")
        if code is not None and date is not None and text is not None:
            out.append((code, BoundaryChange(date=date, description=text, codes=row.codes("codes")), row))
    return out


def read_regions(root: Traversable, draft: Draft) -> None:
    """Read each regions table with its boundary changes into ``draft``."""
    for regions_file, changes_file, parent in REGION_TABLES:
        rows = read_sheet(root, regions_file, _REGION_COLUMNS, draft.problems)
        known = {row.values.get("code", "") for row in rows}
        changes = _read_changes(root, changes_file, draft)
        for owner, change, row in changes:
            if owner not in known:
                row.fail("code", f"unknown region {owner!r} (not in {regions_file})")
            for other in change.codes:
                if other not in known:
                    row.fail("codes", f"unknown region {other!r} (not in {regions_file})")
        for row in rows:
            code, name, level = row.get("code", required=True), row.text("name"), row.get("level", required=True)
            if level is not None and level not in LEVELS:
                row.fail("level", f"level must be one of {', '.join(LEVELS)}, not {level!r}")
            first, last = row.year("first_year"), row.year("last_year")
            if first is not None and last is not None and first > last:
                row.fail("last_year", f"last year {last} is before first year {first}")
            valid_from, valid_to = row.date("valid_from"), row.date("valid_to")
            if valid_from is not None and valid_to is not None and valid_from >= valid_to:
                row.fail("valid_to", f"valid_to {valid_to} is not after valid_from {valid_from}")
            if code is None or name is None:
                continue
            own = sorted((c for k, c, _ in changes if k == code), key=lambda c: c.date)
            unit = GeoUnit(
                code=code,
                kind="region",
                name=name,
                parent=parent,
                level=level,
                valid_from=valid_from,
                valid_to=valid_to,
                first_year=first,
                last_year=last,
                boundary_changes=tuple(own),
            )
            draft.add(unit, row, REGION_SCHEMES)


def read_boundary_sets(root: Traversable, draft: Draft) -> None:
    """Read ``boundary_sets.csv``: each file must exist, and one country's sets must not share a year."""
    for row in read_sheet(root, "boundary_sets.csv", _SET_COLUMNS, draft.problems):
        name, path = row.get("name", required=True), row.get("path", required=True)
        join = row.get("join_property", required=True)
        first, last = row.year("first_year"), row.year("last_year")
        if name is None or path is None or join is None:
            continue
        target = root
        for part in path.split("/"):
            target = target / part
        if not target.is_file():
            row.fail("path", f"no such file: {path}")
        new = BoundarySet(
            name=name, country=row.get("country"), path=path, join_property=join, first_year=first, last_year=last
        )
        for other in draft.sets:
            if other.country is not None and other.country == new.country and _overlap(other, new):
                row.fail("first_year", f"years overlap those of boundary set {other.name!r}")
        draft.sets.append(new)


def _overlap(a: BoundarySet, b: BoundarySet) -> bool:
    low = max(a.first_year or -10_000, b.first_year or -10_000)
    high = min(a.last_year or 10_000, b.last_year or 10_000)
    return low <= high

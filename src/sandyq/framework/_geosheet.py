"""Reading the geography's CSV tables: rows that record their problems, and the draft they fill.

Every reader (countries and aggregates in :mod:`._geography`, regions and
boundary files in :mod:`._regions`) reads its sheets with :func:`read_sheet`
into a :class:`Draft`; the tables are then checked as a whole, so that one
:class:`~sandyq.errors.FrameworkError` lists every problem with file, row and column.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
from dataclasses import dataclass, field
from importlib.resources.abc import Traversable

from ..errors import Problem
from ._geounit import BoundarySet, GeoUnit, geo_key
from ._models import Text

__all__ = ["Draft", "Row", "read_sheet"]


@dataclass
class Row:
    """One row of a table being read; problems are recorded with file, row and column."""

    file: str
    line: int
    values: dict[str, str]
    problems: list[Problem] = field(repr=False)

    def fail(self, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, message, row=self.line, column=column))

    def get(self, column: str, required: bool = False) -> str | None:
        value = self.values.get(column, "")
        if not value:
            if required:
                self.fail(column, "empty value")
            return None
        return value

    def date(self, column: str) -> datetime.date | None:
        value = self.get(column)
        try:
            return None if value is None else datetime.date.fromisoformat(value)
        except ValueError:
            self.fail(column, f"not a date (YYYY-MM-DD): {value!r}")
            return None

    def year(self, column: str) -> int | None:
        value = self.get(column)
        if value is not None and not (value.isdigit() and 1800 <= int(value) <= 2200):
            self.fail(column, f"not a year: {value!r}")
            return None
        return None if value is None else int(value)

    def text(self, prefix: str) -> Text | None:
        kk, ru, en = (self.get(f"{prefix}_{lang}", required=True) for lang in ("kk", "ru", "en"))
        return Text(kk=kk, ru=ru, en=en) if kk and ru and en else None

    def codes(self, column: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in (self.get(column) or "").split(";") if part.strip())


def read_sheet(root: Traversable, name: str, required: tuple[str, ...], problems: list[Problem]) -> list[Row]:
    """The rows of a UTF-8 CSV file under ``root``; row numbers count the header as row 1."""
    path = root / name
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(file, "file is missing"))
        return []
    except UnicodeDecodeError as exc:
        problems.append(Problem(file, f"not UTF-8 text (byte {exc.start})"))
        return []
    reader = csv.DictReader(io.StringIO(text, newline=""))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        problems.append(Problem(file, f"missing column(s): {', '.join(missing)}", row=1))
        return []
    rows = []
    for record in reader:
        row = Row(file, reader.line_num, {k: (v or "").strip() for k, v in record.items() if k is not None}, problems)
        if None in record:
            row.fail(None, f"more cells than the {len(reader.fieldnames or [])} columns of the header")
        rows.append(row)
    return rows


@dataclass
class Draft:
    """What the readers collect before the tables are checked as a whole."""

    problems: list[Problem] = field(default_factory=list)
    units: list[tuple[GeoUnit, Row]] = field(default_factory=list)
    aliases: list[tuple[str, str, str, str, Row]] = field(default_factory=list)  # scheme, column, alias, code, row
    sets: list[BoundarySet] = field(default_factory=list)

    def add(self, unit: GeoUnit, row: Row, schemes: dict[str, str]) -> GeoUnit:
        """Record ``unit`` with aliases from the columns ``schemes`` (column -> scheme name)."""
        found = [(scheme, column, alias) for column, scheme in schemes.items() for alias in row.codes(column)]
        self.aliases += [(scheme, column, alias, unit.code, row) for scheme, column, alias in found]
        others = tuple(alias for _, _, alias in found if geo_key(alias) != geo_key(unit.code))
        unit = dataclasses.replace(unit, aliases=others)
        self.units.append((unit, row))
        return unit

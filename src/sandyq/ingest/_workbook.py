"""Read one sheet of an XLSX workbook as text columns, every row with its row number in Excel, or refuse it whole.

An XLSX file is a zip of XML files, so a small file can hold a huge sheet.
Before openpyxl reads anything, the workbook is refused if it is larger than
:data:`MAX_XLSX_BYTES` on disk or uncompressed, or if a member larger than
1 MiB is compressed more than :data:`MAX_XLSX_RATIO` times (a zip bomb: real
sheets compress 5-20 times).  While reading, the sheet is refused once it has
more than :data:`MAX_XLSX_CELLS` cells or a row wider than
:data:`~._header.MAX_COLUMNS` columns.

Cells become text as pandas would write them (``95.1``, ``2023``,
``2023-01-01 00:00:00``); a cell Excel could not compute (``#DIV/0!``,
``#N/A``), a formula saved without its value (written by a program that does
not compute formulas), and a value to the right of the header are refused with
their row and column — never read as a blank.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..errors import LoadError, Problem
from ._header import MAX_COLUMNS, header_names

__all__ = ["MAX_XLSX_BYTES", "MAX_XLSX_CELLS", "MAX_XLSX_RATIO", "read_workbook"]

#: The largest workbook, in bytes, on disk and uncompressed (all its members together): 100 MiB.
MAX_XLSX_BYTES = 100 * 1024 * 1024
#: The most a member of the workbook larger than 1 MiB may be compressed (uncompressed size ÷ compressed size).
MAX_XLSX_RATIO = 100
#: The most cells a sheet may have (rows × the width of each row): 10 million.
MAX_XLSX_CELLS = 10_000_000
_RATIO_FLOOR = 1 << 20  # members smaller than this are not checked for their ratio


def _refuse(path: Path, message: str, problem: str) -> LoadError:
    return LoadError(f"{path}: refused: {message}; nothing was loaded", [Problem(str(path), problem)])


def _check_zip(path: Path) -> None:
    """Refuse a workbook too large on disk or uncompressed, or a member compressed like a zip bomb."""
    size = path.stat().st_size
    if size > MAX_XLSX_BYTES:
        raise _refuse(path, "workbook too large", f"{size} bytes; a workbook may have at most {MAX_XLSX_BYTES}")
    try:
        with zipfile.ZipFile(path) as z:
            members = z.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise LoadError(
            f"{path}: refused: cannot read the workbook; nothing was loaded",
            [Problem(str(path), f"not a readable .xlsx workbook ({exc})")],
        ) from None
    total = sum(m.file_size for m in members)
    if total > MAX_XLSX_BYTES:
        raise _refuse(
            path,
            "workbook too large once uncompressed",
            f"its members hold {total} bytes uncompressed; a workbook may hold at most {MAX_XLSX_BYTES} "
            "(save the sheet as CSV)",
        )
    for m in members:
        if m.file_size > _RATIO_FLOOR and m.file_size > MAX_XLSX_RATIO * max(m.compress_size, 1):
            raise _refuse(
                path,
                "the workbook looks like a zip bomb",
                f"member {m.filename} is compressed {m.file_size // max(m.compress_size, 1)} times "
                f"({m.compress_size} bytes hold {m.file_size}); at most {MAX_XLSX_RATIO} is accepted",
            )


def _text(value: Any) -> str:
    """A cell's value as text, as pandas' ``read_excel(dtype=str)`` writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass
class _Sheet:
    """What reading a sheet found: the header, the rows as text, and where the problems are."""

    path: Path
    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    numbers: list[int] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    blank_cells: list[tuple[int, int]] = field(default_factory=list)  # (row, column) of cells without a value
    cells: int = 0

    def add(self, number: int, cells: tuple[Any, ...]) -> None:
        """Take one row of the sheet (openpyxl cells)."""
        self.cells += len(cells)
        if len(cells) > MAX_COLUMNS or self.cells > MAX_XLSX_CELLS:
            what = f"row {number} is {len(cells)} columns wide" if len(cells) > MAX_COLUMNS else "the sheet"
            raise _refuse(
                self.path,
                "sheet too large",
                f"{what}: a sheet may have at most {MAX_COLUMNS} columns and {MAX_XLSX_CELLS} cells (save it as CSV)",
            )
        if not self.header:  # the first row with a value names the columns (rows above it are blank)
            if any(c.value is not None and str(c.value).strip() for c in cells):
                self.header = header_names(self.path, [_text(c.value) for c in cells])
            return
        width = len(self.header)
        f = str(self.path)
        for j, c in enumerate(cells):
            if getattr(c, "data_type", None) == "e":
                name = self.header[j] if j < width else c.column_letter
                self.problems.append(
                    Problem(f, f"Excel error {c.value} in cell {c.coordinate}: the cell has no value", number, name)
                )
            elif j >= width and c.value is not None and str(c.value).strip():
                self.problems.append(
                    Problem(f, f"a value ({c.value!r}) right of the header, in cell {c.coordinate}", number)
                )
            elif j < width and c.value is None and hasattr(c, "coordinate"):
                self.blank_cells.append((number, j))
        values = [_text(c.value) for c in cells[:width]]
        self.rows.append(values + [""] * (width - len(values)))
        self.numbers.append(number)


def _read_sheet(path: Path, sheet: str | int | None, data_only: bool) -> Any:
    import openpyxl

    book = openpyxl.load_workbook(path, read_only=True, data_only=data_only, keep_links=False)
    names = book.sheetnames
    if isinstance(sheet, str):
        if sheet not in names:
            raise _refuse(path, f"no sheet named {sheet!r}", f"no sheet named {sheet!r} (sheets: {', '.join(names)})")
        ws = book[sheet]
    else:
        index = sheet or 0
        if not 0 <= index < len(book.worksheets):
            raise _refuse(
                path, f"no sheet {index}", f"sheet {index} does not exist (the workbook has {len(book.worksheets)})"
            )
        ws = book.worksheets[index]
    ws.reset_dimensions()  # the size a file declares may be wrong (or hostile): read what is there
    return book, ws


def _formulas(path: Path, sheet: str | int | None, blank: list[tuple[int, int]], header: list[str]) -> list[Problem]:
    """The formulas among ``blank`` cells: saved without a value, so reading them as blank would lose data."""
    wanted = set(blank)
    rows = {r for r, _ in blank}
    book, ws = _read_sheet(path, sheet, data_only=False)
    problems = []
    try:
        for number, cells in enumerate(ws.iter_rows(), start=1):
            if number not in rows:
                continue
            for j, c in enumerate(cells):
                if (number, j) in wanted and getattr(c, "data_type", None) == "f":
                    problems.append(
                        Problem(
                            str(path),
                            f"formula {c.value} in cell {c.coordinate} was saved without its value "
                            "(open and save the workbook in Excel or LibreOffice to compute it)",
                            number,
                            header[j],
                        )
                    )
    finally:
        book.close()
    return problems


def _read(path: Path, sheet: str | int | None) -> _Sheet:
    book, ws = _read_sheet(path, sheet, data_only=True)
    found = _Sheet(path)
    try:
        for number, cells in enumerate(ws.iter_rows(), start=1):
            found.add(number, cells)
    finally:
        book.close()
    if not found.header:
        raise _refuse(path, "the sheet is empty", "no row names the columns")
    if found.blank_cells and not found.problems:
        found.problems += _formulas(path, sheet, found.blank_cells, found.header)
    return found


def read_workbook(path: Path, *, sheet: str | int | None = None) -> tuple[pd.DataFrame, np.ndarray]:
    """The rows of one sheet (default: the first) as text columns, and each row's number in Excel (header: 1)."""
    _check_zip(path)
    try:
        found = _read(path, sheet)
    except LoadError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook; none may escape as a traceback
        raise LoadError(
            f"{path}: refused: cannot read the workbook; nothing was loaded",
            [Problem(str(path), f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})"[:300])],
        ) from None
    if found.problems:
        n = len(found.problems)
        raise LoadError(f"{path}: refused: {n} cell{'s' if n != 1 else ''} without a usable value", found.problems)
    frame = pd.DataFrame(found.rows, columns=found.header, dtype="str")
    if not found.rows:
        frame = pd.DataFrame({c: pd.Series([], dtype="str") for c in found.header})
    return frame, np.asarray(found.numbers, dtype="int64")

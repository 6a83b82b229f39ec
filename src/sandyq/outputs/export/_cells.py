"""Cells no spreadsheet runs: the formula-injection guard of every file sandyq writes for people.

A spreadsheet opening a CSV file treats a cell that begins with ``=``, ``+``,
``-`` or ``@`` (or a tab or carriage return before them) as a formula, so a
note such as ``=HYPERLINK("http://x","y")`` in the data would become a live
link, and ``=cmd|' /C calc'!A0`` a command, in the reader's spreadsheet.  As
OWASP recommends for spreadsheet-bound text, :func:`safe_cell` prefixes such
*text* cells with a single quote, which spreadsheets show as text.  Numbers
stay numbers: a float ``-3.5`` and a text cell that is a plain number
(``"-3.5"``) are left as they are, since a spreadsheet reads them as the
number they are.  The full-width forms of the four signs (``＝＋－＠``) are
escaped too, since some spreadsheets accept them as the ASCII ones.

The escape can be undone exactly: a text cell that already begins with quotes
before one of those signs gets one more quote, so removing one leading quote
from every cell of the form ``'…'<sign>…`` (:func:`unescape_cell`; sandyq's CSV
reader does the same on import) gives back the original text, and an export
loads back equal.

A carriage return inside a field is a line break to a spreadsheet, so an
unquoted one would start a new row whose first cell escaped nobody's notice;
Python's CSV writer quotes only the characters of its line terminator
(``"\n"``), so :func:`frame_csv` quotes every text field when any holds a
carriage return.

An XLSX cell holds a type, so no quote is needed there: :func:`xlsx_text` and
:func:`xlsx_row` store every string as a string, never as a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from typing import Any

import pandas as pd

__all__ = [
    "FORMULA_SIGNS",
    "frame_csv",
    "safe_cell",
    "safe_csv",
    "safe_frame",
    "unescape_cell",
    "xlsx_row",
    "xlsx_text",
]

#: First characters that make a spreadsheet read a cell as a formula (OWASP, plus their full-width forms).
FORMULA_SIGNS = "=+-@\t\r＝＋－＠"
_SIGN = "[" + re.escape(FORMULA_SIGNS) + "]"
_RISKY = re.compile(f"'*{_SIGN}")  # at the start of a cell
_ESCAPED = re.compile(f"'(?='*{_SIGN})")  # at the start of a cell
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")  # the whole cell


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet shows it without running it: risky text gets a leading ``'``.

    >>> safe_cell('=HYPERLINK("http://x","y")'), safe_cell("-2+3"), safe_cell("@SUM(A1)")
    ('\\'=HYPERLINK("http://x","y")', "'-2+3", "'@SUM(A1)")
    >>> safe_cell(-3.5), safe_cell("-3.5"), safe_cell("KZ-71"), safe_cell("'=x")
    (-3.5, '-3.5', 'KZ-71', "''=x")
    """
    if isinstance(value, str) and _RISKY.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def unescape_cell(value: Any) -> Any:
    """The text :func:`safe_cell` was given: one leading ``'`` removed from an escaped cell.

    >>> unescape_cell("'=x"), unescape_cell("''=x"), unescape_cell("'quoted'"), unescape_cell(3)
    ('=x', "'=x", "'quoted'", 3)
    """
    if isinstance(value, str) and _ESCAPED.match(value):
        return value[1:]
    return value


def _text_column(series: pd.Series) -> bool:
    return bool(pd.api.types.is_object_dtype(series) or pd.api.types.is_string_dtype(series))


def _escaped(series: pd.Series) -> pd.Series:
    """``series`` with :func:`safe_cell` applied to its text cells (other cells, None and NaN untouched)."""
    try:
        risky = series.str.match(_RISKY.pattern, na=False) & ~series.str.fullmatch(_NUMBER.pattern, na=False)
    except AttributeError:  # no text in this column
        return series
    if not risky.any():
        return series
    out = series.copy()
    out[risky] = "'" + series[risky].astype(str)
    return out


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with :func:`safe_cell` applied to every text cell and column name.

    Numeric, boolean and date columns are left as they are.

    >>> f = safe_frame(pd.DataFrame({"note": ["=1+2", "ok", None], "value": [-3.5, 1.0, 2.0]}))
    >>> f["note"].fillna("").tolist(), f["value"].tolist()
    (["'=1+2", 'ok', ''], [-3.5, 1.0, 2.0])
    """
    out = frame.copy()
    for c in out.columns:
        if _text_column(out[c]):
            out[c] = _escaped(out[c])
    out.columns = pd.Index([safe_cell(c) for c in out.columns])
    return out


def _has_cr(frame: pd.DataFrame) -> bool:
    """Whether a column name or a text cell of ``frame`` holds a carriage return."""
    if any("\r" in str(c) for c in frame.columns):
        return True
    for c in frame.columns:
        if _text_column(frame[c]):
            try:
                if frame[c].str.contains("\r", regex=False, na=False).any():
                    return True
            except AttributeError:  # an object column without text (booleans, numbers)
                continue
    return False


def frame_csv(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (no index, lines ending ``\\n``) that no spreadsheet runs or splits.

    Text cells are escaped (:func:`safe_frame`); if any holds a carriage
    return, every text field is quoted so that it stays in its cell.

    >>> print(frame_csv(pd.DataFrame({"note": ["=1+2", "ok"], "value": [-3.5, 1.0]})), end="")
    note,value
    '=1+2,-3.5
    ok,1.0
    >>> frame_csv(pd.DataFrame({"note": ["a\\r=1+2"], "value": [1.0]}))
    '"note","value"\\n"a\\r=1+2",1.0\\n'
    """
    safe = safe_frame(frame)
    quoting = csv.QUOTE_NONNUMERIC if _has_cr(safe) else csv.QUOTE_MINIMAL
    return str(safe.to_csv(index=False, lineterminator="\n", quoting=quoting))


def safe_csv(text: str) -> str:
    """CSV ``text`` (comma-separated) re-written with :func:`safe_cell` on every field; lines end with ``\\n``.

    For CSV that a lower layer made as text.  A carriage return that is not in
    a quoted field breaks the line there, as a spreadsheet would read it, so
    what follows it is escaped as the start of a row.

    >>> safe_csv('name,value\\n"=HYPERLINK(""http://x"",""y"")",-3.5\\n')
    'name,value\\n"\\'=HYPERLINK(""http://x"",""y"")",-3.5\\n'
    >>> safe_csv("name\\nx\\r=1+2\\n")
    "name\\nx\\n'=1+2\\n"
    """
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:  # a bare carriage return inside a field: a line break to a spreadsheet
        rows = list(csv.reader(io.StringIO(text.replace("\r\n", "\n").replace("\r", "\n"), newline="")))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def xlsx_text(book: Any) -> Any:
    """Make every formula cell of an openpyxl workbook a text cell (sandyq never writes formulas); return it.

    openpyxl reads a string that begins with ``=`` as a formula; as text it shows as written and never runs.
    """
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    return book


def xlsx_row(sheet: Any, values: Iterable[Any]) -> list[Any]:
    """The cells of one row for ``sheet.append`` (a write-only openpyxl sheet): strings as text, never formulas."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for v in values:
        if isinstance(v, str) and v.startswith("="):
            cell = WriteOnlyCell(sheet, value=v)
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(v)
    return cells

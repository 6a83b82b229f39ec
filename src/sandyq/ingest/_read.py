"""Read a CSV or XLSX file into a frame of raw text, with file row numbers.

Everything is read as text so that validation can name the exact cell that is
wrong; numbers are parsed later.  What cannot be read faithfully is refused
whole, naming the file and, where there is one, the row and column: a file
that is not valid text in its encoding, a header with a repeated or unusable
name or too many columns (:mod:`._header`), a row with more or fewer fields
than the header, a file too large (:mod:`._csv`, :mod:`._workbook`), an Excel
cell without a value; :func:`require_rows` refuses a file with a header but no data rows.

A CSV cell that begins with a quote before a formula sign (``'=…``, ``'-…``,
``''@…``) is formula-injection escaping, as sandyq's exports write it
(``sandyq.outputs.export.safe_cell``, following OWASP): one leading quote is
removed, which gives back exactly the text that was exported.  This is done in
every CSV file, since a file's bytes do not tell who wrote it; the quote in
such a cell is the same convention when another program wrote it.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import LoadError, Problem
from ._csv import read_csv
from ._workbook import read_workbook

__all__ = ["ROW", "drop_blank", "read_table", "release_memory", "require_rows"]

#: Name of the column holding each record's row number in the file (1 = header).
ROW = "__row__"
#: A cell escaped against formula injection: one quote before quotes and a formula sign (as ``safe_cell`` writes).
_ESCAPED = re.compile("^'(?='*[=+\\-@\t\r＝＋－＠])")


def _unescaped(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (CSV cells as text) with the formula-injection escape of sandyq's exports undone."""
    out = frame.copy(deep=False)
    for c in frame.columns:  # a cheap test first: most columns hold no quote at all
        col = frame[c]
        if col.str.startswith("'").any():
            out[c] = col.str.replace(_ESCAPED, "", regex=True)
    out.columns = [_ESCAPED.sub("", str(c)) for c in frame.columns]
    return out


def read_table(path: Path, *, encoding: str = "utf-8", sheet: str | int | None = None) -> pd.DataFrame:
    """Read ``path`` (``.csv``/``.txt``/``.tsv`` or ``.xlsx``) as text with a :data:`ROW` column; blank rows dropped."""
    if not path.is_file():
        what = "a folder, not a file" if path.is_dir() else "no such file"
        raise LoadError(f"{path}: {what}", [Problem(str(path), what)])
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".txt", ".tsv", ""):
        raise LoadError(
            f"{path}: refused: unsupported file type {suffix!r}", [Problem(str(path), "expected .csv, .tsv or .xlsx")]
        )
    try:
        if suffix in (".xlsx", ".xlsm"):
            frame, rows = read_workbook(path, sheet=sheet)
        else:
            frame, rows = read_csv(path, encoding=encoding, sep="\t" if suffix == ".tsv" else ",")
            frame = _unescaped(frame)
    except OSError as exc:  # unreadable (permissions, a device error): a refusal, not a traceback
        raise LoadError(f"{path}: cannot read the file", [Problem(str(path), exc.strerror or str(exc))]) from None
    frame[ROW] = rows
    return drop_blank(frame)


def drop_blank(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (text cells and a :data:`ROW` column) without its blank rows: every cell empty or spaces."""
    data_cols = [c for c in frame.columns if c != ROW]
    blank = np.arange(len(frame)) if data_cols else np.array([], dtype=np.intp)
    for c in data_cols:  # a row is blank if every cell is: test each column only on rows blank so far
        if not len(blank):
            break
        blank = blank[(frame[c].iloc[blank].str.strip() == "").to_numpy(dtype=bool)]
    if len(blank):
        frame = frame.drop(index=frame.index[blank]).reset_index(drop=True)
    return frame


def require_rows(frame: pd.DataFrame, path: Path) -> None:
    """Refuse a table with a header but no data rows: loading it would record a load of nothing."""
    if frame.empty:
        raise LoadError(
            f"{path}: refused: no data rows (only a header); nothing was loaded",
            [Problem(str(path), "the file has a header but no data rows", row=2)],
        )


def release_memory() -> None:
    """Give the memory pyarrow keeps for reuse back to the system, once a file's text columns are no longer needed.

    The CSV parser's buffers would otherwise stay idle beside the store's own memory while the batch is written.
    """
    import pyarrow as pa

    pa.default_memory_pool().release_unused()

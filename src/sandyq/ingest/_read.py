"""Read a CSV or XLSX file into a frame of raw text, with file row numbers.

Everything is read as text so that validation can name the exact cell that is
wrong; numbers are parsed later.  A file that is not valid text in its declared
encoding is refused with the line of the first bad byte.

A CSV cell that begins with a quote before a formula sign (``'=…``, ``'-…``,
``''@…``) is formula-injection escaping, as sandyq's exports write it
(``sandyq.outputs.export.safe_cell``, following OWASP): one leading quote is
removed, which gives back exactly the text that was exported.  This is done in
every CSV file, since a file's bytes do not tell who wrote it; the quote in
such a cell is the same convention when another program wrote it.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pandas as pd

from ..errors import LoadError, Problem

__all__ = ["ROW", "read_table"]

#: Name of the column holding each record's row number in the file (1 = header).
ROW = "__row__"
#: A cell escaped against formula injection: one quote before quotes and a formula sign (as ``safe_cell`` writes).
_ESCAPED = re.compile("^'(?='*[=+\\-@\t\r＝＋－＠])")


def _unescaped(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (CSV cells as text) with the formula-injection escape of sandyq's exports undone."""
    out = frame.apply(lambda s: s.str.replace(_ESCAPED, "", regex=True))
    out.columns = [_ESCAPED.sub("", str(c)) for c in frame.columns]
    return out


def _decode(path: Path, encoding: str) -> str:
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(
            f"{path}: refused: not valid {encoding} text; nothing was loaded",
            [
                Problem(
                    str(path),
                    f"byte 0x{data[exc.start]:02x} cannot be decoded as {encoding}; save the file as "
                    f"UTF-8 or give its encoding (e.g. --encoding cp1251)",
                    row=line,
                )
            ],
        ) from None
    except LookupError:
        raise LoadError(f"{path}: unknown encoding {encoding!r}", [Problem(str(path), "unknown encoding")]) from None
    return text.lstrip("\ufeff")


def read_table(path: Path, *, encoding: str = "utf-8", sheet: str | int | None = None) -> pd.DataFrame:
    """Read ``path`` (``.csv``/``.txt``/``.tsv`` or ``.xlsx``) as text with a :data:`ROW` column."""
    if not path.exists():
        raise LoadError(f"{path}: no such file", [Problem(str(path), "no such file")])
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        try:
            frame = pd.read_excel(
                path, sheet_name=0 if sheet is None else sheet, dtype=str, keep_default_na=False, engine="openpyxl"
            )
        except (zipfile.BadZipFile, ValueError, KeyError, OSError) as exc:
            raise LoadError(
                f"{path}: refused: cannot read the workbook; nothing was loaded",
                [Problem(str(path), f"not a readable .xlsx workbook ({exc})")],
            ) from None
    elif suffix in (".csv", ".txt", ".tsv", ""):
        text = _decode(path, encoding)
        sep = "\t" if suffix == ".tsv" else ","
        try:
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, sep=sep, skip_blank_lines=False)
        except pd.errors.EmptyDataError:
            raise LoadError(f"{path}: refused: the file is empty", [Problem(str(path), "empty file")]) from None
        except pd.errors.ParserError as exc:
            raise LoadError(
                f"{path}: refused: malformed CSV; nothing was loaded", [Problem(str(path), str(exc).strip())]
            ) from None
        frame = _unescaped(frame)
    else:
        raise LoadError(
            f"{path}: refused: unsupported file type {suffix!r}", [Problem(str(path), "expected .csv, .tsv or .xlsx")]
        )
    frame.columns = [str(c).strip() for c in frame.columns]
    dupes = sorted({c for c in frame.columns if list(frame.columns).count(c) > 1})
    if dupes:
        raise LoadError(
            f"{path}: refused: repeated column names",
            [Problem(str(path), "column appears more than once", row=1, column=c) for c in dupes],
        )
    frame[ROW] = range(2, len(frame) + 2)
    data_cols = [c for c in frame.columns if c != ROW]
    blank = (frame[data_cols].apply(lambda s: s.str.strip()) == "").all(axis=1) if data_cols else frame[ROW] < 0
    return frame.loc[~blank].reset_index(drop=True)

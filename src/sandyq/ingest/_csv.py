"""Read a CSV (or TSV) file as text columns, every record with its line in the file, or refuse it whole.

The bytes are decoded in the declared encoding (a bad byte is refused with its
line), the header is read raw and checked (:mod:`._header`), the size is
bounded (:data:`MAX_CELLS`), and every record must have as many fields as the
header: a row cut short (``17-8-1,KAZ``) or one with extra fields is refused
with its line, never padded with blanks or shifted under the wrong columns.
Blank lines are kept as blank records (the caller drops them).

Records are parsed by pyarrow (multi-threaded, text columns without copies into
pandas).  The line of each record is its position, unless a quoted field spans
lines or a line has the wrong number of fields: then the file is read again by
Python's :mod:`csv` module, which names every record's first line.
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import LoadError, Problem
from ._header import header_names

__all__ = ["MAX_CELLS", "arrow_records", "count_lines", "header", "read_csv"]

#: The most cells (records × columns) a CSV file may have: 200 million, e.g. 20 million rows of 10 columns.
MAX_CELLS = 200_000_000
_CHUNK = 1 << 24  # bytes decoded at a time when checking UTF-8
_MAX_HEADER = 1 << 20  # the longest header line, in bytes


def _bad_text(path: Path, data: bytes, start: int, encoding: str) -> LoadError:
    line = data.count(b"\n", 0, start) + 1
    return LoadError(
        f"{path}: refused: not valid {encoding} text; nothing was loaded",
        [
            Problem(
                str(path),
                f"byte 0x{data[start]:02x} cannot be decoded as {encoding}; save the file as "
                f"UTF-8 or give its encoding (e.g. --encoding cp1251)",
                row=line,
            )
        ],
    )


def _utf8(path: Path, data: bytes, encoding: str) -> bytes:
    """``data`` as UTF-8 without a byte-order mark, decoded to check it, or a refusal naming the line of a bad byte.

    UTF-8 is checked in chunks and not copied, so a large file is held once.
    """
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise LoadError(f"{path}: unknown encoding {encoding!r}", [Problem(str(path), "unknown encoding")]) from None
    if codec.name not in ("utf-8", "utf-8-sig"):
        try:
            text = data.decode(codec.name)
        except UnicodeDecodeError as exc:
            raise _bad_text(path, data, exc.start, encoding) from None
        return text.lstrip("\ufeff").encode("utf-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    view = memoryview(data)
    for at in range(0, len(data), _CHUNK):
        pending = len(decoder.getstate()[0])
        try:
            decoder.decode(view[at : at + _CHUNK], final=at + _CHUNK >= len(data))
        except UnicodeDecodeError as exc:
            raise _bad_text(path, data, max(at - pending + exc.start, 0), encoding) from None
    view.release()
    return data[3:] if data.startswith(codecs.BOM_UTF8) else data


def header(path: Path, data: bytes, sep: str) -> list[str]:
    ends = [i for i in (data.find(b"\n", 0, _MAX_HEADER), data.find(b"\r", 0, _MAX_HEADER)) if i >= 0]
    if not ends and len(data) > _MAX_HEADER:  # a lone carriage return ends a line too
        raise LoadError(
            f"{path}: refused: the header line is longer than {_MAX_HEADER} bytes; nothing was loaded",
            [Problem(str(path), f"the first line has more than {_MAX_HEADER} bytes", row=1)],
        )
    try:
        first = next(
            csv.reader(io.StringIO(data[:_MAX_HEADER].decode("utf-8", errors="replace"), newline=""), delimiter=sep), []
        )
    except csv.Error as exc:
        raise LoadError(f"{path}: refused: malformed CSV header", [Problem(str(path), str(exc), row=1)]) from None
    if not any(x.strip() for x in first):
        if not data.strip():
            raise LoadError(f"{path}: refused: the file is empty", [Problem(str(path), "empty file")])
        raise LoadError(
            f"{path}: refused: the first line (the header) is blank; nothing was loaded",
            [Problem(str(path), "the first line must name the columns", row=1)],
        )
    return header_names(path, first)


def count_lines(data: bytes) -> int:
    """The number of lines of ``data`` (a last line without a line feed counts)."""
    n = data.count(b"\n")
    if b"\r" in data:  # a lone carriage return ends a line too
        n += data.count(b"\r") - data.count(b"\r\n")
    return n + (0 if data.endswith((b"\n", b"\r")) else 1)


def arrow_records(
    data: bytes, names: list[str], sep: str, quoted: bool, skip_rows: int = 1
) -> tuple[pd.DataFrame, int]:
    """The records after ``skip_rows`` lines as text columns, and how many lines pyarrow could not split."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    invalid = 0

    def skip(row: object) -> str:
        nonlocal invalid
        invalid += 1
        return "skip"

    keys = [f"c{i}" for i in range(len(names))]
    table = pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(column_names=keys, skip_rows=skip_rows, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(
            delimiter=sep,
            quote_char='"' if quoted else False,
            newlines_in_values=quoted,
            ignore_empty_lines=False,
            invalid_row_handler=skip,
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=dict.fromkeys(keys, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False
        ),
    )
    frame = table.rename_columns(names).to_pandas()
    return frame, invalid


def _records(path: Path, data: bytes, names: list[str], sep: str) -> tuple[pd.DataFrame, np.ndarray]:
    """Every record after the header with its first line, by Python's csv module; a refusal names each bad one."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""), delimiter=sep)
    n = len(names)
    rows: list[list[str]] = []
    lines: list[int] = []
    problems: list[Problem] = []
    start = 1
    try:
        next(reader, None)
        start = reader.line_num + 1
        for record in reader:
            if len(record) == n:
                rows.append(record)
                lines.append(start)
            elif not record or (len(record) == 1 and not record[0].strip()):
                rows.append([""] * n)
                lines.append(start)
            elif len(record) < n:
                message = f"{len(record)} fields, fewer fields than the header's {n} (a row cut short?)"
                problems.append(Problem(str(path), message, row=start, column=names[len(record)]))
            else:
                message = f"{len(record)} fields, more fields than the header's {n}"
                problems.append(Problem(str(path), message, row=start))
            start = reader.line_num + 1
    except csv.Error as exc:
        problems.append(Problem(str(path), f"cannot split into fields: {exc}", row=start))
    if problems:
        raise LoadError(
            f"{path}: refused: malformed CSV ({len(problems)} row{'s' if len(problems) != 1 else ''} "
            "with more or fewer fields than the header); nothing was loaded",
            problems,
        )
    frame = pd.DataFrame(rows, columns=names, dtype="str") if rows else pd.DataFrame(columns=names, dtype="str")
    return frame, np.asarray(lines, dtype="int64")


def read_csv(path: Path, *, encoding: str = "utf-8", sep: str = ",") -> tuple[pd.DataFrame, np.ndarray]:
    """The records of the CSV file ``path`` as text columns, and the line each starts on (the header is line 1)."""
    data = _utf8(path, path.read_bytes(), encoding)
    names = header(path, data, sep)
    lines = count_lines(data)
    if lines * len(names) > MAX_CELLS:
        raise LoadError(
            f"{path}: refused: too large ({lines} lines of {len(names)} columns); nothing was loaded",
            [
                Problem(
                    str(path),
                    f"{lines * len(names)} cells; a CSV file may have at most {MAX_CELLS} (split it into files)",
                )
            ],
        )
    try:
        frame, invalid = arrow_records(data, names, sep, quoted=b'"' in data)
    except Exception:  # whatever pyarrow cannot split, the csv module below names by line
        frame, invalid = pd.DataFrame(), -1
    if invalid == 0 and len(frame) == lines - 1:
        return frame, np.arange(2, len(frame) + 2, dtype="int64")
    return _records(path, data, names, sep)

"""Read one table file (tidy, wide-years or panel; CSV or XLSX): read, reshape and validate into a batch."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LoadError, Problem
from ..settings import resolve
from ._assessed import NotAssessed
from ._batch import Batch, file_batch
from ._layouts import FORMATS, detect_format, to_long
from ._read import read_table, release_memory, require_rows
from ._stream import Irregular, open_stream
from ._validate import check

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = ["read_file"]

#: Columns that make a file an SDMX-CSV message when first (DATAFLOW: 1.0; STRUCTURE, STRUCTURE_ID: 2.0).
_SDMX_HEAD = re.compile(r"DATAFLOW|STRUCTURE(\[.\])?|STRUCTURE_ID")


def _refuse_misplaced_sdmx_columns(columns: Sequence[object], path: Path) -> None:
    """Refuse a table carrying SDMX-CSV's message columns anywhere but first, naming row 1 and each column.

    SDMX-CSV is recognised by its first column (as sdmx1 and the standard do); elsewhere these columns would
    be loaded as disaggregations, and their ``_T`` codes with them, so the file is refused rather than guessed.
    """
    found = [str(c) for c in columns if _SDMX_HEAD.fullmatch(str(c))]
    if found:
        raise LoadError(
            f"{path}: refused: SDMX-CSV message columns ({', '.join(found)}) not first; nothing was loaded",
            [
                Problem(
                    str(path),
                    f"{c} is an SDMX-CSV message column: SDMX-CSV 1.0 must start with DATAFLOW, 2.0 with "
                    "STRUCTURE, STRUCTURE_ID; move it first, or remove it to load a plain table",
                    row=1,
                    column=c,
                )
                for c in found
            ],
        )


def read_file(
    path: str | Path,
    framework: Framework,
    *,
    format: str | None = None,
    indicator: str | None = None,
    source: str | None = None,
    columns: Mapping[str, str] | None = None,
    ignore: Sequence[str] = (),
    default_geo: str | None = None,
    na_values: Mapping[str, Sequence[str]] | None = None,
    not_assessed: NotAssessed | Mapping[str, object] | None = None,
    duplicates: str = "error",
    out_of_range: str = "error",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    vintage: date | datetime | str | None = None,
    label: str | None = None,
    chunk_rows: int | None = None,
) -> Batch:
    """Read and validate ``path``; return its rows as a batch whose format is the layout used.

    ``label`` is the name recorded for the file (default: its path), ``vintage``
    the publication date to record; ``not_assessed`` the cells the source marks as not assessed
    (:class:`~sandyq.ingest.NotAssessed`: set aside as load issues, not loaded as figures).
    Raises :class:`~sandyq.errors.LoadError` listing every problem (file, row, column, what is wrong)
    if anything is wrong.  A tidy UTF-8 CSV with more than ``chunk_rows`` rows (default: the setting
    ``load_chunk_rows``) is read and validated a chunk at a time (:mod:`._stream`); the batch is the
    same as a whole read's.
    """
    p = Path(path)
    if format is not None and format not in FORMATS:
        raise LoadError(f"{p}: unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if duplicates not in ("error", "first", "last"):
        raise LoadError(f"{p}: duplicates must be 'error', 'first' or 'last', not {duplicates!r}")
    if out_of_range not in ("error", "set_aside"):
        raise LoadError(f"{p}: out_of_range must be 'error' or 'set_aside', not {out_of_range!r}")
    stream = open_stream(
        p,
        framework,
        chunk_rows=int(resolve("load_chunk_rows", chunk_rows)),
        format=format,
        encoding=encoding,
        sheet=sheet,
        indicator=indicator,
        source=source,
        columns=columns,
        ignore=ignore,
        default_geo=default_geo,
        na_values=na_values,
        out_of_range=out_of_range,
        not_assessed=not_assessed,
    )
    if stream is not None:
        with suppress(Irregular):  # else read whole: that reader names what is irregular
            checked = stream.read_all(duplicates)
            return file_batch(checked, p, framework, format="tidy", source=source, vintage=vintage, label=label)
    raw = read_table(p, encoding=encoding, sheet=sheet)
    _refuse_misplaced_sdmx_columns(list(raw.columns), p)
    require_rows(raw, p)
    layout = format or detect_format(raw)
    long = to_long(
        raw,
        p,
        layout,
        indicator=indicator,
        columns=columns,
        ignore=ignore,
        known_indicators=framework.indicators,
        default_geo=default_geo,
    )
    checked = check(
        long,
        p,
        framework,
        source=source,
        default_geo=default_geo,
        na_values=na_values,
        not_assessed=not_assessed,
        duplicates=duplicates,
        out_of_range=out_of_range,
    )
    del raw, long
    release_memory()
    return file_batch(checked, p, framework, format=layout, source=source, vintage=vintage, label=label)

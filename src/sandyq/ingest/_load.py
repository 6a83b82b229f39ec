"""Load one file into the store: read, reshape, validate, then write atomically."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import LoadError, refused
from ..store import LoadReport, Store
from ._layouts import FORMATS, detect_format, to_long
from ._read import read_table
from ._validate import Checked, check

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = ["load_file", "read_file", "write_checked"]


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
    duplicates: str = "error",
    out_of_range: str = "error",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
) -> tuple[Checked, str]:
    """Read and validate ``path``; return the checked result and the layout used.

    Raises :class:`~sandyq.errors.LoadError` listing every problem (file, row,
    column, what is wrong) if anything is wrong.
    """
    p = Path(path)
    if format is not None and format not in FORMATS:
        raise LoadError(f"{p}: unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if duplicates not in ("error", "first", "last"):
        raise LoadError(f"{p}: duplicates must be 'error', 'first' or 'last', not {duplicates!r}")
    if out_of_range not in ("error", "set_aside"):
        raise LoadError(f"{p}: out_of_range must be 'error' or 'set_aside', not {out_of_range!r}")
    raw = read_table(p, encoding=encoding, sheet=sheet)
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
        duplicates=duplicates,
        out_of_range=out_of_range,
    )
    if checked.problems:
        raise refused(str(p), checked.problems)
    return checked, layout


def load_file(
    store: Store,
    path: str | Path,
    framework: Framework,
    *,
    vintage: date | datetime | str | None = None,
    format: str | None = None,
    indicator: str | None = None,
    source: str | None = None,
    columns: Mapping[str, str] | None = None,
    ignore: Sequence[str] = (),
    default_geo: str | None = None,
    na_values: Mapping[str, Sequence[str]] | None = None,
    duplicates: str = "error",
    out_of_range: str = "error",
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    label: str | None = None,
) -> LoadReport:
    """Validate ``path`` and add its observations to ``store`` in one transaction.

    ``label`` is the name recorded for the file (default: its path).  Nothing is
    written if any problem is found.
    """
    p = Path(path)
    checked, layout = read_file(
        p,
        framework,
        format=format,
        indicator=indicator,
        source=source,
        columns=columns,
        ignore=ignore,
        default_geo=default_geo,
        na_values=na_values,
        duplicates=duplicates,
        out_of_range=out_of_range,
        encoding=encoding,
        sheet=sheet,
    )
    return write_checked(store, p, checked, layout, framework, vintage=vintage, source=source, label=label)


def write_checked(
    store: Store,
    path: Path,
    checked: Checked,
    layout: str,
    framework: Framework,
    *,
    vintage: date | datetime | str | None = None,
    source: str | None = None,
    label: str | None = None,
) -> LoadReport:
    """Write a file already validated by :func:`read_file` (one transaction)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    store.register_sources(framework.sources.values())
    return store.load_frame(
        checked.staged,
        file=label or str(path),
        format=layout,
        vintage=vintage,
        source=source,
        sha256=digest,
        issues=checked.resolved,
        issue_rows=checked.resolved_rows,
    )

"""One entry point for every export format: :func:`export`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from ... import Monitor
from ...errors import InvalidValueError, OutputError
from ._frame import Selection, select
from ._package import write_datapackage, write_zip
from ._sdmx import write_sdmx_csv, write_sdmx_ml, write_sdmx_structure
from ._tabular import write_csv, write_xlsx

__all__ = ["EXPORT_FORMATS", "ExportReport", "export", "structure_path", "write"]

#: Formats :func:`export` writes.
EXPORT_FORMATS = ("csv", "xlsx", "sdmx-csv", "sdmx-ml", "datapackage", "zip")


@dataclass
class ExportReport:
    """What an export wrote: files, rows, indicators and the sources it cites."""

    format: str
    paths: list[Path]
    rows: int
    indicators: list[str]
    sources: list[str] = field(default_factory=list)


def structure_path(path: Path) -> Path:
    """Where the SDMX structure message goes beside a data file: ``x.csv`` → ``x.structure.xml``.

    >>> structure_path(Path("out/kz.csv")).as_posix()
    'out/kz.structure.xml'
    """
    return path.with_name(f"{path.stem}.structure.xml")


def write(sel: Selection, path: str | Path, format: str, *, sdmx_version: str = "2.0") -> list[Path]:
    """Write ``sel`` to ``path`` in ``format``; SDMX data comes with its structure message beside it."""
    p = Path(path)
    if format not in EXPORT_FORMATS:
        raise InvalidValueError(f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if format != "datapackage" and not p.parent.exists():
        raise OutputError(f"{p}: folder {p.parent} does not exist")
    if format == "csv":
        return [write_csv(sel, p)]
    if format == "xlsx":
        return [write_xlsx(sel, p)]
    if format == "sdmx-csv":
        return [write_sdmx_csv(sel, p, sdmx_version), write_sdmx_structure(sel, structure_path(p))]
    if format == "sdmx-ml":
        return [write_sdmx_ml(sel, p), write_sdmx_structure(sel, structure_path(p))]
    if format == "datapackage":
        return [write_datapackage(sel, p)]
    return [write_zip(sel, p)]


def export(
    monitor: Monitor,
    path: str | Path,
    format: str = "csv",
    *,
    indicator: str | Sequence[str] | None = None,
    geo: str | Sequence[str] | None = None,
    as_of: date | datetime | str | None = None,
    start: int | None = None,
    end: int | None = None,
    source: str | Sequence[str] | None = None,
    language: str = "en",
    sdmx_version: str = "2.0",
) -> ExportReport:
    """Export stored observations (filtered) to ``path`` in ``format`` (one of :data:`EXPORT_FORMATS`).

    Every row carries unit, source and vintage; the formats for people and
    packages carry the citation and licence of every source.
    """
    if format not in EXPORT_FORMATS:
        raise InvalidValueError(f"unknown export format {format!r}; use one of {', '.join(EXPORT_FORMATS)}")
    sel = select(monitor, indicator, geo, as_of=as_of, start=start, end=end, source=source, language=language)
    paths = write(sel, path, format, sdmx_version=sdmx_version)
    return ExportReport(format, paths, len(sel.observations), list(sel.indicators), list(sel.sources))

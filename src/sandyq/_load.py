"""Loading data into a store: the one importer dispatch of sandyq.

Every kind of input the command line accepts is recognised here (:func:`detect_kind`):

``table``
    a tidy, wide-years or panel table in CSV or XLSX (:func:`~sandyq.ingest.read_file`);
``sdmx``
    an SDMX-CSV 1.0/2.0 or SDMX-ML data message (:func:`~sandyq.ingest.read_sdmx`);
``open-sdg``
    a folder of an Open SDG data repository (:func:`~sandyq.ingest.read_open_sdg`);
``manifest``
    a YAML list of files with their options (:func:`~sandyq.ingest.read_manifest`),
    each file of any of the kinds above.

:func:`read_data` reads and validates without writing (``sandyq validate``);
:func:`load_file` reads everything first — every file of a manifest — and only
then writes each :class:`~sandyq.ingest.Batch` through the store's public
methods (:func:`write_batch`), each as its own atomic load.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import LoadError, NotFoundError, Problem, UsageError
from .framework import Framework, Source, parse_vintage
from .ingest import (
    Batch,
    Irregular,
    NotAssessed,
    Stream,
    file_digest,
    is_sdmx_file,
    open_stream,
    read_file,
    read_manifest,
    read_open_sdg,
    read_sdmx,
)
from .settings import resolve
from .store import STAGED_COLUMNS, LoadReport, Store

__all__ = ["KINDS", "SDMX_FORMATS", "detect_kind", "load_file", "read_data", "write_batch"]

#: The kinds of input :func:`load_file` accepts.
KINDS = ("table", "sdmx", "open-sdg", "manifest")
#: ``format`` values that ask for the SDMX reader.
SDMX_FORMATS = ("sdmx-csv", "sdmx-ml")

#: Called before (report None) and after writing each batch of a load.
Progress = Callable[[Batch, LoadReport | None], Any]


def detect_kind(path: str | Path, format: str | None = None) -> str:
    """The kind of input ``path`` is (one of :data:`KINDS`), by what it is and, for SDMX, its content.

    >>> detect_kind("content/manifest.yaml"), detect_kind("data.csv", "sdmx-csv"), detect_kind(".")
    ('manifest', 'sdmx', 'open-sdg')
    """
    p = Path(path)
    if p.is_dir():
        return "open-sdg"
    if p.suffix.lower() in (".yaml", ".yml"):
        return "manifest"
    if format in SDMX_FORMATS or (format is None and is_sdmx_file(p)):
        return "sdmx"
    return "table"


def read_data(
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
    known_sources: Iterable[Source] = (),
    chunk_rows: int | None = None,
) -> list[Batch]:
    """Read and validate ``path``, whatever its kind, writing nothing: one batch per load (a manifest: per file).

    Options apply as the kind allows: an SDMX message has its own columns and
    no sheet or encoding; an Open SDG folder cites ``source`` (default
    ``kz-sdg``) and places rows with a blank ``REF_AREA`` in ``default_geo``
    (default ``KAZ``); a manifest sets the options of each file itself.
    ``known_sources`` (for example a store's) count as known to an SDMX file.
    A tidy CSV longer than ``chunk_rows`` (default: the setting
    ``load_chunk_rows``) is validated a chunk at a time, with the same result.
    Raises :class:`~sandyq.errors.LoadError` listing every problem.
    """
    p = Path(path)
    kind = detect_kind(p, format)
    if default_geo is not None:  # checked even when no row needs it: a mistyped option is said at once
        try:
            framework.geography.get(default_geo)
        except NotFoundError as exc:
            problem = Problem(str(p), f"--default-geo: {exc.summary}", column="--default-geo")
            raise LoadError(f"{p}: refused: --default-geo: {exc.summary}; nothing was loaded", [problem]) from None
    if kind == "manifest":
        options = (
            ("--format", format),
            ("--indicator", indicator),
            ("--source", source),
            ("--vintage", vintage),
            ("--default-geo", default_geo),
            ("--sheet", sheet),
        )
        given = [name for name, value in options if value is not None]
        if given:
            raise UsageError(f"{p}: a manifest sets its options per file; {', '.join(given)} do not apply")
        return _read_manifest(p, framework, list(known_sources))
    if kind == "open-sdg":
        batch = read_open_sdg(
            p,
            framework,
            source=source or "kz-sdg",
            country=default_geo or "KAZ",
            duplicates=duplicates,
            out_of_range=out_of_range,
            vintage=vintage,
            label=label,
        )
        return [batch]
    if kind == "sdmx":
        batch = read_sdmx(
            p,
            framework,
            known_sources=known_sources,
            source=source,
            indicator=indicator,
            ignore=ignore,
            duplicates=duplicates,
            out_of_range=out_of_range,
            vintage=vintage,
            label=label,
        )
        return [batch]
    batch = read_file(
        p,
        framework,
        format=format,
        indicator=indicator,
        source=source,
        columns=columns,
        ignore=ignore,
        default_geo=default_geo,
        na_values=na_values,
        not_assessed=not_assessed,
        duplicates=duplicates,
        out_of_range=out_of_range,
        encoding=encoding,
        sheet=sheet,
        vintage=vintage,
        label=label,
        chunk_rows=chunk_rows,
    )
    return [batch]


def _read_manifest(path: Path, framework: Framework, known_sources: list[Source]) -> list[Batch]:
    """Every file of the manifest at ``path``, read and validated; any problem in any file refuses them all."""
    entries = read_manifest(path)
    batches: list[Batch] = []
    problems: list[Problem] = []
    for i, entry in enumerate(entries):
        target = path.parent / entry.file
        if detect_kind(target, entry.format) == "manifest":
            problems.append(Problem(str(path), "a manifest cannot list another manifest", path=f"loads[{i}].file"))
            continue
        try:
            batches += read_data(
                target,
                framework,
                format=entry.format,
                indicator=entry.indicator,
                source=entry.source,
                columns=entry.columns,
                ignore=entry.ignore,
                default_geo=entry.default_geo,
                na_values=entry.na_values,
                not_assessed=entry.not_assessed,
                duplicates=entry.duplicates,
                out_of_range=entry.out_of_range,
                encoding=entry.encoding,
                sheet=entry.sheet,
                vintage=entry.vintage,
                label=entry.file,
                known_sources=known_sources,
            )
        except LoadError as exc:
            problems += exc.problems or [Problem(entry.file, exc.summary)]
    if problems:
        raise LoadError(f"{path}: refused: {len(problems)} problems in its files; nothing was loaded", problems)
    return batches


def write_batch(store: Store, batch: Batch) -> LoadReport:
    """Write one validated batch: its sources and rows in one transaction, then new indicator metadata.

    The vintage is checked before anything is written, so a batch refused for it leaves the store as it was.
    """
    if batch.vintage is not None:
        parse_vintage(batch.vintage)
    with store.loading(
        file=batch.file,
        format=batch.format,
        vintage=batch.vintage,
        source=batch.source,
        sha256=batch.sha256,
        sources=batch.sources,
    ) as load:
        load.set_aside(batch.issues, batch.issue_rows)
        load.add(batch.staged)
    report: LoadReport = load.report
    if batch.indicators:
        bodies = {i: m.model_dump_json() for i, m in batch.indicators.items()}
        store.save_indicators(bodies, origin=f"{batch.format}:{batch.file}")
    return report


def load_file(
    store: Store,
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
    progress: Progress | None = None,
    chunk_rows: int | None = None,
) -> list[LoadReport]:
    """Validate ``path`` (any kind of :data:`KINDS`) and add it to ``store``; one report per load.

    Everything is read and validated before anything is written — for a
    manifest, every file it lists — so a problem anywhere loads nothing.  Each
    batch is then written in its own transaction.  An Open SDG folder needs
    ``source``; sources recorded in the store count as known to an SDMX file,
    so a sandyq export loads back.  ``progress`` is called before (with None)
    and after writing each batch.

    A tidy UTF-8 CSV with more than ``chunk_rows`` rows (default: the setting
    ``load_chunk_rows``) is streamed: read, validated and staged in the store a
    chunk at a time, so memory is bounded by a chunk, and merged at the end in
    the load's one transaction — a problem in any chunk loads nothing.
    """
    p = Path(path)
    kind = detect_kind(p, format)
    if kind == "open-sdg" and source is None:
        raise UsageError(
            f"{p}: an Open SDG folder needs --source (the publisher's source id, "
            f"e.g. kz-sdg; known: {', '.join(sorted(framework.sources))})"
        )
    if kind == "table":
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
                return [_load_stream(store, stream, duplicates, vintage, label, progress)]
    batches = read_data(
        p,
        framework,
        format=format,
        indicator=indicator,
        source=source,
        columns=columns,
        ignore=ignore,
        default_geo=default_geo,
        na_values=na_values,
        not_assessed=not_assessed,
        duplicates=duplicates,
        out_of_range=out_of_range,
        encoding=encoding,
        sheet=sheet,
        vintage=vintage,
        label=label,
        known_sources=[Source.model_validate(row) for row in store.source_rows()],
    )
    reports = []
    for batch in batches:
        if progress:
            progress(batch, None)
        report = write_batch(store, batch)
        reports.append(report)
        if progress:
            progress(batch, report)
    return reports


def _load_stream(
    store: Store,
    stream: Stream,
    duplicates: str,
    vintage: date | datetime | str | None,
    label: str | None,
    progress: Progress | None,
) -> LoadReport:
    """Stage every chunk of ``stream`` in one load of ``store``; any problem in any chunk refuses it whole."""
    if duplicates not in ("error", "first", "last"):
        raise LoadError(f"{stream.path}: duplicates must be 'error', 'first' or 'last', not {duplicates!r}")
    if vintage is not None:
        parse_vintage(vintage)
    batch = Batch(
        pd.DataFrame(columns=list(STAGED_COLUMNS)),
        file=label or str(stream.path),
        format="tidy",
        source=stream.source,
        vintage=vintage,
        sha256=file_digest(stream.path),
        sources=list(stream.framework.sources.values()),
        files=[stream.path],
    )
    if progress:
        progress(batch, None)
    with store.loading(
        file=batch.file,
        format=batch.format,
        vintage=vintage,
        source=batch.source,
        sha256=batch.sha256,
        sources=batch.sources,
        duplicates=duplicates,
    ) as load:
        for chunk in stream:
            load.add(chunk.staged, chunk.lines)
            load.set_aside(chunk.issues, chunk.issue_rows)
            batch.skipped_missing += chunk.skipped_missing
            del chunk  # let it go before the next is read
        stream.refuse()
    report: LoadReport = load.report
    batch.dropped_duplicates = load.dropped_duplicates
    if progress:
        progress(batch, report)
    return report

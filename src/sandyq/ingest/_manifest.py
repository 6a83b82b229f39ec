"""Batch loads described by a manifest (YAML): the default content is one.

A manifest lists files with the options :func:`~sandyq.ingest.load_file`
takes::

    loads:
      - file: data/kz-sdg-ict/raw/indicator_17-8-1.csv
        format: tidy
        source: kz-sdg
        vintage: 2024-10-24
        default_geo: KAZ

Paths are relative to the manifest.  Each file is its own atomic load; the
manifest is checked as a whole before anything is loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import LoadError, Problem
from ..store import LoadReport, Store
from ._load import read_file, write_checked

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = ["ManifestEntry", "load_manifest", "read_manifest"]


class ManifestEntry(BaseModel):
    """One file of a manifest and the options to load it with."""

    model_config = ConfigDict(extra="forbid")

    file: str
    vintage: date
    format: str | None = None
    indicator: str | None = None
    source: str | None = None
    columns: dict[str, str] = Field(default_factory=dict)
    ignore: list[str] = Field(default_factory=list)
    default_geo: str | None = None
    na_values: dict[str, list[str]] = Field(default_factory=dict)
    duplicates: str = "error"
    out_of_range: str = "error"
    encoding: str = "utf-8"
    sheet: str | int | None = None
    note: str | None = None


def read_manifest(path: str | Path) -> list[ManifestEntry]:
    """Parse and check a manifest; every problem names the entry and field."""
    p = Path(path)
    try:
        data = yaml.safe_load(p.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, UnicodeDecodeError) as exc:
        raise LoadError(f"{p}: cannot read the manifest", [Problem(str(p), str(exc))]) from None
    if not isinstance(data, dict) or not isinstance(data.get("loads"), list):
        raise LoadError(f"{p}: invalid manifest", [Problem(str(p), "expected a mapping with a 'loads' list")])
    entries, problems = [], []
    for i, item in enumerate(data["loads"]):
        try:
            entry = ManifestEntry.model_validate(item)
        except ValidationError as exc:
            problems += [
                Problem(str(p), e["msg"], path=f"loads[{i}]." + ".".join(str(x) for x in e["loc"]))
                for e in exc.errors()
            ]
            continue
        if not (p.parent / entry.file).exists():
            problems.append(Problem(str(p), f"file {entry.file!r} does not exist", path=f"loads[{i}].file"))
        entries.append(entry)
    if problems:
        raise LoadError(f"{p}: invalid manifest; nothing was loaded", problems)
    return entries


def load_manifest(
    store: Store,
    path: str | Path,
    framework: Framework,
    *,
    progress: Callable[[ManifestEntry, LoadReport | None], Any] | None = None,
) -> list[LoadReport]:
    """Load every file of the manifest at ``path``; return one report per file.

    Every file is validated before any is written, so a problem in the last file
    loads nothing at all; each file is then written in its own transaction.
    """
    p = Path(path)
    entries = read_manifest(p)
    checked = []
    problems: list[Problem] = []
    for entry in entries:
        try:
            checked.append(
                read_file(
                    p.parent / entry.file,
                    framework,
                    format=entry.format,
                    indicator=entry.indicator,
                    source=entry.source,
                    columns=entry.columns,
                    ignore=entry.ignore,
                    default_geo=entry.default_geo,
                    na_values=entry.na_values,
                    duplicates=entry.duplicates,
                    out_of_range=entry.out_of_range,
                    encoding=entry.encoding,
                    sheet=entry.sheet,
                )
            )
        except LoadError as exc:
            problems += exc.problems or [Problem(entry.file, exc.summary)]
    if problems:
        raise LoadError(f"{p}: refused: {len(problems)} problems in its files; nothing was loaded", problems)
    reports = []
    for entry, (result, layout) in zip(entries, checked, strict=True):
        if progress:
            progress(entry, None)
        report = write_checked(
            store,
            p.parent / entry.file,
            result,
            layout,
            framework,
            vintage=entry.vintage,
            source=entry.source,
            label=entry.file,
        )
        reports.append(report)
        if progress:
            progress(entry, report)
    return reports

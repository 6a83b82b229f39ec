"""Manifests (YAML): lists of files to load, each with its options; the default content is one.

A manifest lists files with the options :func:`sandyq.load_file` takes::

    loads:
      - file: data/kz-sdg-ict/raw/indicator_17-8-1.csv
        format: tidy
        source: kz-sdg
        vintage: 2024-10-24
        default_geo: KAZ

Paths are relative to the manifest.  :func:`read_manifest` checks the
manifest itself; the API (:func:`sandyq.load_file`) then reads every file it
lists, of any kind, before writing any, and writes each as its own atomic load.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import LoadError, Problem
from ..framework import read_yaml

__all__ = ["ManifestEntry", "read_manifest"]


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
    not_assessed: dict[str, Any] | None = None  # see sandyq.ingest.NotAssessed
    duplicates: str = "error"
    out_of_range: str = "error"
    encoding: str = "utf-8"
    sheet: str | int | None = None
    note: str | None = None


def read_manifest(path: str | Path) -> list[ManifestEntry]:
    """Parse and check a manifest; every problem names the entry and field."""
    p = Path(path)
    problems: list[Problem] = []
    data = read_yaml(p, problems)
    if problems:
        raise LoadError(f"{p}: cannot read the manifest", problems)
    if not isinstance(data, dict) or not isinstance(data.get("loads"), list):
        raise LoadError(f"{p}: invalid manifest", [Problem(str(p), "expected a mapping with a 'loads' list")])
    entries = []
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

"""A batch: what reading a file, a folder or a service's answer yields, validated and ready to be written.

Ingest reads, it does not write.  Every reader (:func:`~sandyq.ingest.read_file`,
:func:`~sandyq.ingest.read_sdmx`, :func:`~sandyq.ingest.read_open_sdg`) and every
connector returns a :class:`Batch` holding everything one atomic load records:
the rows, the name and format of what was read, its source and vintage, the
problems that were set aside, metadata of indicators new to the framework and
the sources the rows cite.  The API (:func:`sandyq.write_batch`) writes it
through the store's public methods; a batch exists only once every check passed.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pandas as pd

from ..errors import Problem, refused
from ..framework import Framework, Indicator, Source
from ._validate import Checked

__all__ = ["Batch", "file_batch", "file_digest", "folder_digest"]


@dataclass
class Batch:
    """Validated observations in memory, with what the store needs to record them as one load.

    ``staged`` has the store's staged columns (indicator, geo, period, dims,
    source, value, unit, status, note).  ``source`` is the source the load was
    asked for (None: each row cites its own); ``vintage`` the publication date
    to record (None: the moment of writing).  ``issues``/``issue_rows`` are the
    problems resolved by setting rows aside (not loaded, but recorded);
    ``indicators`` is metadata of indicators new to the framework, to keep in the
    store; ``sources`` are registered before the rows are written.  ``files``
    are the files read and ``labels`` the code labels they give, by group,
    code and language (an Open SDG folder's translations).
    """

    staged: pd.DataFrame
    file: str
    format: str
    source: str | None = None
    vintage: date | datetime | str | None = None
    sha256: str | None = None
    issues: list[Problem] = field(default_factory=list)
    issue_rows: pd.DataFrame | None = None
    indicators: dict[str, Indicator] = field(default_factory=dict)
    sources: list[Source] = field(default_factory=list)
    skipped_missing: int = 0
    dropped_duplicates: int = 0
    files: list[Path] = field(default_factory=list)
    labels: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)


def file_digest(path: Path) -> str:
    """The SHA-256 of a file's bytes, recorded with its load (read in blocks: a large file is not held whole)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 22), b""):
            digest.update(block)
    return digest.hexdigest()


def file_batch(
    checked: Checked,
    path: Path,
    framework: Framework,
    *,
    format: str,
    source: str | None,
    vintage: date | datetime | str | None,
    label: str | None,
) -> Batch:
    """The batch of one validated file, or the refusal that lists every problem its check found."""
    if checked.problems:
        raise refused(str(path), checked.problems)
    return Batch(
        checked.staged,
        file=label or str(path),
        format=format,
        source=source,
        vintage=vintage,
        sha256=file_digest(path),
        issues=checked.resolved,
        issue_rows=checked.resolved_rows,
        sources=list(framework.sources.values()),
        skipped_missing=checked.skipped_missing,
        dropped_duplicates=checked.dropped_duplicates,
        files=[path],
    )


def folder_digest(folder: Path) -> str:
    """The SHA-256 of every file under ``folder`` (relative names and bytes, in name order)."""
    digest = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(f.relative_to(folder)).encode("utf-8") + b"\0" + f.read_bytes())
    return digest.hexdigest()

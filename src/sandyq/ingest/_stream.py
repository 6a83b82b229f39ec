"""Stream a large tidy CSV: read, reshape and validate it chunk by chunk, with every row's line in the file.

A tidy UTF-8 CSV with more rows than the setting ``load_chunk_rows`` is not
read whole: :func:`open_stream` gives a :class:`Stream`, whose chunks of that
many rows are validated as a whole file is (:func:`~sandyq.ingest.check`, with
``duplicates="keep"``) and handed on to be staged (:meth:`sandyq.store.Store.loading`),
so memory is bounded by a chunk, not by the file.  Problems name the *file's*
lines; they are collected across every chunk and refuse the load at the end
(:meth:`Stream.refuse`), so one load still says everything that is wrong.  A key
repeated in two chunks is found by the store, which sees every staged row.

The file is read in blocks that end at a line end; pyarrow splits each block,
which must give exactly one record per line (so the line of each row is known).
A block that does not — a quoted field spanning lines, a blank line, a record
with the wrong number of fields, bytes that are not UTF-8 — raises
:class:`Irregular`: the caller reads the file whole instead, whose reader names
every such fault by line.  Other formats (XLSX, SDMX, Open SDG, wide-years,
panel) are always read whole.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import LoadError, Problem, refused
from ._csv import arrow_records, count_lines, header
from ._layouts import COL, detect_format, to_long
from ._read import ROW, _unescaped, drop_blank, release_memory
from ._validate import Checked, check, resolve_duplicates

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = ["Chunk", "Irregular", "Stream", "open_stream"]

_BLOCK = 1 << 22  # bytes read and split at a time (the parser needs a few times this, kept by the allocator)
_HEAD = 1 << 20  # bytes read to find the header
_MAX_PROBLEMS = 10_000  # problems kept (the count goes on)


class Irregular(LoadError):
    """The file cannot be streamed with certain line numbers; read it whole (whose reader names the fault)."""


@dataclass
class Chunk:
    """Validated rows of one chunk: ``staged`` (the store's columns), their ``lines``, what was set aside."""

    staged: pd.DataFrame
    lines: np.ndarray
    issues: list[Problem]
    issue_rows: pd.DataFrame | None
    skipped_missing: int


@dataclass
class Stream:
    """A tidy CSV read and validated ``chunk_rows`` rows at a time; iterate it for the :class:`Chunk` s.

    After the iteration, :meth:`refuse` raises the refusal listing every problem of every chunk, if any.
    Options are those of :func:`~sandyq.ingest.read_file`.
    """

    path: Path
    framework: Framework
    names: list[str]
    start: int
    chunk_rows: int
    indicator: str | None = None
    source: str | None = None
    columns: Mapping[str, str] | None = None
    ignore: Sequence[str] = ()
    default_geo: str | None = None
    na_values: Mapping[str, Sequence[str]] | None = None
    out_of_range: str = "error"
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    rows: int = 0

    def __iter__(self) -> Iterator[Chunk]:
        for frame in self._frames():
            chunk = self._check(frame)
            del frame  # one chunk alive at a time: the next is read only after this one is let go
            if chunk is not None and not self.problem_count:
                yield chunk
            del chunk
            release_memory()

    def refuse(self) -> None:
        """Raise the refusal naming every problem found (nothing is loaded), if any was."""
        if self.problem_count:
            error = refused(str(self.path), self.problems)
            if self.problem_count > len(self.problems):
                error = LoadError(
                    f"{self.path}: refused: {self.problem_count} problems (the first {len(self.problems)} "
                    "listed); nothing was loaded",
                    self.problems,
                )
            raise error

    def read_all(self, duplicates: str) -> Checked:
        """Every chunk validated and put together, keys repeated across chunks resolved as ``duplicates`` says.

        The rows are held in memory (what :func:`~sandyq.ingest.read_file` returns); a load stages them instead.
        """
        chunks = list(self)
        self.refuse()
        checked = Checked(pd.DataFrame(), [], sum(c.skipped_missing for c in chunks))
        for c in chunks:
            checked.resolved += c.issues
        frames = [c.issue_rows for c in chunks if c.issue_rows is not None and len(c.issue_rows)]
        checked.resolved_rows = pd.concat(frames, ignore_index=True) if frames else None
        staged = pd.concat([c.staged for c in chunks], ignore_index=True) if chunks else pd.DataFrame()
        lines = np.concatenate([c.lines for c in chunks]) if chunks else np.zeros(0, dtype=np.int64)
        dup = staged.duplicated(["indicator", "geo", "period", "dims", "source"], keep=False).to_numpy(dtype=bool)
        work = staged.assign(**{ROW: lines, COL: "OBS_VALUE", "INDICATOR": staged.get("indicator")})
        resolve_duplicates(work, dup, self.path, duplicates, checked)
        return checked

    def _check(self, raw: pd.DataFrame) -> Chunk | None:
        lines = raw.pop(ROW).to_numpy()
        raw = _unescaped(raw)
        raw[ROW] = lines
        raw = drop_blank(raw)
        if not len(raw):
            return None
        long = to_long(
            raw,
            self.path,
            "tidy",
            indicator=self.indicator,
            columns=self.columns,
            ignore=self.ignore,
            known_indicators=self.framework.indicators,
            default_geo=self.default_geo,
        )
        checked = check(
            long,
            self.path,
            self.framework,
            source=self.source,
            default_geo=self.default_geo,
            na_values=self.na_values,
            duplicates="keep",
            out_of_range=self.out_of_range,
        )
        if checked.problems:
            self.problem_count += len(checked.problems)
            self.problems += checked.problems[: max(_MAX_PROBLEMS - len(self.problems), 0)]
            return None
        lines = checked.lines if checked.lines is not None else np.zeros(0, dtype=np.int64)
        return Chunk(checked.staged, lines, checked.resolved, checked.resolved_rows, checked.skipped_missing)

    def _frames(self) -> Iterator[pd.DataFrame]:
        """The records as frames of exactly ``chunk_rows`` rows (the last may be shorter), with their lines."""
        pending: list[pd.DataFrame] = []
        held = 0
        for frame in self._blocks():
            pending.append(frame)
            held += len(frame)
            del frame
            while held >= self.chunk_rows:
                whole = pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]
                head = whole.iloc[: self.chunk_rows].reset_index(drop=True)
                pending = [whole.iloc[self.chunk_rows :].reset_index(drop=True)]
                held = len(pending[0])
                del whole
                yield head
                del head
        if held:
            yield pd.concat(pending, ignore_index=True) if len(pending) > 1 else pending[0]

    def _blocks(self) -> Iterator[pd.DataFrame]:
        with self.path.open("rb") as fh:
            fh.seek(self.start)
            rest = b""
            while True:
                data = fh.read(_BLOCK)
                if data:
                    data = rest + data
                    cut = data.rfind(b"\n") + 1
                    block, rest = data[:cut], data[cut:]
                    if not block:
                        continue
                else:
                    block, rest = rest, b""
                    if not block:
                        return
                yield self._split(block)

    def _split(self, block: bytes) -> pd.DataFrame:
        """One block's records, each with its line; a block that is not one record per line is :class:`Irregular`."""
        try:
            frame, invalid = arrow_records(block, self.names, ",", quoted=b'"' in block, skip_rows=0)
        except Exception:  # bytes pyarrow cannot split or decode: the whole-file reader names them
            raise Irregular(f"{self.path}: cannot be streamed") from None
        if invalid or len(frame) != count_lines(block):
            raise Irregular(f"{self.path}: cannot be streamed")
        frame[ROW] = np.arange(self.rows + 2, self.rows + 2 + len(frame), dtype=np.int64)
        self.rows += len(frame)
        return frame


def open_stream(
    path: str | Path,
    framework: Framework,
    *,
    chunk_rows: int,
    format: str | None = None,
    encoding: str = "utf-8",
    sheet: str | int | None = None,
    not_assessed: object = None,
    **options: object,
) -> Stream | None:
    """A :class:`Stream` of ``path`` if it is a tidy UTF-8 CSV with more than ``chunk_rows`` rows, else None.

    ``options`` are :class:`Stream`'s (``indicator``, ``source``, ``columns``, ``ignore``, ``default_geo``,
    ``na_values``, ``out_of_range``).  None means: read the file whole — also when cells are marked
    ``not_assessed``, which only the whole-file reader sets aside.
    """
    p = Path(path)
    if not_assessed is not None:
        return None
    if format not in (None, "tidy") or sheet is not None or p.suffix.lower() not in (".csv", ".txt", ""):
        return None
    try:
        if codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig") or not p.is_file():
            return None
        if p.stat().st_size < chunk_rows * 8 or _lines_over(p, chunk_rows + 1) <= chunk_rows + 1:
            return None
        with p.open("rb") as fh:
            head = fh.read(_HEAD)
    except (LookupError, OSError):
        return None  # the whole-file reader says what is wrong
    bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    end = head.find(b"\n", bom)
    if end < 0 or b"\r" in head[bom : end - 1] or b'"' in head[bom:end]:
        return None
    names = header(p, head[bom:], ",")
    if detect_format(pd.DataFrame(columns=names)) != "tidy" or {"DATAFLOW", "STRUCTURE", "STRUCTURE_ID"} & set(names):
        return None  # SDMX-CSV message columns not first: the whole-file reader refuses them, naming each
    return Stream(p, framework, names, end + 1, chunk_rows, **options)  # type: ignore[arg-type]


def _lines_over(path: Path, limit: int) -> int:
    """The lines of ``path``, counted until more than ``limit`` are seen (then a number over ``limit``)."""
    n = 0
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(_BLOCK), b""):
            n += block.count(b"\n")
            if n > limit:
                break
    return n

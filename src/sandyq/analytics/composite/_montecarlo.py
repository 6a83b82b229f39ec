"""Monte Carlo runs in blocks that fit a memory budget, tallied as exact rank histograms.

A run of the uncertainty analysis is one discrete choice per uncertain input,
so its scores are a function of that row of choices alone.  :class:`MonteCarlo`
takes the runs block by block (the size of a block set by the memory budget),
finds the distinct rows of each block, evaluates every distinct row once (a
bounded cache keeps the rows already seen), ranks the units and adds the ranks
to a :class:`~._rankhistogram.RankHistogram` weighted by how many runs drew the
row.  Memory therefore depends on the budget, not on the number of runs, and
the statistics are exactly those of evaluating every run one by one.

Per-run detail (scores, ranks and choices of every run) is kept only when
asked for and within the budget.  With ``interruptible`` a first Ctrl-C stops
the analysis at the next slice of work and keeps the runs of the blocks
completed (the random stream being drawn in order, those are the first runs of
the same analysis); a second Ctrl-C aborts at once.
"""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

import numpy as np
import numpy.typing as npt

from ...errors import UsageError
from ._arrays import FloatArray, rank_descending
from ._engine import Engine
from ._rankhistogram import RankHistogram

__all__ = ["DEFAULT_MEMORY_MB", "MonteCarlo", "RunDetail", "Tally", "detail_bytes"]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Memory budget of a Monte Carlo analysis, in MiB, unless the caller gives one.
DEFAULT_MEMORY_MB = 256
_MIB = 1 << 20
_MAX_BLOCK = 1 << 18  # runs drawn at once: progress and Ctrl-C stay responsive
_MIN_BLOCK = 1024
_DENSE_CODES = 1 << 20  # below this many possible rows, count them with bincount instead of sorting


def detail_bytes(runs: int, n_units: int, n_factors: int) -> int:
    """Bytes that per-run scores, ranks and choices of ``runs`` runs take.

    >>> detail_bytes(1000, 51, 4)
    848000
    """
    return runs * (16 * n_units + 8 * n_factors)


@dataclass(frozen=True)
class RunDetail:
    """Scores, ranks and choices (alternative indices) of every run, in run order."""

    scores: FloatArray  # runs × units (NaN for a failed run)
    ranks: FloatArray  # runs × units
    choices: IntArray  # runs × factors


@dataclass
class Tally:
    """What a Monte Carlo counted: the rank histogram and run counts, and per-run results if kept."""

    histogram: RankHistogram
    runs: int = 0
    failed: int = 0
    interrupted: bool = False
    detail: RunDetail | None = None
    change: FloatArray | None = None  # per run, the mean absolute rank change (if asked for)


@dataclass
class _Rows:
    """The distinct rows of a block: keys (codes, or None), rows, runs per row, and each run's row."""

    keys: IntArray | None
    rows: IntArray
    counts: IntArray
    inverse: IntArray | None


class _Stopped(Exception):
    """Raised inside a block when a stop was requested; the block is discarded."""


class _StopRequest:
    """Turns the first SIGINT into a request to stop (checked between slices of work); the second aborts."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and threading.current_thread() is threading.main_thread()
        self.requested = False
        self.on_request: Callable[[], None] | None = None
        self._previous: Any = None

    def _handler(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True
        if self.on_request is not None:
            self.on_request()

    def __enter__(self) -> _StopRequest:
        if self.enabled:
            self._previous = signal.signal(signal.SIGINT, self._handler)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            signal.signal(signal.SIGINT, self._previous)

    def check(self) -> None:
        if self.requested:
            raise _Stopped


@contextmanager
def _progress_bar(enabled: bool, total: int, stop: _StopRequest) -> Iterator[Callable[[int, str | None], None]]:
    """A progress bar on standard error (runs done, rate, time left); yields ``advance(runs, description)``."""
    if not enabled:

        def silent(n: int, description: str | None = None) -> None:
            return None

        yield silent
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    runs_text = "index runs (Ctrl-C stops)" if stop.enabled else "index runs"
    task = bar.add_task(runs_text, total=total, rate="")
    t0 = time.perf_counter()

    def advance(n: int, description: str | None = None) -> None:
        bar.advance(task, n)
        rate = bar.tasks[0].completed / max(time.perf_counter() - t0, 1e-9)
        bar.update(task, rate=f"{rate:,.0f} runs/s", description=description or runs_text)

    stop.on_request = lambda: bar.update(task, description="stopping… (Ctrl-C again to abort)")
    with bar:
        yield advance


@dataclass
class MonteCarlo:
    """Evaluates runs of an :class:`~._engine.Engine` block by block within ``memory_mb`` MiB.

    ``nominal_ranks`` are the ranks the mean absolute rank change compares with;
    ``keep`` keeps per-run scores, ranks and choices; ``change`` keeps, per run,
    the mean absolute rank change (what Sobol' analysis needs).

    The working set is sized from the budget, an eighth of it for each of: the
    block of runs drawn, the slice of rows evaluated at once, the engine's
    chunk of runs aggregated at once, the cache of evaluated rows and the
    built alternatives of the index.  Per-run results, when kept, are on top
    (the caller keeps them only within a quarter of the budget by default).
    """

    engine: Engine
    nominal_ranks: FloatArray
    n_choices: list[int]
    memory_mb: int = DEFAULT_MEMORY_MB
    keep: bool = False
    change: bool = False
    progress: bool = False
    interruptible: bool = False
    on_progress: Callable[[int, int], None] | None = None
    _cache_keys: IntArray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    _cache_scores: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    _cache_ranks: FloatArray = field(default_factory=lambda: np.zeros((0, 0)))
    _cache_failed: BoolArray = field(default_factory=lambda: np.zeros(0, dtype=bool))

    def __post_init__(self) -> None:
        if self.memory_mb < 1:
            raise UsageError(f"the memory budget must be at least 1 MiB, not {self.memory_mb}")
        self.budget = self.memory_mb * _MIB
        self.n_units = len(self.engine.units)
        d = len(self.n_choices)
        self.block_runs = int(np.clip(self.budget // 8 // (40 * d + 32), _MIN_BLOCK, _MAX_BLOCK))
        self.slice_rows = int(np.clip(self.budget // 8 // (80 * self.n_units + 64), 64, 1 << 16))
        widest = max([self.engine.index.structure.membership(lv).shape[0] for lv in self._levels()] or [1])
        self.engine_chunk = int(np.clip(self.budget // 8 // (48 * self.n_units * widest), 16, 2500))
        self.cache_rows = int(self.budget // 8 // (16 * self.n_units + 16))
        built = 8 * self.n_units * len(self.engine.index.structure.codes(1))  # one built alternative's matrix
        self.engine.max_pre = max(1, int(self.budget // 8 // built))
        strides, combos = [], 1
        for n in reversed(self.n_choices):
            strides.append(combos)
            combos *= n
        self.combos = combos
        self.strides = np.array(strides[::-1], dtype=np.int64) if combos < 2**62 else None
        self._cache_scores = np.zeros((0, self.n_units))
        self._cache_ranks = np.zeros((0, self.n_units))

    def _levels(self) -> range:
        return range(1, self.engine.index.structure.max_level)

    def blocks(self, choices: IntArray) -> Iterator[IntArray]:
        """``choices`` (runs × factors) in blocks of :attr:`block_runs` runs."""
        for start in range(0, choices.shape[0], self.block_runs):
            yield choices[start : start + self.block_runs]

    def run(self, blocks: Iterable[IntArray], total: int) -> Tally:
        """Evaluate every block of runs (``total`` runs in all) and tally their ranks."""
        tally = Tally(RankHistogram(self.n_units))
        kept: list[tuple[FloatArray, FloatArray, IntArray]] = []
        changes: list[FloatArray] = []
        with _StopRequest(self.interruptible) as stop, _progress_bar(self.progress, total, stop) as advance:
            for block in blocks:
                try:
                    stop.check()
                    self._block(block, tally, kept, changes, stop, advance)
                except _Stopped:
                    tally.interrupted = True
                    break
                if self.on_progress is not None:
                    self.on_progress(tally.runs, total)
        if tally.interrupted and tally.runs == 0:
            raise KeyboardInterrupt
        if self.keep:
            tally.detail = _concat_detail(kept, self.n_units, len(self.n_choices))
        if self.change:
            tally.change = np.concatenate(changes) if changes else np.zeros(0)
        return tally

    def _block(
        self,
        block: IntArray,
        tally: Tally,
        kept: list[tuple[FloatArray, FloatArray, IntArray]],
        changes: list[FloatArray],
        stop: _StopRequest,
        advance: Callable[[int, str | None], None],
    ) -> None:
        """Evaluate one block; the tally changes only once the whole block is done (a stop discards it)."""
        rows = self._distinct(block)
        scores, ranks, failed = self._evaluate(rows, stop, advance)
        tally.histogram.add(ranks, rows.counts)
        tally.runs += block.shape[0]
        tally.failed += int(rows.counts[failed].sum())
        if self.keep or self.change:
            assert rows.inverse is not None
            if self.keep:
                kept.append((scores[rows.inverse], ranks[rows.inverse], block))
            if self.change:
                changes.append(mean_abs_change(ranks, self.nominal_ranks)[rows.inverse])
        advance(block.shape[0], None)

    def _distinct(self, block: IntArray) -> _Rows:
        """The distinct rows of ``block``, how many runs drew each, and (if needed) each run's row."""
        per_run = self.keep or self.change
        if self.strides is None:
            rows, of_run, counts = np.unique(block, axis=0, return_inverse=True, return_counts=True)
            return _Rows(None, rows, counts, of_run.ravel() if per_run else None)
        codes = block @ self.strides
        inverse: IntArray | None = None
        if per_run:
            keys, where, counts = np.unique(codes, return_inverse=True, return_counts=True)
            inverse = where.ravel()
        elif self.combos <= _DENSE_CODES:
            all_counts = np.bincount(codes, minlength=self.combos)
            keys = np.flatnonzero(all_counts)
            counts = all_counts[keys]
        else:
            keys, counts = np.unique(codes, return_counts=True)
        rows = (keys[:, None] // self.strides[None, :]) % np.asarray(self.n_choices, dtype=np.int64)[None, :]
        return _Rows(keys.astype(np.int64), rows.astype(np.int64), counts.astype(np.int64), inverse)

    def _evaluate(
        self, rows: _Rows, stop: _StopRequest, advance: Callable[[int, str | None], None]
    ) -> tuple[FloatArray, FloatArray, BoolArray]:
        """Scores of the target and ranks (rows × units, NaN for a failed row) and the failed rows.

        Rows evaluated before come from the cache; the others are evaluated in
        slices (a stop request is honoured between slices and engine chunks).
        """
        n = rows.rows.shape[0]
        scores = np.empty((n, self.n_units))
        ranks = np.empty((n, self.n_units))
        failed = np.zeros(n, dtype=bool)
        todo = np.arange(n)
        if rows.keys is not None and self._cache_keys.size:
            pos = np.minimum(np.searchsorted(self._cache_keys, rows.keys), self._cache_keys.size - 1)
            hit = self._cache_keys[pos] == rows.keys
            scores[hit] = self._cache_scores[pos[hit]]
            ranks[hit] = self._cache_ranks[pos[hit]]
            failed[hit] = self._cache_failed[pos[hit]]
            todo = np.flatnonzero(~hit)
        for start in range(0, todo.size, self.slice_rows):
            stop.check()
            sl = todo[start : start + self.slice_rows]
            self._prepare(rows.rows[sl], stop, advance)
            s, f = self.engine.evaluate(rows.rows[sl], chunk=self.engine_chunk, on_chunk=lambda _: stop.check())
            scores[sl] = np.where(f[:, None], np.nan, s)
            ranks[sl] = rank_descending(scores[sl], axis=1)
            failed[sl] = f
        if rows.keys is not None and todo.size:
            self._remember(rows.keys[todo], scores[todo], ranks[todo], failed[todo])
        return scores, ranks, failed

    def _prepare(self, rows: IntArray, stop: _StopRequest, advance: Callable[[int, str | None], None]) -> None:
        """Build the pre-aggregation alternatives ``rows`` need, saying so on the progress bar."""
        built = [0]

        def on_build() -> None:
            built[0] += 1
            advance(0, f"building alternative {built[0]} of the index")
            stop.check()

        self.engine.prepare(rows, on_build)

    def _remember(self, keys: IntArray, scores: FloatArray, ranks: FloatArray, failed: BoolArray) -> None:
        """Add evaluated rows to the cache while it has room (an eighth of the budget)."""
        room = self.cache_rows - self._cache_keys.size
        if room <= 0:
            return
        all_keys = np.concatenate([self._cache_keys, keys[:room]])
        order = np.argsort(all_keys, kind="stable")
        self._cache_keys = all_keys[order]
        self._cache_scores = np.concatenate([self._cache_scores, scores[:room]])[order]
        self._cache_ranks = np.concatenate([self._cache_ranks, ranks[:room]])[order]
        self._cache_failed = np.concatenate([self._cache_failed, failed[:room]])[order]


def mean_abs_change(ranks: FloatArray, nominal: FloatArray) -> FloatArray:
    """Per row, the mean over units of |rank − nominal rank| (NaN for a row without ranks).

    >>> mean_abs_change(np.array([[1.0, 2.0], [2.0, 1.0], [np.nan, np.nan]]), np.array([1.0, 2.0])).tolist()
    [0.0, 1.0, nan]
    """
    with np.errstate(invalid="ignore"):
        d = np.abs(ranks - nominal[None, :])
    out = np.full(ranks.shape[0], np.nan)
    ok = ~np.isnan(d).all(axis=1)
    if ok.any():
        out[ok] = np.nanmean(d[ok], axis=1)
    return out


def _concat_detail(kept: list[tuple[FloatArray, FloatArray, IntArray]], n_units: int, n_factors: int) -> RunDetail:
    if not kept:
        empty = np.zeros((0, n_units))
        return RunDetail(empty, empty.copy(), np.zeros((0, n_factors), dtype=np.int64))
    return RunDetail(
        np.concatenate([k[0] for k in kept]),
        np.concatenate([k[1] for k in kept]),
        np.concatenate([k[2] for k in kept]).astype(np.int64),
    )

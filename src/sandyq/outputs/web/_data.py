"""The dashboard's data service: the store read where it lies, computed results cached per version of it.

A :class:`Dashboard` answers every question the pages and the API ask from a
:class:`~._snapshot.Snapshot` of the store, each answer computed once and kept in a
byte-bounded least-recently-used cache.  It reads the file through a
:class:`~._reader.StoreReader`, which holds it read-only only while answers are
computed and lets go when a writer waits: ``sandyq load`` and every other writer
work while the dashboard runs, and the dashboard's memory does not grow with the
store.  At most once a second (:meth:`Dashboard.refresh_if_changed`, called for
each request) it looks whether the file changed; then it reads the store's
framework anew in the background and drops every cached answer.  Each worker
thread reads through its own cursor, so reads never wait for one another; at
most :data:`~._gate.SLOTS` computations run at once (:class:`~._gate.Gate`), the
rest wait in a short queue or are answered 503.

Where an analytic (progress, audit, composite index) fails on the data, the
answer is :class:`~sandyq.outputs.web.Unavailable` with the reason, and the
page says so instead of showing anything made up.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import logging
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from ... import Monitor
from ...analytics.audit import audit as run_audit
from ...analytics.progress import Calibration
from ...analytics.progress import progress as rollup
from ...analytics.results import json_safe
from ...errors import InvalidValueError, NotFoundError, Problem, SandyqError
from ...framework import (
    UNITS,
    Framework,
    Geography,
    Indicator,
    Programme,
    as_of_bound,
    load_framework,
    parse_period,
)
from ...store import Store
from .._geo import project_boundaries
from ._cache import LruCache
from ._disk import DiskAnswers
from ._gate import Gate
from ._index import composite_results
from ._snapshot import LOCK_WAIT, Signature, make_reader, open_snapshot, signature
from ._unavailable import Unavailable

__all__ = ["CHECK_EVERY", "SETTLE", "Dashboard", "headline_dims"]

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Seconds between two looks at the store file (a look is one ``stat``; nothing is opened unless it changed).
CHECK_EVERY = 1.0
#: A change is copied once the file has looked the same for this long (a writer may open the store several times).
SETTLE = 0.3

#: Longest a warming step waits for the visitors being answered (so a steady stream of them cannot stop it).
YIELD_WAIT = 2.0

#: Columns of every observation table the dashboard hands out (unit, source and vintage always included).
OBS_COLUMNS = ["indicator", "geo", "period", "year", "dims", "value", "unit", "status", "source", "vintage", "note"]


def headline_dims(dims: pd.Series) -> str:
    """The disaggregation shown first: the total (``""``) if present, else the most frequent key.

    >>> headline_dims(pd.Series(["sex=F", "", "sex=M"])), headline_dims(pd.Series(["a=1", "a=2", "a=2"]))
    ('', 'a=2')
    """
    if dims.empty or (dims == "").any():
        return ""
    counts = dims.value_counts()
    top = counts[counts == counts.max()].index
    return str(sorted(top)[0])


class Dashboard:
    """Everything the web pages and the API show, computed from one read-only store."""

    def __init__(
        self,
        db: str | Path,
        *,
        programme: str | None = None,
        cache: LruCache | None = None,
        wait: float = LOCK_WAIT,
        gate: Gate | None = None,
        disk: DiskAnswers | None = None,
    ) -> None:
        self.db = str(db)
        #: Where answers that take seconds are kept between runs (None: only in memory).
        self.disk = disk
        self._base_framework = load_framework()
        #: The store file, held read-only only while answers are computed.
        self.reader = make_reader(self.db)
        #: At most a few expensive computations at once; the rest queue or are refused (503).
        self.gate = Gate() if gate is None else gate
        self._snapshot = open_snapshot(self.db, self._base_framework, wait=wait, reader=self.reader)
        names = list(self.framework.programmes)
        self.default_programme = programme or ("digital-kazakhstan" if "digital-kazakhstan" in names else names[0])
        #: Computed answers, least recently used first out, within a byte budget (shared with the response cache).
        self.cache = LruCache() if cache is None else cache
        self._cache_lock = threading.Lock()
        self._key_locks: dict[Any, threading.Lock] = {}
        self._watch_lock = threading.Lock()
        self._next_check = time.monotonic() + CHECK_EVERY
        self._pending: tuple[Signature, float] | None = None
        self._refreshing = threading.Lock()
        #: Languages whose expensive answers :meth:`warm` computes after each new copy (none: computed when asked).
        self.warm_languages: tuple[str, ...] = ()
        #: More answers :meth:`warm` computes, per language (the layers above add theirs, e.g. the API's rows).
        self.warmers: list[Callable[[Dashboard, str], object]] = []
        #: Answers :meth:`warm` computes last, per language (each indicator's page payload: minutes in all).
        self.late_warmers: list[Callable[[Dashboard, str], object]] = []
        self._defer = threading.local()
        self._started: set[Any] = set()
        self._visitors = 0
        self._visitors_gone = threading.Condition()

    # -- the copy of the store ---------------------------------------------------------------------------
    @property
    def monitor(self) -> Monitor:
        """The :class:`~sandyq.Monitor` over the current copy of the store."""
        return self._snapshot.monitor

    @property
    def framework(self) -> Framework:
        return self._snapshot.monitor.framework

    @property
    def geography(self) -> Geography:
        return self.framework.geography

    @property
    def data_version(self) -> int:
        """The serial number of the copy answering now (1 at start, one more after each change of the store)."""
        return self._snapshot.version

    def sql(self, query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Rows of a read-only SQL query on the store (this thread's own cursor, the file held meanwhile)."""
        with self.reader.lease():
            return self.monitor.store.con.execute(query, params or []).fetchall()

    def refresh_if_changed(self) -> bool:
        """Look (at most once per :data:`CHECK_EVERY` s) whether the store file changed; if so, copy it anew.

        The copy is taken in a background thread once the file has stopped
        changing for :data:`SETTLE` s; meanwhile, and if the copy fails (a writer
        holds the store), answers come from the current copy.  Returns whether a
        new copy was started.  Cheap enough to call on every request.
        """
        now = time.monotonic()
        if now < self._next_check or not self._watch_lock.acquire(blocking=False):
            return False
        try:
            if now < self._next_check:
                return False
            self._next_check = now + CHECK_EVERY
            sig = signature(self.db, self.reader)
            if sig == self._snapshot.signature or sig[0] is None:
                self._pending = None
                return False
            if self._pending is None or self._pending[0] != sig:
                self._pending = (sig, now)  # changed: copy once it has looked the same for SETTLE seconds
                self._next_check = now + SETTLE
                return False
            if not self._refreshing.acquire(blocking=False):
                return False
            threading.Thread(target=self._refresh, name="sandyq-store-copy", daemon=True).start()
            return True
        finally:
            self._watch_lock.release()

    def refresh(self, wait: float = 2.0) -> bool:
        """Copy the store anew now (waiting up to ``wait`` s for a writer); whether the copy was taken."""
        with self._refreshing:
            return self._take(wait)

    def _refresh(self) -> None:
        try:
            self._take(2.0)
        finally:
            self._refreshing.release()

    def _take(self, wait: float) -> bool:
        try:
            snap = open_snapshot(
                self.db, self._base_framework, version=self._snapshot.version + 1, wait=wait, reader=self.reader
            )
        except SandyqError as exc:  # a writer still holds the store, or it is broken: keep answering from the copy
            log.warning("the dashboard keeps its copy of %s: %s", self.db, exc.summary)
            self._next_check = time.monotonic() + CHECK_EVERY
            return False
        self._pending = None
        self.cache.clear(lambda: setattr(self, "_snapshot", snap))  # a new generation, with the new view
        log.info("the dashboard read %s anew in %.2f s (version %d)", self.db, snap.seconds, snap.version)
        if self.warm_languages:  # in its own thread: the next change is noticed while this one is warmed
            threading.Thread(target=self.warm, args=(self.warm_languages,), name="sandyq-warm", daemon=True).start()
        return True

    def warm(self, languages: tuple[str, ...] = ("en",)) -> None:
        """Compute the answers that take seconds (progress, audit, index, tables) before anyone asks.

        A visitor asking meanwhile waits for the computation under way instead of starting another.  Warming
        takes no slot of the :attr:`gate` (visitors keep both), and stops when the store changes meanwhile
        (the next warming computes the new answers).
        """
        generation = self.cache.generation
        steps: list[tuple[Callable[..., object], tuple[Any, ...]]] = [(self.indicator_table, (g,)) for g in languages]
        steps += [(self.coverage, ()), (self.load_issues, ())]
        steps += [(w, (self, g)) for g in languages for w in self.warmers]
        steps += [(self.progress, (None, None, g)) for g in languages]
        steps += [(self.audit, ()), (self.composite, ())]
        steps += [(w, (self, g)) for g in languages for w in self.late_warmers]
        with self.gate.exempt():
            for step, args in steps:
                if self.cache.generation != generation:
                    return
                self.yield_to_visitors()
                step(*args)

    # -- visitors first ------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def visiting(self) -> Iterator[None]:
        """Count a request being answered while the block runs (see :meth:`yield_to_visitors`)."""
        with self._visitors_gone:
            self._visitors += 1
        try:
            yield
        finally:
            with self._visitors_gone:
                self._visitors -= 1
                if not self._visitors:
                    self._visitors_gone.notify_all()

    def yield_to_visitors(self, limit: float = YIELD_WAIT) -> None:
        """Wait (at most ``limit`` s) until no request is being answered: warming starts its next step then.

        Python runs one thread at a time, so a warming step that runs while a visitor's page is computed
        roughly doubles that visitor's wait; the steps are short enough (each indicator's payload is one)
        that letting visitors go first costs warming little.
        """
        with self._visitors_gone:
            self._visitors_gone.wait_for(lambda: not self._visitors, timeout=limit)

    def warm_in_background(self, languages: tuple[str, ...]) -> threading.Thread:
        """Start :meth:`warm` in a thread, and warm each later copy of the store too."""
        self.warm_languages = languages
        thread = threading.Thread(target=self.warm, args=(languages,), name="sandyq-warm", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self.reader.close()

    # -- answers not ready yet ------------------------------------------------------------------------------
    @contextlib.contextmanager
    def deferring(self) -> Iterator[list[str]]:
        """Within the block (this thread), a slow answer not computed yet is a pending :class:`Unavailable`.

        Only while the dashboard warms itself (``sandyq serve``): the answer is then computed in the
        background and the page, rendered at once without it, says so and looks again in a few seconds.
        Yields the list of what was pending (empty: the page is complete and may be kept).
        """
        seen: list[str] = []
        if not self.warm_languages:
            yield seen
            return
        saved = getattr(self._defer, "seen", None)
        self._defer.seen = seen
        try:
            yield seen
        finally:
            self._defer.seen = saved

    def pending(self) -> list[str]:
        """What this thread's page asked for that is still being computed (see :meth:`deferring`)."""
        return list(getattr(self._defer, "seen", None) or [])

    def deferred(self, what: str, key: Any, compute: Callable[[], T]) -> T | Unavailable:
        """``compute()`` (which keeps its answer under ``key``), or a pending :class:`Unavailable` while it is
        computed in the background (only within :meth:`deferring`, when neither memory nor disk has it)."""
        return self._slow(what, key, compute)

    def _slow(self, what: str, key: Any, compute: Callable[[], T]) -> T | Unavailable:
        """``compute()``, unless deferring and neither memory nor disk has the answer yet (then pending)."""
        seen = getattr(self._defer, "seen", None)
        if seen is None or self.cache.get(("value", key), self) is not self:
            return compute()
        if self.disk is not None:
            with self.reader.lease():
                version = self.monitor.store.data_version()
            if self.disk.has(key, version):
                return compute()
        generation = self.cache.generation
        with self._cache_lock:
            start = (generation, key) not in self._started
            self._started.add((generation, key))
        if start:
            threading.Thread(target=self._background, args=(compute,), name="sandyq-compute", daemon=True).start()
        seen.append(what)
        return Unavailable(what, "being computed", pending=True)

    def _background(self, compute: Callable[[], object]) -> None:
        with self.gate.exempt():
            try:
                compute()
            except SandyqError as exc:
                log.warning("computing an answer in the background failed: %s", exc.summary)

    # -- caching -------------------------------------------------------------------------------------------
    def cached(self, key: Any, compute: Callable[[], T]) -> T:
        """The cached value for ``key``, computed once while kept (concurrent callers wait for the first).

        Kept in :attr:`cache`, so an answer not asked for in a while may be dropped and computed again; an
        answer computed from a copy of the store that was replaced meanwhile is not kept.
        """
        key = ("value", key)
        hit = self.cache.get(key, self)
        if hit is not self:
            return cast(T, hit)
        with self._cache_lock:
            lock = self._key_locks.setdefault(key, threading.Lock())
        try:
            with self.gate.slot(), lock:  # the slot first: whoever holds a key's lock is running, not queued
                hit = self.cache.get(key, self)
                if hit is self:
                    generation = self.cache.generation
                    with self.reader.lease():
                        hit = compute()
                    self.cache.put(key, hit, generation=generation)
        finally:
            with self._cache_lock:  # the lock lives only while someone computes: keys are unbounded (page paths)
                if self._key_locks.get(key) is lock:
                    del self._key_locks[key]
        return cast(T, hit)

    def bounded(self, key: Any, compute: Callable[[], T]) -> T:
        """Like :meth:`cached` but concurrent callers do not wait for each other (cheap, open-ended queries)."""
        key = ("value", key)
        hit = self.cache.get(key, self)
        if hit is not self:
            return cast(T, hit)
        generation = self.cache.generation
        with self.gate.slot(), self.reader.lease():
            value = compute()
        self.cache.put(key, value, generation=generation)
        return value

    def kept(self, key: Any, compute: Callable[[], T]) -> T:
        """``compute()``, or the answer kept on :attr:`disk` for ``key`` at the store's change counter.

        Call inside a computation (the store is held meanwhile, so the counter read is that of the data
        read).  An :class:`Unavailable` answer is not kept: it is computed again next time.
        """
        if self.disk is None:
            return compute()
        version = self.monitor.store.data_version()
        hit = self.disk.get(key, version)
        if hit is not None:
            return cast(T, hit)
        value = compute()
        if not isinstance(value, Unavailable):
            self.disk.put(key, version, value)
        return value

    # -- metadata ------------------------------------------------------------------------------------------
    def programme(self, programme_id: str | None = None) -> Programme:
        return self.framework.programme(programme_id or self.default_programme)

    def indicator(self, indicator_id: str) -> Indicator:
        return self.framework.indicator(indicator_id)

    def indicator_table(self, language: str = "en") -> pd.DataFrame:
        """Every indicator with metadata and coverage (``Monitor.indicators``) plus its source's name."""

        def compute() -> pd.DataFrame:
            table = self.monitor.indicators(None, language)
            sources = self.framework.sources
            table["source_name"] = table["source"].map(lambda s: sources[s].name.get(language) if s in sources else s)
            table["unit_name"] = table["unit"].map(lambda u: self.unit_name(u, language))
            for col in ("first_year", "last_year"):  # years as years (2010), not floats (2010.0) where some are missing
                table[col] = pd.Series(
                    [None if pd.isna(v) else int(v) for v in table[col]], index=table.index, dtype=object
                )
            return table

        return self.cached(("indicators", language), compute)

    def unit_name(self, code: str | None, language: str = "en") -> str:
        if code is None or code not in UNITS:
            return code or ""
        return UNITS[code].name(language)

    def geo_name(self, code: str, language: str = "en") -> str:
        try:
            return self.geography.name(code, language)
        except NotFoundError:
            return code

    def targets_of(self, indicator_id: str) -> list[tuple[Programme, Any]]:
        """Every (programme, target) on an indicator."""
        return [(p, t) for p in self.framework.programmes.values() for t in p.targets() if t.indicator == indicator_id]

    def tasks_of(self, indicator_id: str) -> list[tuple[Programme, Any, Any]]:
        """Every (programme, direction, task) that lists an indicator."""
        out = []
        for p in self.framework.programmes.values():
            for d in p.directions:
                for t in d.tasks:
                    if indicator_id in t.indicators or any(g.indicator == indicator_id for g in t.targets):
                        out.append((p, d, t))
        return out

    # -- observations ----------------------------------------------------------------------------------------
    def indicator_data(self, indicator_id: str) -> pd.DataFrame:
        """All observations of an indicator in force now (every geography, every disaggregation)."""
        self.indicator(indicator_id)

        def compute() -> pd.DataFrame:
            frame = self.monitor.observations(indicator_id, dims=None)
            return frame[OBS_COLUMNS].reset_index(drop=True)

        return self.cached(("data", indicator_id), compute)

    def observations(
        self,
        indicators: list[str] | None = None,
        geos: list[str] | None = None,
        *,
        start: str | None = None,
        end: str | None = None,
        dims: str | None = "",
        as_of: str | None = None,
        source: str | None = None,
    ) -> pd.DataFrame:
        """Observations filtered as the API allows; raises :class:`SandyqError` for bad filters.

        ``start``/``end`` are periods (``2018``, ``2018-Q2``, ``2018-03``) compared by
        their text, so a year bound includes its quarters and months.
        """
        for i in indicators or []:
            self.indicator(i)
        canon = [self.monitor._geo(g) for g in geos] if geos else None
        lo, hi, as_of = self.check_filters(start, end, as_of)
        # as_of enters the key as the newest vintage it lets through: as-of dates that see the same data share it
        key = ("obs", tuple(indicators or ()), tuple(canon or ()), lo, hi, dims, self.visible_vintage(as_of), source)

        def compute() -> pd.DataFrame:
            if as_of is None and indicators:
                frame = pd.concat([self.indicator_data(i) for i in indicators], ignore_index=True)
            else:
                frame = self.monitor.observations(indicators or None, as_of=as_of, dims=None)[OBS_COLUMNS]
            mask = np.ones(len(frame), dtype=bool)
            if canon:
                mask &= frame["geo"].isin(canon).to_numpy()
            if dims is not None:
                mask &= (frame["dims"] == dims).to_numpy()
            if source is not None:
                mask &= (frame["source"] == source).to_numpy()
            if lo is not None:
                mask &= (frame["period"] >= lo).to_numpy()
            if hi is not None:
                mask &= (frame["period"] <= hi + "~").to_numpy()
            return frame[mask].reset_index(drop=True)

        return self.bounded(key, compute)

    def vintages(self) -> list[dt.datetime]:
        """Every vintage in the store, oldest first (read once per version of the store)."""

        def compute() -> list[dt.datetime]:
            rows = self.monitor.store.con.execute("SELECT DISTINCT vintage FROM observation ORDER BY 1").fetchall()
            return [r[0] for r in rows if r[0] is not None]

        return self.cached("vintages", compute)

    def visible_vintage(self, as_of: str | None) -> tuple[str, dt.datetime | None] | None:
        """What ``as_of`` lets through, as the newest vintage at or before it: a cache key for answers as of it.

        Two as-of moments with no vintage between them see the same figures, so their answers are one
        cache entry.  None for no as-of (every vintage counts); ``("as_of", None)`` if it precedes them all.
        """
        if as_of is None:
            return None
        bound = as_of_bound(as_of)
        vintages = self.vintages()
        k = bisect.bisect_right(vintages, bound) if bound is not None else len(vintages)
        return ("as_of", vintages[k - 1] if k else None)

    def check_filters(
        self, start: str | None, end: str | None, as_of: str | None
    ) -> tuple[str | None, str | None, str | None]:
        """Period bounds as canonical periods and ``as_of`` checked as a date; InvalidValueError names the bad one."""
        lo = _period_bound(start, "start")
        hi = _period_bound(end, "end")
        if as_of is not None:
            try:
                dt.date.fromisoformat(as_of)
            except ValueError:
                raise InvalidValueError(
                    f"as_of {as_of!r} is not a date (YYYY-MM-DD)", [Problem("", "use YYYY-MM-DD", column="as_of")]
                ) from None
        return lo, hi, as_of

    def coverage(self) -> pd.DataFrame:
        """Indicator × year: how many geographies have a total value (the data-quality coverage matrix)."""

        def compute() -> pd.DataFrame:
            sql = """SELECT indicator, CAST(substr(period, 1, 4) AS INTEGER) AS year,
                            count(DISTINCT geo) AS geos, count(*) AS observations,
                            count(DISTINCT geo) FILTER (WHERE geo = 'KAZ') AS kaz
                     FROM observation WHERE dims = '' GROUP BY 1, 2 ORDER BY 1, 2"""
            return cast(pd.DataFrame, self.monitor.store.con.execute(sql).df())

        return self.cached("coverage", compute)

    def load_issues(self) -> pd.DataFrame:
        """Problems recorded when the bundled files were loaded (values set aside, duplicate rows)."""

        def compute() -> pd.DataFrame:
            issues = self.monitor.store.load_issues()
            loads = self.monitor.store.loads()
            if issues.empty:
                return issues
            meta = loads[["id", "source", "vintage"]].rename(columns={"id": "load_id"})
            return issues.merge(meta, on="load_id", how="left")

        return self.cached("load_issues", compute)

    def vintage_span(self, frame: pd.DataFrame) -> tuple[str | None, str | None]:
        """The oldest and newest vintage in ``frame`` as ISO dates."""
        if frame.empty:
            return None, None
        v = pd.to_datetime(frame["vintage"])
        return v.min().date().isoformat(), v.max().date().isoformat()

    # -- geography -------------------------------------------------------------------------------------------
    def boundaries(self, name: str) -> dict[str, Any]:
        """A boundary set as projected SVG paths (see :mod:`sandyq.outputs._geo`)."""
        if name not in {b.name for b in self.geography.boundary_sets()}:
            raise NotFoundError(f"unknown boundary set {name!r}")
        return self.cached(("geo", name), lambda: project_boundaries(self.geography, name))

    def boundary_set_names(self) -> list[str]:
        return [b.name for b in self.geography.boundary_sets()]

    def kz_sets_by_year(self, years: list[int]) -> dict[int, str]:
        """Which boundary set draws Kazakhstan's regions in each year."""
        out = {}
        for y in years:
            try:
                out[int(y)] = self.geography.boundary_set(int(y))
            except NotFoundError:
                continue
        return out

    def region_codes(self) -> set[str]:
        return {u.code for u in self.geography.regions()}

    # -- analytics ---------------------------------------------------------------------------------------------
    def progress(self, programme_id: str | None = None, as_of: str | None = None, language: str = "en") -> Any:
        """The programme roll-up (``sandyq.analytics.progress.progress``) or :class:`Unavailable`."""
        prog = self.programme(programme_id)
        if as_of is not None:
            self.check_filters(None, None, as_of)

        def observations(ids: list[str]) -> pd.DataFrame:
            if not ids:
                return pd.DataFrame()
            key = ("progress-obs", tuple(ids), self.visible_vintage(as_of))  # shared by as-of dates seeing the same
            return self.cached(key, lambda: self.monitor.observations(ids, as_of=as_of, dims=""))

        def compute() -> Any:
            obs = observations([i for i in prog.indicator_ids() if i in self.framework.indicators])
            calibration = _calibration(self.monitor.store)
            try:
                return rollup(
                    prog, self.framework.indicators, obs, as_of=as_of, calibration=calibration, language=language
                )
            except (SandyqError, ValueError, KeyError, TypeError) as exc:
                return Unavailable("progress", f"the progress roll-up failed: {exc}")

        key = ("progress", prog.id, as_of, language)
        if as_of is not None:  # any as-of date may be asked: only today's roll-up is kept on disk
            return self.bounded(key, compute)
        return self._slow("progress", key, lambda: self.cached(key, lambda: self.kept(key, compute)))

    def audit(self) -> Any:
        """Consistency-audit findings (``sandyq.analytics.audit.audit``) as dicts, or :class:`Unavailable`."""

        def compute() -> Any:
            try:
                findings = run_audit(self.monitor)
            except Exception as exc:  # the audit is a colleague's module: its failure is shown, not raised
                return Unavailable("audit", f"the consistency audit failed: {type(exc).__name__}: {exc}")
            return [_as_dict(f) for f in findings]

        return self._slow("audit", "audit", lambda: self.cached("audit", lambda: self.kept("audit", compute)))

    def composite(self) -> Any:
        """The composite index with rank intervals, or :class:`Unavailable` (see :mod:`._index`)."""

        def compute() -> Any:
            return self.kept("composite", lambda: composite_results(self.monitor, contextlib.nullcontext()))

        return self._slow("index", "composite", lambda: self.cached("composite", compute))


def _calibration(store: Store) -> Calibration | None:
    """A calibration saved in the store (document ``calibration``) by ``sandyq backtest``, if any."""
    try:
        body = store.document("calibration")
        return None if body is None else Calibration.from_json(body)
    except Exception:  # an absent or unreadable calibration means 'not calibrated'
        return None


def _as_dict(obj: Any) -> dict[str, Any]:
    to_dict = getattr(obj, "to_dict", None)
    if callable(to_dict):
        return dict(json_safe(to_dict()))
    return dict(json_safe(obj))


def _period_bound(text: str | None, name: str) -> str | None:
    if text is None or text == "":
        return None
    period = parse_period(text)
    if period is None:
        raise InvalidValueError(
            f"{name} {text!r} is not a period (YYYY, YYYY-Qn or YYYY-MM)",
            [Problem("", "use YYYY, YYYY-Qn or YYYY-MM", column=name)],
        )
    return period

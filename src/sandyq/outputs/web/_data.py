"""The dashboard's data service: one read-only store, computed results cached per process.

A :class:`Dashboard` opens the store read-only and answers every question the
pages and the API ask, each answer computed once and kept in a byte-bounded
least-recently-used cache (the store does not change while it is open
read-only).  DuckDB connections are not safe to share between threads, so every
read of the store holds one lock; cached answers are returned without it.

Where an analytic (progress, audit, composite index) fails on the data, the
answer is :class:`~sandyq.outputs.web.Unavailable` with the reason, and the
page says so instead of showing anything made up.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

import numpy as np
import pandas as pd

from ... import connect
from ...analytics.audit import audit as run_audit
from ...analytics.progress import Calibration
from ...analytics.progress import progress as rollup
from ...analytics.results import json_safe
from ...errors import NotFoundError, SandyqError
from ...framework import UNITS, Indicator, Programme, parse_period
from ...store import Store
from ._cache import LruCache
from ._geo import project_boundaries
from ._index import composite_results
from ._unavailable import Unavailable

__all__ = ["Dashboard", "headline_dims"]

T = TypeVar("T")

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

    def __init__(self, db: str | Path, *, programme: str | None = None, cache: LruCache | None = None) -> None:
        self.db = str(db)
        self.monitor = connect(self.db, read_only=True)
        self.framework = self.monitor.framework
        self.geography = self.framework.geography
        names = list(self.framework.programmes)
        self.default_programme = programme or ("digital-kazakhstan" if "digital-kazakhstan" in names else names[0])
        self._store_lock = threading.RLock()
        #: Computed answers, least recently used first out, within a byte budget (shared with the response cache).
        self.cache = LruCache() if cache is None else cache
        self._cache_lock = threading.Lock()
        self._key_locks: dict[Any, threading.Lock] = {}

    def close(self) -> None:
        with self._store_lock:
            self.monitor.close()

    # -- caching -------------------------------------------------------------------------------------------
    def cached(self, key: Any, compute: Callable[[], T]) -> T:
        """The cached value for ``key``, computed once while kept (concurrent callers wait for the first).

        Kept in :attr:`cache`, so an answer not asked for in a while may be dropped and computed again.
        """
        key = ("value", key)
        hit = self.cache.get(key, self)
        if hit is not self:
            return cast(T, hit)
        with self._cache_lock:
            lock = self._key_locks.setdefault(key, threading.Lock())
        with lock:
            hit = self.cache.get(key, self)
            if hit is self:
                hit = compute()
                self.cache.put(key, hit)
        return cast(T, hit)

    def bounded(self, key: Any, compute: Callable[[], T]) -> T:
        """Like :meth:`cached` but for open-ended keys (query filters): no per-key lock is kept for them."""
        key = ("value", key)
        hit = self.cache.get(key, self)
        if hit is not self:
            return cast(T, hit)
        value = compute()
        self.cache.put(key, value)
        return value

    # -- metadata ------------------------------------------------------------------------------------------
    def programme(self, programme_id: str | None = None) -> Programme:
        return self.framework.programme(programme_id or self.default_programme)

    def indicator(self, indicator_id: str) -> Indicator:
        return self.framework.indicator(indicator_id)

    def indicator_table(self, language: str = "en") -> pd.DataFrame:
        """Every indicator with metadata and coverage (``Monitor.indicators``) plus its source's name."""

        def compute() -> pd.DataFrame:
            with self._store_lock:
                table = self.monitor.indicators(None, language)
            sources = self.framework.sources
            table["source_name"] = table["source"].map(lambda s: sources[s].name if s in sources else s)
            table["unit_name"] = table["unit"].map(lambda u: self.unit_name(u, language))
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
            with self._store_lock:
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
        lo = _period_bound(start, "start")
        hi = _period_bound(end, "end")
        if as_of is not None:
            try:
                dt.date.fromisoformat(as_of)
            except ValueError:
                raise SandyqError(f"as_of {as_of!r} is not a date (YYYY-MM-DD)") from None
        key = ("obs", tuple(indicators or ()), tuple(canon or ()), lo, hi, dims, as_of, source)

        def compute() -> pd.DataFrame:
            if as_of is None and indicators:
                frame = pd.concat([self.indicator_data(i) for i in indicators], ignore_index=True)
            else:
                with self._store_lock:
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

    def coverage(self) -> pd.DataFrame:
        """Indicator × year: how many geographies have a total value (the data-quality coverage matrix)."""

        def compute() -> pd.DataFrame:
            sql = """SELECT indicator, CAST(substr(period, 1, 4) AS INTEGER) AS year,
                            count(DISTINCT geo) AS geos, count(*) AS observations,
                            count(DISTINCT geo) FILTER (WHERE geo = 'KAZ') AS kaz
                     FROM observation WHERE dims = '' GROUP BY 1, 2 ORDER BY 1, 2"""
            with self._store_lock:
                return self.monitor.store.con.execute(sql).df()

        return self.cached("coverage", compute)

    def load_issues(self) -> pd.DataFrame:
        """Problems recorded when the bundled files were loaded (values set aside, duplicate rows)."""

        def compute() -> pd.DataFrame:
            with self._store_lock:
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
        """A boundary set as projected SVG paths (see :mod:`._geo`)."""
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
            try:
                dt.date.fromisoformat(as_of)
            except ValueError:
                raise SandyqError(f"as_of {as_of!r} is not a date (YYYY-MM-DD)") from None

        def compute() -> Any:
            ids = [i for i in prog.indicator_ids() if i in self.framework.indicators]
            with self._store_lock:
                obs = self.monitor.observations(ids, as_of=as_of, dims="") if ids else pd.DataFrame()
                calibration = _calibration(self.monitor.store)
            try:
                return rollup(
                    prog, self.framework.indicators, obs, as_of=as_of, calibration=calibration, language=language
                )
            except (SandyqError, ValueError, KeyError, TypeError) as exc:
                return Unavailable("progress", f"the progress roll-up failed: {exc}")

        return self.bounded(("progress", prog.id, as_of, language), compute)

    def audit(self) -> Any:
        """Consistency-audit findings (``sandyq.analytics.audit.audit``) as dicts, or :class:`Unavailable`."""

        def compute() -> Any:
            try:
                with self._store_lock:
                    findings = run_audit(self.monitor)
            except Exception as exc:  # the audit is a colleague's module: its failure is shown, not raised
                return Unavailable("audit", f"the consistency audit failed: {type(exc).__name__}: {exc}")
            return [_as_dict(f) for f in findings]

        return self.cached("audit", compute)

    def composite(self) -> Any:
        """The composite index with rank intervals, or :class:`Unavailable` (see :mod:`._index`)."""
        return self.cached("composite", lambda: composite_results(self.monitor, self._store_lock))


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
        raise SandyqError(f"{name} {text!r} is not a period (YYYY, YYYY-Qn or YYYY-MM)")
    return period

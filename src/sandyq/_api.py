"""The public Python API: a :class:`Monitor` joins the framework and the store.

>>> import sandyq
>>> with sandyq.connect(":memory:") as m:
...     m.framework.indicator("17-8-1").unit
'PT'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd

from ._load import Progress, load_file, write_batch
from ._people import ensure_admin
from .analytics.composite import publish_default_indices
from .analytics.evaluation import Evaluation, evaluate
from .analytics.progress import BacktestResult, Calibration, ProgressReport, backtest, progress
from .analytics.statistics import DERIVED, derive
from .errors import NotFoundError
from .framework import Framework, Source, as_of_bound, dims_key, load_framework
from .ingest import Batch
from .settings import resolve
from .store import CHECK_COLUMNS, LoadReport, Store, pick_source
from .store import accounts as people_records

__all__ = ["InitReport", "Monitor", "connect", "default_manifest_path", "init"]


def default_manifest_path() -> Path:
    """The manifest of the default content (Digital Kazakhstan and its open data)."""
    return Path(str(resources.files("sandyq") / "content" / "manifest.yaml"))


@dataclass
class InitReport:
    """What ``init`` did: the store path and one report per bundled file."""

    db: str
    loads: list[LoadReport] = field(default_factory=list)
    #: The password of the admin account ``init`` made (only when the store had no account), to show once.
    admin_password: str | None = None

    @property
    def added(self) -> int:
        return sum(r.added for r in self.loads)

    @property
    def revised(self) -> int:
        return sum(r.revised for r in self.loads)

    @property
    def unchanged(self) -> int:
        return sum(r.unchanged for r in self.loads)


class Monitor:
    """A framework and a store, with the questions users ask of them."""

    def __init__(self, store: Store, framework: Framework) -> None:
        self.store = store
        self.framework = framework

    def close(self) -> None:
        self.store.close()

    def __enter__(self) -> Monitor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- metadata ------------------------------------------------------------------
    def indicators(self, programme: str | None = None, language: str = "en") -> pd.DataFrame:
        """Indicators with metadata and coverage in the store (optionally of one programme)."""
        fw = self.framework
        ids = fw.programme(programme).indicator_ids() if programme else list(fw.indicators)
        cover = self.store.summary().set_index("indicator")
        in_prog: dict[str, list[str]] = {}
        for p in fw.programmes.values():
            for i in p.indicator_ids():
                in_prog.setdefault(i, []).append(p.id)
        rows = []
        for i in ids:
            ind = fw.indicator(i)
            c = cover.loc[i] if i in cover.index else None
            rows.append(
                {
                    "id": i,
                    "name": ind.name.get(language),
                    "unit": ind.unit,
                    "polarity": ind.polarity,
                    "periodicity": ind.periodicity,
                    "source": ind.source,
                    "tags": ",".join(ind.tags),
                    "derived": ind.formula is not None,
                    "observations": int(c["observations"]) if c is not None else 0,
                    "geos": int(c["geos"]) if c is not None else 0,
                    "first_year": int(c["first_year"]) if c is not None else None,
                    "last_year": int(c["last_year"]) if c is not None else None,
                    "programmes": ",".join(in_prog.get(i, [])),
                }
            )
        return pd.DataFrame(rows)

    # -- data ----------------------------------------------------------------------
    def observations(
        self,
        indicator: str | Sequence[str] | None = None,
        geo: str | Sequence[str] | None = None,
        *,
        as_of: date | datetime | str | None = None,
        dims: str | dict[str, object] | None = "",
        start: int | None = None,
        end: int | None = None,
        source: str | Sequence[str] | None = None,
        derived: bool = True,
    ) -> pd.DataFrame:
        """Observations in force ``as_of`` a date; totals only unless ``dims`` says otherwise.

        Geography codes may be aliases (``KZNS`` → ``KZ-71``).  For an indicator
        defined by a formula, values computed from its inputs are added (source and
        status ``derived``, vintage = the newer input's) unless ``derived=False``.
        """
        ids = [indicator] if isinstance(indicator, str) else list(indicator or [])
        for i in ids:
            self.framework.indicator(i)
        geos: list[str] | None = None
        if geo is not None:
            geos = [self._geo(g) for g in ([geo] if isinstance(geo, str) else geo)]
        stored = self.store.observations(indicator, geos, as_of=as_of, dims=dims, start=start, end=end, source=source)
        wanted_sources = None if source is None else ({source} if isinstance(source, str) else set(source))
        if not derived or (wanted_sources is not None and DERIVED not in wanted_sources):
            return stored
        extra = [self._derived(i, as_of) for i in ids if self.framework.indicator(i).formula is not None]
        extra = [e for e in extra if len(e)]
        if not extra:
            return stored
        rows = pd.concat(extra, ignore_index=True)
        if geos is not None:
            rows = rows[rows["geo"].isin(geos)]
        if dims is not None:
            rows = rows[rows["dims"] == (dims if isinstance(dims, str) else dims_key(dims))]
        if start is not None:
            rows = rows[rows["year"] >= start]
        if end is not None:
            rows = rows[rows["year"] <= end]
        frames = [f for f in (stored, rows) if len(f)]
        out = pd.concat(frames, ignore_index=True) if frames else stored
        return out.sort_values(["indicator", "geo", "dims", "source", "period"], kind="stable").reset_index(drop=True)

    def _derived(self, indicator_id: str, as_of: date | datetime | str | None) -> pd.DataFrame:
        """Values of a formula indicator computed from its inputs (each input from its preferred source)."""
        ind = self.framework.indicator(indicator_id)
        assert ind.formula is not None
        parts = []
        for input_id in (ind.formula.numerator, ind.formula.denominator):
            inp = self.framework.indicator(input_id)
            rows = (
                self._derived(input_id, as_of)
                if inp.formula is not None
                else self.store.observations(input_id, as_of=as_of)
            )
            if rows.empty:
                return rows
            # One source per key: the derived indicator's own source first, then the input's, then the shared rule.
            parts.append(pick_source(rows, [ind.source, inp.source], by=["geo", "period", "dims"]))
        return derive(ind, pd.concat(parts, ignore_index=True))

    def _geo(self, code: str) -> str:
        canon = self.framework.geography.resolve(code)
        if canon is None:
            raise NotFoundError(f"unknown geography {code!r}")
        return canon

    # -- integrity -----------------------------------------------------------------
    def check(self) -> pd.DataFrame:
        """What is wrong with the store, one row per kind of problem; an empty frame: the store is sound.

        The store's own checks (:meth:`sandyq.store.Store.check`: schema, readable
        rows, keys in sandyq's forms, finite values, no duplicate vintages, loads
        that exist) and the framework's: every indicator and geography code the
        observations use is one the framework knows.  Columns
        :data:`sandyq.store.CHECK_COLUMNS`.
        """
        found = [self.store.check()]
        known: dict[str, tuple[str, Callable[[str], bool]]] = {
            "indicator": ("indicator", lambda code: code in self.framework.indicators),
            "geo": ("geography", lambda code: self.framework.geography.resolve(code) == code),
        }
        for column, (noun, ok) in known.items():
            unknown = {code: n for code, n in self.store.codes(column).items() if not ok(code)}
            if unknown:
                names = ", ".join(map(repr, list(unknown)[:3])) + (" …" if len(unknown) > 3 else "")
                detail = f"{len(unknown)} {noun} codes the framework does not know: {names}"
                row = ("framework", "observation", sum(unknown.values()), detail)
                found.append(pd.DataFrame([row], columns=CHECK_COLUMNS))
        return pd.concat(found, ignore_index=True)

    # -- target tracking -----------------------------------------------------------
    def calibration(self) -> Calibration | None:
        """The interval calibration fitted by ``backtest(save=True)`` on this store, if any."""
        body = self.store.document("calibration")
        return None if body is None else Calibration.from_json(body, f"{self.store.path} (calibration)")

    def progress(
        self, programme: str = "digital-kazakhstan", *, as_of: date | datetime | str | None = None, language: str = "en"
    ) -> ProgressReport:
        """Every target of a programme with status, projection, interval and probability; risks raised.

        Uses the store's own calibration when one was saved, else sandyq's default
        (:data:`~sandyq.analytics.progress.DEFAULT_CALIBRATION`).
        """
        prog = self.framework.programme(programme)
        ids = prog.indicator_ids()
        for task in prog.tasks():
            for risk in task.risks:
                ids += [i for i in risk.indicators if i not in ids]
        obs = self.observations(ids, as_of=as_of, dims="")
        as_of_day = as_of_bound(as_of).date() if as_of is not None else None  # type: ignore[union-attr]
        return progress(prog, self.framework.indicators, obs, as_of_day, self.calibration(), language=language)

    def backtest(self, *, save: bool = False, indicators: Sequence[str] | None = None) -> BacktestResult:
        """Backtest sandyq's projections on every long enough series in the store (totals only).

        With ``save=True`` the fitted calibration is kept in the store and used by
        :meth:`progress` from then on.
        """
        obs = self.store.observations(indicators, dims="")
        # Calibrate on published statistics only: sandyq's own composite-index outputs are model results
        # (and near-duplicate rank series), not evidence of how official series evolve.
        obs = obs[obs["source"] != "sandyq"]
        result = backtest(obs, self.framework.indicators)
        if save:
            self.store.save_document("calibration", result.calibration.to_json())
        return result

    def evaluate(
        self,
        indicator: str,
        treated: str,
        start: int,
        *,
        donors: str | Sequence[str] | None = None,
        method: str = "sdid",
        first: int | None = None,
        last: int | None = None,
        as_of: date | datetime | str | None = None,
        replications: int = 200,
        seed: int = 0,
        predictors: Sequence[tuple[int, int]] | None = None,
        v: str = "equal",
    ) -> Evaluation:
        """The effect of a programme from ``start`` on ``indicator`` in ``treated``: synthetic counterpart, placebos.

        ``method``: ``sdid`` (synthetic difference-in-differences), ``sc`` (synthetic control), ``adh`` (ADH 2010)
        or ``did``; ``donors``: a peer group id, ``regions``, ``countries`` or codes. See
        :func:`sandyq.analytics.evaluation.evaluate` and ``docs/evaluation.md``.
        """
        return evaluate(
            self,
            indicator,
            treated,
            start,
            donors=donors,
            method=method,
            first=first,
            last=last,
            as_of=as_of,
            replications=replications,
            seed=seed,
            predictors=predictors,
            v=v,
        )

    def publish(self, *, runs: int | None = None) -> list[LoadReport]:
        """Compute the bundled composite indices from the store's data and load them (source ``sandyq``).

        A stage of :func:`init`, after the loads; run it again after loading new
        data.  Unchanged inputs change nothing (see
        :func:`sandyq.analytics.composite.publish_default_indices`).
        """
        return publish_default_indices(self, runs=runs)

    def load(self, path: str | Path, *, format: str | None = None, **options: Any) -> list[LoadReport]:
        """Validate a file, an Open SDG folder or a manifest and add it to the store; one report per load.

        Every format the command line accepts is recognised; see :func:`sandyq.load_file` for the options.
        """
        return load_file(self.store, path, self.framework, format=format, **options)

    def write(self, batch: Batch) -> LoadReport:
        """Write a batch already read and validated (e.g. by a connector) in one transaction."""
        return write_batch(self.store, batch)


def connect(
    db: str | Path | None = None,
    *,
    read_only: bool = False,
    framework: Sequence[str | Path] = (),
    lock_timeout: float | None = None,
) -> Monitor:
    """Open the store at ``db`` (setting ``db``: ``--db``/``SANDYQ_DB``) with the framework.

    Opening waits up to ``lock_timeout`` seconds (setting ``lock_timeout``) for
    another process using the store, saying so on stderr; see :class:`~sandyq.store.Store`.
    """
    path = str(resolve("db", db))
    fw = load_framework(*framework)
    store = Store(path, read_only=read_only, lock_timeout=lock_timeout)
    try:
        extra = store.stored_indicators()
        if extra:
            sources = [Source.model_validate(row) for row in store.source_rows()]
            fw = fw.with_indicators(extra, sources)
    except BaseException:
        store.close()
        raise
    return Monitor(store, fw)


def init(
    db: str | Path | None = None,
    *,
    progress: Progress | None = None,
    framework: Sequence[str | Path] = (),
) -> InitReport:
    """Create (or bring up to date) the store with the default content.

    Two stages: load the bundled files of the manifest, then publish the
    bundled composite indices computed from them (:meth:`Monitor.publish`).
    Running it again changes nothing: identical values are not stored twice.  A store without
    accounts gets one ``admin`` account, whose password the report carries (shown once).
    """
    with connect(db, framework=framework) as m:
        m.store.register_sources(m.framework.sources.values())
        reports = load_file(m.store, default_manifest_path(), m.framework, progress=progress)
        # The bundled composite indices (digital development index, regional index) are part of the content.
        reports += publish_default_indices(m)
        password = ensure_admin(m.store)
        people_records.session_secret(m.store)
        return InitReport(m.store.path, reports, password)

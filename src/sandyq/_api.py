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

from .errors import NotFoundError
from .framework import Framework, load_framework
from .ingest import ManifestEntry, load_file, load_manifest
from .settings import resolve
from .store import LoadReport, Store

__all__ = ["InitReport", "Monitor", "connect", "default_manifest_path", "init"]


def default_manifest_path() -> Path:
    """The manifest of the default content (Digital Kazakhstan and its open data)."""
    return Path(str(resources.files("sandyq") / "content" / "manifest.yaml"))


@dataclass
class InitReport:
    """What ``init`` did: the store path and one report per bundled file."""

    db: str
    loads: list[LoadReport] = field(default_factory=list)

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
            rows.append({
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
            })
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
    ) -> pd.DataFrame:
        """Observations in force ``as_of`` a date; totals only unless ``dims`` says otherwise.

        Geography codes may be aliases (``KZNS`` → ``KZ-71``).
        """
        if isinstance(indicator, str):
            self.framework.indicator(indicator)
        geos: str | list[str] | None = None
        if geo is not None:
            geos = [self._geo(g) for g in ([geo] if isinstance(geo, str) else geo)]
        return self.store.observations(indicator, geos, as_of=as_of, dims=dims, start=start, end=end, source=source)

    def _geo(self, code: str) -> str:
        canon = self.framework.geography.resolve(code)
        if canon is None:
            raise NotFoundError(f"unknown geography {code!r}")
        return canon

    def load(self, path: str | Path, **options: Any) -> LoadReport:
        """Validate a file and add it to the store (see :func:`sandyq.ingest.load_file`)."""
        return load_file(self.store, path, self.framework, **options)


def connect(db: str | Path | None = None, *, read_only: bool = False,
            framework: Sequence[str | Path] = ()) -> Monitor:
    """Open the store at ``db`` (setting ``db``: ``--db``/``SANDYQ_DB``) with the framework."""
    path = str(resolve("db", db))
    fw = load_framework(*framework)
    return Monitor(Store(path, read_only=read_only), fw)


def init(
    db: str | Path | None = None,
    *,
    progress: Callable[[ManifestEntry, LoadReport | None], Any] | None = None,
    framework: Sequence[str | Path] = (),
) -> InitReport:
    """Create (or bring up to date) the store with the default content.

    Running it again changes nothing: identical values are not stored twice.
    """
    with connect(db, framework=framework) as m:
        m.store.register_sources(m.framework.sources.values())
        reports = load_manifest(m.store, default_manifest_path(), m.framework, progress=progress)
        return InitReport(m.store.path, reports)

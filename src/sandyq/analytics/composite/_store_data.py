"""Index data from the sandyq store: ``Reader.observations`` → the engine's units × indicators panel.

A specification with ``data: {store: ...}`` (see :mod:`._storespec`) is read
here, from the :class:`~sandyq.analytics.reader.Reader` it is given (a
:class:`sandyq.Monitor`, say): nothing opens a store behind the caller's back.
Each row of the frame is one unit in one year:

* ``geography: countries`` — every country or economy of the bundled
  geography (World Bank aggregates such as ``WLD`` are left out) that has at
  least one value in the years asked for, in *every* year of the range, so that
  panel imputation can carry a value forward into a year with no data;
* ``geography: kz-regions`` — in each year, only Kazakhstan's regions that
  exist that year (:meth:`~sandyq.framework.Geography.regions`).  A region
  that did not exist is absent, not zero: South Kazakhstan (``KZ-YUZ``) stops in
  2017, Turkistan and Shymkent start in 2018, Abai, Jetisu and Ulytau in 2022,
  even where a source back-casts a series onto the new boundaries.

Each indicator is read from one source: the one named in the specification,
else the indicator's own source in the framework.  The newest vintage of the
observations used is kept, so that computed results can carry it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt
import pandas as pd

from ...errors import NotFoundError, Problem, SpecError
from ..reader import Reader
from ._frame import Frame, read_structure
from ._spec import IndexSpec
from ._storespec import StoreDataSpec, StoreIndicatorSpec

__all__ = ["StoreInputs", "read_store_data", "transform_values"]


@dataclass(frozen=True)
class StoreInputs:
    """The frame built from the store, with the provenance of what went into it."""

    frame: Frame
    vintage: datetime | None
    sources: dict[str, str]  # structure code -> source read
    observations: dict[str, int] = field(default_factory=dict)  # structure code -> values used

    def provenance(self) -> tuple[list[str], str | None]:
        """The sources read (sorted, each once) and the newest vintage of the values used (ISO date)."""
        vintage = None if self.vintage is None else self.vintage.date().isoformat()
        return sorted(set(self.sources.values())), vintage


def transform_values(values: npt.ArrayLike, transform: str) -> npt.NDArray[np.float64]:
    """Apply an indicator's transform: ``log10`` (x ≤ 0 → missing), ``log10_1p`` = log10(1 + x), or ``none``.

    >>> transform_values([0.0, 9.0, 99999.0], "log10_1p").tolist()
    [0.0, 1.0, 5.0]
    >>> transform_values([100.0, 0.0], "log10").tolist()
    [2.0, nan]
    """
    a = np.asarray(values, dtype=float)
    if transform == "log10":
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(a > 0, np.log10(np.where(a > 0, a, 1.0)), np.nan)
    if transform == "log10_1p":
        return np.asarray(np.log10(1.0 + np.where(a > -1.0, a, np.nan)), dtype=float)
    return a.copy()


def _rows(reader: Reader, data: StoreDataSpec, present: set[str]) -> pd.DataFrame:
    """Unit-year rows of the panel, with names."""
    geo = reader.framework.geography
    years = data.year_list()
    excluded = set(data.exclude)
    if data.geography == "countries":
        codes = [u.code for u in geo.countries() if u.code in present and u.code not in excluded]
        pairs = [(c, y) for c in codes for y in years]
    else:
        pairs = [(u.code, y) for y in years for u in geo.regions("KAZ", year=y) if u.code not in excluded]
    rows = pd.DataFrame(pairs, columns=["geo", "year"])
    rows["name"] = [geo.name(c, data.language) for c in rows["geo"]]
    return rows.sort_values(["geo", "year"], kind="stable").reset_index(drop=True)


def read_store_data(spec: IndexSpec, reader: Reader) -> StoreInputs:
    """Read the indicators of a store-backed specification from ``reader`` into a panel :class:`Frame`."""
    data = spec.data.store
    if data is None:
        raise SpecError("the specification does not read from the store", [Problem(spec.source, "", path="data")])
    structure, _, _ = read_structure(spec)
    codes = structure.indicators
    problems = [
        Problem(spec.source, f"indicator {c!r} of the structure has no entry here", path="data.store.indicators")
        for c in codes
        if c not in data.indicators
    ]
    problems += [
        Problem(spec.source, f"{c!r} is not an indicator of the structure", path=f"data.store.indicators.{c}")
        for c in data.indicators
        if c not in codes
    ]
    known = reader.framework.indicators
    problems += [
        Problem(spec.source, f"unknown indicator {s.indicator!r}", path=f"data.store.indicators.{c}.indicator")
        for c, s in data.indicators.items()
        if s.indicator not in known
    ]
    if problems:
        raise SpecError("the store data do not match the index structure", problems)
    lo, hi = data.years
    wanted = sorted({s.indicator for s in data.indicators.values()})
    obs = reader.observations(wanted, start=lo, end=hi, dims=None)
    obs = obs[obs["period"].str.fullmatch(r"\d{4}")]
    columns: dict[str, pd.Series] = {}
    sources: dict[str, str] = {}
    counts: dict[str, int] = {}
    vintages: list[pd.Timestamp] = []
    for code in codes:
        item: StoreIndicatorSpec = data.indicators[code]
        source = item.source or known[item.indicator].source
        sel = obs[(obs["indicator"] == item.indicator) & (obs["source"] == source) & (obs["dims"] == item.dims)]
        if sel.empty and item.source is None and known[item.indicator].formula is not None:
            source = "derived"
            sel = obs[(obs["indicator"] == item.indicator) & (obs["source"] == source) & (obs["dims"] == item.dims)]
        if sel.empty:
            raise NotFoundError(
                f"no data for {item.indicator} in the store",
                [
                    Problem(
                        spec.source,
                        f"source {source!r}, {lo}–{hi}; run `sandyq init`?",
                        path=f"data.store.indicators.{code}",
                    )
                ],
            )
        sel = sel.drop_duplicates(["geo", "year"], keep="last")
        columns[code] = pd.Series(
            transform_values(sel["value"].to_numpy(), item.transform),
            index=pd.MultiIndex.from_arrays([sel["geo"].to_numpy(), sel["year"].to_numpy()]),
        )
        sources[code] = source
        vintages.append(pd.Timestamp(sel["vintage"].max()))
    present = {g for s in columns.values() for g in s.index.get_level_values(0)}
    rows = _rows(reader, data, present)
    key = pd.MultiIndex.from_arrays([rows["geo"].to_numpy(), rows["year"].to_numpy()])
    values = np.column_stack([columns[c].reindex(key).to_numpy(dtype=float) for c in codes])
    for j, c in enumerate(codes):
        counts[c] = int(np.isfinite(values[:, j]).sum())
    frame = Frame(
        units=rows["geo"].to_numpy(dtype=object),
        names=rows["name"].to_numpy(dtype=object),
        periods=rows["year"].to_numpy(dtype=np.int64),
        values=values,
        structure=structure,
        source=spec.source or "store",
    )
    vintage = max(vintages).to_pydatetime() if vintages else None
    return StoreInputs(frame, vintage, sources, counts)

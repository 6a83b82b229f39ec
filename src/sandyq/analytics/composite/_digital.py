"""The digital development indices of the default content, and the programme's rank target.

Two specifications are bundled in ``sandyq/content/indices``:

* ``digital-development`` — sandyq's Digital Development Index (DDI), an
  ICT-Development-Index-style index (Access 40 %, Use 40 %, Skills 20 %, ITU
  reference values) on the open cross-country panel, 2000–2024;
* ``kz-regions`` — the same frame on Kazakhstan's regional share indicators,
  per year on the regions that existed that year.

:func:`digital_index` computes one of them for every year, with ranks and
5–95 % rank intervals; :func:`track_rank_target` sets Kazakhstan's ranks
against the Digital Kazakhstan milestones for ITU's IDI (30th by 2022, 25th by
2025, 15th by 2050).  The DDI is a *substitute* for ITU's index (ITU stopped
the old IDI after 2017): its ranks are not ITU's IDI ranks, and every tracking
result says so (:data:`CAVEAT`).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

import pandas as pd

from ...errors import NotFoundError, Problem
from ...framework import Framework, Target
from ..reader import Reader
from ._index import CompositeIndex
from ._panel import PanelResult, build_panel
from ._spec import IndexSpec, read_spec
from ._store_data import StoreInputs, read_store_data

__all__ = [
    "CAVEAT",
    "ITU_PEERS",
    "RankTracking",
    "bundled_indices",
    "digital_index",
    "itu_idi_2023",
    "open_index",
    "rank_status",
    "resolve_spec",
    "track_rank_target",
]

#: Shown with every comparison of the DDI with the programme's IDI targets.
CAVEAT = (
    "sandyq's Digital Development Index (DDI) is a substitute for ITU's ICT Development Index, which ITU "
    "discontinued after 2017. It uses different indicators (7 open series instead of ITU's 11; households with a "
    "computer or the Internet, international bandwidth and mobile broadband are not available) and a different set "
    "of economies, so its ranks are not ITU's IDI ranks. The programme's targets refer to ITU's index; ranks on "
    "the DDI say where Kazakhstan stands on comparable open data, not whether ITU would rank it 30th."
)
#: Name of the peer set "economies covered by ITU's IDI 2023".
ITU_PEERS = "itu-idi-2023"


def _content() -> Path:
    return Path(str(resources.files("sandyq") / "content"))


def bundled_indices() -> list[str]:
    """Names of the index specifications bundled with sandyq.

    >>> bundled_indices()
    ['digital-development', 'kz-regions']
    """
    return sorted(p.stem for p in (_content() / "indices").glob("*.yaml"))


def resolve_spec(name_or_path: str | Path) -> Path:
    """A specification file: an existing path, or the name of a bundled index (``digital-development``).

    >>> resolve_spec("kz-regions").name
    'kz-regions.yaml'
    """
    p = Path(name_or_path)
    if p.is_file():
        return p
    bundled = _content() / "indices" / f"{p.name.removesuffix('.yaml')}.yaml"
    if p.parent == Path(".") and bundled.is_file():
        return bundled
    raise NotFoundError(
        f"no index specification {str(name_or_path)!r}",
        [Problem(str(name_or_path), f"not a file, nor a bundled index ({', '.join(bundled_indices())})")],
    )


def itu_idi_2023() -> pd.DataFrame:
    """ITU's ICT Development Index 2023 (169 economies, 0–100), indexed by sandyq's country code.

    Reference only (ITU copyright, reuse with attribution): see ``content/data/idi-2023/SOURCE.md``.

    >>> idi = itu_idi_2023()
    >>> len(idi), float(idi.loc["KAZ", "score"])
    (169, 88.9)
    """
    folder = _content() / "data" / "idi-2023"
    raw = pd.read_csv(folder / "raw" / "IDI_2023_scores.csv")
    codes = pd.read_csv(folder / "economies.csv").set_index("economy")["iso3"]
    out = pd.DataFrame(
        {
            "economy": raw["Economy"].to_numpy(),
            "score": raw["IDI Score"].to_numpy(dtype=float),
            "universal": raw["Univ. score"].to_numpy(dtype=float),
            "meaningful": raw["M. score"].to_numpy(dtype=float),
            "income_group": raw["Income Group"].to_numpy(),
            "region": raw["Region"].to_numpy(),
        },
        index=pd.Index(codes.loc[raw["Economy"]].to_numpy(), name="geo"),
    )
    return out


def _peer_set(peers: str | Iterable[str] | None) -> tuple[set[str] | None, str | None]:
    if peers is None:
        return None, None
    if isinstance(peers, str):
        if peers != ITU_PEERS:
            raise NotFoundError(f"unknown peer set {peers!r}", [Problem("", f"known: {ITU_PEERS}, or a list of codes")])
        return set(itu_idi_2023().index), "economies of ITU's IDI 2023"
    codes = set(peers)
    return codes, f"{len(codes)} units"


def open_index(spec: str | Path | IndexSpec, reader: Reader) -> tuple[CompositeIndex, StoreInputs]:
    """The index of a store-backed specification (a bundled name, a path or a spec) read from ``reader``."""
    s = spec if isinstance(spec, IndexSpec) else read_spec(resolve_spec(spec))
    inputs = read_store_data(s, reader)
    return CompositeIndex(s, inputs.frame), inputs


def digital_index(
    reader: Reader,
    spec: str | Path | IndexSpec = "digital-development",
    years: Iterable[int] | None = None,
    runs: int | None = None,
    seed: int | None = None,
    peers: str | Iterable[str] | None = None,
) -> PanelResult:
    """Every unit's score and rank in every year, with 5–95 % rank intervals (``runs`` Monte Carlo runs).

    The index is computed over the specification's whole period (imputation
    carries values forward from earlier years) and then limited to ``years``.
    ``peers`` ranks within a set of units: ``"itu-idi-2023"`` (the 169
    economies of ITU's IDI 2023) or a list of codes.
    """
    index, inputs = open_index(spec, reader)
    peer_codes, label = _peer_set(peers)
    result = build_panel(index, runs=runs, seed=seed, peers=peer_codes, peers_label=label)
    table = result.table
    if years is not None:
        wanted = {int(y) for y in years}
        missing = sorted(wanted - set(result.years()))
        if missing:
            raise NotFoundError(
                f"no data for {', '.join(map(str, missing))}",
                [Problem(index.spec.source, f"years of the index: {result.years()[0]}–{result.years()[-1]}")],
            )
        table = table[table["year"].isin(wanted)].reset_index(drop=True)
    return replace(result, table=table, vintage=inputs.vintage, sources=dict(inputs.sources))


def rank_status(p05: float, p95: float, target: float) -> str:
    """Whether a rank target is met, judged on the 5–95 % rank interval (rank 1 = best).

    >>> rank_status(20, 28, 30), rank_status(25, 36, 30), rank_status(60, 80, 30), rank_status(math.nan, 5, 30)
    ('met', 'uncertain', 'not met', 'no data')
    """
    if math.isnan(p05) or math.isnan(p95):
        return "no data"
    if p95 <= target:
        return "met"
    if p05 > target:
        return "not met"
    return "uncertain"


@dataclass(frozen=True)
class RankTracking:
    """A unit's ranks on a substitute index set against a programme's rank milestones."""

    target: Target
    geo: str
    index: str
    peers: str | None
    table: pd.DataFrame  # one row per milestone: year, target, rank, rank_p05, rank_p95, ranked, status
    latest: pd.Series
    caveat: str = CAVEAT

    def text(self) -> str:
        """A plain summary for reports and the CLI."""
        among = f"among the {self.peers}" if self.peers else "among all economies ranked"
        lines = [f"{self.geo} on {self.index}, {among}, against target {self.target.id}:"]
        if self.target.baseline is not None:
            lines.append(f"  baseline (ITU IDI): rank {self.target.baseline.value:g} in {self.target.baseline.year}")
        for r in self.table.itertuples():
            if r.status == "no data":
                lines.append(f"  {r.year}: target {r.target:g} — no data for {r.year} yet")
            else:
                lines.append(
                    f"  {r.year}: target {r.target:g} — rank {r.rank:g} of {r.ranked} "
                    f"(5–95 %: {r.rank_p05:g}–{r.rank_p95:g}) — {r.status}"
                )
        if len(self.latest):
            lt = self.latest
            lines.append(
                f"  latest ({int(lt['year'])}): rank {lt['rank']:g} of {int(lt['ranked'])} "
                f"(5–95 %: {lt['rank_p05']:g}–{lt['rank_p95']:g})"
            )
        lines.append(f"  Note: {self.caveat}")
        return "\n".join(lines)


def _find_target(framework: Framework, target_id: str) -> Target:
    for programme in framework.programmes.values():
        for t in programme.targets():
            if t.id == target_id:
                return t
    raise NotFoundError(f"unknown target {target_id!r}")


def track_rank_target(
    result: PanelResult, reader: Reader, target: str = "dk-idi-rank", geo: str = "KAZ"
) -> RankTracking:
    """Ranks of ``geo`` on ``result`` at each milestone year of a rank target, judged on the rank interval.

    A milestone is ``met`` when the whole 5–95 % interval is at or better than
    the target rank, ``not met`` when it is entirely worse, ``uncertain``
    otherwise, and ``no data`` for a year the index does not reach yet (the
    latest ranked year is given for context).
    """
    t = _find_target(reader.framework, target)
    unit = result.unit(geo)
    rows = []
    for m in t.trajectory():
        have = m.year in unit.index and not math.isnan(float(unit.loc[m.year, "rank"]))
        r = unit.loc[m.year] if have else None
        rows.append(
            {
                "year": m.year,
                "target": m.value,
                "rank": float(r["rank"]) if r is not None else math.nan,
                "rank_p05": float(r["rank_p05"]) if r is not None else math.nan,
                "rank_p95": float(r["rank_p95"]) if r is not None else math.nan,
                "ranked": int(r["ranked"]) if r is not None else 0,
                "status": rank_status(float(r["rank_p05"]), float(r["rank_p95"]), m.value)
                if r is not None
                else "no data",
            }
        )
    ranked = unit[unit["rank"].notna()]
    latest = ranked.reset_index().iloc[-1] if len(ranked) else pd.Series(dtype=object)
    return RankTracking(t, geo, result.name, result.peers, pd.DataFrame(rows), latest)

"""Regional population: the weights of population-weighted statistics, and when a regional statistic misleads.

The bundled population of Kazakhstan's 20 regions (``content/data/kz-regions-context/population.csv``,
Bureau of National Statistics via Open Data Kazakhstan, one cross-section of about 2021–2023, 19.8 million in
all) weights dispersion and convergence so that Almaty city (2.2 million) counts for more than Ulytau (0.2
million).  It is one cross-section: every year is weighted by it, with the regions added back to the borders
of the year (Abai into East Kazakhstan before 2022, Turkistan and Shymkent into South Kazakhstan before 2018),
and the results say so.

Two cautions (:func:`cautions`), in kk, ru and en:

* a share near its ceiling (latest regional mean at 90 % of the unit's maximum or more): dispersion falls as
  every region nears 100 %, so convergence is partly mechanical;
* raw counts (:data:`COUNT_UNITS`): they follow the regions' size, so their dispersion and convergence say more
  about population than about the indicator — use a rate per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from ...framework import UNITS

__all__ = [
    "CEILING_SHARE",
    "COUNT_UNITS",
    "UNWEIGHTED",
    "WEIGHTED",
    "WEIGHTS_NOTE",
    "Caution",
    "cautions",
    "population_weights",
    "region_population",
]

#: Units of raw counts, whose regional spread follows the regions' size.
COUNT_UNITS = frozenset({"NUMBER", "PERSONS", "TH_UNITS", "TH_PERSONS", "MN_KZT", "BN_KZT", "TN_KZT", "MN_USD"})

#: A bounded unit's mean at or above this share of its maximum is "near its ceiling".
CEILING_SHARE = 0.9

#: What the weights are, in words (for notes and payloads).
WEIGHTS_NOTE = (
    "population-weighted: regional population of about 2021–2023 (BNS via Open Data Kazakhstan), one cross-section "
    "for every year, regions added back to each year's borders"
)


@dataclass(frozen=True)
class Caution:
    """A caution about a regional statistic, with its texts in kk, ru and en."""

    code: str
    kk: str
    ru: str
    en: str

    def get(self, language: str) -> str:
        return str(getattr(self, language, self.en))

    def to_dict(self) -> dict[str, Any]:
        return {"code": self.code, "kk": self.kk, "ru": self.ru, "en": self.en}


_CEILING = Caution(
    "near_ceiling",
    kk="Үлес жоғарғы шегіне жақын: барлық өңірлер 100 %-ға жақындаған сайын алшақтық өздігінен азаяды, сондықтан "
    "конвергенция ішінара механикалық.",
    ru="Доля близка к своему пределу: по мере приближения всех регионов к 100 % разброс сокращается сам собой, "
    "поэтому конвергенция отчасти механическая.",
    en="The share is near its ceiling: as every region nears 100 % the spread shrinks by itself, so convergence is "
    "partly mechanical.",
)
_COUNTS = Caution(
    "raw_counts",
    kk="Бұл абсолютті сандар: олардың өңірлік алшақтығы өңірлердің көлеміне байланысты; бір адамға шаққандағы "
    "көрсеткішті салыстырыңыз.",
    ru="Это абсолютные численности: их разброс по регионам следует за размером регионов; сравнивайте показатель "
    "в расчёте на душу населения.",
    en="These are raw counts: their regional spread follows the regions' size; compare a rate per person instead.",
)


#: What a regional statistic is weighted by, in kk, ru and en (for the dashboard).
WEIGHTED = Caution(
    "weighted",
    kk="Халық санымен өлшенген: өңірлер халқы шамамен 2021–2023 жж. (ҰСБ, Open Data Kazakhstan), барлық жылдарға бір "
    "қима, өңірлер әр жылдың шекараларына қайта біріктірілген.",
    ru="Взвешено по населению: население регионов около 2021–2023 гг. (БНС, Open Data Kazakhstan), один срез для всех "
    "лет, регионы сведены к границам каждого года.",
    en="Population-weighted: regional population of about 2021–2023 (BNS via Open Data Kazakhstan), one cross-section "
    "for every year, regions added back to each year's borders.",
)
UNWEIGHTED = Caution(
    "unweighted",
    kk="Өлшенбеген: әр өңір бірдей есептеледі (бұл өңірлер үшін халық саны жоқ).",
    ru="Без весов: каждый регион учитывается одинаково (для этих регионов нет численности населения).",
    en="Unweighted: every region counts the same (no population for these regions).",
)


@cache
def region_population() -> pd.Series:
    """Population of each of Kazakhstan's 20 regions (about 2021–2023), by region code.

    >>> p = region_population()
    >>> len(p), int(p["KZ-75"]), round(float(p.sum()) / 1e6, 1)
    (20, 2161695, 19.8)
    """
    path = resources.files("sandyq") / "content" / "data" / "kz-regions-context" / "population.csv"
    with path.open("r", encoding="utf-8") as fh:
        frame = pd.read_csv(fh, dtype={"geo": str, "population": float})
    return frame.set_index("geo")["population"].rename("population")


def population_weights(data: pd.DataFrame, geography: Any) -> pd.Series | None:
    """The population of each row's region (``geo``, ``year``) on that year's borders; None when a region lacks one.

    A region split off later is added to the region it was part of in that year (Abai into East Kazakhstan
    before 2022; Turkistan and Shymkent into South Kazakhstan before 2018).

    >>> import sandyq
    >>> geo = sandyq.load_framework().geography
    >>> d = pd.DataFrame({"geo": ["KZ-63", "KZ-63", "KZ-YUZ"], "year": [2021, 2022, 2017]})
    >>> population_weights(d, geo).astype(int).tolist()  # East Kazakhstan with Abai in 2021; South Kazakhstan
    [1340361, 730172, 3310940]
    """
    pop = region_population()
    keys = list(zip(data["geo"].astype(str), data["year"].astype(int), strict=True))
    known = {k: _on_borders(k[0], k[1], pop, geography) for k in set(keys)}  # one per region and year
    weights = pd.Series([known[k] for k in keys], index=data.index, name="population", dtype=float)
    return None if weights.isna().any() else weights


def _on_borders(code: str, year: int, pop: pd.Series, geography: Any) -> float:
    """One region's population on the borders of ``year``: its own plus the later regions carved out of it."""
    total = float(pop.get(code, 0.0))
    for unit in geography.regions("KAZ"):  # twenty-one units: later regions are folded back into their parents
        if unit.code in pop.index and not unit.exists_in(year) and _parent_in(unit, year, geography) == code:
            total += float(pop[unit.code])
    return total if total > 0 else float("nan")


def _parent_in(unit: Any, year: int, geography: Any) -> str | None:
    """The region that held ``unit``'s territory in ``year``, through its boundary changes (None if none did)."""
    seen = {unit.code}
    current = unit
    while not current.exists_in(year):
        nxt = next(
            (c for change in current.boundary_changes for c in change.codes if c not in seen),
            None,
        )
        if nxt is None:
            return None
        seen.add(nxt)
        current = geography.get(nxt)
    return str(current.code)


def cautions(values: pd.Series | np.ndarray, unit: str | None) -> list[Caution]:
    """The cautions that apply to a regional statistic of ``values`` (the latest year's) in ``unit``.

    >>> [c.code for c in cautions(np.array([92.0, 95.5, 97.1]), "PT")]
    ['near_ceiling']
    >>> [c.code for c in cautions(np.array([52.0, 61.0]), "PT")], [c.code for c in cautions([10.0], "TH_UNITS")]
    ([], ['raw_counts'])
    """
    out: list[Caution] = []
    u = UNITS.get(unit or "")
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if u is not None and u.maximum is not None and x.size:
        low = u.minimum or 0.0
        if (x.mean() - low) >= CEILING_SHARE * (u.maximum - low):
            out.append(_CEILING)
    if unit in COUNT_UNITS:
        out.append(_COUNTS)
    return out

"""The SDMX structures of a store, derived from its framework: codelists, concepts, DSD, dataflows, agency.

One data structure ``SANDYQ:DSD_SANDYQ(1.0)`` describes every observation:
dimensions ``INDICATOR``, ``REF_AREA``, one per disaggregation present in the
store (upper case, ``_T`` = total) and ``TIME_PERIOD``; measure ``OBS_VALUE``;
observation attributes ``UNIT_MEASURE``, ``OBS_STATUS``, ``SOURCE`` and
``NOTE``.  Dataflows: ``DF_ALL`` (every observation), one per programme
(``DF_`` + its id, its indicators) and one per source (``DF_SRC_`` + its id).
Where a flow holds figures of several sources for one key (``DF_ALL`` and the
programme flows), the source is chosen by sandyq's one rule
(:func:`sandyq.store.pick_source`), so a key has one value, as SDMX requires.

SDMX 2.1 ids allow letters, digits, ``_``, ``-``, ``@`` and ``$`` only, so
indicator and source ids with dots are written with ``_`` for each dot
(``IT.NET.USER.ZS`` → ``IT_NET_USER_ZS``); :attr:`Catalog.indicator_ids` maps back.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ...errors import OutputError
from ...framework import UNITS, Framework, parse_dims
from ...ingest import STATUS_CODES

__all__ = ["AGENCY", "ATTRIBUTES", "DSD_ID", "TOTAL", "VERSION", "Catalog", "Flow", "sdmx_id"]

AGENCY = "SANDYQ"
VERSION = "1.0"
DSD_ID = "DSD_SANDYQ"
TOTAL = "_T"
#: Observation attributes and the store column each comes from.
ATTRIBUTES = {"UNIT_MEASURE": "unit", "OBS_STATUS": "status", "SOURCE": "source", "NOTE": "note"}
_ID = re.compile(r"^[A-Za-z0-9_@$\-]+$")
_STATUS_NAMES = {
    "E": ("бағаланған", "оценочное", "estimated"),
    "P": ("алдын ала", "предварительное", "provisional"),
    "B": ("қатардың үзілуі", "разрыв ряда", "break in series"),
    "F": ("болжам", "прогноз", "forecast"),
    "I": ("есептелген", "вменённое", "imputed"),
}
_CONCEPTS = {
    "INDICATOR": ("Индикатор", "Индикатор", "Indicator"),
    "REF_AREA": ("Аумақ", "Территория", "Reference area"),
    "TIME_PERIOD": ("Кезең", "Период", "Time period"),
    "OBS_VALUE": ("Мән", "Значение", "Observation value"),
    "UNIT_MEASURE": ("Өлшем бірлігі", "Единица измерения", "Unit of measure"),
    "OBS_STATUS": ("Бақылау мәртебесі", "Статус наблюдения", "Observation status"),
    "SOURCE": ("Дереккөз", "Источник", "Source"),
    "NOTE": ("Ескертпе", "Примечание", "Note"),
}


def sdmx_id(text: str) -> str:
    """``text`` as an SDMX 2.1 id: each dot becomes ``_`` (other characters must already be allowed).

    >>> sdmx_id("IT.NET.USER.ZS"), sdmx_id("5-b-1")
    ('IT_NET_USER_ZS', '5-b-1')
    """
    code = text.replace(".", "_")
    if not _ID.match(code):
        raise OutputError(f"{text!r} cannot be an SDMX id (letters, digits, _, -, @ and $ only)")
    return code


def _names(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


def _text(t: Any) -> dict[str, str]:
    return _names(t.kk, t.ru, t.en)


@dataclass(frozen=True)
class Flow:
    """A dataflow: every observation, a programme's indicators, or one source's figures."""

    id: str
    name: dict[str, str]
    indicators: tuple[str, ...] | None = None  # sandyq ids; None: every indicator
    source: str | None = None  # a source id: only its figures (no choice between sources needed)

    @property
    def picks_source(self) -> bool:
        """Whether figures of several sources may meet in this flow (then one is chosen per series)."""
        return self.source is None


@dataclass
class Catalog:
    """The structures of one store: what the REST endpoint serves under ``/sdmx/``.

    Build it with :meth:`build` from the framework and the codes the store holds.
    """

    framework: Framework
    dims: list[str]  # disaggregation names in the store, sorted
    flows: dict[str, Flow]
    indicator_ids: dict[str, str]  # SDMX code -> sandyq id
    codelists: dict[str, Any] = field(default_factory=dict)  # concept id -> sdmx1 Codelist
    concepts: Any = None
    dsd: Any = None
    dataflows: dict[str, Any] = field(default_factory=dict)
    agencies: Any = None

    @property
    def dimension_ids(self) -> list[str]:
        """The dimensions of the series key, in order (``TIME_PERIOD`` is not one of them)."""
        return ["INDICATOR", "REF_AREA", *(d.upper() for d in self.dims)]

    def indicator_code(self, indicator: str) -> str:
        return sdmx_id(indicator)

    @classmethod
    def build(
        cls,
        fw: Framework,
        *,
        indicators: Iterable[str],
        geos: Iterable[str],
        dims: Iterable[str],
        units: Iterable[str],
        sources: Mapping[str, dict[str, str]],
    ) -> Catalog:
        """The structures for a store holding ``indicators``, ``geos``, ``dims`` keys, ``units`` and ``sources``.

        ``sources`` maps each source id to its names by language.
        """
        known = dict(fw.indicators)
        ids = sorted(set(known) | set(indicators))
        codes: dict[str, str] = {}
        for i in ids:
            code = sdmx_id(i)
            if code in codes:
                raise OutputError(f"indicators {codes[code]!r} and {i!r} have the same SDMX code {code!r}")
            codes[code] = i
        values: dict[str, set[str]] = {}
        for key in dims:
            for name, value in parse_dims(key).items():
                values.setdefault(name, set()).add(value)
        flows = _flows(fw, sources)
        cat = cls(fw, sorted(values), flows, codes)
        lists: dict[str, dict[str, dict[str, str]]] = {
            "INDICATOR": {c: (_text(known[i].name) if i in known else {"en": i}) for c, i in codes.items()},
            "REF_AREA": {sdmx_id(g): _geo_names(fw, g) for g in sorted(set(geos))},
            "UNIT_MEASURE": {u: (_text(UNITS[u]) if u in UNITS else {"en": u}) for u in sorted(set(units))},
            "OBS_STATUS": {k: _names(*_STATUS_NAMES[k]) for k in STATUS_CODES if k in _STATUS_NAMES},
            "SOURCE": {sdmx_id(s): n for s, n in sorted(sources.items())},
        }
        for name in cat.dims:
            entries = {TOTAL: _names("Барлығы", "Всего", "Total")}
            entries |= {sdmx_id(v): {"en": v} for v in sorted(values[name])}
            lists[name.upper()] = entries
        cat._objects(lists)
        return cat

    def _objects(self, lists: dict[str, dict[str, dict[str, str]]]) -> None:
        from sdmx.model import common, v21

        ma: dict[str, Any] = {
            "maintainer": common.Agency(id=AGENCY),
            "version": VERSION,
            "is_final": True,
            "is_external_reference": False,
        }
        self.agencies = common.AgencyScheme(
            id="AGENCIES",
            name="SDMX agencies",
            maintainer=common.Agency(id="SDMX"),
            version=VERSION,
            is_final=False,
            is_external_reference=False,
        )
        self.agencies.setdefault(id=AGENCY, name=_names("sandyq", "sandyq", "sandyq"))
        cs = common.ConceptScheme(
            id="CS_SANDYQ", name=_names("sandyq ұғымдары", "понятия sandyq", "sandyq concepts"), **ma
        )
        for cid in [*self.dimension_ids, "TIME_PERIOD", "OBS_VALUE", *ATTRIBUTES]:
            cs.setdefault(id=cid, name=_names(*_CONCEPTS[cid]) if cid in _CONCEPTS else {"en": cid.capitalize()})
        self.concepts = cs
        for cid, entries in lists.items():
            cl = common.Codelist(id=f"CL_{cid}", name={"en": f"Codes of {cid}"}, **ma)
            for code, name in entries.items():
                cl.setdefault(id=code, name=name)
            self.codelists[cid] = cl
        dsd = v21.DataStructureDefinition(
            id=DSD_ID, name=_names("sandyq бақылаулары", "наблюдения sandyq", "sandyq observations"), **ma
        )
        for cid in self.dimension_ids:
            rep = common.Representation(enumerated=self.codelists[cid])
            dsd.dimensions.getdefault(id=cid, concept_identity=cs[cid], local_representation=rep)
        dsd.dimensions.id = "DimensionDescriptor"
        dsd.attributes.id = "AttributeDescriptor"
        dsd.measures.id = "MeasureDescriptor"
        time = common.Representation(
            non_enumerated=[common.Facet(value_type=common.FacetValueType.observationalTimePeriod)]
        )
        dsd.dimensions.getdefault(
            id="TIME_PERIOD", cls=v21.TimeDimension, concept_identity=cs["TIME_PERIOD"], local_representation=time
        )
        dsd.measures.getdefault(id="OBS_VALUE", concept_identity=cs["OBS_VALUE"])
        for aid in ATTRIBUTES:
            coded = common.Representation(enumerated=self.codelists[aid]) if aid in self.codelists else None
            dsd.attributes.getdefault(
                id=aid,
                concept_identity=cs[aid],
                local_representation=coded,
                related_to=v21.PrimaryMeasureRelationship(),
                usage_status=common.UsageStatus.conditional,
            )
        self.dsd = dsd
        for f in self.flows.values():
            self.dataflows[f.id] = v21.DataflowDefinition(id=f.id, name=f.name, structure=dsd, **ma)


def _geo_names(fw: Framework, code: str) -> dict[str, str]:
    if code not in fw.geography:  # a code the bundled geography does not describe keeps its code as its name
        return {"en": code}
    return {lang: fw.geography.name(code, lang) for lang in ("kk", "ru", "en")}


def _flows(fw: Framework, sources: Mapping[str, dict[str, str]]) -> dict[str, Flow]:
    flows = [Flow("DF_ALL", _names("Барлық бақылаулар", "Все наблюдения", "All observations"))]
    for p in fw.programmes.values():
        flows.append(Flow("DF_" + sdmx_id(p.id).upper().replace("-", "_"), _text(p.name), tuple(p.indicator_ids())))
    for s, names in sorted(sources.items()):
        flows.append(Flow("DF_SRC_" + sdmx_id(s).upper().replace("-", "_"), names, source=s))
    out: dict[str, Flow] = {}
    for f in flows:
        if f.id in out:
            raise OutputError(f"two dataflows would have the id {f.id!r}")
        out[f.id] = f
    return out

"""SDMX exports through sdmx1: SDMX-CSV 1.0 and 2.0, SDMX-ML data, and the structure they follow.

The data structure (DSD ``SANDYQ:DSD_SANDYQ(1.0)``, dataflow ``DF_SANDYQ``) is
built from the selection: dimensions ``INDICATOR``, ``REF_AREA``, one per
disaggregation (upper case, ``_T`` = total) and ``TIME_PERIOD``; measure
``OBS_VALUE``; observation attributes ``UNIT_MEASURE``, ``OBS_STATUS``,
``COMMENT``, ``SOURCE`` and ``VINTAGE``.  The structure message carries the
code lists with names in Kazakh, Russian and English: indicators, reference
areas, units, statuses, sources and each disaggregation.

Observations are built one by one because that is sdmx1's object model; CSV is
written from ``to_csv(rtype=pandas.DataFrame)`` with ``index=False`` (sdmx1's
``rtype=str`` returns ``DataFrame.to_string()``, which is not CSV).  Indicator
ids with dots (``IT.NET.USER.ZS``) are kept as they are: sdmx1 writes and
reads them, but a strict SDMX 2.1 validator may refuse them as code ids.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from ...errors import InvalidValueError, OutputError
from ...framework import UNITS, load_geography
from ...ingest import STATUS_CODES
from ._cells import frame_csv
from ._frame import Selection, data_table

__all__ = [
    "AGENCY",
    "SdmxStructure",
    "build_structure",
    "data_message",
    "write_sdmx_csv",
    "write_sdmx_ml",
    "write_sdmx_structure",
]

AGENCY = "SANDYQ"
TOTAL = "_T"
ATTRIBUTES = ("UNIT_MEASURE", "OBS_STATUS", "COMMENT", "SOURCE", "VINTAGE")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_STATUS_NAMES = {
    "E": ("бағаланған", "оценочное", "estimated"),
    "P": ("алдын ала", "предварительное", "provisional"),
    "B": ("қатардың үзілуі", "разрыв ряда", "break in series"),
    "F": ("болжам", "прогноз", "forecast"),
    "I": ("есептелген", "вменённое", "imputed"),
}


@dataclass
class SdmxStructure:
    """The sdmx1 objects describing an export: DSD, dataflow, concepts and code lists."""

    dsd: Any
    dataflow: Any
    concepts: Any
    codelists: list[Any]
    dim_columns: dict[str, str]  # SDMX dimension id -> column of the flat table


def _names(kk: str, ru: str, en: str) -> dict[str, str]:
    return {"kk": kk, "ru": ru, "en": en}


def build_structure(sel: Selection) -> SdmxStructure:
    """The DSD, dataflow, concept scheme and code lists for ``sel``."""
    from sdmx.model import common, v21

    bad = [d for d in sel.dims if not _ID.match(d.upper())]
    if bad:
        raise OutputError(f"disaggregations {', '.join(bad)} cannot be SDMX dimension ids (letters, digits, _ and -)")
    ma: dict[str, Any] = {
        "maintainer": common.Agency(id=AGENCY),
        "version": "1.0",
        "is_final": False,
        "is_external_reference": False,
    }
    cs = common.ConceptScheme(id="CS_SANDYQ", name="sandyq concepts", **ma)
    dsd = v21.DataStructureDefinition(id="DSD_SANDYQ", name="sandyq observations", **ma)
    flow = v21.DataflowDefinition(id="DF_SANDYQ", name="sandyq observations", structure=dsd, **ma)
    geo = _code_names_geo(sel)
    lists: dict[str, dict[str, dict[str, str]]] = {
        "INDICATOR": {i: _names(d.name.kk, d.name.ru, d.name.en) for i, d in sel.indicators.items()},
        "REF_AREA": geo,
        "UNIT_MEASURE": {
            u: _names(UNITS[u].kk, UNITS[u].ru, UNITS[u].en) for u in sorted(sel.observations["unit"].unique())
        },
        "OBS_STATUS": {k: _names(*_STATUS_NAMES[k]) for k in STATUS_CODES},
        "SOURCE": {s.id: _names(s.name.kk, s.name.ru, s.name.en) for s in sel.sources.values()},
    }
    flat = data_table(sel)
    dim_columns = {"INDICATOR": "indicator", "REF_AREA": "geo"}
    for d in sel.dims:
        dim_columns[d.upper()] = d
        codes = sorted(set(flat[d]) - {""})
        lists[d.upper()] = {TOTAL: _names("Барлығы", "Всего", "Total")} | {c: {"en": c} for c in codes}
    codelists = {}
    for cid, entries in lists.items():
        cl = common.Codelist(id=f"CL_{cid}", name=cid, **ma)
        for code, name in entries.items():
            cl.setdefault(id=code, name=name)
        codelists[cid] = cl
    for cid in [*dim_columns, "TIME_PERIOD", "OBS_VALUE", *ATTRIBUTES]:
        cs.setdefault(id=cid, name=cid.replace("_", " ").capitalize())
    for cid in dim_columns:
        rep = common.Representation(enumerated=codelists[cid])
        dsd.dimensions.getdefault(id=cid, concept_identity=cs[cid], local_representation=rep)
    dsd.dimensions.getdefault(id="TIME_PERIOD", cls=v21.TimeDimension, concept_identity=cs["TIME_PERIOD"])
    dsd.measures.getdefault(id="OBS_VALUE", concept_identity=cs["OBS_VALUE"])
    for aid in ATTRIBUTES:
        enumerated = common.Representation(enumerated=codelists[aid]) if aid in codelists else None
        dsd.attributes.getdefault(id=aid, concept_identity=cs[aid], local_representation=enumerated)
    return SdmxStructure(dsd, flow, cs, list(codelists.values()), dim_columns)


def _code_names_geo(sel: Selection) -> dict[str, dict[str, str]]:
    geo = load_geography()
    return {
        g: _names(geo.name(g, "kk"), geo.name(g, "ru"), geo.name(g, "en"))
        for g in sorted(sel.observations["geo"].unique())
    }


def data_message(sel: Selection, structure: SdmxStructure | None = None, *, structure_specific: bool = True) -> Any:
    """An sdmx1 ``DataMessage`` with one observation per exported row."""
    from sdmx import message
    from sdmx.model import common, v21

    st = structure or build_structure(sel)
    dsd = st.dsd
    flat = data_table(sel)
    cls = v21.StructureSpecificDataSet if structure_specific else v21.GenericDataSet
    ds = cls(described_by=st.dataflow, structured_by=dsd)
    measure = dsd.measures.get("OBS_VALUE")
    attrs = {a: dsd.attributes.get(a) for a in ATTRIBUTES}
    keys = pd.DataFrame({d: flat[c].replace("", TOTAL) for d, c in st.dim_columns.items()})
    keys["TIME_PERIOD"] = flat["period"]
    attr_values = pd.DataFrame(
        {
            "UNIT_MEASURE": flat["unit"],
            "OBS_STATUS": flat["status"],
            "COMMENT": flat["note"],
            "SOURCE": flat["source"],
            "VINTAGE": flat["vintage"],
        }
    )
    observations = []
    for key, att, value in zip(keys.to_dict("records"), attr_values.to_dict("records"), flat["value"], strict=True):
        attached = {a: common.AttributeValue(value=v, value_for=attrs[a]) for a, v in att.items() if v != ""}
        observations.append(
            v21.Observation(
                dimension=dsd.make_key(common.Key, key),
                value=float(value),
                value_for=measure,
                attached_attribute=attached,
            )
        )
    ds.add_obs(observations)
    return message.DataMessage(dataflow=st.dataflow, data=[ds])


def write_sdmx_csv(sel: Selection, path: str | Path, version: str = "2.0") -> Path:
    """SDMX-CSV ``version`` 1.0 or 2.0 (observation attributes included) at ``path``.

    No cell runs as a formula in a spreadsheet (:func:`frame_csv`); sandyq's reader undoes the escaping.
    """
    import sdmx
    from sdmx.format.csv.v1 import FormatOptions as V1
    from sdmx.format.csv.v2 import FormatOptions as V2

    options = {"1.0": V1, "2.0": V2}.get(version)
    if options is None:
        raise InvalidValueError(f"SDMX-CSV version {version!r} is not supported; use 1.0 or 2.0")
    msg = data_message(sel)
    frame = sdmx.to_csv(msg.data[0], rtype=pd.DataFrame, attributes="o", format_options=options())
    assert isinstance(frame, pd.DataFrame)
    p = Path(path)
    p.write_text(frame_csv(frame), encoding="utf-8")
    return p


def write_sdmx_ml(sel: Selection, path: str | Path, *, structure_specific: bool = True) -> Path:
    """An SDMX-ML 2.1 data message (structure-specific unless asked for generic) at ``path``."""
    import sdmx

    p = Path(path)
    p.write_bytes(sdmx.to_xml(data_message(sel, structure_specific=structure_specific), pretty_print=True))
    return p


def write_sdmx_structure(sel: Selection, path: str | Path) -> Path:
    """An SDMX-ML 2.1 structure message: code lists, concepts, DSD and dataflow, at ``path``."""
    import sdmx
    from sdmx import message

    st = build_structure(sel)
    sm = message.StructureMessage()
    for obj in (*st.codelists, st.concepts, st.dsd, st.dataflow):
        sm.add(obj)
    p = Path(path)
    p.write_bytes(sdmx.to_xml(sm, pretty_print=True))
    return p

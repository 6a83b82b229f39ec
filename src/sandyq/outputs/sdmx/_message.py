"""SDMX messages: data as SDMX-ML 2.1 (generic and structure-specific), SDMX-JSON 1.0 and SDMX-CSV 1.0; errors.

Data messages are written as text, series by series (a 100,000-observation
answer takes well under a second); structure messages go through sdmx1's model
and writer (:func:`structure_message`).  With ``includeHistory`` each vintage is
its own data set, dated by ``validFromDate`` (SDMX-ML) or ``validFrom``
(SDMX-JSON); SDMX-CSV then has a ``VINTAGE`` column.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

import pandas as pd

from ._catalog import AGENCY, ATTRIBUTES, DSD_ID, VERSION, Catalog
from ._query import DataQuery

__all__ = [
    "MEDIA",
    "csv_data",
    "error_message",
    "generic_data",
    "json_data",
    "structure_message",
    "structure_specific_data",
]

#: The media type of each format.
MEDIA = {
    "generic": "application/vnd.sdmx.genericdata+xml;version=2.1",
    "structurespecific": "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
    "json": "application/vnd.sdmx.data+json;version=1.0.0",
    "csv": "application/vnd.sdmx.data+csv;version=1.0.0",
    "structure": "application/vnd.sdmx.structure+xml;version=2.1",
    "error": "application/xml",
}
NS = {
    "message": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "common": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
    "generic": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic",
    "ss": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
STRUCTURE_REF = f"{AGENCY}_{DSD_ID}_{VERSION.replace('.', '_')}"
DSD_URN = f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={AGENCY}:{DSD_ID}({VERSION})"


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _xmlns(*prefixes: str) -> str:
    return " ".join(f'xmlns:{p}="{NS[p]}"' for p in prefixes)


def _header(obs_dim: str, *, namespace: str | None = None) -> str:
    ns = f" namespace={quoteattr(namespace)}" if namespace else ""
    return (
        f"<message:Header><message:ID>IREF{uuid.uuid4().hex[:12].upper()}</message:ID>"
        f"<message:Test>false</message:Test><message:Prepared>{_now()}</message:Prepared>"
        f'<message:Sender id="{AGENCY}"/>'
        f'<message:Structure structureID="{STRUCTURE_REF}"{ns} dimensionAtObservation={quoteattr(obs_dim)}>'
        f'<common:Structure><Ref agencyID="{AGENCY}" id="{DSD_ID}" version="{VERSION}"/></common:Structure>'
        "</message:Structure></message:Header>"
    )


def _value(v: float) -> str:
    return repr(float(v))


def _vintages(frame: pd.DataFrame, q: DataQuery) -> Iterator[tuple[str | None, pd.DataFrame]]:
    """One data set, or with ``includeHistory`` one per vintage, oldest first (``validFrom`` and its rows)."""
    if not q.include_history:
        yield None, frame
        return
    for vintage, rows in frame.groupby("VINTAGE", sort=True):
        yield pd.Timestamp(vintage).strftime("%Y-%m-%dT%H:%M:%S"), rows


def _runs(frame: pd.DataFrame, series_dims: list[str]) -> Iterator[tuple[tuple[Any, ...], list[dict[str, Any]]]]:
    """The series of ``frame`` (rows sharing the values of ``series_dims``), each with its rows, in one pass."""
    cols = list(frame.columns)
    rows = frame.sort_values(series_dims, kind="stable") if series_dims else frame
    records = [dict(zip(cols, r, strict=True)) for r in zip(*(rows[c].tolist() for c in cols), strict=True)]
    if not series_dims:
        yield (), records
        return
    current: tuple[Any, ...] | None = None
    run: list[dict[str, Any]] = []
    for rec in records:
        key = tuple(rec[d] for d in series_dims)
        if key != current:
            if run:
                yield current or (), run
            current, run = key, []
        run.append(rec)
    if run:
        yield current or (), run


def _attrs(row: dict[str, Any], q: DataQuery) -> list[tuple[str, str]]:
    if q.detail == "dataonly":
        return []
    return [(a, quoteattr(row[a]) if a == "NOTE" else f'"{row[a]}"') for a in ATTRIBUTES if _present(row[a])]


def _present(value: Any) -> bool:
    """Whether an attribute has a value (pandas gives a missing string as None or NaN, by version)."""
    return isinstance(value, str) and value != ""


def _obs_dims(cat: Catalog, q: DataQuery) -> tuple[list[str], list[str]]:
    """The series dimensions and the observation dimensions of the answer."""
    every = [*cat.dimension_ids, "TIME_PERIOD"]
    if q.dimension_at_observation == "AllDimensions":
        return [], every
    return [d for d in every if d != q.dimension_at_observation], [q.dimension_at_observation]


def _with_obs(q: DataQuery) -> bool:
    return q.detail not in ("serieskeysonly", "nodata")


def generic_data(frame: pd.DataFrame, cat: Catalog, q: DataQuery) -> bytes:
    """An SDMX-ML 2.1 generic data message."""
    series_dims, obs_dims = _obs_dims(cat, q)
    out = [
        f"<?xml version='1.0' encoding='UTF-8'?>\n<message:GenericData {_xmlns('message', 'common', 'generic')}>",
        _header(q.dimension_at_observation),
    ]
    for valid, rows in _vintages(frame, q):
        out.append(f'<message:DataSet structureRef="{STRUCTURE_REF}"')
        out.append(f' validFromDate="{valid}">' if valid else ">")
        for key, part in _runs(rows, series_dims):
            if series_dims:
                values = "".join(_value_element(d, v) for d, v in zip(series_dims, key, strict=True))
                out.append(f"<generic:Series><generic:SeriesKey>{values}</generic:SeriesKey>")
            if _with_obs(q):
                out.extend(_generic_obs(row, obs_dims, q) for row in part)
            if series_dims:
                out.append("</generic:Series>")
        out.append("</message:DataSet>")
    out.append("</message:GenericData>")
    return "".join(out).encode()


def _value_element(cid: str, value: Any) -> str:
    return f'<generic:Value id="{cid}" value="{value}"/>'  # ids and codes need no escaping (SDMX id pattern)


def _generic_obs(row: dict[str, Any], obs_dims: list[str], q: DataQuery) -> str:
    if len(obs_dims) == 1:
        head = f'<generic:ObsDimension value="{row[obs_dims[0]]}"/>'
    else:
        head = "<generic:ObsKey>" + "".join(_value_element(d, row[d]) for d in obs_dims) + "</generic:ObsKey>"
    attrs = _attrs(row, q)
    tail = ""
    if attrs:
        values = "".join(f'<generic:Value id="{a}" value={v}/>' for a, v in attrs)
        tail = f"<generic:Attributes>{values}</generic:Attributes>"
    return f'<generic:Obs>{head}<generic:ObsValue value="{_value(row["OBS_VALUE"])}"/>{tail}</generic:Obs>'


def ss_namespace(q: DataQuery) -> str:
    """The namespace of the structure-specific schema for ``q``'s observation dimension."""
    obs = q.dimension_at_observation
    return f"{DSD_URN}:{'AllDimensions' if obs == 'AllDimensions' else 'ObsLevelDim:' + obs}"


def structure_specific_data(frame: pd.DataFrame, cat: Catalog, q: DataQuery) -> bytes:
    """An SDMX-ML 2.1 structure-specific data message (its schema: :func:`~._schema.structure_schema`)."""
    series_dims, obs_dims = _obs_dims(cat, q)
    ns = ss_namespace(q)
    out = [
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f"<message:StructureSpecificData {_xmlns('message', 'common', 'ss', 'xsi')} xmlns:ns1={quoteattr(ns)}>",
        _header(q.dimension_at_observation, namespace=ns),
    ]
    for valid, rows in _vintages(frame, q):
        out.append(
            '<message:DataSet ss:dataScope="DataStructure" xsi:type="ns1:DataSetType" '
            f'ss:structureRef="{STRUCTURE_REF}"'
        )
        out.append(f' ss:validFromDate="{valid}">' if valid else ">")
        for key, part in _runs(rows, series_dims):
            if series_dims:
                out.append(
                    "<Series " + " ".join(f"{d}={quoteattr(str(v))}" for d, v in zip(series_dims, key, strict=True))
                )
                out.append(">" if _with_obs(q) else "/>")
            if _with_obs(q):
                out.extend(_ss_obs(row, obs_dims, q) for row in part)
                if series_dims:
                    out.append("</Series>")
        out.append("</message:DataSet>")
    out.append("</message:StructureSpecificData>")
    return "".join(out).encode()


def _ss_obs(row: dict[str, Any], obs_dims: list[str], q: DataQuery) -> str:
    items = [(d, f'"{row[d]}"') for d in obs_dims] + [("OBS_VALUE", f'"{_value(row["OBS_VALUE"])}"')] + _attrs(row, q)
    return "<Obs " + " ".join(f"{k}={v}" for k, v in items) + "/>"


def csv_data(frame: pd.DataFrame, cat: Catalog, q: DataQuery) -> bytes:
    """SDMX-CSV 1.0: a ``DATAFLOW`` column, one per dimension, ``OBS_VALUE``, attributes (``VINTAGE`` with history)."""
    from ..export import frame_csv

    table = frame.drop(columns=[] if q.include_history else ["VINTAGE"])
    if q.detail == "dataonly":
        table = table.drop(columns=list(ATTRIBUTES))
    if q.include_history:
        table["VINTAGE"] = table["VINTAGE"].dt.strftime("%Y-%m-%dT%H:%M:%S")
    table.insert(0, "DATAFLOW", f"{AGENCY}:{q.flow.id}({VERSION})")
    return frame_csv(table).encode()


def json_data(frame: pd.DataFrame, cat: Catalog, q: DataQuery, language: str = "en") -> bytes:
    """An SDMX-JSON 1.0 data message (series keyed by positions in ``structure``; names in ``language``)."""
    series_dims, obs_dims = _obs_dims(cat, q)
    attrs = [] if q.detail == "dataonly" else list(ATTRIBUTES)

    def values(col: str) -> list[str]:
        return [str(v) for v in pd.unique(frame[col].to_numpy(dtype=object)) if _present(v) or col == "TIME_PERIOD"]

    positions = {c: {v: i for i, v in enumerate(values(c))} for c in [*series_dims, *obs_dims, *attrs]}

    def component(cid: str, pos: int | None = None) -> dict[str, Any]:
        names = cat.codelists.get(cid)
        entry: dict[str, Any] = {
            "id": cid,
            "name": _name(cat.concepts[cid].name, language) if cid in cat.concepts.items else cid,
        }
        if pos is not None:
            entry["keyPosition"] = pos
        if cid == "TIME_PERIOD":
            entry["role"] = "time"
        entry["values"] = [
            {"id": v, "name": _name(names[v].name, language) if names is not None and v in names.items else v}
            for v in positions[cid]
        ]
        return entry

    every = [*cat.dimension_ids, "TIME_PERIOD"]
    data_sets = []
    for valid, rows in _vintages(frame, q):
        ds: dict[str, Any] = {"action": "Information"}
        if valid:
            ds["validFrom"] = valid
        body: dict[str, Any] = {}
        for key, part in _runs(rows, series_dims):
            observations = {}
            if _with_obs(q):
                for row in part:
                    okey = ":".join(str(positions[d][str(row[d])]) for d in obs_dims)
                    observations[okey] = [
                        row["OBS_VALUE"],
                        *(positions[a][row[a]] if _present(row[a]) else None for a in attrs),
                    ]
            if series_dims:
                skey = ":".join(str(positions[d][str(v)]) for d, v in zip(series_dims, key, strict=True))
                body[skey] = {"attributes": [], "observations": observations}
            else:
                body.update(observations)
        ds["series" if series_dims else "observations"] = body
        data_sets.append(ds)
    message = {
        "header": {
            "id": f"IREF{uuid.uuid4().hex[:12].upper()}",
            "test": False,
            "prepared": _now(),
            "sender": {"id": AGENCY},
        },
        "dataSets": data_sets,
        "structure": {
            "name": _name(cat.dataflows[q.flow.id].name, language),
            "dimensions": {
                "dataset": [],
                "series": [component(d, every.index(d)) for d in series_dims],
                "observation": [component(d, every.index(d)) for d in obs_dims],
            },
            "attributes": {"dataSet": [], "series": [], "observation": [component(a) for a in attrs]},
        },
    }
    return json.dumps(message, ensure_ascii=False).encode()


def _name(text: Any, language: str) -> str:
    loc = getattr(text, "localizations", {}) or {}
    return str(loc.get(language) or loc.get("en") or next(iter(loc.values()), ""))


def structure_message(objects: Iterable[Any]) -> bytes:
    """An SDMX-ML 2.1 structure message holding the sdmx1 ``objects``."""
    import sdmx
    from sdmx import message
    from sdmx.model import common

    header = message.Header(id=f"IREF{uuid.uuid4().hex[:12].upper()}", sender=common.Agency(id=AGENCY), test=False)
    sm = message.StructureMessage(header=header)
    for obj in objects:
        sm.add(obj)
    return bytes(sdmx.to_xml(sm))


def error_message(code: int, text: str) -> bytes:
    """An SDMX-ML 2.1 error message: ``code`` (100 no results, 140 syntax, 406, 500, 501...) and ``text``."""
    return (
        f"<?xml version='1.0' encoding='UTF-8'?>\n<message:Error {_xmlns('message', 'common')}>"
        f'<message:ErrorMessage code="{code}"><common:Text xml:lang="en">{escape(text)}</common:Text>'
        "</message:ErrorMessage></message:Error>"
    ).encode()

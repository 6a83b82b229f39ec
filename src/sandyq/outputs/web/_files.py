"""Downloadable files: the same bytes for the API, the server's ``/data/`` files and the static site.

Every table of figures carries ``unit``, ``source`` and ``vintage`` columns, so
a figure never leaves sandyq without them; an XLSX file adds an "about" sheet
with the indicator's definition, source, licence and a citation line.

>>> csv_bytes(pd.DataFrame({"geo": ["KAZ"], "value": [95.0]})).decode()
'geo,value\\nKAZ,95.0\\n'
"""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd

from ...analytics.results import json_safe
from ...errors import NotFoundError
from ..export import frame_csv, xlsx_row
from ._data import Dashboard
from ._search import FOLD, search_index
from ._unavailable import Unavailable, require

__all__ = [
    "FILE_TYPES",
    "csv_bytes",
    "data_file",
    "data_paths",
    "indicator_json",
    "json_bytes",
    "observations_frame",
    "progress_frame",
    "table_for",
    "xlsx_bytes",
]


def json_bytes(obj: Any) -> bytes:
    return json.dumps(json_safe(obj), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 CSV with dates as ISO 8601; no cell runs as a formula in a spreadsheet (``frame_csv``)."""
    out = frame.copy()
    for c in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[c]):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    return frame_csv(out).encode("utf-8")


def observations_frame(dash: Dashboard, frame: pd.DataFrame, language: str = "en") -> pd.DataFrame:
    """Observations with names added: ``indicator, indicator_name, geo, geo_name, period, dims, value, unit,
    status, source, vintage, note``."""
    names = {i: dash.indicator(i).name.get(language) for i in frame["indicator"].unique()}
    geos = {g: dash.geo_name(g, language) for g in frame["geo"].unique()}
    out = frame.assign(indicator_name=frame["indicator"].map(names), geo_name=frame["geo"].map(geos))
    cols = [
        "indicator",
        "indicator_name",
        "geo",
        "geo_name",
        "period",
        "dims",
        "value",
        "unit",
        "status",
        "source",
        "vintage",
        "note",
    ]
    return out[cols]


def progress_frame(dash: Dashboard, report: Any) -> pd.DataFrame:
    """The roll-up's target rows, each with the unit, source and vintage of the series it was judged on.

    The same table as ``sandyq progress --format csv`` (one schema for the CLI and the API).
    """
    frame: pd.DataFrame = report.to_frame()
    return frame


def xlsx_bytes(dash: Dashboard, indicator_id: str, language: str = "en", citation: str = "") -> bytes:
    """An indicator's observations (sheet ``data``) and its metadata with a citation (sheet ``about``)."""
    from openpyxl import Workbook

    ind = dash.indicator(indicator_id)
    data = observations_frame(dash, dash.indicator_data(indicator_id), language)
    data = data.assign(vintage=pd.to_datetime(data["vintage"]).dt.strftime("%Y-%m-%d"))
    src = dash.framework.sources.get(ind.source)
    about = [
        ("id", ind.id),
        ("name", ind.name.get(language)),
        ("definition", ind.definition.get(language) if ind.definition else ""),
        ("unit", dash.unit_name(ind.unit, language)),
        ("polarity", ind.polarity),
        ("periodicity", ind.periodicity),
        ("source", src.name.get(language) if src else ind.source),
        ("publisher", src.publisher.get(language) if src else ""),
        ("licence", src.licence.get(language) if src else ""),
        ("citation", citation or (src.citation.get(language) if src else "")),
    ]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("data")
    sheet.append(list(data.columns))
    for row in data.astype(object).where(data.notna(), None).itertuples(index=False, name=None):
        sheet.append(xlsx_row(sheet, row))
    meta = book.create_sheet("about")
    meta.append(["field", "value"])
    for pair in about:
        meta.append(xlsx_row(meta, pair))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


#: Columns of each row of an indicator's JSON file (the indicator, its name and unit are said once, above them).
JSON_COLUMNS = ["geo", "period", "dims", "value", "status", "source", "vintage", "note"]


def indicator_json(dash: Dashboard, indicator_id: str) -> bytes:
    """An indicator's metadata and observations as compact JSON: ``indicator`` (metadata, with the unit),
    ``geos`` (code → English name), ``columns`` and ``rows`` (one list per observation, vintages as dates).

    Each row says only what differs from row to row, so the file is a third of a list of records repeating
    the indicator's id, name and unit and the place's name on every row (the static site writes one per
    indicator).
    """
    data = dash.indicator_data(indicator_id)
    frame = data.assign(vintage=pd.to_datetime(data["vintage"]).dt.strftime("%Y-%m-%d"))[JSON_COLUMNS]
    geos = {g: dash.geo_name(g, "en") for g in sorted(frame["geo"].unique())}
    rows = frame.astype(object).where(frame.notna(), None).values.tolist()
    return json_bytes(
        {
            "indicator": dash.indicator(indicator_id).model_dump(mode="json"),
            "geos": geos,
            "columns": JSON_COLUMNS,
            "rows": rows,
        }
    )


def table_for(dash: Dashboard, name: str, language: str = "en") -> pd.DataFrame | Unavailable:
    """The named summary table (``indicators``, ``audit``, ``coverage``, ``glossary``, ``index``)."""
    if name == "indicators":
        return dash.indicator_table(language)
    if name == "coverage":
        return dash.coverage()
    if name == "glossary":
        return pd.DataFrame(
            [
                {
                    "id": t.id,
                    "name": t.name.get(language),
                    "definition": t.definition.get(language),
                    "name_kk": t.name.kk,
                    "name_ru": t.name.ru,
                    "name_en": t.name.en,
                    "source": t.citation.source,
                    "locator": t.citation.locator,
                }
                for t in dash.framework.glossary.values()
            ]
        )
    if name == "audit":
        found = dash.audit()
        if isinstance(found, Unavailable):
            return found
        frame = pd.DataFrame(found)
        for c in ("sources", "related"):
            if c in frame.columns:
                frame[c] = frame[c].map(lambda v: ";".join(map(str, v)) if isinstance(v, list) else v)
        if "figures" in frame.columns:
            frame["figures"] = frame["figures"].map(lambda v: json.dumps(v, ensure_ascii=False))
        return frame
    if name == "index":
        res = dash.composite()
        if isinstance(res, Unavailable):
            return res
        return res["table"]
    raise KeyError(name)


#: Media type of each file extension.
FILE_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def data_file(dash: Dashboard, path: str) -> bytes:
    """The bytes of ``data/<path>`` (e.g. ``indicator/17-8-1.csv``); NotFoundError if there is no such file."""
    head, _, rest = path.partition("/")
    stem, _, ext = (rest or head).rpartition(".")
    if not rest and ext == "csv" and stem in ("indicators", "audit", "coverage", "glossary", "index"):
        return csv_bytes(require(table_for(dash, stem)))
    if head == "indicator" and ext in FILE_TYPES:
        dash.indicator(stem)
        if ext == "csv":
            return csv_bytes(observations_frame(dash, dash.indicator_data(stem)))
        if ext == "xlsx":
            return xlsx_bytes(dash, stem)
        return indicator_json(dash, stem)
    if head == "progress" and ext in ("csv", "json"):
        report = require(dash.progress(stem))
        return csv_bytes(progress_frame(dash, report)) if ext == "csv" else json_bytes(report.to_dict())
    if head == "geo" and ext == "json":
        return json_bytes(dash.boundaries(stem))
    if path == "search.json":  # the search box's index (see _search.py): the browser folds the query alike
        return json_bytes({"fold": FOLD, "items": search_index(dash)})
    raise NotFoundError(f"no file data/{path}")


def data_paths(dash: Dashboard) -> list[str]:
    """Every file under ``data/`` the pages link to (indicators without data and unavailable computations have none)."""
    paths = ["indicators.csv", "coverage.csv", "glossary.csv", "search.json"]
    table = dash.indicator_table("en")
    for i in table.loc[table["observations"] > 0, "id"]:
        paths += [f"indicator/{i}.csv", f"indicator/{i}.xlsx", f"indicator/{i}.json"]
    if not isinstance(dash.audit(), Unavailable):
        paths.append("audit.csv")
    if not isinstance(dash.composite(), Unavailable):
        paths.append("index.csv")
    for p in dash.framework.programmes:
        if not isinstance(dash.progress(p), Unavailable):
            paths += [f"progress/{p}.csv", f"progress/{p}.json"]
    return paths + [f"geo/{name}.json" for name in dash.boundary_set_names()]

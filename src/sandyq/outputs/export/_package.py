"""Exports that travel: a Frictionless data package, and a zip with data, metadata and a README.

The data package (``datapackage.json``, Data Package v1) describes three CSV
resources — ``observations``, ``indicators`` and ``sources`` — with a Table
Schema for each (types, titles, the foreign keys from observations to
indicators and sources), and lists every source with its licence.  The zip
holds the same files plus ``README.md`` with the citation and licence of
every source, so a download is self-explanatory.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pandas as pd

from ..._version import __version__
from ._cells import frame_csv, safe_frame
from ._frame import Selection, citation_text, data_table, metadata_table, sources_table

__all__ = ["datapackage", "write_datapackage", "write_zip"]

#: Licences sandyq can name with an Open Definition id and URL.
_KNOWN_LICENCES = {
    "CC BY 4.0": ("CC-BY-4.0", "https://creativecommons.org/licenses/by/4.0/"),
    "CC0 1.0": ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/"),
    "MIT": ("MIT", "https://opensource.org/licenses/MIT"),
}
_FIELD_DOCS = {
    "indicator": ("string", "Indicator id (see resource indicators)"),
    "indicator_name": ("string", "Indicator name"),
    "geo": ("string", "Geography: ISO 3166-1 alpha-3, World Bank aggregate or ISO 3166-2:KZ code"),
    "geo_name": ("string", "Geography name"),
    "period": ("string", "Year (2023), quarter (2023-Q1) or month (2023-03)"),
    "value": ("number", "Observed value, in unit"),
    "unit": ("string", "Unit code (sandyq's unit code list, SDMX-style)"),
    "unit_name": ("string", "Unit name"),
    "status": (
        "string",
        "SDMX observation status: blank = normal, E estimated, P provisional, B break, F forecast, I imputed",
    ),
    "source": ("string", "Source id (see resource sources)"),
    "vintage": ("string", "Date the figure was published or loaded (ISO 8601)"),
    "note": ("string", "Note on the figure"),
}


def _licences(sel: Selection) -> list[dict[str, str]]:
    out, seen = [], set()
    for s in sel.sources.values():
        match = next((k for k in _KNOWN_LICENCES if s.licence.en.strip().startswith(k)), None)
        entry = (
            {"name": _KNOWN_LICENCES[match][0], "path": _KNOWN_LICENCES[match][1], "title": match}
            if match
            else {"title": f"{s.id}: {' '.join(s.licence.en.split())}"}
        )
        if entry["title"] not in seen:
            seen.add(entry["title"])
            out.append(entry)
    return out


def _schema(frame: pd.DataFrame, docs: dict[str, tuple[str, str]]) -> dict[str, Any]:
    fields = []
    for c in frame.columns:
        kind, title = docs.get(
            c,
            ("integer" if pd.api.types.is_integer_dtype(frame[c]) else "string", f"Disaggregation {c} (blank = total)"),
        )
        fields.append({"name": c, "type": kind, "title": title})
    return {"fields": fields, "missingValues": [""]}


def datapackage(sel: Selection, data: pd.DataFrame | None = None) -> dict[str, Any]:
    """The ``datapackage.json`` descriptor for an export (resources under ``data/``)."""
    data = safe_frame(data_table(sel)) if data is None else data
    meta, src = metadata_table(sel), sources_table(sel)
    first, last = sel.years
    obs_schema = _schema(data, _FIELD_DOCS)
    for f in obs_schema["fields"]:
        if f["name"] in ("indicator", "geo", "period", "value", "unit", "source", "vintage"):
            f["constraints"] = {"required": True}
    obs_schema["foreignKeys"] = [
        {"fields": "indicator", "reference": {"resource": "indicators", "fields": "id"}},
        {"fields": "source", "reference": {"resource": "sources", "fields": "id"}},
    ]
    meta_schema = _schema(
        meta,
        {
            "id": ("string", "Indicator id"),
            "observations": ("integer", "Rows exported"),
            "geographies": ("integer", "Geographies exported"),
            "first_year": ("integer", "First year exported"),
            "last_year": ("integer", "Last year exported"),
        },
    )
    meta_schema["primaryKey"] = "id"
    src_schema = _schema(src, {})
    src_schema["primaryKey"] = "id"

    def resource(name: str, title: str, schema: dict[str, Any]) -> dict[str, Any]:
        return {
            "name": name,
            "title": title,
            "path": f"data/{name}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": schema,
        }

    return {
        "profile": "tabular-data-package",
        "name": "sandyq-export",
        "title": f"sandyq export: {len(sel.indicators)} indicators, {first}–{last}",
        "description": citation_text(sel),
        "created": sel.created.isoformat(),
        "version": __version__,
        "keywords": ["digital transformation", "Kazakhstan", "official statistics"],
        "licenses": _licences(sel),
        "sources": [
            {
                "title": s.name.en,
                **({"path": s.url} if s.url else {}),
                "citation": s.citation.en,
                "licence": s.licence.en,
            }
            for s in sel.sources.values()
        ],
        "contributors": [{"title": "sandyq", "role": "wrangler"}],
        "resources": [
            resource("observations", "Observations, one per row, with unit, source and vintage", obs_schema),
            resource("indicators", "Indicator metadata (names in Kazakh, Russian and English)", meta_schema),
            resource("sources", "Sources, licences and citations", src_schema),
        ],
    }


def _files(sel: Selection) -> dict[str, str]:
    """The files of the package; no CSV cell runs as a formula in a spreadsheet (:func:`frame_csv`)."""
    data = data_table(sel)
    return {
        "datapackage.json": json.dumps(datapackage(sel, safe_frame(data)), ensure_ascii=False, indent=2) + "\n",
        "data/observations.csv": frame_csv(data),
        "data/indicators.csv": frame_csv(metadata_table(sel)),
        "data/sources.csv": frame_csv(sources_table(sel)),
    }


def write_datapackage(sel: Selection, folder: str | Path) -> Path:
    """Write a Frictionless data package into ``folder`` (created if needed); return its descriptor path."""
    root = Path(folder)
    for name, text in _files(sel).items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root / "datapackage.json"


def write_zip(sel: Selection, path: str | Path) -> Path:
    """A zip with ``README.md`` (citation, licences), the data package and its CSV files."""
    p = Path(path)
    with zipfile.ZipFile(p, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("README.md", citation_text(sel) + _readme_files(sel))
        for name, text in _files(sel).items():
            zf.writestr(name, text)
    return p


def _readme_files(sel: Selection) -> str:
    dims = ", ".join(f"`{d}`" for d in sel.dims) or "none"
    return "\n".join(
        [
            "## Files",
            "",
            "- `data/observations.csv` — one observation per row: `indicator`, `geo`, `period`, one column per "
            f"disaggregation ({dims}; blank = total), `value`, `unit`, `status`, `source`, `vintage`, `note`, with "
            f"labels in `{sel.language}` (`indicator_name`, `geo_name`, `unit_name`).",
            "- `data/indicators.csv` — indicator metadata: names in Kazakh, Russian and English, definition, unit, "
            "coverage.",
            "- `data/sources.csv` — every source with publisher, licence and citation.",
            "- `datapackage.json` — Frictionless Data Package descriptor (schemas, sources, licences).",
            "",
            "Load the observations back into sandyq with `sandyq load data/observations.csv` after removing (or "
            "ignoring) the label columns `indicator_name`, `geo_name`, `unit_name` and `vintage`.",
            "",
        ]
    )

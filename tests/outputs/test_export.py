"""Exports in every format: unit, source and vintage on every row, citation of every source, and re-import."""

from __future__ import annotations

import io
import json
import shutil
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from lxml import etree

import sandyq
from sandyq import load_file
from sandyq.connectors import HttpClient, fetch_wdi
from sandyq.errors import NotFoundError
from sandyq.outputs.export import EXPORT_FORMATS, LABEL_COLUMNS, export, select
from sandyq.store import Store
from tests.connectors.recorded import Recorded

OPEN_SDG = Path(__file__).resolve().parents[1] / "ingest" / "fixtures" / "open-sdg"
KEY = ["indicator", "geo", "period", "dims", "source"]
COMPARED = [*KEY, "value", "unit", "status", "note"]
FILES = {
    "csv": "out.csv",
    "xlsx": "out.xlsx",
    "sdmx-csv": "out.csv",
    "sdmx-ml": "out.xml",
    "datapackage": "package",
    "zip": "out.zip",
}


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store with part of the Open SDG fixture (17-8-1 and 4-a-1: kz-sdg, 2024-10-24) and recorded WDI figures
    (wdi-api, 2026-07-01)."""
    root = tmp_path_factory.mktemp("export")
    folder = Path(shutil.copytree(OPEN_SDG, root / "open-sdg"))
    (folder / "data" / "indicator_5-b-1.csv").unlink()  # kept out to keep the tests fast
    path = root / "export.duckdb"
    with sandyq.connect(path) as m:
        m.load(folder, source="kz-sdg", vintage="2024-10-24")
        client = HttpClient(cache_dir=path.parent / "cache", transport=Recorded(), min_interval=0)
        m.write(
            fetch_wdi(
                m.framework, ["IT.CEL.SETS.P2", "IT.NET.BBND.P2"], ["KAZ", "KGZ", "UZB"], 2018, 2023, client=client
            )
        )
    return path


@pytest.fixture(scope="module")
def monitor(db: Path) -> Iterator[sandyq.Monitor]:
    with sandyq.connect(db, read_only=True) as m:
        yield m


def _rows(fmt: str, path: Path) -> pd.DataFrame:
    """The exported rows as text, with columns unit, source, vintage (whatever the format calls them)."""
    if fmt == "csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False)
    if fmt == "xlsx":
        return pd.read_excel(path, sheet_name="data", dtype=str, keep_default_na=False)
    if fmt == "sdmx-csv":
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        return frame.rename(columns={"UNIT_MEASURE": "unit", "SOURCE": "source", "VINTAGE": "vintage"})
    if fmt == "sdmx-ml":
        obs = [el.attrib for el in etree.parse(str(path)).iter() if etree.QName(el).localname == "Obs"]
        return pd.DataFrame([dict(a) for a in obs]).rename(
            columns={"UNIT_MEASURE": "unit", "SOURCE": "source", "VINTAGE": "vintage"}
        )
    if fmt == "datapackage":
        return pd.read_csv(path / "data" / "observations.csv", dtype=str, keep_default_na=False)
    with zipfile.ZipFile(path) as zf:
        return pd.read_csv(io.BytesIO(zf.read("data/observations.csv")), dtype=str, keep_default_na=False)


def _norm(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame[COMPARED].astype({"value": "float64"}).astype({c: "object" for c in COMPARED if c != "value"})
    return out.where(out.notna(), None).sort_values(KEY).reset_index(drop=True)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_every_row_carries_unit_source_and_vintage(monitor: sandyq.Monitor, tmp_path: Path, fmt: str) -> None:
    report = export(monitor, tmp_path / FILES[fmt], fmt)
    assert report.rows == 277 + 55 + 36 and report.sources == ["kz-sdg", "wdi-api"]
    rows = _rows(fmt, tmp_path / FILES[fmt])
    assert len(rows) == report.rows
    for col in ("unit", "source", "vintage"):
        assert (rows[col].str.strip() != "").all(), col
    assert set(rows["vintage"]) == {"2024-10-24", "2026-07-01"}
    assert set(rows["unit"]) == {"PT", "PER_100"}


@pytest.mark.parametrize(
    ("fmt", "version"),
    [("csv", ""), ("xlsx", ""), ("sdmx-csv", "1.0"), ("sdmx-csv", "2.0"), ("sdmx-ml", ""), ("zip", "")],
)
def test_export_loaded_back_equals_the_store(monitor: sandyq.Monitor, tmp_path: Path, fmt: str, version: str) -> None:
    path = tmp_path / FILES[fmt]
    export(monitor, path, fmt, sdmx_version=version or "2.0")
    fresh = Store()
    fw = monitor.framework  # knows 4-a-1 (imported) and wdi-api (registered by the connector)
    if fmt in ("sdmx-csv", "sdmx-ml"):
        fresh.register_sources(fw.sources.values())
        load_file(fresh, path, fw, vintage="2026-12-01")
    else:
        if fmt == "zip":
            with zipfile.ZipFile(path) as zf:
                (tmp_path / "observations.csv").write_bytes(zf.read("data/observations.csv"))
            path = tmp_path / "observations.csv"
        load_file(
            fresh,
            path,
            fw,
            format="tidy",
            ignore=list(LABEL_COLUMNS),
            vintage="2026-12-01",
            sheet="data" if fmt == "xlsx" else None,
        )
    pd.testing.assert_frame_equal(_norm(fresh.observations(dims=None)), _norm(monitor.store.observations(dims=None)))


def test_published_figures_survive_the_export(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    export(monitor, tmp_path / "kz.csv", "csv", indicator=["17-8-1", "IT.CEL.SETS.P2"], geo=["KZNS", "KAZ"])
    rows = pd.read_csv(tmp_path / "kz.csv", keep_default_na=False).set_index(["indicator", "geo", "period", "sex"])
    # A list of one key gives the matching rows under pandas 2 and 3 alike (with duplicate keys elsewhere in the
    # index, pandas 2 answers a single key with a Series): each key must match exactly one row.
    assert rows.loc[[("17-8-1", "KZ-71", 2023, "")], "value"].tolist() == [97.4]  # SDG platform, Astana
    assert rows.loc[[("17-8-1", "KAZ", 2023, "F")], "value"].tolist() == [94.3]
    assert rows.loc[[("IT.CEL.SETS.P2", "KAZ", 2023, "")], "value"].tolist() == [127.115]  # WDI
    assert rows.loc[[("17-8-1", "KZ-71", 2023, "")], "geo_name"].tolist() == ["Astana"]
    assert set(rows.reset_index()["geo"]) == {"KZ-71", "KAZ"}


def test_zip_readme_cites_and_licenses_every_source(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    export(monitor, tmp_path / "kz.zip", "zip")
    with zipfile.ZipFile(tmp_path / "kz.zip") as zf:
        assert sorted(zf.namelist()) == [
            "README.md",
            "data/indicators.csv",
            "data/observations.csv",
            "data/sources.csv",
            "datapackage.json",
        ]
        readme = " ".join(zf.read("README.md").decode("utf-8").split())
    assert "## How to cite" in readme and "## Sources and licences" in readme
    for sid in ("kz-sdg", "wdi-api"):
        source = monitor.framework.source(sid)
        assert " ".join(source.citation.en.split()) in readme
        assert " ".join(source.licence.en.split()) in readme
    assert "368 observations of 4 indicators" in readme


def test_workbook_has_data_metadata_sources_and_citation(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    export(monitor, tmp_path / "kz.xlsx", "xlsx", language="ru")
    sheets = pd.read_excel(tmp_path / "kz.xlsx", sheet_name=None, dtype=str, keep_default_na=False)
    assert list(sheets) == ["data", "metadata", "sources", "citation"]
    meta = sheets["metadata"].set_index("id")
    assert meta.loc["17-8-1", "name_kk"] == monitor.framework.indicator("17-8-1").name.kk
    assert meta.loc["4-a-1", "name_ru"].startswith("Доля школ")  # metadata imported from the Open SDG folder
    assert meta.loc["IT.NET.BBND.P2", "unit"] == "PER_100" and meta.loc["4-a-1", "observations"] == "55"
    assert set(sheets["sources"]["id"]) == {"kz-sdg", "wdi-api"}
    assert sheets["data"]["geo_name"].isin(["г. Астана"]).any()  # labels in the chosen language
    assert any("How to cite" in line for line in sheets["citation"]["citation"])


def test_data_package_descriptor(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    export(monitor, tmp_path / "pkg", "datapackage")
    desc = json.loads((tmp_path / "pkg" / "datapackage.json").read_text(encoding="utf-8"))
    assert desc["profile"] == "tabular-data-package" and [r["name"] for r in desc["resources"]] == [
        "observations",
        "indicators",
        "sources",
    ]
    tables = {}
    for res in desc["resources"]:
        frame = pd.read_csv(tmp_path / "pkg" / res["path"], dtype=str, keep_default_na=False)
        assert list(frame.columns) == [f["name"] for f in res["schema"]["fields"]]
        tables[res["name"]] = frame
    fields = {f["name"]: f for f in desc["resources"][0]["schema"]["fields"]}
    assert all(fields[c]["constraints"]["required"] for c in ("unit", "source", "vintage"))
    assert fields["value"]["type"] == "number" and "total" in fields["sex"]["title"]
    assert set(tables["observations"]["indicator"]) <= set(tables["indicators"]["id"])  # foreign keys hold
    assert set(tables["observations"]["source"]) <= set(tables["sources"]["id"])
    licences = {lic.get("name", lic["title"]) for lic in desc["licenses"]}
    assert "CC-BY-4.0" in licences and any(t.startswith("kz-sdg:") for t in licences)
    assert {s["title"] for s in desc["sources"]} == {monitor.framework.source(s).name.en for s in ("kz-sdg", "wdi-api")}


def test_sdmx_structure_carries_trilingual_code_lists(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    import sdmx

    paths = export(monitor, tmp_path / "kz.xml", "sdmx-ml").paths
    assert [p.name for p in paths] == ["kz.xml", "kz.structure.xml"]
    msg = sdmx.read_sdmx(paths[1])
    assert isinstance(msg, sdmx.message.StructureMessage)
    code = msg.codelist["CL_INDICATOR"]["4-a-1"]
    assert str(code.name.localizations["kk"]).startswith("Негізгі қызметтерді")
    assert set(msg.codelist["CL_SERIES"].items) >= {"_T", "SE_ACS_INTNT", "SE_ACS_SANIT"}
    assert {c.id for c in msg.structure["DSD_SANDYQ"].dimensions.components} == {
        "INDICATOR",
        "REF_AREA",
        "SERIES",
        "SEX",
        "URBANISATION",
        "TIME_PERIOD",
    }


def test_as_of_and_source_filters(monitor: sandyq.Monitor) -> None:
    before_wdi = select(monitor, as_of="2025-01-01")
    assert list(before_wdi.sources) == ["kz-sdg"] and len(before_wdi.observations) == 332
    only_wdi = select(monitor, source="wdi-api", start=2023)
    assert len(only_wdi.observations) == 6 and only_wdi.years == (2023, 2023)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"geo": "KZ-99"}, "unknown geography 'KZ-99'"),
        ({"indicator": "nope"}, "unknown indicator 'nope'"),
        ({"indicator": "IT.CEL.SETS.P2", "geo": "KZ-71"}, "nothing to export"),
    ],
)
def test_bad_selection_is_explained(monitor: sandyq.Monitor, kwargs: dict[str, str], message: str) -> None:
    with pytest.raises(NotFoundError, match=message):
        select(monitor, **kwargs)  # type: ignore[arg-type]

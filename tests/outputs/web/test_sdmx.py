"""The SDMX REST endpoint read by the real sdmx1 client over loopback: structures, data, vintages, formats, errors.

A copy of the default store gets one revision (5-b-1, Kazakhstan, 2023: 92.8 → 93.9,
loaded now as the national statistics office's figure), then ``create_app`` is
served by uvicorn in a thread on a free port and registered in sdmx1 as the
source ``SANDYQ``.  Every SDMX-ML message is validated against the official
SDMX-ML 2.1 schemas (installed by ``make sdmx-schemas``, i.e. ``sdmx.install_schemas()``).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import requests
import sdmx
from lxml import etree
from sdmx.message import DataMessage

import sandyq
from sandyq.outputs.web import create_app

from ._serving import served

SRC = str(Path(sandyq.__file__).resolve().parents[1])
ROOT = Path(__file__).resolve().parents[3]
REVISION = "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,SOURCE\n5-b-1,KAZ,2023,93.9,PT,kz-sdg\n"
FLOW = "DF_DIGITAL_KAZAKHSTAN"
TOTALS = "._T" * 7  # every disaggregation (AGE ... WINDOW) at its total, after INDICATOR.REF_AREA


class Live:
    """The served store: its base URL, its file, the moment before the revision, the sdmx1 client."""

    def __init__(self, base: str, db: Path, before: datetime) -> None:
        self.base = base
        self.db = db
        self.before = before
        sdmx.add_source({"id": "SANDYQ", "url": base, "name": "sandyq on loopback"}, override=True)
        self.client = sdmx.Client("SANDYQ")

    def get(self, path: str, accept: str | None = None, **params: Any) -> requests.Response:
        return requests.get(self.base + path, params=params, headers={"Accept": accept} if accept else {}, timeout=60)


def data(msg: Any) -> list[Any]:
    """The data sets of an sdmx1 message that must be a data message."""
    assert isinstance(msg, DataMessage), type(msg)
    return list(msg.data)


@pytest.fixture(scope="module")
def live(default_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    folder = tmp_path_factory.mktemp("sdmx")
    db = folder / "sdmx.duckdb"
    shutil.copy(default_db, db)
    before = datetime.now(UTC).replace(tzinfo=None)
    (folder / "revision.csv").write_text(REVISION, encoding="utf-8")
    with sandyq.connect(db) as m:
        m.load(folder / "revision.csv")
    with served(create_app(db, language="en"), wait=60) as url:
        yield Live(f"{url}/sdmx", db, before)


def _schema_folder() -> Path | None:
    """Where the official SDMX-ML 2.1 schemas are (SANDYQ_SDMX_SCHEMAS, .sdmx-schemas/, sdmx1's cache), if anywhere."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sdmx" / "2.1"  # sdmx1's default
    places = [Path(os.environ["SANDYQ_SDMX_SCHEMAS"])] if os.environ.get("SANDYQ_SDMX_SCHEMAS") else []
    return next((f for f in [*places, ROOT / ".sdmx-schemas", cache] if (f / "SDMXMessage.xsd").exists()), None)


@pytest.fixture(scope="module")
def schemas() -> Path:
    """The official SDMX-ML 2.1 schemas; if missing, skip and say why."""
    folder = _schema_folder()
    if folder is None:
        # fetched from GitHub by `make sdmx-schemas`, not vendored (their repository's terms): where they could not
        # be fetched, the validation tests say so rather than pass
        pytest.skip(
            f"the SDMX-ML 2.1 schemas are not in {ROOT / '.sdmx-schemas'} nor sdmx1's cache: run `make sdmx-schemas`"
        )
    return folder


@pytest.fixture(scope="module")
def schema(schemas: Path) -> etree.XMLSchema:
    from sdmx.format.xml.common import construct_schema

    return construct_schema(schemas)


@pytest.fixture(scope="module")
def schema_if_any() -> etree.XMLSchema | None:
    """The schema when the official schemas are here (error answers are checked either way, validated when it is)."""
    from sdmx.format.xml.common import construct_schema

    folder = _schema_folder()
    return construct_schema(folder) if folder is not None else None


def specific_schema(schemas: Path, xsd: bytes, folder: Path) -> etree.XMLSchema:
    """The official schemas with sandyq's structure-specific schema beside them (as its imports expect)."""
    here = folder / "official"
    shutil.copytree(schemas, here, dirs_exist_ok=True)
    (here / "sandyq.xsd").write_bytes(xsd)
    namespace = etree.fromstring(xsd).get("targetNamespace")
    (here / "all.xsd").write_text(
        '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
        '<xs:import namespace="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
        'schemaLocation="SDMXMessage.xsd"/>'
        f'<xs:import namespace="{namespace}" schemaLocation="sandyq.xsd"/></xs:schema>',
        encoding="utf-8",
    )
    return etree.XMLSchema(etree.parse(str(here / "all.xsd")))


def assert_valid(schema: etree.XMLSchema, body: bytes) -> None:
    doc = etree.parse(io.BytesIO(body))
    assert schema.validate(doc), [str(e) for e in schema.error_log][:5]


def test_sdmx1_lists_the_dataflows_with_names_in_three_languages(live: Live) -> None:
    flows = live.client.dataflow().dataflow
    assert {"DF_ALL", FLOW, "DF_SRC_KZ_SDG", "DF_SRC_WDI"} <= set(flows)
    name = flows[FLOW].name.localizations
    assert set(name) == {"kk", "ru", "en"} and "Digital Kazakhstan" in name["en"]


def test_sdmx1_reads_the_structures_of_a_flow(live: Live) -> None:
    msg = live.client.dataflow(FLOW)  # sdmx1 asks references=all: the DSD, its codelists and concepts come along
    dsd = msg.structure["DSD_SANDYQ"]
    dims = [d.id for d in dsd.dimensions.components]
    assert dims[:2] == ["INDICATOR", "REF_AREA"] and dims[-1] == "TIME_PERIOD" and {"SEX", "AGE"} <= set(dims)
    assert {a.id for a in dsd.attributes.components} == {"UNIT_MEASURE", "OBS_STATUS", "SOURCE", "NOTE"}
    areas = msg.codelist["CL_REF_AREA"]
    assert areas["KZ-71"].name.localizations["en"] == "Astana"
    assert set(areas["KZ-71"].name.localizations) == {"kk", "ru", "en"}
    assert "IT_NET_USER_ZS" in msg.codelist["CL_INDICATOR"]  # dots are not allowed in SDMX ids
    assert msg.concept_scheme["CS_SANDYQ"]["REF_AREA"].name.localizations["ru"] == "Территория"


def _show(db: Path, *args: str) -> pd.DataFrame:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [SRC, os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [sys.executable, "-m", "sandyq", "--db", str(db), "show", *args, "--format", "csv"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return pd.read_csv(io.StringIO(done.stdout), dtype={"period": str})


def test_sdmx1_fetches_by_key_and_period_and_the_values_are_the_stores(live: Live) -> None:
    msg = live.client.data(FLOW, key={"INDICATOR": "5-b-1"}, params={"startPeriod": "2018", "endPeriod": "2023"})
    got = sdmx.to_pandas(data(msg)[0]).reset_index()
    totals = got[(got["SEX"] == "_T") & (got["URBANISATION"] == "_T") & (got["AGE"] == "_T")]
    shown = _show(live.db, "5-b-1", "--from", "2018", "--to", "2023")
    assert len(shown) > 50
    mine = {(r.REF_AREA, r.TIME_PERIOD): r.value for r in totals.itertuples()}
    theirs = {(r.geo, r.period): r.value for r in shown.itertuples()}
    assert mine == theirs
    assert mine[("KAZ", "2023")] == 93.9  # the revision is in force


def test_json_csv_and_both_sdmx_ml_forms_carry_the_same_figures(live: Live) -> None:
    key = "5-b-1.KAZ" + TOTALS
    frames = {}
    for accept in (
        "application/vnd.sdmx.genericdata+xml;version=2.1",
        "application/vnd.sdmx.structurespecificdata+xml;version=2.1",
        "application/vnd.sdmx.data+json;version=1.0.0",
    ):
        res = live.get(f"/data/{FLOW}/{key}", accept, startPeriod="2016")
        assert res.status_code == 200 and res.headers["content-type"] == accept
        dsd = live.client.dataflow(FLOW).structure["DSD_SANDYQ"] if "structurespecific" in accept else None
        msg = sdmx.read_sdmx(io.BytesIO(res.content), format="JSON" if "json" in accept else "XML", structure=dsd)
        frames[accept] = sdmx.to_pandas(data(msg)[0]).reset_index().set_index("TIME_PERIOD")["value"].sort_index()
    res = live.get(f"/data/{FLOW}/{key}", "text/csv", startPeriod="2016")
    csv = pd.read_csv(io.StringIO(res.text), dtype={"TIME_PERIOD": str}).set_index("TIME_PERIOD")["OBS_VALUE"]
    assert res.headers["content-type"].startswith("application/vnd.sdmx.data+csv")
    assert csv.iloc[0:1].index[0] == "2016" and csv["2023"] == 93.9
    for frame in frames.values():
        assert frame.to_dict() == csv.to_dict()


def test_as_of_returns_the_earlier_value_and_include_history_both(live: Live) -> None:
    url = f"{live.base}/data/{FLOW}/5-b-1.KAZ{TOTALS}"
    now = sdmx.to_pandas(data(live.client.get(url=url, params={"startPeriod": "2023"}))[0])
    before = sdmx.to_pandas(data(live.client.get(url=url, params={"startPeriod": "2023", "asOf": "2025-06-01"}))[0])
    assert now.tolist() == [93.9] and before.tolist() == [92.8]
    history = live.client.get(url=url, params={"startPeriod": "2023", "includeHistory": "true"})
    assert [sdmx.to_pandas(ds).tolist() for ds in data(history)] == [[92.8], [93.9]]  # one data set per vintage


def test_updated_after_returns_only_what_changed(live: Live) -> None:
    changed = live.client.data("DF_ALL", params={"updated_after": live.before.isoformat()})
    frame = sdmx.to_pandas(changed.data[0]).reset_index()
    assert frame[["INDICATOR", "REF_AREA", "TIME_PERIOD", "value"]].values.tolist() == [["5-b-1", "KAZ", "2023", 93.9]]


def test_first_and_last_n_observations_keep_the_ends_of_each_series(live: Live) -> None:
    shown = _show(live.db, "5-b-1")
    periods = shown.groupby("geo")["period"].agg(lambda p: sorted(set(p)))
    msg = live.client.data(FLOW, key={"INDICATOR": "5-b-1"}, params={"lastNObservations": 2})
    got = sdmx.to_pandas(data(msg)[0]).reset_index()
    totals = got[(got["SEX"] == "_T") & (got["URBANISATION"] == "_T") & (got["AGE"] == "_T")]
    last = totals.groupby("REF_AREA")["TIME_PERIOD"].agg(sorted)
    assert len(last) > 10 and all(last[g] == periods[g][-2:] for g in last.index)
    both = live.get(f"/data/{FLOW}/5-b-1.KAZ{TOTALS}", "text/csv", firstNObservations="1", lastNObservations="1")
    ends = pd.read_csv(io.StringIO(both.text), dtype={"TIME_PERIOD": str})
    assert ends["TIME_PERIOD"].tolist() == [periods["KAZ"][0], periods["KAZ"][-1]]
    assert ends["OBS_VALUE"].iloc[-1] == shown.set_index(["geo", "period"]).loc[("KAZ", periods["KAZ"][-1]), "value"]


@pytest.mark.parametrize(
    ("path", "accept", "status", "code"),
    [
        ("/data/DF_NOPE", None, 404, "100"),
        (f"/data/{FLOW}/5-b-1.KAZ", None, 400, "140"),  # too few key parts
        (f"/data/{FLOW}/NOPE.KAZ{TOTALS}", None, 404, "100"),
        (f"/data/{FLOW}/all?startPeriod=last+year", None, 400, "140"),
        (f"/data/{FLOW}/all?lastNObservations=0", None, 400, "140"),
        ("/schema/codelist/SANDYQ/CL_AREA", None, 501, "501"),
        (f"/data/{FLOW}", "application/pdf", 406, "406"),
        ("/categoryscheme/all/all/latest", None, 404, "100"),
        ("/codelist/SANDYQ/CL_NOPE", None, 404, "100"),
    ],
)
def test_errors_are_sdmx_error_messages_with_the_http_code(
    live: Live, schema_if_any: etree.XMLSchema | None, path: str, accept: str | None, status: int, code: str
) -> None:
    res = live.get(path, accept)
    assert res.status_code == status, res.text
    if schema_if_any is not None:
        assert_valid(schema_if_any, res.content)
    ns = {"m": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"}
    assert etree.fromstring(res.content).find("m:ErrorMessage", ns).get("code") == code


@pytest.mark.parametrize("resource", ["dataflow", "datastructure", "codelist", "conceptscheme", "agencyscheme"])
def test_structure_messages_validate_against_the_sdmx_ml_21_schemas(
    live: Live, schema: etree.XMLSchema, resource: str
) -> None:
    res = live.get(f"/structure/{resource}/all/all/latest", references="all")
    assert res.status_code == 200 and res.headers["content-type"].startswith("application/vnd.sdmx.structure+xml")
    assert_valid(schema, res.content)


@pytest.mark.parametrize("obs", ["TIME_PERIOD", "AllDimensions", "REF_AREA"])
def test_data_messages_validate_generic_and_structure_specific(
    live: Live, schema: etree.XMLSchema, schemas: Path, tmp_path: Path, obs: str
) -> None:
    params = {"dimensionAtObservation": obs, "includeHistory": "true", "startPeriod": "2022"}
    generic = live.get(f"/data/{FLOW}/5-b-1.KAZ+KZ-71" + "." * 7, "application/vnd.sdmx.genericdata+xml", **params)
    assert generic.status_code == 200, generic.text
    assert_valid(schema, generic.content)
    specific = live.get(
        f"/data/{FLOW}/5-b-1.KAZ+KZ-71" + "." * 7, "application/vnd.sdmx.structurespecificdata+xml", **params
    )
    xsd = live.get("/schema/datastructure/SANDYQ/DSD_SANDYQ/1.0", dimensionAtObservation=obs)
    assert xsd.status_code == 200 and specific.status_code == 200
    strict = specific_schema(schemas, xsd.content, tmp_path)
    assert_valid(strict, specific.content)
    tampered = specific.content.replace(b'REF_AREA="KAZ"', b'REF_AREA="NOPE"', 1)
    assert tampered != specific.content and not strict.validate(etree.parse(io.BytesIO(tampered)))  # codes checked

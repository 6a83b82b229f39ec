"""Target tracking, the audit, the web API and the CLI choose the same source when two sources disagree.

A store is planted with one targeted indicator (``kz.state_order_ict_share``, declared
source ``seed-004``) published by two other sources that disagree, nationally and in
six regions; a growth figure printed by ``seed-000`` links the audit to it.  Without
the declared source every reader must use the fullest series (``wdi``), or on equal
length the newer one (``wdi`` again, although ``gapminder`` comes first by name: the
readers' former rules split here); with a few ``seed-004`` values every reader must
use ``seed-004``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import sandyq
from sandyq.analytics.audit import audit
from sandyq.framework import Indicator, Text
from sandyq.outputs.cli import app
from sandyq.outputs.web import create_app

IND = "kz.state_order_ict_share"
GROWTH = f"{IND}_growth"
REGIONS = ["KZ-11", "KZ-15", "KZ-23", "KZ-27", "KZ-31", "KZ-39"]
#: Each source's values are offset by its own amount, so a value tells which source it came from.
OFFSET = {"wdi": 0.0, "gapminder": 20.0, "seed-004": 40.0}
LONGER = {"wdi": range(2014, 2022), "gapminder": range(2019, 2024)}  # wdi longer, gapminder newer
NEWER = {"wdi": range(2016, 2024), "gapminder": range(2014, 2022)}  # as long, wdi newer
DECLARED = {**LONGER, "seed-004": range(2020, 2023)}


def value(source: str, geo: str, year: int) -> float:
    return 10.0 + (year - 2010) + ([*REGIONS, "KAZ"].index(geo)) / 10 + OFFSET[source]


def source_of(v: float, geo: str, year: int) -> str:
    (src,) = [s for s in OFFSET if value(s, geo, year) == pytest.approx(v)]
    return src


def plant(path: Path, years: dict[str, range]) -> None:
    with sandyq.connect(path) as m:
        m.store.register_sources(m.framework.sources.values())
        growth = Indicator(id=GROWTH, name=Text(kk="x", ru="x", en="x"), unit="RATE_PT", source="seed-000", decimals=1)
        m.store.save_indicators({GROWTH: growth.model_dump_json()}, "test")
    rows = [
        {"INDICATOR": IND, "REF_AREA": g, "TIME_PERIOD": str(y), "OBS_VALUE": value(s, g, y), "SOURCE": s}
        for s, span in years.items()
        for g in ["KAZ", *REGIONS]
        for y in span
    ]
    # a wrong growth rate: the audit reports it with the source it took the levels from
    rows.append(
        {"INDICATOR": GROWTH, "REF_AREA": "KAZ", "TIME_PERIOD": "2021", "OBS_VALUE": 50.0, "SOURCE": "seed-000"}
    )
    csv = path.with_suffix(".csv")
    pd.DataFrame(rows).to_csv(csv, index=False)
    with sandyq.connect(path) as m:
        m.load(csv, vintage="2024-01-01")


@pytest.fixture(
    params=[(LONGER, "wdi"), (NEWER, "wdi"), (DECLARED, "seed-004")],
    ids=["fullest", "newest", "declared"],
)
def planted(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Path, str]]:
    years, expected = request.param
    path = tmp_path / "two-sources.duckdb"
    plant(path, years)
    yield path, expected


def test_every_reader_picks_the_same_source(planted: tuple[Path, str]) -> None:
    path, expected = planted
    chosen: dict[str, set[str]] = {}
    with sandyq.connect(path, read_only=True) as m:
        (target,) = [t for t in m.progress().targets if t.indicator_id == IND]
        chosen["progress"] = {str(target.source)}
        (finding,) = [f for f in audit(m, GROWTH, rules=["derived"]) if f.rule == "growth"]
        chosen["audit"] = set(finding.sources) - {"seed-000"}

    with TestClient(create_app(path, language="en")) as client:
        regions = client.get(f"/api/regions/{IND}").json()
        progress = client.get("/api/progress").json()
    chosen["web regions"] = {
        source_of(v, g, int(y)) for y, by_geo in regions["values"].items() for g, v in by_geo.items()
    }
    chosen["web national"] = {source_of(v, "KAZ", int(y)) for y, v in regions["national"]}
    chosen["web progress"] = {t["source"] for t in progress["targets"] if t["indicator_id"] == IND}

    result = CliRunner().invoke(app, ["--db", str(path), "regions", IND, "--format", "json"])
    assert result.exit_code == 0, result.output
    chosen["cli regions"] = {json.loads(result.stdout)["source"]}

    assert chosen == dict.fromkeys(chosen, {expected})

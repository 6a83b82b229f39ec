"""The fetch and export commands: offline fetches from a recorded cache, exports, clear errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from sandyq.connectors import HttpClient, read_taldau, read_wdi
from sandyq.outputs.cli._common import state
from sandyq.outputs.cli._exchange import register
from sandyq.store import Store
from tests.connectors.recorded import Recorded

runner = CliRunner()


def _app() -> typer.Typer:
    """A command line with only this module's commands and a --db option (the lead's app registers them too)."""
    app = typer.Typer(pretty_exceptions_enable=False)

    @app.callback()
    def main(db: Annotated[str, typer.Option("--db")]) -> None:
        state.db = db

    register(app)
    return app


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    """A response cache filled from the recorded fixtures, as a previous online run would leave it."""
    client = HttpClient(cache_dir=tmp_path / "cache", transport=Recorded(), min_interval=0)
    read_wdi(["IT.CEL.SETS.P2", "IT.NET.BBND.P2"], ["KAZ", "KGZ", "UZB"], 2018, 2023, client=client)
    read_taldau(19096214, "ict_specialists", client=client)
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def _reset_state() -> Iterator[None]:
    yield
    state.db = None


def test_fetch_offline_then_export(tmp_path: Path, cache: Path) -> None:
    db, app = str(tmp_path / "x.duckdb"), _app()
    wdi = runner.invoke(
        app,
        [
            "--db",
            db,
            "fetch",
            "wdi",
            "IT.CEL.SETS.P2",
            "IT.NET.BBND.P2",
            "--countries",
            "KAZ,KGZ",
            "--countries",
            "UZB",
            "--from",
            "2018",
            "--to",
            "2023",
            "--offline",
            "--cache",
            str(cache),
        ],
    )
    assert wdi.exit_code == 0, wdi.output
    assert "36 added" in wdi.output and "vintage 2026-07-01" in wdi.output
    tal = runner.invoke(
        app, ["--db", db, "fetch", "taldau", "19096214", "--offline", "--cache", str(cache), "--vintage", "2026-11-01"]
    )
    assert tal.exit_code == 0 and "9 added" in tal.output, tal.output
    out = runner.invoke(app, ["--db", db, "export", "--indicator", "ict_specialists", "--format", "csv"])
    assert out.exit_code == 0, out.output
    lines = out.stdout.strip().splitlines()
    assert lines[0] == ("indicator,indicator_name,geo,geo_name,period,value,unit,unit_name,status,source,vintage,note")
    assert len(lines) == 10 and lines[-1].startswith("ict_specialists,ICT specialists,KAZ,Kazakhstan,2024,43413.0,")
    target = tmp_path / "wdi.zip"
    z = runner.invoke(
        app, ["--db", db, "export", "--source", "wdi-api", "--geo", "KAZ", "--format", "zip", "-o", str(target)]
    )
    assert z.exit_code == 0 and target.exists() and "12 observations" in z.output, z.output
    s = runner.invoke(
        app, ["--db", db, "export", "--format", "sdmx-csv", "--sdmx-version", "1.0", "-o", str(tmp_path / "s.csv")]
    )
    assert s.exit_code == 0 and (tmp_path / "s.structure.xml").exists(), s.output
    assert pd.read_csv(tmp_path / "s.csv").columns[0] == "DATAFLOW"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fetch", "wdi", "IT.CEL.SETS.P2", "--offline"], "not in the cache and offline mode is on"),
        (["fetch", "wdi", "IT.CEL.SETS.P2", "--countries", "ZZZ", "--offline"], "unknown country"),
        (["fetch", "wdi", "IT.CEL.SETS.P2", "--offline", "--refresh"], "contradict each other"),
        (["fetch", "taldau", "1", "2", "--indicator", "ict_specialists"], "--indicator applies to one index"),
        (["fetch", "taldau", "19096214", "--period", "week"], "use year, quarter or month"),
        (["export", "--format", "xlsx"], "needs --output"),
        (["export", "--geo", "KZ-99"], "unknown geography 'KZ-99'"),
        (["export", "--as-of", "soon"], "is not a date"),
    ],
)
def test_errors_are_clear_and_exit_2(tmp_path: Path, args: list[str], message: str) -> None:
    db = tmp_path / "e.duckdb"
    app = _app()
    if args[0] == "export":  # an (empty) store to read from
        Store(db).close()
    result = runner.invoke(
        app, ["--db", str(db), *args, *(["--cache", str(tmp_path / "empty")] if args[0] == "fetch" else [])]
    )
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split()) and "Traceback" not in result.output

"""The command line: a thin layer over the API, with clear errors and no tracebacks."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sandyq.framework import default_framework_path
from sandyq.outputs.cli import app
from tests.conftest import SDG_RAW

runner = CliRunner()


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store that ``sandyq load`` filled with the SDG database's 17-8-1 (once per module: see ``db``)."""
    path = tmp_path_factory.mktemp("cli") / "cli.duckdb"
    result = runner.invoke(
        app,
        [
            "--db",
            str(path),
            "load",
            str(SDG_RAW / "indicator_17-8-1.csv"),
            "--source",
            "kz-sdg",
            "--default-geo",
            "KAZ",
            "--vintage",
            "2024-10-24",
        ],
    )
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture
def db(loaded: Path, tmp_path: Path) -> Path:
    """A copy of ``loaded`` for one test, which may write to it (a copy costs far less than loading again)."""
    path = tmp_path / "cli.duckdb"
    shutil.copy(loaded, path)
    return path


def test_help_lists_the_commands() -> None:
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("init", "load", "indicators", "show", "validate", "overview"):
        assert command in result.output
    assert "SANDYQ_DB" in result.output


def test_show_json_records_carry_unit_source_vintage(db: Path) -> None:
    result = runner.invoke(app, ["--db", str(db), "show", "17-8-1", "--geo", "KZNS", "--format", "json"])
    assert result.exit_code == 0, result.output
    records = json.loads(result.stdout)
    assert len(records) == 13 and {r["geo"] for r in records} == {"KZ-71"}
    for key in ("indicator", "geo", "period", "value", "unit", "source", "vintage"):
        assert all(r[key] is not None for r in records), key
    assert records[0]["vintage"].startswith("2024-10-24")


def test_show_csv_and_table(db: Path) -> None:
    csv = runner.invoke(app, ["--db", str(db), "show", "17-8-1", "--geo", "KZ-YUZ", "--format", "csv"])
    lines = csv.stdout.strip().splitlines()
    assert lines[0].startswith("indicator,geo,period,dims,value,unit,status,source,vintage")
    assert lines[-1].split(",")[2] == "2017"  # South Kazakhstan ends in 2017
    table = runner.invoke(app, ["--db", str(db), "--language", "ru", "show", "17-8-1", "--geo", "KZ-71"])
    assert table.exit_code == 0 and "Интернет" in table.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["show", "no-such-indicator"], "unknown indicator 'no-such-indicator'"),
        (["show", "17-8-1", "--geo", "KZ-99"], "unknown geography 'KZ-99'"),
        (["show", "17-8-1", "--as-of", "yesterday"], "is not a date"),
        (["overview", "--programme", "nope"], "unknown programme 'nope'"),
    ],
)
def test_errors_are_messages_not_tracebacks(db: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_bad_file_names_row_and_column_and_loads_nothing(db: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n17-8-1,KZ-71,2024,97\n17-8-1,KZ-71,2024,abc\n", encoding="utf-8"
    )
    result = runner.invoke(app, ["--db", str(db), "load", str(bad)])
    assert result.exit_code == 2
    assert "row 3, column 'OBS_VALUE': not a number: 'abc'" in result.stderr
    after = runner.invoke(
        app, ["--db", str(db), "show", "17-8-1", "--geo", "KZ-71", "--from", "2024", "--format", "json"]
    )
    assert json.loads(after.stdout) == []


def test_validate_bundled_framework_and_a_broken_one(tmp_path: Path) -> None:
    ok = runner.invoke(app, ["validate", str(default_framework_path())])
    assert ok.exit_code == 0, ok.stderr
    assert "valid" in ok.stderr
    broken = tmp_path / "fw"
    shutil.copytree(default_framework_path(), broken)
    (broken / "programmes" / "extra.yaml").write_text(
        "id: extra\nname: {kk: a, ru: b, en: c}\nstart: 2020\nend: 2019\nlegal_basis: {kk: a, ru: b, en: c}\n",
        encoding="utf-8",
    )
    bad = runner.invoke(app, ["validate", "--standalone", str(broken)])
    assert bad.exit_code == 2
    assert "extra.yaml" in bad.stderr and "end 2019 is before start 2020" in bad.stderr


def test_validate_data_file_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "none.duckdb"
    result = runner.invoke(app, ["--db", str(db), "validate", str(SDG_RAW / "indicator_5-b-1.csv")])
    assert result.exit_code == 2  # blank REF_AREA rows need --default-geo: reported, not guessed
    assert "blank geography code" in result.stderr
    assert not db.exists()


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.startswith("sandyq ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["progress", "--as-of", "bad"], "not a date or timestamp: 'bad'"),
        (["progress", "--as-of", "2020-13-45"], "not a date: '2020-13-45'"),
        (
            ["load", str(SDG_RAW / "indicator_17-8-1.csv"), "--default-geo", "KAZ", "--vintage", "yesterday"],
            "not a date or timestamp: 'yesterday'",
        ),
    ],
)
def test_bad_dates_are_messages(db: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 2 and message in result.stderr
    assert "Traceback" not in result.output + result.stderr


def test_unwritable_output_is_a_message(db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = runner.invoke(
        app, ["--db", str(db), "export", "--indicator", "17-8-1", "--output", str(blocker / "x.csv")]
    )
    assert result.exit_code == 2 and "Not a directory" in result.stderr
    assert "Traceback" not in result.output + result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", str(SDG_RAW)], "an Open SDG folder needs --source"),
        (["assess", "--values", "2020:1,2021:2", "--kind", "nope"], "--kind must be"),
        (["assess", "--values", "2020:1,2021:2", "--unit", "nope"], "unknown unit 'nope'"),
        (["audit", "--source", "nope"], "unknown source 'nope'"),
        (["serve", "--port", "99999"], "not a TCP port"),
    ],
)
def test_options_that_cannot_apply_are_refused(db: Path, args: list[str], message: str) -> None:
    result = runner.invoke(app, ["--db", str(db), *args])
    assert result.exit_code == 2 and message in result.stderr

"""``check`` finds what is wrong with a store; reads skip rows they cannot read, warn, and never crash."""

from __future__ import annotations

import logging
from pathlib import Path

import duckdb
import pandas as pd
import psycopg
import pytest
from typer.testing import CliRunner

import sandyq
from sandyq.framework import Framework
from sandyq.outputs.cli import app
from sandyq.store import CHECK_COLUMNS, Store, mask_url
from tests._postgres import BACKENDS

runner = CliRunner()


def test_the_default_store_is_sound(default_monitor: sandyq.Monitor) -> None:
    problems = default_monitor.check()
    assert list(problems.columns) == list(CHECK_COLUMNS)
    assert problems.empty, problems.to_string()


def test_check_command_on_a_sound_store(default_db: Path) -> None:
    result = runner.invoke(app, ["--db", str(default_db), "check"])
    assert result.exit_code == 0, result.output
    assert "no problems" in result.stderr and "schema version 5" in result.stderr


def _sound(path: Path | str, framework: Framework) -> None:
    with Store(path) as s:
        s.register_sources([framework.sources["kz-sdg"]])
        s.load_frame(
            pd.DataFrame(
                {
                    "indicator": "17-8-1",
                    "geo": "KAZ",
                    "period": ["2021", "2022", "2023"],
                    "dims": "",
                    "source": "kz-sdg",
                    "value": [88.0, 90.0, 94.7],
                    "unit": "PT",
                    "status": None,
                    "note": None,
                }
            ),
            file="t.csv",
            format="tidy",
            vintage="2024-10-24",
        )


# Rows another program could have written into the store: each breaks one rule (the PRIMARY KEY is dropped first).
_PLANTED = """INSERT INTO observation VALUES
    ('17-8-1', 'KAZ', '2020-13', '', 'kz-sdg', '2024-10-24', 1, 'PT', NULL, NULL, 1),
    ('17-8-1', 'KAZ', 'soon', '', 'kz-sdg', '2024-10-24', 1, 'PT', NULL, NULL, 1),
    ('17-8-1', 'KAZ', '2019', 'sex', 'kz-sdg', '2024-10-24', 1, 'PT', NULL, NULL, 1),
    ('17-8-1', 'KAZ', '2018', 'sex=F;age=Y1', 'kz-sdg', '2024-10-24', 1, 'PT', NULL, NULL, 1),
    ('17-8-1', ' ', '2019', '', 'kz-sdg', '2024-10-24', 1, 'PT', NULL, NULL, 1),
    ('17-8-1', 'KAZ', '2017', '', 'kz-sdg', '2024-10-24', 'NaN', 'PT', NULL, NULL, 1),
    ('17-8-1', 'KAZ', '2016', '', 'kz-sdg', '2024-10-24', 'Infinity', 'PT', NULL, NULL, 1),
    ('17-8-1', 'KAZ', '2015', '', 'kz-sdg', 'infinity', 1, 'PT', NULL, NULL, 1),
    ('17-8-1', 'KAZ', '2023', '', 'kz-sdg', '2024-10-24', 95, 'PT', NULL, NULL, 1),
    ('17-8-1', 'KAZ', '2014', '', 'gone', '2024-10-24', 1, 'PT', NULL, NULL, 1),
    ('17-8-1', 'KAZ', '2013', '', 'kz-sdg', '2024-10-24', 1, 'PT', NULL, NULL, 7),
    ('nope', 'XYZ', '2013', '', 'kz-sdg', '2024-10-24', 1, 'PT', NULL, NULL, 1)"""


@pytest.fixture(params=BACKENDS)
def planted(request: pytest.FixtureRequest, tmp_path: Path, framework: Framework) -> Path | str:
    """A store with every kind of problem planted, on each backend."""
    if request.param == "postgresql":
        url = str(request.getfixturevalue("pg_empty"))
        _sound(url, framework)
        with psycopg.connect(url, autocommit=True) as pg:
            pg.execute("ALTER TABLE observation DROP CONSTRAINT observation_pkey")
            pg.execute(_PLANTED)
            pg.execute("INSERT INTO load_issue (load_id, kind, file, message) VALUES (9, 'set_aside', 'x.csv', 'm')")
            pg.execute("UPDATE meta SET value = 'many' WHERE key = 'data_version'")
        return url
    path = tmp_path / "planted.duckdb"
    _sound(path, framework)
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE o2 AS SELECT * FROM observation")
    con.execute("DROP TABLE observation")
    con.execute("ALTER TABLE o2 RENAME TO observation")
    con.execute(_PLANTED)
    con.execute("INSERT INTO load_issue (load_id, kind, file, message) VALUES (9, 'set_aside', 'x.csv', 'm')")
    con.execute("UPDATE meta SET value = 'many' WHERE key = 'data_version'")
    con.close()
    return path


def test_check_names_every_planted_problem(planted: Path | str) -> None:
    with sandyq.connect(planted, read_only=True) as m:
        problems = m.check()
    assert len(problems) == 14, problems.to_string()
    found = {(r.check, r.table): (r.rows, r.detail) for r in problems.itertuples() if r.check != "framework"}
    assert found[("period", "observation")] == (
        2,
        "not a canonical period (2020, 2020-Q1, 2020-01): '2020-13', 'soon'",
    )
    assert found[("dims", "observation")][0] == 2  # 'sex' has no value; 'sex=F;age=Y1' is out of order
    assert found[("geo", "observation")] == (1, "not a geography code (blank or with spaces): ' '")
    assert found[("value", "observation")][0] == 2
    assert found[("vintage", "observation")][0] == 1
    assert found[("duplicate", "observation")] == (
        2,
        "one key, two rows at one vintage: '17-8-1 KAZ 2023  kz-sdg 2024-10-24 00:00:00'",
    )
    assert found[("source", "observation")] == (1, "sources not recorded: 'gone'")
    assert found[("load", "load_issue")] == (1, "rows of loads that do not exist: 9")
    assert found[("load", "load")][0] == 1  # load 1 recorded 3 rows, holds many more
    assert "data_version 'many'" in found[("schema", "meta")][1]
    framework = problems[problems["check"] == "framework"]
    assert framework["detail"].tolist() == [
        "1 indicator codes the framework does not know: 'nope'",
        "2 geography codes the framework does not know: ' ', 'XYZ'",
    ]
    loads = problems[(problems["check"] == "load") & (problems["table"] == "observation")]
    assert loads["detail"].tolist() == ["rows of loads that do not exist: 7", "vintage differs from its load's: 1"]


def test_reads_skip_what_they_cannot_read_and_warn(planted: Path | str, caplog: pytest.LogCaptureFixture) -> None:
    with Store(planted, read_only=True) as s, caplog.at_level(logging.WARNING, logger="sandyq.store"):
        obs = s.observations("17-8-1", "KAZ", dims="")
        assert s.skipped == 5  # '2020-13', 'soon', NaN, Infinity, and the duplicate pair's one in force is fine
        assert "5 stored observations could not be read and were left out" in caplog.text
        assert mask_url(str(planted)) in caplog.text and "sandyq check" in caplog.text
        assert obs["year"].dtype == "int32"
        assert set(obs["period"]) >= {"2021", "2022", "2023"}
        assert s.observations(start=2016, end=2016).empty  # a filter on years never fails on a bad period
        assert len(s.summary()) == 2


def test_check_command_prints_a_table_and_exits_1(planted: Path | str) -> None:
    result = runner.invoke(app, ["--db", str(planted), "check", "--format", "csv"])
    assert result.exit_code == 1
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "check,table,rows,detail"
    assert any(line.startswith("period,observation,2,") for line in lines)
    assert "Traceback" not in result.output + result.stderr


def test_check_reports_a_schema_that_is_not_sandyqs(tmp_path: Path, framework: Framework) -> None:
    path = tmp_path / "altered.duckdb"
    _sound(path, framework)
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE load_issue DROP COLUMN dims")
    con.execute("ALTER TABLE calibration ALTER body TYPE BLOB")
    con.execute("DROP TABLE indicator_meta")
    con.close()
    with Store(path, read_only=True) as s:
        details = set(s.check().query("check == 'schema'")["detail"])
    assert details == {"column 'dims' missing", "column 'body' is BLOB, expected VARCHAR", "table missing"}

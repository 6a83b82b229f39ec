"""The PostgreSQL store: schema versions, writers one at a time, copy-store both ways, and clear refusals."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import psycopg
import pytest
from typer.testing import CliRunner

from sandyq import load_file
from sandyq.errors import StoreError
from sandyq.framework import Framework
from sandyq.outputs.cli import app
from sandyq.store import SCHEMA_VERSION, Store, copy_store
from sandyq.store._schema import MIGRATIONS
from tests.conftest import SDG_RAW

runner = CliRunner()


def _fill(s: Store, framework: Framework) -> None:
    """Two vintages of 17-8-1 (one revision), a load with an issue set aside, and a document."""
    s.register_sources(framework.sources.values())
    load_file(s, SDG_RAW / "indicator_17-8-1.csv", framework, source="kz-sdg", default_geo="KAZ", vintage="2024-10-24")
    frame = pd.DataFrame(
        {
            "indicator": "17-8-1",
            "geo": "KAZ",
            "period": ["2023"],
            "dims": "",
            "source": "kz-sdg",
            "value": [95.5],
            "unit": "PT",
            "status": None,
            "note": ["revised by the bureau"],
        }
    )
    issue = pd.DataFrame({"kind": ["bad_value"], "file": ["r.csv"], "row_number": [3], "message": ["not a number"]})
    s.load_frame(frame, file="r.csv", format="tidy", vintage="2025-03-01", issue_rows=issue)
    s.save_document("calibration", '{"runs": 3}')


def _state(s: Store) -> list[pd.DataFrame]:
    return [
        s.observations(),
        s.observations(as_of="2024-12-31"),
        s.loads(),
        s.load_issues(),
        s.sources(),
        s.history("17-8-1", "KAZ", "2023"),
    ]


def test_copy_store_moves_every_vintage_to_postgresql_and_back(
    tmp_path: Path, framework: Framework, pg_empty: str
) -> None:
    first, back = tmp_path / "first.duckdb", tmp_path / "back.duckdb"
    with Store(first) as s:
        _fill(s, framework)
        want, version = _state(s), s.data_version()
    report = copy_store(first, pg_empty)
    assert report.rows["observation"] == len(want[0]) + 1 and report.rows["load_issue"] == 1
    assert report.vintages == 2
    copy_store(pg_empty, back)
    for where in (pg_empty, back):
        with Store(where, read_only=True) as s:
            for got, expected in zip(_state(s), want, strict=True):
                pd.testing.assert_frame_equal(got, expected)
            assert s.document("calibration") == '{"runs": 3}'
            assert s.check().empty
            assert s.data_version() > version  # readers of the destination see a change


def test_copy_store_refuses_a_destination_with_data_and_writes_nothing(
    tmp_path: Path, framework: Framework, pg_empty: str
) -> None:
    src = tmp_path / "s.duckdb"
    with Store(src) as s:
        _fill(s, framework)
    with Store(pg_empty) as s:
        s.register_sources([framework.sources["kz-sdg"]])
        before = s.data_version()
    result = runner.invoke(app, ["copy-store", str(src), pg_empty])
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "the destination store is not empty (1 rows in source)" in result.stderr
    assert "sandyq:sandyq@" not in result.stderr  # the password is never shown
    with Store(pg_empty) as s:
        assert s.count() == 0 and s.data_version() == before
    result = runner.invoke(app, ["copy-store", str(src), str(src)])
    assert result.exit_code != 0 and "the same store" in result.stderr


def test_a_store_of_an_older_schema_is_migrated_and_a_newer_one_refused(pg_empty: str) -> None:
    with psycopg.connect(pg_empty, autocommit=True) as con:
        for stmt in MIGRATIONS[1]:
            con.execute(stmt.replace("DOUBLE", "DOUBLE PRECISION"))
        con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    with Store(pg_empty) as s:
        assert s.schema_version == SCHEMA_VERSION == 5
        assert s.data_version() == 0 and s.stored_indicators() == {}
        s.con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    with pytest.raises(StoreError, match="upgrade sandyq"):
        Store(pg_empty)


def test_writers_follow_each_other_and_every_change_is_counted(pg_empty: str, framework: Framework) -> None:
    with Store(pg_empty) as s:
        s.register_sources(framework.sources.values())
        start = s.data_version()
    errors: list[BaseException] = []

    def write(year: int) -> None:
        try:
            with Store(pg_empty) as w:
                for k in range(5):
                    frame = pd.DataFrame(
                        {"indicator": "17-8-1", "geo": "KAZ", "period": [str(year)], "dims": "", "source": "kz-sdg",
                         "value": [float(k)], "unit": "PT", "status": None, "note": None}
                    )  # fmt: skip
                    w.load_frame(frame, file=f"{year}-{k}.csv", format="tidy")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=write, args=(2000 + i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    with Store(pg_empty, read_only=True) as s:
        loads = s.loads()
        assert sorted(loads["id"]) == list(range(1, 21))  # 20 loads, none lost, none given the same id
        assert s.data_version() == start + 20
        assert len(s.history("17-8-1", "KAZ", "2003")) == 5  # every vintage kept, in order
        assert s.check().empty


def test_a_read_only_store_refuses_writes_clearly(pg_empty: str, framework: Framework) -> None:
    Store(pg_empty).close()
    with Store(pg_empty, read_only=True) as s, pytest.raises(StoreError, match="opened read-only"):
        s.register_sources([framework.sources["kz-sdg"]])


def test_a_database_of_another_application_is_refused_and_left_alone(pg_empty: str) -> None:
    with psycopg.connect(pg_empty, autocommit=True) as con:
        con.execute("CREATE TABLE customer (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(StoreError, match="a PostgreSQL database, but not a sandyq store .*customer"):
        Store(pg_empty)
    with psycopg.connect(pg_empty) as con:
        tables = con.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
        assert [r[0] for r in tables] == ["customer"]


def _wrong(url: str, part: str, value: str) -> str:
    head, tail = url.split("@", 1)
    host, db = tail.split("/", 1)
    return {"password": f"{head.rsplit(':', 1)[0]}:{value}@{tail}", "port": f"{head}@127.0.0.1:{value}/{db}",
            "db": f"{head}@{host}/{value}"}[part]  # fmt: skip


@pytest.mark.parametrize(
    ("part", "value", "message"),
    [
        ("password", "wrong", "refused the user or password"),
        ("port", "1", "cannot reach the PostgreSQL server"),
        ("port", "notaport", "not a PostgreSQL URL sandyq can use"),
        ("db", "no_such_database_here", "no such database"),
    ],
    ids=["password", "server down", "bad url", "no database"],
)
def test_a_wrong_url_or_a_server_that_is_down_is_a_clear_error(
    pg_url: str, part: str, value: str, message: str
) -> None:
    url = _wrong(pg_url, part, value)
    with pytest.raises(StoreError, match=message) as info:
        Store(url)
    assert ":sandyq@" not in str(info.value) and ":wrong@" not in str(info.value)
    result = runner.invoke(app, ["--db", url, "check"])
    assert result.exit_code == 2 and message in result.stderr and "Traceback" not in result.output

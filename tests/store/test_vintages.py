"""Every revision stays reachable: vintages to the microsecond, date-time as-of, notes and exact values."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from typer.testing import CliRunner

from sandyq.errors import LoadError, SandyqError
from sandyq.framework import as_of_bound, parse_vintage
from sandyq.outputs.cli import app
from sandyq.store import SCHEMA_VERSION, Store

runner = CliRunner()


def _row(value: float = 94.7, *, note: str | None = None, unit: str = "PT", status: str | None = None) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator": ["17-8-1"],
            "geo": ["KAZ"],
            "period": ["2023"],
            "dims": [""],
            "source": ["kz-sdg"],
            "value": [value],
            "unit": [unit],
            "status": [status],
            "note": [note],
        }
    )


def _load(store: Store, frame: pd.DataFrame, vintage: str | datetime | None = None) -> tuple[int, int, int]:
    r = store.load_frame(frame, file="t.csv", format="tidy", vintage=vintage)
    return r.added, r.revised, r.unchanged


def test_three_loads_on_one_day_without_a_vintage_are_each_reachable(store: Store) -> None:
    for value in (1.0, 2.0, 3.0):
        _load(store, _row(value))
    history = store.history("17-8-1", "KAZ", "2023")
    assert history["value"].tolist() == [1.0, 2.0, 3.0]
    vintages = [v.to_pydatetime() for v in history["vintage"]]
    assert vintages == sorted(set(vintages))  # three distinct vintages, in load order
    for value, vintage in zip((1.0, 2.0, 3.0), vintages, strict=True):
        assert store.observations("17-8-1", as_of=vintage)["value"].item() == value
        exact = vintage.isoformat(timespec="microseconds")
        assert store.observations("17-8-1", as_of=exact)["value"].item() == value
    assert store.observations("17-8-1", as_of=vintages[0] - timedelta(microseconds=1)).empty


def test_default_vintages_keep_load_order_when_the_clock_goes_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sandyq.store._store as module

    first = datetime(2025, 5, 1, 12, 0, 0, 500000)
    monkeypatch.setattr(module, "_now", lambda: first)
    _load(store, _row(1.0))
    monkeypatch.setattr(module, "_now", lambda: first - timedelta(hours=1))  # the clock was set back
    _load(store, _row(2.0))
    history = store.history("17-8-1", "KAZ", "2023")
    assert history["vintage"].tolist() == [pd.Timestamp(first), pd.Timestamp(first + timedelta(microseconds=1))]
    assert store.observations("17-8-1")["value"].item() == 2.0


def test_a_changed_note_is_a_revision(store: Store) -> None:
    assert _load(store, _row(note="preliminary"), "2025-01-01") == (1, 0, 0)
    assert _load(store, _row(note="final"), "2025-02-01") == (0, 1, 0)
    assert _load(store, _row(note="final"), "2025-03-01") == (0, 0, 1)
    assert store.history("17-8-1", "KAZ", "2023")["note"].tolist() == ["preliminary", "final"]
    assert store.observations("17-8-1", as_of="2025-01-31")["note"].item() == "preliminary"
    assert _load(store, _row(note=None), "2025-04-01") == (0, 1, 0)  # a note withdrawn is a revision too


def test_a_changed_note_in_the_same_vintage_is_a_conflict(store: Store) -> None:
    _load(store, _row(note="preliminary"), "2025-01-01")
    with pytest.raises(LoadError, match="same vintage") as info:
        _load(store, _row(note="final"), "2025-01-01")
    assert "note 'preliminary'" in str(info.value) and "note 'final'" in str(info.value)


@pytest.mark.parametrize(
    ("old", "new", "revised"),
    [
        (1.5e14, 1.5e14 + 100, True),  # a relative change of 7e-13: a revision all the same
        (1.5e14, 1.5e14, False),
        (0.1 + 0.2, 0.3, True),  # they differ in the last bit: stored DOUBLEs are compared exactly (0 ulp)
        (94.7, 94.7, False),
        (0.0, -0.0, False),  # the one pair of distinct DOUBLEs that compare equal
    ],
)
def test_values_are_compared_exactly_as_stored(store: Store, old: float, new: float, revised: bool) -> None:
    _load(store, _row(old), "2025-01-01")
    assert _load(store, _row(new), "2025-02-01") == (0, int(revised), int(not revised))
    assert store.observations("17-8-1")["value"].item() == (new if revised else old)


def test_values_that_are_not_finite_are_refused(store: Store) -> None:
    frame = pd.concat([_row(1.0), _row(float("nan")).assign(period="2022"), _row(float("inf")).assign(period="2021")])
    with pytest.raises(LoadError, match="2 values are not finite") as info:
        store.load_frame(frame, file="t.csv", format="tidy")
    assert "17-8-1 KAZ 2022: value nan" in str(info.value)
    assert store.count() == 0


@pytest.mark.parametrize(
    ("text", "bound"),
    [
        ("2025-03-01", datetime(2025, 3, 1, 23, 59, 59, 999999)),
        ("2025-03-01T10", datetime(2025, 3, 1, 10, 59, 59, 999999)),
        ("2025-03-01T10:30", datetime(2025, 3, 1, 10, 30, 59, 999999)),
        ("2025-03-01 10:30:15", datetime(2025, 3, 1, 10, 30, 15, 999999)),
        ("2025-03-01T10:30:15.25", datetime(2025, 3, 1, 10, 30, 15, 259999)),
        ("2025-03-01T10:30:15.123456", datetime(2025, 3, 1, 10, 30, 15, 123456)),
        ("2025-03-01T10:30:15Z", datetime(2025, 3, 1, 10, 30, 15, 999999)),
        ("2025-03-01T15:30:15+05:00", datetime(2025, 3, 1, 10, 30, 15, 999999)),
        ("20250301T103015", datetime(2025, 3, 1, 10, 30, 15, 999999)),
    ],
)
def test_as_of_takes_dates_and_date_times(text: str, bound: datetime) -> None:
    assert as_of_bound(text) == bound


def test_vintages_take_zones_and_fractions() -> None:
    assert parse_vintage("2025-03-01T15:30:15.5+05:00") == datetime(2025, 3, 1, 10, 30, 15, 500000)
    now = parse_vintage(None)
    assert now.tzinfo is None and abs(now - datetime.now(UTC).replace(tzinfo=None)) < timedelta(seconds=5)


@pytest.mark.parametrize("text", ["yesterday", "2025-13-01", "2025-03-01T25:00", "2025-03-01T10:00+99:00"])
def test_bad_as_of_is_a_clear_error(text: str) -> None:
    with pytest.raises(SandyqError, match="not a date"):
        as_of_bound(text)


def test_cli_three_loads_and_show_as_of_each(tmp_path: Path) -> None:
    db = tmp_path / "v.duckdb"
    shown = []
    for value in ("50.5", "60.5", "70.5"):
        data = tmp_path / "data.csv"
        data.write_text(f"INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n17-8-1,KAZ,2023,{value}\n", encoding="utf-8")
        result = runner.invoke(app, ["--db", str(db), "load", str(data), "--source", "kz-sdg"])
        assert result.exit_code == 0, result.output
        assert "1 added" in result.stderr or "1 revised" in result.stderr
        out = runner.invoke(app, ["--db", str(db), "show", "17-8-1", "--geo", "KAZ", "--format", "json"])
        (record,) = json.loads(out.stdout)
        shown.append(record)
    assert [r["value"] for r in shown] == [50.5, 60.5, 70.5]
    for record in shown:  # the vintage as shown reaches that load exactly
        out = runner.invoke(
            app, ["--db", str(db), "show", "17-8-1", "--geo", "KAZ", "--as-of", record["vintage"], "--format", "json"]
        )
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout)[0]["value"] == record["value"]
    bad = runner.invoke(app, ["--db", str(db), "show", "17-8-1", "--as-of", "2025-03-01T99"])
    assert bad.exit_code == 2 and "is not a date or a date-time" in bad.stderr


def test_version_2_store_is_migrated_with_its_data(tmp_path: Path) -> None:
    from sandyq.store._schema import MIGRATIONS

    path = tmp_path / "v2.duckdb"
    con = duckdb.connect(str(path))
    for stmt in MIGRATIONS[1] + MIGRATIONS[2]:
        con.execute(stmt)
    con.execute("INSERT INTO meta VALUES ('schema_version', '2')")
    con.execute(
        """INSERT INTO load VALUES (1, 'a.csv', 'tidy', 'kz-sdg', '2024-10-24', '2024-10-24 10:00:00', NULL,
                                    1, 1, 0, 0, '0.1.0')"""
    )
    con.execute(
        "INSERT INTO observation VALUES "
        "('17-8-1', 'KAZ', '2023', '', 'kz-sdg', '2024-10-24', 94.7, 'PT', NULL, NULL, 1)"
    )
    con.close()
    with pytest.raises(SandyqError, match="needs a migration"):
        Store(path, read_only=True)
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION == 5
        assert s.data_version() == 0
        assert s.observations()["value"].tolist() == [94.7]
        assert _load(s, _row(95.0)) == (0, 1, 0)
        assert s.data_version() == 1
    with Store(path, read_only=True) as s:
        assert s.schema_version == 5 and s.count() == 2

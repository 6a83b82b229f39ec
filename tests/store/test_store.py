"""The store: round trips, vintages and "as of" reads, atomic loads, schema versions."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sandyq import load_file
from sandyq.errors import LoadError, SandyqError
from sandyq.framework import Framework
from sandyq.store import SCHEMA_VERSION, Loading, Store
from tests.conftest import SDG_RAW


def _load_internet(store: Store, framework: Framework, vintage: str = "2024-10-24") -> None:
    load_file(store, SDG_RAW / "indicator_17-8-1.csv", framework, source="kz-sdg", default_geo="KAZ", vintage=vintage)


def test_internet_share_by_region_round_trips(store: Store, framework: Framework) -> None:
    _load_internet(store, framework)
    raw = pd.read_csv(SDG_RAW / "indicator_17-8-1.csv", dtype={"REF_AREA": str})
    regional = raw[raw["REF_AREA"].notna() & raw["SEX"].isna() & raw["URBANISATION"].isna()]
    got = store.observations("17-8-1", dims="")
    got = got[got["geo"] != "KAZ"]
    assert len(got) == len(regional) > 200
    crosswalk = framework.geography.crosswalk("sdg")
    expected = {(crosswalk[r.REF_AREA], str(r.Year)): r.Value for r in regional.itertuples()}
    actual = {(r.geo, r.period): r.value for r in got.itertuples()}
    assert actual == pytest.approx(expected, rel=0, abs=0)
    assert set(got["unit"]) == {"PT"} and set(got["source"]) == {"kz-sdg"}


def test_astana_is_found_under_kz_71(store: Store, framework: Framework) -> None:
    _load_internet(store, framework)
    astana = store.observations("17-8-1", "KZ-71", dims="")
    assert astana["period"].tolist()[0] == "2011"
    assert len(astana) == 13  # 2011–2023
    assert store.observations("17-8-1", "KZNS").empty  # stored under the canonical code only


def test_south_kazakhstan_ends_in_2017(store: Store, framework: Framework) -> None:
    _load_internet(store, framework)
    south = store.observations("17-8-1", "KZ-YUZ", dims="")
    assert south["year"].max() == 2017
    assert store.observations("17-8-1", "KZ-61", dims="")["year"].min() == 2018


def test_national_disaggregations_are_kept(store: Store, framework: Framework) -> None:
    _load_internet(store, framework)
    kaz = store.observations("17-8-1", "KAZ", start=2023, end=2023)
    assert set(kaz["dims"]) >= {"", "sex=F", "sex=M", "urbanisation=R", "urbanisation=U"}
    total = kaz.loc[kaz["dims"] == "", "value"].item()
    assert total == pytest.approx(94.7)


def test_loading_twice_changes_nothing(store: Store, framework: Framework) -> None:
    _load_internet(store, framework)
    before = (store.count(), len(store.loads()))
    _load_internet(store, framework)
    _load_internet(store, framework, vintage="2025-01-01")  # same values, later vintage: still nothing new
    assert (store.count(), len(store.loads())) == before


def _revised_copy(tmp_path: Path, factor: float) -> Path:
    raw = (SDG_RAW / "indicator_17-8-1.csv").read_text(encoding="utf-8").splitlines()
    head, rows = raw[0], raw[1:]
    out = [head]
    for line in rows:
        parts = line.split(",")
        if parts[0] == "2023" and parts[4] == "KZNS":
            parts[5] = str(round(float(parts[5]) * factor, 3))
        out.append(",".join(parts))
    path = tmp_path / "indicator_17-8-1.csv"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def test_revision_adds_a_vintage_and_old_value_stays_readable(
    store: Store, framework: Framework, tmp_path: Path
) -> None:
    _load_internet(store, framework, vintage="2024-10-24")
    old = store.observations("17-8-1", "KZ-71", start=2023, end=2023, dims="")["value"].item()
    (report,) = load_file(
        store, _revised_copy(tmp_path, 0.9), framework, source="kz-sdg", default_geo="KAZ", vintage="2025-03-01"
    )
    assert (report.added, report.revised) == (0, 1)
    now = store.observations("17-8-1", "KZ-71", start=2023, end=2023, dims="")
    assert now["value"].item() == pytest.approx(round(old * 0.9, 3))
    assert str(now["vintage"].item().date()) == "2025-03-01"
    then = store.observations("17-8-1", "KZ-71", start=2023, end=2023, dims="", as_of="2024-12-31")
    assert then["value"].item() == old
    assert store.observations("17-8-1", as_of="2024-10-23").empty  # nothing was published yet
    history = store.history("17-8-1", "KZ-71", "2023")
    assert history["value"].tolist() == [old, pytest.approx(round(old * 0.9, 3))]


def test_changed_value_in_same_vintage_is_refused(store: Store, framework: Framework, tmp_path: Path) -> None:
    _load_internet(store, framework, vintage="2024-10-24")
    before = store.count()
    with pytest.raises(LoadError, match="same vintage"):
        load_file(
            store, _revised_copy(tmp_path, 0.95), framework, source="kz-sdg", default_geo="KAZ", vintage="2024-10-24"
        )
    assert store.count() == before


def test_failure_in_the_middle_of_a_load_leaves_store_unchanged(
    store: Store, framework: Framework, monkeypatch: pytest.MonkeyPatch
) -> None:
    _load_internet(store, framework)
    before = store.observations()
    loads_before = store.loads()

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full (injected)")

    # Observations and the load record are inserted first, then the load's issues: fail in between.
    monkeypatch.setattr(Loading, "_record_issues", boom)
    with pytest.raises(RuntimeError, match="injected"):
        load_file(
            store, SDG_RAW / "indicator_5-b-1.csv", framework, source="kz-sdg", default_geo="KAZ", vintage="2024-10-24"
        )
    monkeypatch.undo()
    pd.testing.assert_frame_equal(store.observations(), before)
    pd.testing.assert_frame_equal(store.loads(), loads_before)
    # and the store still works afterwards
    (report,) = load_file(
        store, SDG_RAW / "indicator_5-b-1.csv", framework, source="kz-sdg", default_geo="KAZ", vintage="2024-10-24"
    )
    assert report.added > 1000


def test_interrupted_process_leaves_file_store_unchanged(tmp_path: Path, framework: Framework) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        _load_internet(s, framework)
        n = s.count()
    # Simulate a crash: start a transaction, write, and drop the connection without committing.
    con = duckdb.connect(str(path))
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM observation")
    con.close()
    with Store(path, read_only=True) as s:
        assert s.count() == n


def test_schema_is_versioned_and_newer_stores_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION + 1)])
    con.close()
    with pytest.raises(SandyqError, match="upgrade sandyq"):
        Store(path)


def test_missing_store_read_only_says_run_init(tmp_path: Path) -> None:
    with pytest.raises(SandyqError, match="sandyq init"):
        Store(tmp_path / "none.duckdb", read_only=True)


def test_version_1_store_is_migrated(tmp_path: Path) -> None:
    from sandyq.store._schema import MIGRATIONS

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    for stmt in MIGRATIONS[1]:
        con.execute(stmt)
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.close()
    with Store(path) as s:
        assert s.schema_version == SCHEMA_VERSION == 5
        assert s.stored_indicators() == {}


def test_imported_indicator_metadata_joins_the_framework(tmp_path: Path, framework: Framework) -> None:
    import sandyq
    from sandyq.framework import Indicator, Text

    extra = Indicator(
        id="17-2-1", name=Text(kk="a", ru="б", en="Official development assistance"), unit="USD", source="kz-sdg"
    )
    path = tmp_path / "s.duckdb"
    with Store(path) as s:
        s.register_sources(framework.sources.values())
        s.save_indicators({extra.id: extra.model_dump_json()}, origin="test")
    with sandyq.connect(path, read_only=True) as m:
        assert m.framework.indicator("17-2-1").name.en == "Official development assistance"
        assert m.framework.indicator("17-8-1").unit == "PT"  # the YAML framework still wins

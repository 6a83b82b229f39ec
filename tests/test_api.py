"""The Python API over the default content: init, idempotency, and facts from the bundled data."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import sandyq
from sandyq.analytics.reader import Reader


def test_init_builds_the_default_store(default_monitor: sandyq.Monitor) -> None:
    store = default_monitor.store
    assert store.count() > 100_000
    # 12 bundled files + 16 of kz-programme-targets (one per publication date, issue 12) + the two composite indices
    assert len(store.loads()) == 32
    assert set(store.sources()["id"]) >= {"seed-000", "seed-004", "kz-sdg", "wdi", "gapminder", "un-egov", "kz-bns"}


def test_init_again_changes_nothing(default_db: Path, tmp_path: Path) -> None:
    copy = tmp_path / "again.duckdb"
    shutil.copy(default_db, copy)
    with sandyq.connect(copy, read_only=True) as m:
        before = (m.store.count(), len(m.store.loads()), len(m.store.load_issues()))
    report = sandyq.init(copy)
    assert (report.added, report.revised) == (0, 0) and report.unchanged > 100_000
    with sandyq.connect(copy, read_only=True) as m:
        assert (m.store.count(), len(m.store.loads()), len(m.store.load_issues())) == before


def test_two_sources_for_kazakhstan_internet_use(default_monitor: sandyq.Monitor) -> None:
    # SOURCE notes: 94.7 on the national SDG platform (age 6-74) vs 92.9 in WDI/ITU for 2023.
    national = default_monitor.observations("17-8-1", "KAZ", start=2023, end=2023)
    itu = default_monitor.observations("IT.NET.USER.ZS", "KAZ", start=2023, end=2023)
    assert national["value"].item() == pytest.approx(94.7)
    assert itu["value"].item() == pytest.approx(92.88, abs=0.01)
    assert (national["source"].item(), itu["source"].item()) == ("kz-sdg", "gapminder")


def test_known_source_problems_are_recorded_not_hidden(default_monitor: sandyq.Monitor) -> None:
    issues = default_monitor.store.load_issues()
    counts = issues.groupby("kind").size().to_dict()
    assert counts == {"duplicate_conflict": 1, "not_assessed": 22, "out_of_range": 7}
    lte = issues[issues["kind"] == "duplicate_conflict"].iloc[0]
    assert (lte["indicator"], lte["period"], lte["value"]) == ("9-c-1", "2023", pytest.approx(89.2))
    kept = default_monitor.observations("9-c-1", "KAZ", start=2023, end=2023, dims={"series": "_L_KZ_090c01_1C"})
    assert kept["value"].item() == pytest.approx(87.3)


def test_egdi_zero_means_not_assessed(default_monitor: sandyq.Monitor) -> None:
    libya = default_monitor.observations("EGDI", "LBY")
    assert 2012 not in set(libya["year"]) and 2014 in set(libya["year"])
    kaz = default_monitor.observations("EGDI.RANK", "KAZ").set_index("year")["value"]
    assert kaz.to_dict() == {2010: 46, 2012: 38, 2014: 28, 2016: 33, 2018: 39, 2022: 28}  # SOURCE note


def test_regions_and_boundaries(default_monitor: sandyq.Monitor) -> None:
    internet = default_monitor.observations("17-8-1")
    regions = internet[internet["geo"].str.startswith("KZ-")]
    per_year = regions.groupby("year")["geo"].nunique()
    # 14 oblasts + Astana + Almaty until 2017; + Shymkent from 2018; + Abai, Jetisu, Ulytau from 2022.
    assert per_year.loc[2011:2017].eq(16).all()
    assert per_year.loc[2018:2021].eq(17).all() and per_year.loc[2022:2023].eq(20).all()


def test_indicators_of_the_programme(default_monitor: sandyq.Monitor) -> None:
    frame = default_monitor.indicators("digital-kazakhstan")
    ids = set(frame["id"])
    assert {"ITU.IDI.RANK", "kz.ecommerce_share", "17-8-1"} <= ids
    row = frame.set_index("id").loc["17-8-1"]
    assert row["unit"] == "PT" and row["observations"] > 200 and row["first_year"] == 2011
    ru = default_monitor.indicators(language="ru").set_index("id")
    assert "Интернет" in ru.loc["17-8-1", "name"]


def test_unknown_ids_raise_not_found(default_monitor: sandyq.Monitor) -> None:
    with pytest.raises(sandyq.NotFoundError, match="unknown indicator"):
        default_monitor.observations("nope")
    with pytest.raises(sandyq.NotFoundError, match="unknown geography"):
        default_monitor.observations("17-8-1", "Atlantis")


def test_derived_indicator_is_computed_on_read(default_monitor: sandyq.Monitor) -> None:
    rows = default_monitor.observations("kz.internet_users_per100", "KAZ")
    derived = rows[rows["source"] == "derived"].set_index("year")
    printed = rows[rows["source"] == "seed-000"].set_index("year")
    # Table 4: 5,154,157 users of 16,310,624 people in 2010 = 31.6 per 100, printed as 32.
    assert derived.loc[2010, "value"] == pytest.approx(31.60, abs=1e-4)
    assert printed.loc[2010, "value"] == 32
    assert (derived["status"] == "derived").all()
    assert "kz.internet_users [seed-000" in derived.loc[2010, "note"]  # inputs from the table's own source
    assert str(derived.loc[2010, "vintage"].date()) == "2020-06-30"
    only_stored = default_monitor.observations("kz.internet_users_per100", "KAZ", derived=False)
    assert set(only_stored["source"]) == {"seed-000"}


def test_a_monitor_is_what_the_analytics_read(default_monitor: sandyq.Monitor) -> None:
    """The analytics take a :class:`Reader` (they never import the API); a Monitor is one, structurally."""
    reader: Reader = default_monitor  # checked by mypy: Monitor satisfies the protocol
    assert isinstance(reader, Reader)
    assert reader.observations("17-8-1", "KAZ").equals(default_monitor.observations("17-8-1", "KAZ"))

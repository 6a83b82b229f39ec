"""Every audit rule on planted errors: small files loaded into an in-memory store.

Each test plants an inconsistency (and a near miss that must *not* be reported)
and checks that the generic rule finds exactly the planted one, with the figures,
severity and tolerance it should report.  Growth indicators are linked to their
base series by the documented naming convention, tested here on made-up
indicators (``test.widgets.aagr``, ``test.widgets_growth``, ``ns.gadgets.aagr``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import sandyq
from sandyq import load_file
from sandyq.analytics.audit import AuditOptions, Finding, audit, growth_links
from sandyq.framework import Framework, Indicator, Text
from sandyq.store import Store

T = Text(kk="x", ru="x", en="x")
PLANTED = [
    Indicator(id="test.widgets", name=T, unit="NUMBER", source="kz-sdg"),
    Indicator(id="test.widgets.aagr", name=T, unit="GROWTH_INDEX_PT", source="kz-sdg", decimals=1),
    Indicator(id="test.widgets_growth", name=T, unit="RATE_PT", source="kz-sdg", decimals=1),
    Indicator(id="gadgets", name=T, unit="NUMBER", source="wdi"),
    Indicator(id="ns.gadgets.aagr", name=T, unit="GROWTH_INDEX_PT", source="kz-sdg"),
    Indicator(id="test.shares", name=T, unit="PT", source="kz-sdg"),
    Indicator(id="test.shares.aagr", name=T, unit="PT", source="kz-sdg"),  # not a growth unit: not linked
]


@pytest.fixture(scope="module")
def planted_framework(framework: Framework) -> Framework:
    return framework.with_indicators({i.id: i.model_dump_json() for i in PLANTED})


@pytest.fixture
def monitor(planted_framework: Framework) -> Iterator[sandyq.Monitor]:
    with sandyq.Monitor(Store(":memory:"), planted_framework) as m:
        yield m


def load(
    m: sandyq.Monitor, tmp_path: Path, rows: list[dict[str, Any]], name: str = "planted.csv", **options: Any
) -> None:
    frame = pd.DataFrame(rows)
    frame.insert(0, "INDICATOR", frame.pop("INDICATOR"))
    path = tmp_path / name
    frame.to_csv(path, index=False)
    load_file(m.store, path, m.framework, vintage=options.pop("vintage", "2024-01-01"), **options)


def obs(indicator: str, geo: str, year: int | str, value: float, source: str = "kz-sdg", **dims: str) -> dict[str, Any]:
    return {
        "INDICATOR": indicator,
        "REF_AREA": geo,
        "TIME_PERIOD": str(year),
        "OBS_VALUE": value,
        "SOURCE": source,
        **dims,
    }


def only(findings: list[Finding], rule: str, **where: Any) -> list[Finding]:
    return [f for f in findings if f.rule == rule and all(getattr(f, k) == v for k, v in where.items())]


# -- derived figures -----------------------------------------------------------------------------------------------


def test_growth_links_follow_the_naming_convention(planted_framework: Framework) -> None:
    links = growth_links(planted_framework).set_index("indicator")
    assert links.loc["test.widgets.aagr", ["base", "kind", "measure"]].tolist() == ["test.widgets", "average", "index"]
    assert links.loc["test.widgets_growth", ["base", "kind", "measure"]].tolist() == ["test.widgets", "chain", "rate"]
    assert links.loc["ns.gadgets.aagr", "base"] == "gadgets"  # the namespace "ns." is dropped to find the base
    assert "test.shares.aagr" not in links.index  # unit PT is not a growth unit
    assert links.loc["kz.internet_users_growth", "base"] == "kz.internet_users"  # and the bundled ones


def test_average_growth_over_the_window(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    levels = [obs("test.widgets", "KAZ", y, v) for y, v in [(2010, 100), (2011, 110), (2012, 121), (2015, 200)]]
    printed = [
        obs("test.widgets.aagr", "KAZ", 2012, 110.0, WINDOW="2010-2012"),  # (121/100)^(1/2) = 110.0: right
        obs("test.widgets.aagr", "KAZ", 2015, 110.0, WINDOW="2010-2015"),  # 2^(1/5) = 114.9: wrong
        obs("test.widgets.aagr", "KAZ", 2013, 110.0, WINDOW="2009-2013"),  # no 2009 level: unverifiable
    ]
    load(monitor, tmp_path, levels + printed)
    found = audit(monitor, "test.widgets.aagr", rules=["derived"])
    (bad,) = only(found, "average_growth")
    assert (bad.period, bad.dims, bad.severity, bad.found) == ("2015", "window=2010-2015", "error", 110.0)
    assert bad.expected == pytest.approx(2**0.2 * 100)
    assert bad.figures["decimals"] == 0 and bad.figures["rounded"] == 115.0  # "110.0" is stored as 110: 0 decimals
    (unverifiable,) = only(found, "unverifiable")
    assert unverifiable.dims == "window=2009-2013" and "2009" in unverifiable.message


def test_growth_on_the_previous_year(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    levels = [obs("test.widgets", "KAZ", y, v) for y, v in [(2010, 100), (2011, 110), (2012, 121), (2015, 200)]]
    printed = [
        obs("test.widgets_growth", "KAZ", 2011, 10.0),
        obs("test.widgets_growth", "KAZ", 2012, 5.0),
        obs("test.widgets_growth", "KAZ", 2015, 20.0),
    ]
    load(monitor, tmp_path, levels + printed)
    found = audit(monitor, "test.widgets_growth")
    (bad,) = only(found, "growth")
    assert (bad.period, bad.found, bad.expected, bad.severity) == ("2012", 5.0, pytest.approx(10.0), "error")
    (gap,) = only(found, "unverifiable")
    assert gap.period == "2015" and "2013–2014" in gap.message


def test_inputs_from_another_source_make_a_warning(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    levels = [obs("gadgets", "KAZ", 2010, 100, "wdi"), obs("gadgets", "KAZ", 2014, 146.41, "wdi")]
    printed = [obs("ns.gadgets.aagr", "KAZ", 2014, 105.0, WINDOW="2010-2014")]  # 1.1 → 110.0
    load(monitor, tmp_path, levels + printed)
    (f,) = audit(monitor, "ns.gadgets.aagr")
    assert (f.rule, f.severity, f.sources, f.expected) == (
        "average_growth",
        "warning",
        ("kz-sdg", "wdi"),
        pytest.approx(110.0),
    )


def test_formula_checked_at_the_printed_precision(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    users, pop, per100 = "kz.internet_users", "SP.POP.TOTL", "kz.internet_users_per100"
    rows = [
        obs(users, "KAZ", 2010, 5_000_000, "seed-000"),
        obs(pop, "KAZ", 2010, 10_000_000, "seed-000"),
        obs(per100, "KAZ", 2010, 48, "seed-000"),  # 50 per 100: wrong
        obs(users, "KAZ", 2011, 6_049_000, "seed-000"),
        obs(pop, "KAZ", 2011, 10_000_000, "seed-000"),
        obs(per100, "KAZ", 2011, 60, "seed-000"),  # 60.49 printed as a whole number: right
        obs(per100, "KAZ", 2012, 70, "seed-000"),  # no inputs
        obs(users, "KAZ", 2013, 7_000_000, "wdi"),
        obs(pop, "KAZ", 2013, 10_000_000, "wdi"),
        obs(per100, "KAZ", 2013, 75, "seed-000"),  # 70 from another source's inputs
    ]
    load(monitor, tmp_path, rows)
    found = audit(monitor, per100, rules=["derived"])
    assert [(f.rule, f.period, f.severity) for f in found] == [
        ("formula", "2010", "error"),
        ("formula", "2013", "warning"),
        ("unverifiable", "2012", "info"),
    ]
    assert found[0].expected == pytest.approx(50.0) and found[0].tolerance.startswith("±0.5")
    assert set(found[0].related) == {users, pop}


# -- totals --------------------------------------------------------------------------------------------------------


def test_regions_against_the_country(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    geo = monitor.framework.geography
    rows = []
    # each year: every region existing that year has 10.0 thousand subscribers, except where noted
    totals = {2018: 200.0, 2019: 170.8, 2020: 190.0, 2021: 150.0, 2023: 100.0}
    for year, total in totals.items():
        regions = [u.code for u in geo.regions(year=year)]
        if year == 2018:
            regions = regions[1:]  # one region missing and the parts short: nothing can be said
        if year == 2023:
            regions = regions[:16]  # four missing, but the parts already exceed the total
        rows += [obs("17-6-2", g, year, 10.0) for g in regions] + [obs("17-6-2", "KAZ", year, total)]
        rows += [obs("17-8-1", g, year, 50.0) for g in regions] + [obs("17-8-1", "KAZ", year, 80.0)]  # % don't add
    load(monitor, tmp_path, rows)
    found = {str(f.period): f for f in audit(monitor, rules=["regions_total"])}
    assert sorted(found) == ["2020", "2021", "2023"]  # 2019: 0.8 apart, within the rounding of 18 figures (±0.9)
    assert (found["2020"].severity, found["2020"].found, found["2020"].expected) == ("warning", 170.0, 190.0)
    assert found["2021"].severity == "error" and found["2023"].severity == "error"
    assert "only 16 of 20 regions" in found["2023"].message
    assert {f.indicator for f in found.values()} == {"17-6-2"}


def test_categories_against_the_total(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    rows = [
        obs("17-6-2", "KAZ", 2015, 100.0),
        obs("17-6-2", "KAZ", 2015, 60.0, SERIES="A"),
        obs("17-6-2", "KAZ", 2015, 30.0, SERIES="B"),  # 90 of 100: short by 10 %
        obs("17-6-2", "KAZ", 2016, 100.0),
        obs("17-6-2", "KAZ", 2016, 60.0, SERIES="A"),
        obs("17-6-2", "KAZ", 2016, 50.0, SERIES="B"),  # 110 of 100: more than the whole
        obs("17-6-2", "KAZ", 2017, 100.0),
        obs("17-6-2", "KAZ", 2017, 60.0, SERIES="A"),  # B missing: can't say
        obs("17-6-2", "KAZ", 2018, 100.0),
        obs("17-6-2", "KAZ", 2018, 60.1, SERIES="A"),
        obs("17-6-2", "KAZ", 2018, 40.0, SERIES="B"),  # 100.1: rounding
    ]
    load(monitor, tmp_path, rows)
    found = audit(monitor, rules=["parts_total"])
    assert [(f.period, f.severity, f.found) for f in found] == [("2016", "error", 110.0), ("2015", "warning", 90.0)]
    assert found[1].figures["dimension"] == "series" and found[1].expected == 100.0


# -- duplicates and sources ----------------------------------------------------------------------------------------


def test_one_key_with_two_values(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    rows = [
        obs("9-c-1", "KAZ", 2023, 87.3, SERIES="LTE"),
        obs("9-c-1", "KAZ", 2023, 89.2, SERIES="LTE"),
        obs("9-c-1", "KAZ", 2022, 80.0, SERIES="LTE"),
    ]
    load(monitor, tmp_path, rows, duplicates="first")
    (f,) = audit(monitor, rules=["duplicate_key"])
    assert (f.severity, f.period, f.dims, f.figures["kept"], f.figures["set_aside"]) == (
        "error",
        "2023",
        "series=LTE",
        87.3,
        89.2,
    )


def test_same_statistic_from_two_sources(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    rows = [
        obs("IT.CEL.SETS.P2", "KAZ", 2017, 145.4, "seed-000"),
        obs("IT.CEL.SETS.P2", "KAZ", 2017, 143.113, "wdi"),
        obs("IT.CEL.SETS.P2", "KAZ", 2016, 150.0, "seed-000"),
        obs("IT.CEL.SETS.P2", "KAZ", 2016, 139.051, "wdi"),
        obs("IT.CEL.SETS.P2", "KAZ", 2015, 145.5, "seed-000"),
        obs("IT.CEL.SETS.P2", "KAZ", 2015, 145.482, "wdi"),
        obs("17-8-1", "KAZ", 2023, 94.7),
        obs("IT.NET.USER.ZS", "KAZ", 2023, 92.9, "gapminder"),
    ]
    load(monitor, tmp_path, rows)
    found = {str(f.period): f for f in audit(monitor, rules=["source_disagreement"])}
    assert sorted(found) == ["2016", "2017"]  # 2015 agrees after rounding; 17-8-1 is not IT.NET.USER.ZS
    assert found["2016"].severity == "warning" and found["2017"].severity == "info"
    assert found["2016"].sources == ("seed-000", "wdi") and "7.3 %" in found["2016"].message
    loose = audit(monitor, rules=["source_disagreement"], options=AuditOptions(source_tolerance=0.10))
    assert {f.severity for f in loose} == {"info"}


# -- breaks --------------------------------------------------------------------------------------------------------


def test_boundary_changes_and_units_that_did_not_exist(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    rows = [obs("17-8-1", g, y, 90.0 + y - 2020) for g in ("KZ-63", "KZ-71") for y in range(2020, 2024)]
    rows += [obs("17-8-1", "KZ-10", 2021, 88.0), obs("17-8-1", "KZ-10", 2022, 89.0)]
    load(monitor, tmp_path, rows)
    found = audit(monitor, rules=["breaks"])
    changes = {str(f.geo): f for f in only(found, "boundary_change")}
    assert sorted(changes) == ["KZ-10", "KZ-63"]  # Abai's own values start before it was created
    change = changes["KZ-63"]
    assert (change.geo, change.period, change.severity) == ("KZ-63", "2022", "warning")
    assert "KZ-10" in change.message and change.figures == {"2021": 91.0, "2022": 92.0, "change_date": "2022-06-08"}
    (ghost,) = only(found, "nonexistent_unit")
    assert (ghost.geo, ghost.period, ghost.figures["years"]) == ("KZ-10", "2021", "2021")
    assert "published from 2022" in ghost.message


def test_gaps_jumps_and_flagged_breaks(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    smooth = {2010 + i: 50.0 + i for i in range(10)}
    jumped = {y: v + (30 if y >= 2015 else 0) for y, v in smooth.items()}
    rows = [obs("17-8-1", "KZ-11", y, v) for y, v in jumped.items()]
    rows += [{**obs("17-8-1", "KZ-15", y, v), "OBS_STATUS": "B" if y == 2015 else ""} for y, v in jumped.items()]
    rows += [obs("17-8-1", "KZ-23", y, v) for y, v in smooth.items()]  # steady: no jump
    rows += [obs("17-8-1", "KAZ", y, 60.0 + y - 2015) for y in (2015, 2016, 2019)]  # 2017–2018 missing
    rows += [obs("17-8-1", "KZ-27", y, v) for y, v in jumped.items() if y < 2015]  # five points: too few to test
    ranks = [46, 46, 46, 46, 12, 46, 46, 46]  # ranks: never a jump (they move with who else is ranked)
    rows += [obs("EGDI.RANK", "KAZ", 2010 + i, r, "un-egov") for i, r in enumerate(ranks)]
    load(monitor, tmp_path, rows)
    found = audit(monitor, rules=["breaks"])
    jumps = {str(f.geo): f for f in only(found, "jump")}
    assert sorted(jumps) == ["KZ-11", "KZ-15"]
    assert (jumps["KZ-11"].severity, jumps["KZ-11"].period, jumps["KZ-11"].figures["2014"]) == ("warning", "2015", 54.0)
    assert jumps["KZ-15"].severity == "info" and "status B" in jumps["KZ-15"].message
    (gap,) = only(found, "gap")
    assert (gap.geo, gap.period, gap.severity, gap.figures["missing"]) == ("KAZ", "2017", "info", "2017–2018")
    (flag,) = only(found, "flagged_break")
    assert (flag.geo, flag.period) == ("KZ-15", "2015")


# -- bounds --------------------------------------------------------------------------------------------------------


def test_values_outside_the_unit(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    load(
        monitor,
        tmp_path,
        [obs("17-8-1", "KZ-75", 2020, 104.0), obs("17-8-1", "KZ-75", 2021, 96.0)],
        out_of_range="set_aside",
    )
    staged = pd.DataFrame(
        {
            "indicator": ["17-8-1", "EGDI.RANK"],
            "geo": ["KZ-71", "KAZ"],
            "period": ["2019", "2022"],
            "dims": "",
            "source": ["kz-sdg", "un-egov"],
            "value": [101.0, 28.5],
            "unit": ["PT", "RANK"],
            "status": None,
            "note": None,
        }
    )
    monitor.store.load_frame(staged, file="by hand", format="tidy", vintage="2024-02-01")  # bypasses the checks
    found = {(str(f.geo), str(f.period)): f for f in audit(monitor, rules=["bounds"])}
    assert sorted(found) == [("KAZ", "2022"), ("KZ-71", "2019"), ("KZ-75", "2020")]
    assert "set aside" in found["KZ-75", "2020"].message and found["KZ-75", "2020"].found == 104.0
    stored = found["KZ-71", "2019"]
    assert "stored value 101" in stored.message and stored.tolerance.endswith("[0, 100]")
    assert "whole numbers" in found["KAZ", "2022"].message
    assert all(f.severity == "error" for f in found.values())


def test_an_empty_store_has_nothing_to_report(monitor: sandyq.Monitor) -> None:
    assert audit(monitor) == []


# -- generic rules that once missed planted errors (issue 14) --------------------------------------------------------


def test_a_national_share_outside_the_range_of_its_regions(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    geo = monitor.framework.geography
    rows = []
    for year, national in {2021: 80.0, 2022: 60.0, 2023: 99.5}.items():
        regions = [u.code for u in geo.regions(year=year)]
        rows += [obs("17-8-1", g, year, 70.0 + i) for i, g in enumerate(regions)]  # 70 … 89
        rows += [obs("17-8-1", "KAZ", year, national)]
    rows += [obs("17-8-1", g, 2020, 70.0) for g in [u.code for u in geo.regions(year=2020)][:5]]
    rows += [obs("17-8-1", "KAZ", 2020, 99.0)]  # five regions only: their range says nothing
    load(monitor, tmp_path, rows)
    found = {str(f.period): f for f in audit(monitor, rules=["ranges"])}
    assert sorted(found) == ["2022", "2023"]  # 2021: 80.0 lies among its regions
    above, below = found["2023"], found["2022"]
    assert (above.rule, above.geo, above.found, above.expected) == ("regions_range", "KAZ", 99.5, 89.0)
    assert (below.found, below.expected) == (60.0, 70.0) and "below the lowest" in below.message
    assert {above.severity, below.severity} == {"error"}


def test_a_share_above_both_sexes(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    rows = [
        obs("17-8-1", "KAZ", 2023, 94.0),
        obs("17-8-1", "KAZ", 2023, 99.0, SEX="F"),
        obs("17-8-1", "KAZ", 2023, 99.0, SEX="M"),  # both sexes above the total: impossible
        obs("17-8-1", "KAZ", 2022, 94.0),
        obs("17-8-1", "KAZ", 2022, 93.0, SEX="F"),
        obs("17-8-1", "KAZ", 2022, 95.0, SEX="M"),  # the total between them: right
        obs("17-8-1", "KAZ", 2021, 94.0),
        obs("17-8-1", "KAZ", 2021, 99.0, SEX="F"),  # men missing: nothing to say
    ]
    load(monitor, tmp_path, rows)
    (f,) = audit(monitor, rules=["parts_range"])
    assert (f.period, f.severity, f.found, f.expected, f.figures["dimension"]) == ("2023", "error", 94.0, 99.0, "sex")


def test_a_fall_from_89_to_45_in_one_region_is_a_warning(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    values = [60.0, 68.0, 66.0, 77.0, 79.0, 87.0, 89.0, 45.0]  # noisy rise, then 44 points down
    load(monitor, tmp_path, [obs("17-8-1", "KZ-31", 2015 + i, v) for i, v in enumerate(values)])
    (f,) = audit(monitor, rules=["jump"])
    assert (f.geo, f.period, f.severity, f.found) == ("KZ-31", "2022", "warning", 45.0)
    assert "25% of the unit's range" in f.message


def test_an_outlier_does_not_hide_behind_its_own_scale(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    # changes −1, −1, −3, −3, −17: with the −17 in its own MAD the scale is 2.97 (4.7 scales, no jump);
    # without it 1.48 (10.1 scales), and the value halves: a warning
    values = [40.0, 39.0, 38.0, 35.0, 32.0, 15.0]
    load(monitor, tmp_path, [obs("IT.NET.BBND.P2", "KAZ", 2015 + i, v, "wdi") for i, v in enumerate(values)])
    (f,) = audit(monitor, rules=["jump"])
    assert (f.period, f.severity) == ("2020", "warning")
    assert f.figures["robust_scale"] == pytest.approx(1.4826) and "halves" in f.message


def test_a_zero_takes_the_precision_of_its_series(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    rows = [
        obs("IT.NET.BBND.P2", "KAZ", 2010, 0.1, "seed-000"),
        obs("IT.NET.BBND.P2", "KAZ", 2010, 0.1, "wdi"),
        obs("IT.NET.BBND.P2", "KAZ", 2011, 0, "seed-000"),  # "0" shows no decimals, but its series has one
        obs("IT.NET.BBND.P2", "KAZ", 2011, 0.408, "wdi"),
        obs("IT.NET.BBND.P2", "KAZ", 2012, 0.9, "wdi"),
        obs("IT.NET.BBND.P2", "KAZ", 2012, 0.91, "seed-000"),  # rounding
    ]
    load(monitor, tmp_path, rows)
    (f,) = audit(monitor, rules=["source_disagreement"])
    assert (f.period, f.severity, f.found, f.expected) == ("2011", "warning", 0.0, 0.408)


def test_values_near_zero_differ_relative_to_their_series(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    level = [
        obs("IT.CEL.SETS.P2", "KAZ", y, 100.0 + y - 2010, s) for y in range(2010, 2015) for s in ("wdi", "seed-000")
    ]
    rows = [obs("IT.CEL.SETS.P2", "KAZ", 2015, 0.012, "wdi"), obs("IT.CEL.SETS.P2", "KAZ", 2015, 0.024, "seed-000")]
    load(monitor, tmp_path, level + rows)
    (f,) = audit(monitor, rules=["source_disagreement"])  # 0.012 apart in a series of about 100: no 50 % gap
    assert (f.period, f.severity) == ("2015", "info") and f.figures["wdi"] == 0.012


def test_a_target_whose_outcome_is_in_the_store_is_judged_on_it(tmp_path: Path) -> None:
    # Digital Kazakhstan's 2018 digital-literacy target (78.5 %, judged on BNS's 6–74 survey series): that series
    # stops in 2017 here, while another BNS series has 79.6 for 2018 — the target would read "not yet available"
    rows = [obs("dk.digital_literacy", "KAZ", y, v, "kz-bns-survey") for y, v in [(2016, 74.0), (2017, 76.2)]]
    rows += [obs("dk.digital_literacy", "KAZ", 2018, 79.6, "kz-bns-6plus")]
    with sandyq.Monitor(Store(":memory:"), sandyq.load_framework()) as m:
        load(m, tmp_path, rows)
        found = {str(f.figures["target"]): f for f in audit(m, rules=["targets"])}
        assert sorted(found) == ["dk-digital-literacy", "dk-digital-literacy-2018"]
        f = found["dk-digital-literacy-2018"]
        assert (f.rule, f.severity, f.period, f.found, f.expected, f.sources) == (
            "target_unjudged",
            "warning",
            "2018",
            79.6,
            78.5,
            ("kz-bns-6plus",),
        )
        assert "judged on kz-bns-survey, which has no 2018 value" in f.message
        load(m, tmp_path, [obs("dk.digital_literacy", "KAZ", 2018, 79.6, "kz-bns-survey")], name="b.csv")
        assert audit(m, rules=["target_unjudged"], severity="warning") == []  # now judged on its own 2018 figure


def test_ranges_without_a_partition_or_regions_find_nothing(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    rows = [obs("9-c-1", "KAZ", 2023, v, SERIES=s) for s, v in [("A", 99.0), ("B", 98.0)]]  # series: no partition
    rows += [obs("9-c-1", "KAZ", 2023, 90.0)]
    load(monitor, tmp_path, rows)
    assert audit(monitor, rules=["ranges"]) == []

"""The consistency audit on the default store finds the real problems its sources document.

Facts asserted (seed article 000 and the SOURCE notes of the bundled data):

* seed 000, Table 2 prints 109.8 for the average annual growth of ICT costs 2007–2017;
  Table 3's own costs give 120.7. Table 4 prints 41.1 % growth of Internet users in
  2017; its own counts give 41.2. Its per-100 figures all agree after rounding.
* kz-sdg-ict SOURCE: 17-6-2's regional bands sum 3–11 % below the national total
  every year; 9-c-1's 2023 LTE coverage is published twice (87.3 and 89.2); 2012 GSM
  coverage 42.1 % is inconsistent with later years (≈86–98 %); seven ICT-skill shares
  for Almaty city (2016–2017) exceed 100 % (up to 368.9 %); East Kazakhstan,
  Almaty Region and Karaganda ceded territory in 2022.
* 17-8-1 (Kazakhstan, age 6–74: 94.7 in 2023) and IT.NET.USER.ZS (World Bank: 92.9)
  are different statistics with different ids, so they are never compared; the same
  id from two sources is (SP.POP.TOTL, IT.CEL.SETS.P2 from seed 000 and WDI).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

import sandyq
from sandyq.analytics.audit import RULES, SEVERITIES, Finding, audit, findings_frame, summarise
from sandyq.errors import NotFoundError


@pytest.fixture(scope="module")
def monitor(default_db: Path) -> Iterator[sandyq.Monitor]:
    with sandyq.connect(default_db, read_only=True) as m:
        yield m


@pytest.fixture(scope="module")
def findings(monitor: sandyq.Monitor) -> list[Finding]:
    return audit(monitor)


def pick(findings: list[Finding], rule: str, indicator: str, **where: str) -> list[Finding]:
    return [
        f
        for f in findings
        if f.rule == rule and f.indicator == indicator and all(getattr(f, k) == v for k, v in where.items())
    ]


def test_table2_ict_cost_growth_109_8_vs_120_7(findings: list[Finding]) -> None:
    (f,) = pick(findings, "average_growth", "kz.ict_costs.aagr")
    assert (f.severity, f.geo, f.period, f.dims, f.found) == ("error", "KAZ", "2017", "window=2007-2017", 109.8)
    assert f.expected == pytest.approx((349943.6 / 53485.8) ** 0.1 * 100) and round(f.expected or 0, 1) == 120.7
    assert f.sources == ("seed-000",) and f.related == ("kz.ict_costs",) and "±0.05" in f.tolerance


@pytest.mark.parametrize(
    ("indicator", "printed", "recomputed", "severity", "sources"),
    [
        # base found by the namespace convention; its levels come from another source (BNS), hence a warning
        ("kz.computers_in_organizations.aagr", 111.9, 117.1, "warning", ("seed-000", "kz-bns")),
        ("kz.ict_share_manufacturing.aagr", 97.7, 95.3, "error", ("seed-000",)),
    ],
)
def test_other_table2_rates_with_levels_in_the_store(
    findings: list[Finding], indicator: str, printed: float, recomputed: float, severity: str, sources: tuple[str, ...]
) -> None:
    (f,) = pick(findings, "average_growth", indicator)
    assert (f.found, round(f.expected or 0, 1), f.severity, f.sources) == (printed, recomputed, severity, sources)


def test_table4_growth_2017_41_1_vs_41_2(findings: list[Finding]) -> None:
    growth = pick(findings, "growth", "kz.internet_users_growth")
    assert [(f.period, f.found, f.figures["rounded"], f.severity) for f in growth] == [("2017", 41.1, 41.2, "error")]
    assert growth[0].expected == pytest.approx((14063513 / 9961519 - 1) * 100)
    (unchecked,) = pick(findings, "unverifiable", "kz.internet_users_growth")
    assert (unchecked.period, unchecked.found, unchecked.severity) == ("2010", 75.9, "info")


def test_table4_per_100_rows_agree(findings: list[Finding]) -> None:
    derived = [f for f in findings if f.indicator == "kz.internet_users_per100" and RULES[f.rule][0] == "derived"]
    assert derived == []  # all ten checked (inputs in the store, so none unverifiable) and consistent


def test_17_6_2_regional_bands_below_the_national_total_every_year(findings: list[Finding]) -> None:
    totals = {str(f.period): f for f in pick(findings, "regions_total", "17-6-2", dims="")}
    assert sorted(totals) == [str(y) for y in range(2012, 2024)]
    for f in totals.values():
        gap = 1 - (f.found or 0) / (f.expected or 1)
        assert 0.025 < gap < 0.115, (f.period, gap)
        assert f.severity == "warning" and f.geo == "KAZ" and "series categories" in f.message
    assert totals["2012"].expected == 1571.7 and totals["2012"].found == pytest.approx(1526.8)
    assert totals["2015"].found == pytest.approx(2049.6)  # the worst year: 10.9 % short


def test_17_6_2_slowest_band_regions_exceed_the_nation_in_2022(findings: list[Finding]) -> None:
    (f,) = pick(findings, "regions_total", "17-6-2", dims="series=_L_KZ_170602_1C")
    assert (f.period, f.severity, f.expected, f.found) == ("2022", "error", 21.3, pytest.approx(23.3))


def test_9_c_1_lte_2023_published_twice(findings: list[Finding]) -> None:
    (f,) = pick(findings, "duplicate_key", "9-c-1")
    assert (f.severity, f.period, f.dims) == ("error", "2023", "series=_L_KZ_090c01_1C")
    assert (f.figures["kept"], f.figures["set_aside"]) == (87.3, 89.2)


def test_seven_impossible_skill_shares(findings: list[Finding]) -> None:
    bad = pick(findings, "out_of_bounds", "4-4-1")
    assert len(bad) == 7 and {f.geo for f in bad} == {"KZ-75"} and {f.period for f in bad} == {"2016", "2017"}
    assert all(f.severity == "error" and (f.found or 0) > 100 and "set aside" in f.message for f in bad)
    assert max(f.found or 0 for f in bad) == pytest.approx(368.9, abs=0.01)


def test_5_b_1_east_kazakhstan_2021_men_above_urban_and_rural_men(findings: list[Finding]) -> None:
    # 5-b-1 (mobile phone owners), KZ-63 2021: men 93.8 %, urban men 86.2, rural men 90.0 (urban women 96.5,
    # urban 96.4): the urban men's figure cannot be right; the only range finding on the default store
    (f,) = [f for f in findings if RULES[f.rule][0] == "ranges"]
    assert (f.rule, f.indicator, f.geo, f.period, f.dims) == ("parts_range", "5-b-1", "KZ-63", "2021", "sex=M")
    assert (f.severity, f.found, f.expected, f.figures["lowest"]) == ("error", 93.8, 90.0, 86.2)


def test_every_target_is_judged_on_the_data_in_the_store(findings: list[Finding]) -> None:
    # e.g. the 2018 digital-literacy target is judged on BNS's 79.6 for 2018, not "data not yet available"
    assert [f for f in findings if f.rule == "target_unjudged"] == []


def test_9_c_1_gsm_2012_is_a_jump(findings: list[Finding]) -> None:
    (f,) = pick(findings, "jump", "9-c-1", dims="series=_L_KZ_090c01_1A")
    assert (f.period, f.severity, f.figures["2012"], f.figures["2013"]) == ("2013", "warning", 42.1, 85.9)
    assert f.figures["scales"] > 20


@pytest.mark.parametrize("geo", ["KZ-63", "KZ-19", "KZ-35"])
def test_2022_boundary_change_breaks_the_series(findings: list[Finding], geo: str) -> None:
    (f,) = pick(findings, "boundary_change", "17-8-1", geo=geo)
    assert (f.severity, f.period, f.figures["change_date"]) == ("warning", "2022", "2022-06-08")
    assert "2021" in f.figures


def test_regions_with_fixed_borders_have_no_boundary_finding(findings: list[Finding]) -> None:
    assert not [f for f in findings if f.rule == "boundary_change" and f.geo in ("KZ-71", "KZ-75", "KZ-11")]


def test_same_statistic_linked_only_by_identical_indicator_id(findings: list[Finding]) -> None:
    pop = {str(f.period): f for f in pick(findings, "source_disagreement", "SP.POP.TOTL", geo="KAZ")}
    # Table 4's population vs WDI: 16,310,624 vs 16,836,800 in 2010 (3.1 %), 1.3 % in 2017
    assert pop["2010"].severity == "warning" and pop["2010"].sources == ("seed-000", "wdi")
    assert pop["2017"].severity == "info"
    (mobile,) = pick(findings, "source_disagreement", "IT.CEL.SETS.P2", geo="KAZ")
    assert (mobile.period, mobile.severity, mobile.found, mobile.expected) == (
        "2017",
        "info",
        145.4,
        pytest.approx(143.113),
    )
    compared = {f.indicator for f in findings if f.rule == "source_disagreement"}
    assert "17-8-1" not in compared and "IT.NET.USER.ZS" not in compared


def test_every_finding_is_complete_and_serialisable(findings: list[Finding]) -> None:
    assert findings
    for f in findings:
        assert f.rule in RULES and f.severity in SEVERITIES and f.message and f.sources and f.unit
        assert f.tolerance or f.rule in ("unverifiable",)
        assert f.vintage is not None
    json.dumps([f.to_dict() for f in findings])
    ranks = [SEVERITIES.index(f.severity) for f in findings]
    assert ranks == sorted(ranks)  # most serious first


def test_summary_counts(findings: list[Finding]) -> None:
    counts = summarise(findings)
    assert counts["total"].sum() == len(findings) == len(findings_frame(findings))
    sdg = summarise([f for f in findings if f.indicator in ("4-4-1", "9-c-1")])
    assert sdg.loc["out_of_bounds", "error"] == 7 and sdg.loc["duplicate_key", "error"] == 1
    assert list(sdg.columns) == ["error", "warning", "info", "total"]


def test_filters(monitor: sandyq.Monitor) -> None:
    about_costs = audit(monitor, "kz.ict_costs")  # the Table 2 rate that uses ICT costs as its input
    assert [(f.rule, f.indicator) for f in about_costs] == [("average_growth", "kz.ict_costs.aagr")]
    # the Table 2 rate recomputed from the BNS series (at info level, the series' 2013 rise of 253,239 computers,
    # 5.8 robust scales of its other changes, is a jump too)
    bns = audit(monitor, source="kz-bns", severity="warning")
    assert [(f.rule, f.indicator, f.severity) for f in bns] == [
        ("average_growth", "kz.computers_in_organizations.aagr", "warning")
    ]
    only = audit(monitor, rules=["duplicates"], severity="error")
    assert {f.rule for f in only} == {"duplicate_key"}
    assert all(f.geo == "KZ-75" for f in audit(monitor, geo="KZALA", rules=["bounds"]))  # an SDG alias
    with pytest.raises(NotFoundError, match="unknown audit rule"):
        audit(monitor, rules=["nope"])
    with pytest.raises(NotFoundError, match="unknown indicator"):
        audit(monitor, "nope")


def test_as_of_before_the_sdg_data_were_published(monitor: sandyq.Monitor) -> None:
    early = audit(monitor, as_of="2021-01-01", rules=["duplicates", "bounds", "derived"])
    assert not [f for f in early if f.sources and f.sources[0] == "kz-sdg"]
    assert pick(early, "average_growth", "kz.ict_costs.aagr")


def test_whole_default_store_audits_in_a_few_seconds(monitor: sandyq.Monitor) -> None:
    t = time.perf_counter()
    audit(monitor)
    assert time.perf_counter() - t < 10

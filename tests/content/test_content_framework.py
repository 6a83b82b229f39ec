"""The bundled framework content: it loads, and it says what the seed articles and data say.

Expected values are the published figures of seed 000 (Mouly et al. 2020), seed 004 (Karatayeva, 2018) and the
programme documents they quote — not values read back from the YAML.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from sandyq.framework import UNITS, Framework, Programme, Target
from sandyq.framework._loader import default_framework_path, load_framework

FRAMEWORK = default_framework_path()
DATA = FRAMEWORK.parent / "data"
SEEDS = DATA / "seeds"

# Table 1 of seed 000, in the article's order.
GLOSSARY_EN = [
    "Digital economy",
    "Neurotechnology",
    "Artificial Intelligence",
    "Distributed Registry Technologies (Blockchain)",
    "Quantum technology",
    "New manufacturing technologies",
    "Additive technology",
    "Supercomputer Technology",
    "Cross-cutting digital technology",
    "Big data",
    "Augmented Reality Technologies",
    "Virtual reality technology",
    "5G",
    "Wireless technology",
    "Sensory",
    "Robotics components (industrial robots)",
    "Industrial Internet",
    "Computer engineering",
]


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework()


@pytest.fixture(scope="module")
def dk(fw: Framework) -> Programme:
    return fw.programme("digital-kazakhstan")


def _target(programme: Programme, target_id: str) -> Target:
    found = [t for t in programme.targets() if t.id == target_id]
    assert len(found) == 1, f"target {target_id!r} found {len(found)} times"
    return found[0]


def _rows(name: str) -> list[dict[str, str]]:
    with (SEEDS / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# ---- the framework as a whole -----------------------------------------------------------------------------------


def test_framework_loads_with_every_programme(fw: Framework) -> None:
    # issue 12: the presidential commitments, "Accessible Internet" and the superseded 2017 draft are programmes too
    assert set(fw.programmes) == {
        "digital-kazakhstan",
        "information-kazakhstan-2020",
        "digital-kazakhstan-2020-draft",
        "presidential-it-commitments",
        "accessible-internet",
    }
    expected = {"seed-000", "seed-004", "kz-sdg", "wdi", "gapminder", "un-egov", "kz-bns", "nru-hse-2019"}
    assert expected <= set(fw.sources)


def test_glossary_is_table_1_of_seed_000(fw: Framework) -> None:
    terms = list(fw.glossary.values())
    assert len(terms) == 18
    assert [t.name.en for t in terms] == GLOSSARY_EN
    for t in terms:
        for lang in ("kk", "ru", "en"):
            assert t.name.get(lang).strip() and t.definition.get(lang).strip(), (t.id, lang)
        assert t.citation.source == "seed-000"
        assert t.citation.locator == "Table 1"
        assert t.citation.passage == t.definition.en
    assert fw.glossary["digital-economy"].name.ru == "Цифровая экономика"
    assert fw.glossary["digital-economy"].name.kk == "Цифрлық экономика"
    assert fw.glossary["artificial-intelligence"].name.ru == "Искусственный интеллект"
    assert fw.glossary["artificial-intelligence"].name.kk == "Жасанды интеллект"
    assert "(at least 10 Gb / s)" in fw.glossary["5g"].definition.en


def test_glossary_origin_is_the_hse_world_bank_publication(fw: Framework) -> None:
    assert (
        "What is a digital economy? Trends, competencies, measurement (2019)" in fw.source("nru-hse-2019").citation.en
    )


def test_every_source_is_named_in_three_languages(fw: Framework) -> None:
    # Official names where they exist: the World Bank and ITU as Russian and Kazakh readers know them.
    for source in fw.sources.values():
        for field in (source.name, source.publisher, source.citation):
            assert len({field.kk, field.ru, field.en}) > 1 or field.en in {"Gapminder"}, (source.id, field.en)
    assert fw.source("wdi").publisher.get("ru") == "Всемирный банк"
    assert fw.source("wdi").publisher.get("kk") == "Дүниежүзілік банк"
    assert fw.source("itu-mis").citation.get("kk").startswith("ХЭО")
    assert fw.source("itu-mis").citation.get("ru").startswith("МСЭ")


def test_a_plain_string_names_a_source_in_every_language() -> None:
    from sandyq.framework import Source

    s = Source(id="mine", name="My survey", publisher="Me", licence="CC0", citation="Me (2026)")  # type: ignore[arg-type]
    assert s.name.get("kk") == s.name.get("ru") == s.name.get("en") == "My survey"


# ---- Digital Kazakhstan -----------------------------------------------------------------------------------------


def test_digital_kazakhstan_identity(dk: Programme) -> None:
    assert (dk.start, dk.end) == (2018, 2022)
    assert dk.name.ru == "Цифровой Казахстан"
    assert dk.name.kk == "Цифрлық Қазақстан"
    assert "December 12, 2017 No. 827" in dk.legal_basis.en
    assert "№ 827" in dk.legal_basis.ru


def test_digital_kazakhstan_directions(dk: Programme) -> None:
    names = [d.name.en for d in dk.directions]
    for expected in (
        "Digital Silk Road",
        "Creative society",
        "Digital transformations in economic sectors",
        "Proactive state",
        "Creation of an innovative ecosystem",
    ):
        assert expected in names


def test_idi_rank_target(fw: Framework, dk: Programme) -> None:
    t = _target(dk, "dk-idi-rank")
    assert t.indicator == "ITU.IDI.RANK"
    assert fw.indicator("ITU.IDI.RANK").polarity == "lower"
    assert t.kind == "rank"
    assert t.geo == "KAZ"
    assert [(m.year, m.value) for m in t.trajectory()] == [(2022, 30), (2025, 25), (2050, 15)]
    assert t.baseline is not None and (t.baseline.year, t.baseline.value) == (2016, 52)
    assert "52 out of 175" in t.citation.passage


@pytest.mark.parametrize(
    ("target_id", "indicator", "kind", "value", "year"),
    [
        ("dk-ecommerce-share-2022", "kz.ecommerce_share", "level", 2.6, 2022),
        ("dk-egov-services-2022", "kz.egov_services_share", "level", 80, 2022),
        ("dk-new-jobs-2022", "kz.digital_new_jobs", "cumulative", 300_000, 2022),
        # seed 000 gives no year for the 2 trillion; the minister (2018) and the Times of Central Asia give 2025
        ("dk-economy-gain-2025", "kz.digital_gdp_gain", "level", 2, 2025),
        ("dk-economy-growth-2022", "kz.digital_gdp_gain_pct", "level", 30, 2022),
        ("dk-ict-specialists-2020", "kz.ict_specialists_trained", "flow", 25_000, 2020),
        ("dk-cybersecurity-specialists-2018-2021", "kz.cybersecurity_specialists_trained", "flow", 500, 2021),
        ("dk-state-order-ict-share", "kz.state_order_ict_share", "level", 20, 2022),
        ("dk-additional-grants-2018", "kz.state_grants_additional", "flow", 20_000, 2018),
    ],
)
def test_programme_targets(dk: Programme, target_id: str, indicator: str, kind: str, value: float, year: int) -> None:
    t = _target(dk, target_id)
    assert (t.indicator, t.kind, t.value, t.year) == (indicator, kind, value, year)


def test_ecommerce_target_quotes_the_programme(dk: Programme) -> None:
    t = _target(dk, "dk-ecommerce-share-2022")
    assert t.citation.source == "seed-000"
    assert "the share of electronic commerce should grow to 2.6%" in t.citation.passage
    assert "And all this - by 2022." in t.citation.passage


def test_cybersecurity_target_covers_2018_to_2021(dk: Programme) -> None:
    t = _target(dk, "dk-cybersecurity-specialists-2018-2021")
    assert [(m.year, m.value) for m in t.trajectory()] == [(2018, 500), (2019, 500), (2020, 500), (2021, 500)]


def test_creative_society_has_the_four_tasks_of_seed_004(fw: Framework, dk: Programme) -> None:
    creative = next(d for d in dk.directions if d.id == "creative-society")
    tasks = {t.id: t for t in creative.tasks}
    assert list(tasks) == ["education-transformation", "digital-literacy", "skills-lag", "it-and-security-specialists"]
    for task in tasks.values():
        assert len(task.risks) >= 1, task.id
        for risk in task.risks:
            assert risk.citation is not None and risk.citation.source == "seed-004"
    literacy_risk_indicators = {i for r in tasks["digital-literacy"].risks for i in r.indicators}
    assert {"4-4-1-1", "kz.digital_literacy"} <= literacy_risk_indicators
    campaign = next(e for e in tasks["digital-literacy"].events if e.id == "digital-literacy-campaign")
    assert campaign.status == "in_progress"
    assert campaign.citation is not None and "started on June 1" in campaign.citation.passage


def test_digital_silk_road_links_connectivity_indicators(dk: Programme) -> None:
    silk = next(d for d in dk.directions if d.id == "digital-silk-road")
    linked = {i for t in silk.tasks for i in t.indicators}
    assert {"17-6-2", "9-c-1", "IT.NET.BBND.P2", "17-8-1"} <= linked


# ---- Information Kazakhstan 2020 --------------------------------------------------------------------------------


def test_information_kazakhstan_2020(fw: Framework) -> None:
    ik = fw.programme("information-kazakhstan-2020")
    assert (ik.start, ik.end) == (2013, 2020)
    # issue 12: the one target the material has is a 2014 digital-TV plan whose link to the programme is unverified
    assert [t.id for t in ik.targets()] == ["ik-digital-tv-2016"]
    assert ik.note is not None and "83 target indicators" in ik.note.en and "not in the bundled sources" in ik.note.en
    facts = {f.id: f for f in ik.facts}
    assert (facts["target-indicators"].value, facts["target-indicators"].unit) == (83, "NUMBER")
    assert (facts["events"].value, facts["events"].unit) == (257, "NUMBER")
    assert (facts["performance-after-three-years"].value, facts["performance-after-three-years"].unit) == (40, "PT")
    assert facts["performance-after-three-years"].year == 2016
    assert len(ik.directions[0].tasks) == 4  # the four factors seed 000 names (a second direction holds the TV plan)


# ---- indicators ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("indicator", "unit", "source"),
    [
        ("17-8-1", "PT", "kz-sdg"),
        ("4-4-1-1", "PT", "kz-sdg"),
        ("4-4-1", "PT", "kz-sdg"),
        ("5-b-1", "PT", "kz-sdg"),
        ("17-6-2", "TH_UNITS", "kz-sdg"),
        ("9-c-1", "PT", "kz-sdg"),
        ("IT.NET.USER.ZS", "PT", "gapminder"),
        ("IT.CEL.SETS.P2", "PER_100", "wdi"),
        ("SE.TER.ENRR", "PT_GROSS", "wdi"),
        ("NY.GDP.PCAP.CD", "USD", "wdi"),
        ("NY.GDP.PCAP.PP.CD", "INTL_USD", "wdi"),
        ("SP.POP.TOTL", "PERSONS", "wdi"),
        ("EGDI", "INDEX_0_1", "un-egov"),
        ("EGDI.RANK", "RANK", "un-egov"),
        ("computers_in_organizations", "NUMBER", "kz-bns"),
        ("ict_specialists", "PERSONS", "kz-bns"),
        ("kz.ict_costs", "MN_KZT", "seed-000"),
        ("kz.internet_users_per100", "PER_100", "seed-000"),
        ("kz.digital_gdp_gain", "TN_KZT", "seed-000"),
        ("kz.schools_wifi", "PT", "seed-004"),
    ],
)
def test_indicator_unit_and_source(fw: Framework, indicator: str, unit: str, source: str) -> None:
    ind = fw.indicator(indicator)
    assert (ind.unit, ind.source) == (unit, source)


def test_internet_users_per_100_is_derived_from_users_and_population(fw: Framework) -> None:
    formula = fw.indicator("kz.internet_users_per100").formula
    assert formula is not None
    assert (formula.numerator, formula.denominator, formula.factor) == ("kz.internet_users", "SP.POP.TOTL", 100)


def test_ranks_improve_downwards(fw: Framework) -> None:
    for code in ("ITU.IDI.RANK", "EGDI.RANK"):
        assert fw.indicator(code).polarity == "lower"


# ---- seed observations ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["seed000.csv", "seed004.csv"])
def test_seed_rows_name_framework_indicators_in_their_units(fw: Framework, name: str) -> None:
    rows = _rows(name)
    assert rows
    for i, row in enumerate(rows, start=2):
        ind = fw.indicator(row["INDICATOR"])
        assert row["UNIT_MEASURE"] == ind.unit, (name, i, row["INDICATOR"])
        assert UNITS[ind.unit].allows(float(row["OBS_VALUE"])), (name, i)
        assert row["OBS_STATUS"] in ("", "E", "P", "B"), (name, i)
        assert row["REF_AREA"] == "KAZ"
        assert row["SOURCE"] == ("seed-000" if name == "seed000.csv" else "seed-004")
        assert row["COMMENT"].strip(), (name, i)


def test_table_3_ict_costs() -> None:
    rows = {
        int(r["TIME_PERIOD"]): float(r["OBS_VALUE"]) for r in _rows("seed000.csv") if r["INDICATOR"] == "kz.ict_costs"
    }
    assert sorted(rows) == list(range(2007, 2018))
    assert rows[2007] == 53485.8
    assert rows[2013] == 220847.7
    assert rows[2017] == 349943.6


def test_table_4_kazakhstan_2010() -> None:
    rows = {(r["INDICATOR"], r["TIME_PERIOD"]): r for r in _rows("seed000.csv")}
    assert float(rows["SP.POP.TOTL", "2010"]["OBS_VALUE"]) == 16310624
    assert float(rows["kz.internet_users", "2010"]["OBS_VALUE"]) == 5154157
    assert float(rows["kz.internet_users_per100", "2010"]["OBS_VALUE"]) == 32
    assert float(rows["kz.internet_users_growth", "2010"]["OBS_VALUE"]) == 75.9


def test_table_4_dated_rows() -> None:
    rows = {(r["INDICATOR"], r["TIME_PERIOD"]): r for r in _rows("seed000.csv")}
    assert "01.06.2016" in rows["kz.internet_users", "2016"]["COMMENT"]
    assert rows["kz.internet_users", "2017"]["OBS_VALUE"] == "14063513"
    assert rows["SP.POP.TOTL", "2019"]["OBS_STATUS"] == "E"
    assert rows["SP.POP.TOTL", "2017"]["OBS_STATUS"] == ""
    assert ("kz.internet_users_growth", "2019") not in rows  # printed "-"


@pytest.mark.parametrize(
    ("indicator", "window", "value"),
    [
        ("kz.ict_costs.aagr", "2007-2017", 109.8),
        ("kz.ecommerce_retail.aagr", "2013-2017", 118.2),
        ("kz.card_tx_abroad_count.aagr", "2013-2017", 136.8),
        ("kz.computers_in_organizations.aagr", "2004-2017", 111.9),
        ("kz.ict_industrial_output.aagr", "2007-2017", 102.7),
        ("kz.ict_industrial_output_base.aagr", "2007-2017", 99.5),
        ("kz.ict_services_base.aagr", "2005-2017", 111.9),
    ],
)
def test_table_2_growth_rates(indicator: str, window: str, value: float) -> None:
    (row,) = [r for r in _rows("seed000.csv") if r["INDICATOR"] == indicator]
    assert (row["WINDOW"], float(row["OBS_VALUE"]), row["TIME_PERIOD"]) == (window, value, window[-4:])


def test_table_5_and_text_figures() -> None:
    rows = {(r["INDICATOR"], r["TIME_PERIOD"]): float(r["OBS_VALUE"]) for r in _rows("seed000.csv")}
    assert rows["IT.CEL.SETS.P2", "2017"] == 145.4
    assert rows["kz.intl_bandwidth_per_user", "2017"] == 69.8
    assert rows["kz.households_with_computer", "2017"] == 76.2
    assert rows["kz.households_with_internet", "2017"] == 84.9
    assert rows["ITU.IDI.RANK", "2015"] == rows["ITU.IDI.RANK", "2016"] == 52
    assert (rows["kz.ict_share_manufacturing", "2007"], rows["kz.ict_share_manufacturing", "2017"]) == (0.42, 0.26)


def test_seed_004_figures() -> None:
    rows = {(r["INDICATOR"], r["TIME_PERIOD"], r["BOUND"]): float(r["OBS_VALUE"]) for r in _rows("seed004.csv")}
    assert rows["kz.schools_internet", "2018", ""] == 99
    assert rows["kz.schools_wifi", "2018", ""] == 47
    assert rows["kz.schools_broadband", "2018", ""] == 62
    assert rows["kz.robotics_classrooms", "2017", ""] == 372
    assert rows["kz.digital_literacy", "2017", ""] == 77
    assert rows["kz.cybersecurity_specialists_trained", "2017", ""] == 543
    assert rows["kz.cyberattack_rank", "2018", "LOWER"] == 16
    assert rows["kz.cyberattack_rank", "2018", "UPPER"] == 23


# ---- bundled data: provenance --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "folder", ["seeds", "kz-sdg-ict", "country-panel", "egdi", "kz-bns-ict-national", "wdi-ict", "policy-evaluation"]
)
def test_every_data_folder_has_its_source_and_a_readme_row(folder: str) -> None:
    assert (DATA / folder / "SOURCE.md").is_file()
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    assert f"| `{folder}/` |" in readme


@pytest.mark.parametrize("path", sorted((DATA / "kz-sdg-ict" / "raw").glob("indicator_*.csv")), ids=lambda p: p.stem)
def test_sdg_files_use_the_framework_unit(fw: Framework, path: Path) -> None:
    indicator = path.stem.removeprefix("indicator_")
    with path.open(encoding="utf-8", newline="") as f:
        units = {row["UNIT_MEASURE"] for row in csv.DictReader(f)}
    assert units == {fw.indicator(indicator).unit}

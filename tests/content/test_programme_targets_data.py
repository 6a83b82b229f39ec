"""The programme-targets material in the default content: every target of it is content, every figure loads as printed.

Expected values are the material's own rows (``content/data/kz-programme-targets``), which cite the published figures.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from sandyq.framework import UNITS, Framework, Programme, Target
from sandyq.framework._loader import load_framework
from tests.content.programme_targets import COLUMNS, FOLDER, build, read

NEW_PROGRAMMES = ("digital-kazakhstan-2020-draft", "presidential-it-commitments", "accessible-internet")


@pytest.fixture(scope="module")
def fw() -> Framework:
    return load_framework()


def _targets(fw: Framework) -> dict[str, tuple[Programme, Target]]:
    return {t.id: (p, t) for p in fw.programmes.values() for t in p.targets()}


def _rows_cited(target: Target) -> set[int]:
    """The rows of targets.csv a target cites ("targets.csv row 7", "targets.csv rows 10-12")."""
    rows: set[int] = set()
    for c in (target.citation, *target.references):
        m = re.fullmatch(r"targets\.csv rows? (\d+)(?:-(\d+))?", c.locator or "")
        if m:
            rows |= set(range(int(m.group(1)), int(m.group(2) or m.group(1)) + 1))
    return rows


def test_the_tidy_files_are_the_material_as_mapped() -> None:
    """Rebuilding tidy/ from observations.csv and mapping.csv gives the bundled files, byte for byte in content."""
    built = build()
    bundled = {p.name: p for p in (FOLDER / "tidy").glob("*.csv")}
    assert set(bundled) == set(built)
    for name, rows in built.items():
        with bundled[name].open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            assert reader.fieldnames == COLUMNS
            assert list(reader) == rows, name


def test_every_observation_is_loaded_or_explained() -> None:
    material, mapping = read("observations.csv"), read("mapping.csv")
    assert len(material) == len(mapping) == 127
    loaded = [m for m in mapping if m["indicator"]]
    assert len(loaded) == 71
    assert all(m["reason"] for m in mapping if not m["indicator"])


def test_the_manifest_loads_every_tidy_file_with_its_vintage() -> None:
    text = (FOLDER.parent.parent / "manifest.yaml").read_text(encoding="utf-8")
    for p in (FOLDER / "tidy").glob("*.csv"):
        assert f"file: data/kz-programme-targets/tidy/{p.name}\n    format: tidy\n    vintage: {p.stem}\n" in text


def test_every_target_row_of_the_material_is_a_target(fw: Framework) -> None:
    cited = set().union(*(_rows_cited(t) for _, t in _targets(fw).values()))
    assert cited == set(range(1, len(read("targets.csv")) + 1)) == set(range(1, 33))


@pytest.mark.parametrize(
    ("target_id", "indicator", "value", "year", "milestones", "source"),
    [
        # Digital Kazakhstan 2018–2022 (targets.csv rows 5–7: 77 % 2018, 81.5 % 2021, 83 % 2022)
        ("dk-digital-literacy", "dk.digital_literacy", 83, 2022, [(2018, 77), (2021, 81.5)], "kz-bns-survey"),
        ("dk-internet-users-2018", "dk.internet_users_share", 78, 2018, [], "kz-bns-survey"),
        ("dk-internet-users-2022", "dk.internet_users_share", 88, 2022, [], "kz-bns-survey"),
        ("dk-egov-services-2022", "kz.egov_services_share", 80, 2022, [], "kz-gov-statements"),
        ("dk-new-jobs-2022", "kz.digital_new_jobs", 300_000, 2022, [], "kz-gov-statements"),
        ("dk-economy-gain-2025", "kz.digital_gdp_gain", 2, 2025, [], "kz-gov-statements"),
        ("dk-idi-rank", "ITU.IDI.RANK", 15, 2050, [(2022, 30), (2025, 25)], "itu-mis"),
        ("dk-rural-broadband-2021", "dk.rural_settlements_broadband", 6212, 2021, [(2020, 5163)], "kz-gov-statements"),
        ("dk-rural-fibre-2020", "dk.rural_fibre_villages", 1200, 2020, [], "kz-gov-statements"),
        ("dk-labour-productivity-2022", "dk.labour_productivity_growth", 20, 2022, [], None),
        ("dk-local-content-it-2018", "dk.local_content_it_services", 26, 2018, [], None),
        ("dk-startups-2018", "dk.startups_supported", 200, 2018, [], None),
        ("dk-startups-astana-hub-2018", "dk.startups_astana_hub", 33, 2018, [], None),
        ("dk-ecommerce-share-2022", "kz.ecommerce_share", 2.6, 2022, [], None),
        # the 2017 draft (rows 20–25)
        ("dk20-internet-2020", "dk.internet_users_share", 78, 2020, [], "kz-bns-survey"),
        ("dk20-digital-literacy-2020", "dk.digital_literacy", 80, 2020, [], "kz-bns-survey"),
        ("dk20-ict-share-gdp-2020", "dk.ict_share_gdp", 4.7, 2020, [], None),
        # presidential commitments (rows 26–28) and Accessible Internet (rows 29–30)
        ("pres-it-exports-2026", "kz.it_services_exports", 1000, 2026, [], "kz-gov-statements"),
        ("pres-ict-exports-2025", "kz.it_services_exports", 500, 2025, [], "kz-gov-statements"),
        ("pres-it-specialists-2025", "kz.it_specialists_trained_total", 100_000, 2025, [], None),
        ("np-hs-coverage-2027", "np.hs_internet_population_coverage", 100, 2027, [], None),
        ("np-villages-hs-2027", "np.villages_hs_internet", 99, 2027, [], None),
        # Information Kazakhstan 2020: the 2014 digital-TV plan (rows 31–32)
        ("ik-digital-tv-2016", "kz.digital_tv_coverage", 95, 2016, [(2014, 72)], None),
    ],
)
def test_targets_of_the_material(
    fw: Framework,
    target_id: str,
    indicator: str,
    value: float,
    year: int,
    milestones: list[tuple[int, float]],
    source: str | None,
) -> None:
    _, t = _targets(fw)[target_id]
    assert (t.indicator, t.value, t.year, [(m.year, m.value) for m in t.milestones]) == (
        indicator,
        value,
        year,
        milestones,
    )
    assert t.source == source
    assert t.owner is not None and t.owner.en and t.owner.ru and t.owner.kk  # the agency owning the data
    assert fw.indicator(indicator).unit in UNITS  # every target value has a unit


def test_every_target_of_the_material_names_its_document_publisher_and_owner(fw: Framework) -> None:
    for pid in ("digital-kazakhstan", *NEW_PROGRAMMES, "information-kazakhstan-2020"):
        for t in fw.programme(pid).targets():
            if not _rows_cited(t):
                continue  # seed-only targets of Digital Kazakhstan
            assert t.owner is not None, t.id
            assert t.document or t.citation.source.startswith("seed"), t.id
            cites = [c for c in (t.citation, *t.references) if c.source == "kz-programme-targets"]
            assert cites and all(c.publisher for c in cites), t.id


def test_the_2017_draft_is_kept_for_history_and_marked(fw: Framework) -> None:
    draft = fw.programme("digital-kazakhstan-2020-draft")
    assert draft.superseded_by == "digital-kazakhstan"
    assert draft.note is not None and "superseded draft" in draft.note.en and "not official" in draft.note.en
    assert len(draft.targets()) == 6


def test_information_kazakhstan_says_its_indicators_are_not_bundled(fw: Framework) -> None:
    ik = fw.programme("information-kazakhstan-2020")
    assert ik.note is not None
    assert "83 target indicators" in ik.note.en and "not in the bundled sources" in ik.note.en
    assert "83 целевых индикатора" in ik.note.ru
    facts = {f.id: f for f in ik.facts}
    assert (facts["computer-literacy-2014"].value, facts["internet-users-2014"].value) == (63, 70)
    (tv,) = ik.targets()
    assert tv.note is not None and "not verified" in tv.note.en


def test_the_old_idi_is_marked_discontinued(fw: Framework) -> None:
    stop = fw.indicator("ITU.IDI.RANK").discontinued
    assert stop is not None and (stop.last_year, stop.known) == (2017, 2023)
    assert "2017 edition" in stop.reason.en


@pytest.mark.parametrize(
    ("indicator", "year", "values"),
    [
        # digital literacy 2021: BNS ages 6–74 87.3 against ages 6+ 85.3 (Kazinform / Energyprom, 9 June 2022)
        ("dk.digital_literacy", 2021, {"kz-bns-survey": 87.3, "kz-bns-6plus": 85.3}),
        # Internet users 2017: BNS 78.8 (ages 6–74) against the ministry's 77 % of the population
        ("dk.internet_users_share", 2017, {"kz-bns-survey": 78.8, "kz-gov-statements": 77.0}),
        # the 2019 results report gave 79.6 %, BNS's 2018 figure; BNS's own 2019 figure is 82.1
        ("dk.digital_literacy", 2019, {"kz-bns-survey": 82.1, "kz-gov-statements": 79.6}),
        # IT exports: the ministry's expected USD 1 bn (2025); the World Bank's BoP ICT service exports for 2024
        ("kz.it_services_exports", 2024, {"wdi-bop": 855.302}),
        ("kz.it_services_exports", 2025, {"kz-gov-statements": 1000.0}),
    ],
)
def test_conflicting_publishers_are_separate_sources(
    default_db: Path, indicator: str, year: int, values: dict[str, float]
) -> None:
    import sandyq

    with sandyq.connect(default_db, read_only=True) as m:
        obs = m.observations([indicator], dims="")
    rows = obs[(obs["geo"] == "KAZ") & (obs["year"] == year) & (obs["period"] == str(year))]
    assert dict(zip(rows["source"], rows["value"], strict=True)) == pytest.approx(values)

"""Geography: codes, aliases, names, years of existence and boundary files of real units."""

from __future__ import annotations

import csv
import datetime
import gettext
import io
import json
import shutil
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import pycountry
import pytest

from sandyq.errors import FrameworkError, NotFoundError
from sandyq.framework._geography import Geography, load_geography

CONTENT = resources.files("sandyq") / "content" / "geography"

# REF_AREA codes of the national SDG platform (data/kz-sdg-ict/labels.csv, 21 codes) and the ISO 3166-2:KZ unit
# each one is, per the sdg_ref_area column of the geokz boundary files.
SDG_CODES = {
    "KZABY": "KZ-10",
    "KZAKM": "KZ-11",
    "KZAKT": "KZ-15",
    "KZALA": "KZ-75",
    "KZALM": "KZ-19",
    "KZATY": "KZ-23",
    "KZKAR": "KZ-35",
    "KZKUS": "KZ-39",
    "KZKZY": "KZ-43",
    "KZMAN": "KZ-47",
    "KZNS": "KZ-71",
    "KZONT": "KZ-YUZ",
    "KZPAV": "KZ-55",
    "KZSEV": "KZ-59",
    "KZSHY": "KZ-79",
    "KZULU": "KZ-62",
    "KZVOS": "KZ-63",
    "KZYUZ": "KZ-61",
    "KZZAP": "KZ-27",
    "KZZHA": "KZ-31",
    "KZZHS": "KZ-33",
}


@pytest.fixture(scope="module")
def geo() -> Geography:
    return load_geography()


def _features(geo: Geography, name: str) -> list[dict[str, object]]:
    data = json.loads(geo.boundary_file(name).read_text(encoding="utf-8"))
    return [f["properties"] for f in data["features"]]


@pytest.mark.parametrize(
    ("code", "canonical"),
    [
        ("KZNS", "KZ-71"),
        ("kz-71", "KZ-71"),
        (" KZ-71 ", "KZ-71"),
        ("KZ-AST", "KZ-71"),
        ("710000000", "KZ-71"),
        ("KZ71", "KZ-71"),
        ("KZONT", "KZ-YUZ"),
        ("KZ-YUZ", "KZ-YUZ"),
        ("510000000", "KZ-YUZ"),
        ("KZYUZ", "KZ-61"),
        ("kaz", "KAZ"),
        ("KZ", "KAZ"),
        ("398", "KAZ"),
        ("XKX", "XKX"),
        ("XK", "XKX"),
        ("KOS", "XKX"),
        ("CHI", "CHI"),
        ("WLD", "WLD"),
        ("ecs", "ECS"),
        ("UMC", "UMC"),
        ("NA", "NAM"),
        ("004", "AFG"),
    ],
)
def test_resolve(geo: Geography, code: str, canonical: str) -> None:
    assert geo.resolve(code) == canonical
    assert code in geo
    assert geo.get(code).code == canonical


def test_resolve_accepts_a_kato_number(geo: Geography) -> None:
    assert geo.resolve(750000000) == "KZ-75"


@pytest.mark.parametrize(("sdg", "canonical"), sorted(SDG_CODES.items()))
def test_every_sdg_region_code_resolves(geo: Geography, sdg: str, canonical: str) -> None:
    assert geo.resolve(sdg) == canonical


def test_sdg_crosswalk_is_the_platform_code_list(geo: Geography) -> None:
    assert geo.crosswalk("sdg") == SDG_CODES


@pytest.mark.parametrize("code", ["KZ-99", "KZ-BAY", "XXX", "KZ YUZ Z", "", "Kazakhstan"])
def test_unknown_code(geo: Geography, code: str) -> None:
    assert geo.resolve(code) is None
    assert code not in geo
    with pytest.raises(NotFoundError) as info:
        geo.get(code)
    assert repr(code) in str(info.value)


def test_unknown_scheme_names_the_known_ones(geo: Geography) -> None:
    with pytest.raises(NotFoundError, match="kato"):
        geo.crosswalk("oktmo")


def test_counts(geo: Geography) -> None:
    # 249 ISO 3166-1 entries + XKX + CHI; the 47 WDI aggregates; 20 current regions + South Kazakhstan.
    assert (len(geo.countries()), len(geo.aggregates()), len(geo.regions())) == (251, 47, 21)
    assert len(geo) == 319


def test_south_kazakhstan_is_retired_in_2018(geo: Geography) -> None:
    south = geo.get("KZONT")
    assert (south.code, south.last_year, south.valid_to) == ("KZ-YUZ", 2017, datetime.date(2018, 6, 19))
    assert south.exists_on(datetime.date(2018, 6, 18)) and not south.exists_on(datetime.date(2018, 6, 19))
    change = south.boundary_changes[0]
    assert (change.date, set(change.codes)) == (datetime.date(2018, 6, 19), {"KZ-61", "KZ-79"})


@pytest.mark.parametrize(
    ("code", "first_year", "valid_from"),
    [
        ("KZ-61", 2018, datetime.date(2018, 6, 19)),
        ("KZ-79", 2018, datetime.date(2018, 6, 19)),
        ("KZ-10", 2022, datetime.date(2022, 6, 8)),
        ("KZ-33", 2022, datetime.date(2022, 6, 8)),
        ("KZ-62", 2022, datetime.date(2022, 6, 8)),
        ("KZ-71", None, None),
    ],
)
def test_first_year(geo: Geography, code: str, first_year: int | None, valid_from: datetime.date | None) -> None:
    unit = geo.get(code)
    assert (unit.first_year, unit.valid_from, unit.last_year) == (first_year, valid_from, None)
    if first_year is not None:
        assert not unit.exists_in(first_year - 1) and unit.exists_in(first_year)


@pytest.mark.parametrize(
    ("year", "count"), [(2010, 16), (2017, 16), (2018, 17), (2019, 17), (2020, 17), (2021, 17), (2022, 20), (2024, 20)]
)
def test_number_of_regions_by_year(geo: Geography, year: int, count: int) -> None:
    regions = geo.regions("KAZ", year=year)
    assert len(regions) == count
    assert [u.code for u in regions] == sorted(u.code for u in regions)
    assert {u.parent for u in regions} == {"KAZ"}


def test_region_sets_around_the_splits(geo: Geography) -> None:
    def codes(year: int) -> set[str]:
        return {u.code for u in geo.regions(year=year)}

    assert codes(2018) - codes(2017) == {"KZ-61", "KZ-79"} and codes(2017) - codes(2018) == {"KZ-YUZ"}
    assert codes(2022) - codes(2021) == {"KZ-10", "KZ-33", "KZ-62"} and codes(2021) <= codes(2022)
    assert geo.regions("KZ", 2024) == geo.regions(year=2024)
    assert geo.regions("USA") == []


@pytest.mark.parametrize(("parent", "child"), [("KZ-63", "KZ-10"), ("KZ-19", "KZ-33"), ("KZ-35", "KZ-62")])
def test_2022_boundary_changes(geo: Geography, parent: str, child: str) -> None:
    (ceded,) = geo.get(parent).boundary_changes
    assert (ceded.date.year, ceded.codes) == (2022, (child,))
    assert geo.get(parent).exists_in(2021) and geo.get(parent).exists_in(2022)
    (created,) = geo.get(child).boundary_changes
    assert (created.date, created.codes) == (datetime.date(2022, 6, 8), (parent,))
    assert child in ceded.description.en and child in ceded.description.ru and child in ceded.description.kk


def test_units_without_recorded_changes(geo: Geography) -> None:
    changed = {u.code for u in geo.regions() if u.boundary_changes}
    assert changed == {"KZ-YUZ", "KZ-61", "KZ-79", "KZ-10", "KZ-63", "KZ-33", "KZ-19", "KZ-62", "KZ-35"}


@pytest.mark.parametrize(
    ("code", "en", "ru", "kk"),
    [
        ("KZ-11", "Akmola Region", "Акмолинская область", "Ақмола облысы"),
        ("KZNS", "Astana", "г. Астана", "Астана қаласы"),
        ("KZ-31", "Zhambyl Region", "Жамбылская область", "Жамбыл облысы"),  # not the SDG label's "Жымбылская"
        ("KZ-79", "Shymkent", "г. Шымкент", "Шымкент қаласы"),
        ("KZ-YUZ", "South Kazakhstan Region", "Южно-Казахстанская область", "Оңтүстік Қазақстан облысы"),
        ("KZ-33", "Jetisu Region", "область Жетісу", "Жетісу облысы"),
        ("KAZ", "Kazakhstan", "Казахстан", "Қазақстан"),
        ("KOR", "South Korea", "Южная Корея", "Оңтүстік Корея"),
        ("XKX", "Kosovo", "Косово", "Косово"),
        ("WLD", "World", "Мир", "Әлем"),
    ],
)
def test_names(geo: Geography, code: str, en: str, ru: str, kk: str) -> None:
    assert (geo.name(code), geo.name(code, "ru"), geo.name(code, "kk")) == (en, ru, kk)


def test_every_unit_has_three_distinct_language_names(geo: Geography) -> None:
    def cyrillic(text: str) -> bool:
        return any("\u0400" <= ch <= "\u04ff" for ch in text)

    units = geo.countries() + geo.aggregates() + geo.regions()
    assert [u.code for u in units if u.name.ru == u.name.en] == []
    assert [u.code for u in units if not (cyrillic(u.name.ru) and cyrillic(u.name.kk))] == []
    assert [u.code for u in units if cyrillic(u.name.en)] == []
    assert len({u.name.en for u in geo.regions()}) == 21  # Almaty city and Almaty Region differ


@pytest.mark.parametrize(
    ("year", "name"),
    [
        (2000, "kz-adm1-pre2018"),
        (2017, "kz-adm1-pre2018"),
        (2018, "kz-adm1-2018"),
        (2021, "kz-adm1-2018"),
        (2022, "kz-adm1-2024"),
        (2024, "kz-adm1-2024"),
    ],
)
def test_boundary_set(geo: Geography, year: int, name: str) -> None:
    assert geo.boundary_set(year) == name


def test_no_boundary_set_for_other_countries(geo: Geography) -> None:
    with pytest.raises(NotFoundError, match="USA"):
        geo.boundary_set(2020, "USA")


@pytest.mark.parametrize("name", ["kz-adm1-pre2018", "kz-adm1-2018", "kz-adm1-2024"])
def test_every_kz_feature_code_resolves(geo: Geography, name: str) -> None:
    for props in _features(geo, name):
        for key in ("iso_3166_2", "sdg_ref_area", "ADM1_PCODE", "ISO_3166_2_alpha"):
            assert geo.resolve(str(props[key])) is not None, (name, key, props[key])


@pytest.mark.parametrize("year", [2015, 2017, 2018, 2021, 2022, 2024])
def test_boundary_file_of_a_year_has_that_years_regions(geo: Geography, year: int) -> None:
    boundary = {b.name: b for b in geo.boundary_sets()}[geo.boundary_set(year)]
    features = _features(geo, boundary.name)
    joined = [geo.feature_code(p, year) for p in features]
    by_join_property = [geo.resolve(str(p[boundary.join_property])) for p in features]
    expected = [u.code for u in geo.regions(year=year)]
    assert sorted(c or "" for c in joined) == expected
    assert sorted(c or "" for c in by_join_property) == expected


def test_pre2018_file_codes_south_kazakhstan_as_kz61(geo: Geography) -> None:
    (south,) = [p for p in _features(geo, "kz-adm1-pre2018") if p["ADM1_EN"] == "South Kazakhstan"]
    assert (south["iso_3166_2"], south["sdg_ref_area"]) == ("KZ-61", "KZONT")
    assert geo.feature_code(south) == geo.feature_code(south, 2017) == "KZ-YUZ"
    # Without sdg_ref_area the year decides: KZ-61 (Turkistan) does not exist in 2017, its old letter code does.
    bare = {"iso_3166_2": "KZ-61", "ISO_3166_2_alpha": "KZ-YUZ"}
    assert (geo.feature_code(bare), geo.feature_code(bare, 2017)) == ("KZ-61", "KZ-YUZ")


@pytest.mark.parametrize("name", ["ne-110m-countries", "ne-10m-countries-deu-simplified"])
def test_world_boundary_files_join_on_iso_a3(geo: Geography, name: str) -> None:
    features = _features(geo, name)
    coded = [str(p["iso_a3"]) for p in features if p["iso_a3"]]
    assert [c for c in coded if geo.resolve(c) != c] == []
    unmatched = {str(p["ADM0_A3"]): geo.feature_code(p) for p in features if not p["iso_a3"]}
    assert {k: v for k, v in unmatched.items() if v is not None} == {"KOS": "XKX"}


def test_boundary_file_unknown(geo: Geography) -> None:
    with pytest.raises(NotFoundError, match="kz-adm1-2018"):
        geo.boundary_file("kz-adm1-1999")


def test_every_country_panel_economy_resolves(geo: Geography) -> None:
    text = (CONTENT / "country-panel" / "countries.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 217
    assert [r["iso3"] for r in rows if geo.resolve(r["iso3"]) != r["iso3"]] == []
    assert [r["iso2"] for r in rows if r["iso2"] and geo.resolve(r["iso2"]) != r["iso3"]] == []
    assert {r["iso3"] for r in rows} <= {u.code for u in geo.countries()}


def test_every_pycountry_country_is_known(geo: Geography) -> None:
    kk = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["kk"])
    for country in pycountry.countries:
        unit = geo.get(country.alpha_3)
        assert (unit.kind, unit.iso2, geo.resolve(country.alpha_2)) == ("country", country.alpha_2, country.alpha_3)
        assert geo.resolve(country.numeric) == country.alpha_3
    assert geo.name("KGZ", "kk") == kk.gettext("Kyrgyzstan")


def test_two_letter_aliases_are_only_country_codes(geo: Geography) -> None:
    two_letter = {}
    for scheme in geo.schemes():
        two_letter.update({a: c for a, c in geo.crosswalk(scheme).items() if len(a) == 2})
    assert two_letter == geo.crosswalk("iso2")
    assert all(geo.get(code).iso2 == alias for alias, code in two_letter.items())
    assert len(two_letter) == 250  # 249 ISO alpha-2 + XK


def test_crosswalk_sizes(geo: Geography) -> None:
    sizes = {s: len(geo.crosswalk(s)) for s in geo.schemes()}
    assert sizes == {"iso2": 250, "iso_numeric": 249, "other": 1, "sdg": 21, "kato": 21, "iso_alpha": 20, "pcode": 20}


def test_load_geography_is_cached() -> None:
    assert load_geography() is load_geography()


# --- malformed tables ----------------------------------------------------------------------------------------------


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


BROKEN: list[tuple[str, str, str, int, str | None, str]] = [
    # file, text replaced, replacement, row, column, message fragment
    # an alias is reported where it is used the second time, naming the first row
    ("kz_regions.csv", "KZAKM,110000000", "KZNS,110000000", 19, "sdg", "'KZNS' of KZ-71 already means KZ-11"),
    ("kz_regions.csv", "KZ10,2022-06-08", "KZ10,2022-13-08", 2, "valid_from", "not a date"),
    ("kz_regions.csv", "KZ-11,oblast", "KZ-11,province", 3, "level", "level must be one of"),
    ("kz_regions.csv", "KZ-11,oblast,Akmola Region", "KZ-11,oblast,", 3, "name_en", "empty value"),
    ("kz_regions.csv", "KZ-11,oblast", "KZ-15,oblast", 4, "code", "duplicate code 'KZ-15'"),
    ("kz_boundary_changes.csv", "KZ-63,2022-06-08,KZ-10", "KZ-63,2022-06-08,KZ-99", 6, "codes", "unknown region"),
    ("countries.csv", "KAZ,KZ,398", "KAZ,KG,398", 121, "iso2", "'KG' of KGZ already means KAZ"),
    ("aggregates.csv", "WLD,World", "KAZ,World", 48, "code", "duplicate code 'KAZ'"),
    ("boundary_sets.csv", "kz_adm1_2018.geojson", "missing.geojson", 3, "path", "no such file"),
    ("boundary_sets.csv", "sdg_ref_area,2018,2021", "sdg_ref_area,2017,2021", 3, "first_year", "overlap"),
]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    target = tmp_path / "geography"
    shutil.copytree(str(CONTENT), target)
    return target


@pytest.mark.parametrize(("file", "old", "new", "row", "column", "message"), BROKEN)
def test_malformed_tables_are_refused(
    folder: Path, file: str, old: str, new: str, row: int, column: str | None, message: str
) -> None:
    _edit(folder / file, old, new)
    with pytest.raises(FrameworkError) as info:
        Geography.from_folder(folder)
    found = [(p.file, p.row, p.column) for p in info.value.problems if message in p.message]
    assert found == [(str(folder / file), row, column)], info.value.problems


@pytest.mark.parametrize(
    "break_it",
    [
        lambda f: (f / "aggregates.csv").unlink(),
        lambda f: _edit(f / "kz_regions.csv", "first_year", "first"),
    ],
)
def test_missing_file_or_column(folder: Path, break_it: Callable[[Path], None]) -> None:
    break_it(folder)
    with pytest.raises(FrameworkError, match="missing"):
        Geography.from_folder(folder)


def test_a_clean_copy_loads(folder: Path) -> None:
    copy = Geography.from_folder(folder)
    assert len(copy) == 319 and copy.resolve("KZONT") == "KZ-YUZ"
    assert copy.boundary_file("kz-adm1-2024").is_file()

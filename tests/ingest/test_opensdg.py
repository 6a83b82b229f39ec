"""Open SDG folders: the platform's layout, crosswalked regions, translated metadata, one atomic load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import sandyq
from sandyq import load_file
from sandyq.errors import LoadError
from sandyq.framework import Framework
from sandyq.ingest import is_open_sdg_folder, read_open_sdg
from sandyq.store import Store
from tests.conftest import SDG_RAW

FOLDER = Path(__file__).parent / "fixtures" / "open-sdg"
KEY = ["indicator", "geo", "period", "dims"]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A writable copy of the fixture folder."""
    return Path(shutil.copytree(FOLDER, tmp_path / "open-sdg"))


def _value(staged: pd.DataFrame, indicator: str, geo: str, period: str, dims: str = "") -> float:
    row = staged[
        (staged["indicator"] == indicator)
        & (staged["geo"] == geo)
        & (staged["period"] == period)
        & (staged["dims"] == dims)
    ]
    assert len(row) == 1, row
    return float(row["value"].iloc[0])


# Published on Kazakhstan's SDG platform (data/indicator_*.csv of kazstat/sdg-data-kazstat).
PUBLISHED = [
    ("17-8-1", "KZ-71", "2023", "", 97.4),  # KZNS → Astana
    ("17-8-1", "KAZ", "2023", "", 94.7),  # blank REF_AREA → the whole country
    ("17-8-1", "KAZ", "2023", "sex=F", 94.3),  # blank URBANISATION → total over areas
    ("17-8-1", "KAZ", "2011", "urbanisation=R", 38.6),
    ("17-8-1", "KZ-YUZ", "2011", "", 44.01688913992825),  # KZONT → South Kazakhstan (until 2017)
    ("5-b-1", "KAZ", "2023", "sex=F", 92.2),
    ("4-a-1", "KZ-YUZ", "2015", "series=SE_ACS_INTNT", 15.8),  # "15.8  " with trailing spaces in the source
    ("4-a-1", "KZ-61", "2016", "series=SE_ACS_SANIT", 100.0),  # KZYUZ → Turkistan
    ("4-a-1", "KAZ", "2015", "series=SE_ACS_INTNT", 27.7),
]


def test_published_values_come_through_the_crosswalk(framework: Framework) -> None:
    result = read_open_sdg(FOLDER, framework)
    assert result.staged.groupby("indicator").size().to_dict() == {"17-8-1": 277, "4-a-1": 55, "5-b-1": 1206}
    assert [f.name for f in result.files] == ["indicator_17-8-1.csv", "indicator_4-a-1.csv", "indicator_5-b-1.csv"]
    staged = result.staged
    for indicator, geo, period, dims, value in PUBLISHED:
        assert _value(staged, indicator, geo, period, dims) == value, (indicator, geo, period, dims)
    assert set(staged["source"]) == {"kz-sdg"} and not staged["geo"].str.startswith("KZ" + "N").any()


def test_same_keys_as_the_default_load(store: Store, framework: Framework) -> None:
    for name in ("indicator_17-8-1.csv", "indicator_5-b-1.csv"):  # as content/manifest.yaml loads them
        load_file(
            store, SDG_RAW / name, framework, format="tidy", source="kz-sdg", default_geo="KAZ", vintage="2024-10-24"
        )
    (report,) = load_file(store, FOLDER, framework, source="kz-sdg", vintage="2024-10-24")
    assert (report.added, report.unchanged, report.revised) == (55, 277 + 1206, 0)  # only 4-a-1 is new


def test_new_indicator_gets_names_and_unit_from_the_folder(framework: Framework) -> None:
    ind = read_open_sdg(FOLDER, framework).indicators["4-a-1"]
    assert ind.name.en == "Percentage of schools offering basic services, by type of service"
    assert ind.name.ru.startswith("Доля школ, предлагающих основные услуги, в разбивке по типу")
    assert ind.name.kk == "Негізгі қызметтерді ұсынатын мектептердің қызмет түрі бойынша бөлінген үлесі"
    assert (ind.unit, ind.source, ind.polarity, ind.definition) == ("PT", "kz-sdg", "neutral", None)
    note = ind.note or ""
    assert "UN custodian agency: UNESCO-UIS" in note and "Unit in the source: PT (Percent)" in note


def test_code_labels_come_with_their_translations(framework: Framework) -> None:
    labels = read_open_sdg(FOLDER, framework).labels
    assert labels["SEX"]["F"] == {"en": "Female", "ru": "женщины", "kk": "әйелдер"}
    assert labels["SERIES"]["SE_ACS_INTNT"]["en"] == "access to the internet for education purposes"
    assert labels["REF_AREA"]["KZNS"] == {"en": "Astana city", "ru": "г.Нур-Султан", "kk": "Нұр-Сұлтан қаласы"}


def test_load_keeps_metadata_and_the_framework_wins(tmp_path: Path, framework: Framework) -> None:
    db = tmp_path / "sdg.duckdb"
    with sandyq.connect(db) as m:
        (report,) = m.load(FOLDER, source="kz-sdg", vintage="2024-10-24")
        assert (report.added, report.file) == (1538, str(FOLDER)) and m.store.loads()["format"].tolist() == ["open-sdg"]
        assert set(m.store.stored_indicators()) == {"4-a-1"}  # 17-8-1 and 5-b-1 keep the bundled metadata
    with sandyq.connect(db, read_only=True) as m:
        assert m.framework.indicator("4-a-1").name.ru.startswith("Доля школ")
        assert m.framework.indicator("17-8-1").name.en == framework.indicator("17-8-1").name.en
        astana = m.observations("4-a-1", "KZNS", dims={"series": "SE_ACS_INTNT"})
        assert astana.set_index("period")["value"].to_dict() == {"2015": 25.0, "2016": 75.3}


def test_unknown_region_code_is_named_and_nothing_is_loaded(store: Store, framework: Framework, folder: Path) -> None:
    path = folder / "data" / "indicator_17-8-1.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4].replace("KZAKM", "KZKRG")  # Karaganda *city*: in the platform's list, not a region
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(LoadError, match="nothing was loaded") as info:
        load_file(store, folder, framework, source="kz-sdg")
    (p,) = info.value.problems
    assert (p.file, p.row, p.column) == (str(path), 5, "REF_AREA")
    assert "unknown geography code 'KZKRG'" in p.message and "SDG platform's crosswalk" in p.message
    assert store.count() == 0 and store.loads().empty and store.stored_indicators() == {}


def test_one_bad_file_keeps_every_file_out(store: Store, framework: Framework, folder: Path) -> None:
    path = folder / "data" / "indicator_5-b-1.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("2016,PT,,,,85.4", "2016,PT,,,,eighty"), encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(store, folder, framework, source="kz-sdg")
    assert [(p.row, p.column) for p in info.value.problems] == [(2, "Value")]
    assert store.count() == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda f: (f / "data" / "indicator_4-a-1.csv").write_text(
                (f / "data" / "indicator_4-a-1.csv").read_text("utf-8").replace(",PT,", ",M_USD,"), "utf-8"
            ),
            "unit 'M_USD' (million US dollars) has no sandyq equivalent",
        ),
        (
            lambda f: [
                (f / "translations" / lang / name).unlink()
                for lang in ("en", "ru", "kk")
                for name in ("global_indicators.yml", "national_indicators.yml")
                if (f / "translations" / lang / name).exists()
            ],
            "the folder gives it no name",
        ),
        (lambda f: (f / "meta" / "4-a-1.yml").write_text("availability: 1\n  bad: [\n", "utf-8"), "invalid YAML"),
    ],
    ids=["unknown unit", "no name", "broken meta"],
)
def test_new_indicator_without_usable_metadata_is_refused(
    store: Store, framework: Framework, folder: Path, edit: object, message: str
) -> None:
    edit(folder)  # type: ignore[operator]
    with pytest.raises(LoadError) as info:
        load_file(store, folder, framework, source="kz-sdg")
    assert any(message in p.message for p in info.value.problems), [str(p) for p in info.value.problems]
    assert store.count() == 0


def test_missing_language_is_filled_and_said(framework: Framework, folder: Path) -> None:
    (folder / "translations" / "kk" / "global_indicators.yml").unlink()
    ind = read_open_sdg(folder, framework).indicators["4-a-1"]
    assert ind.name.kk == ind.name.en and "name in kk not in the folder" in (ind.note or "").lower()


def test_not_an_open_sdg_folder(framework: Framework, tmp_path: Path) -> None:
    assert is_open_sdg_folder(FOLDER) and not is_open_sdg_folder(tmp_path)
    with pytest.raises(LoadError, match="no Open SDG indicator files"):
        read_open_sdg(tmp_path, framework)
    with pytest.raises(LoadError, match="not a folder"):
        read_open_sdg(tmp_path / "nowhere", framework)
    with pytest.raises(LoadError, match="unknown source 'nope'"):
        read_open_sdg(FOLDER, framework, source="nope")

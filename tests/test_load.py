"""The one importer dispatch: every kind of input is recognised, read in full before anything is written."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

import sandyq
from sandyq import load_file, read_data
from sandyq._load import detect_kind
from sandyq.errors import LoadError, SandyqError
from sandyq.framework import Framework
from sandyq.store import Store
from tests._postgres import BACKENDS, open_backend_store
from tests.conftest import SDG_RAW

OPEN_SDG = Path(__file__).parent / "ingest" / "fixtures" / "open-sdg"
TIDY = "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n5-b-1,KZ-71,2022,95.1,PT\n"
SDMX = "DATAFLOW,INDICATOR,REF_AREA,SEX,TIME_PERIOD,OBS_VALUE\nX,5-b-1,KAZ,F,2023,92.2\n"


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """Loads are atomic on both backends: the tests that load into ``store`` run on DuckDB and on PostgreSQL."""
    yield from open_backend_store(request)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A manifest's folder: a tidy file, an SDMX-CSV file and a small Open SDG folder."""
    (tmp_path / "tidy.csv").write_text(TIDY, encoding="utf-8")
    (tmp_path / "sdmx.csv").write_text(SDMX, encoding="utf-8")
    sdg = Path(shutil.copytree(OPEN_SDG, tmp_path / "open-sdg"))
    for name in ("indicator_4-a-1.csv", "indicator_5-b-1.csv"):
        (sdg / "data" / name).unlink()
    return tmp_path


def _manifest(folder: Path, *entries: str) -> Path:
    path = folder / "manifest.yaml"
    path.write_text("loads:\n" + "".join(entries), encoding="utf-8")
    return path


ENTRIES = (
    "  - {file: tidy.csv, vintage: 2024-01-01}\n",
    "  - {file: sdmx.csv, vintage: 2024-01-01, source: kz-sdg}\n",
    "  - {file: open-sdg, vintage: 2024-10-24, source: kz-sdg}\n",
)


def test_kinds_are_detected(folder: Path) -> None:
    assert detect_kind(folder / "tidy.csv") == "table"
    assert detect_kind(folder / "sdmx.csv") == "sdmx"  # by its content
    assert detect_kind(folder / "tidy.csv", "sdmx-csv") == "sdmx"  # or when asked
    assert detect_kind(folder / "open-sdg") == "open-sdg"
    assert detect_kind(_manifest(folder, *ENTRIES)) == "manifest"


def test_a_manifest_may_list_every_kind(store: Store, framework: Framework, folder: Path) -> None:
    reports = load_file(store, _manifest(folder, *ENTRIES), framework)
    assert [(r.file, r.added) for r in reports] == [("tidy.csv", 1), ("sdmx.csv", 1), ("open-sdg", 277)]
    assert store.loads()["format"].tolist() == ["tidy", "sdmx-csv-1.0", "open-sdg"]
    assert store.observations("5-b-1", dims=None)[["geo", "dims", "value"]].values.tolist() == [
        ["KAZ", "sex=F", 92.2],
        ["KZ-71", "", 95.1],
    ]


def test_one_bad_file_in_a_manifest_loads_nothing(store: Store, framework: Framework, folder: Path) -> None:
    (folder / "sdmx.csv").write_text(SDMX.replace("92.2", "many"), encoding="utf-8")
    with pytest.raises(LoadError, match="1 problems in its files; nothing was loaded") as info:
        load_file(store, _manifest(folder, *ENTRIES), framework)
    ((p),) = info.value.problems
    assert (p.file, p.row, p.column) == (str(folder / "sdmx.csv"), 2, "OBS_VALUE") and "not a number" in p.message
    assert store.count() == 0 and store.loads().empty and store.sources().empty


def test_a_manifest_cannot_list_a_manifest(store: Store, framework: Framework, folder: Path) -> None:
    (folder / "other.yaml").write_text("loads: []\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(store, _manifest(folder, ENTRIES[0], "  - {file: other.yaml, vintage: 2024-01-01}\n"), framework)
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("loads[1].file", "a manifest cannot list another manifest")
    ]
    assert store.count() == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"format": "tidy", "source": "kz-sdg"},
            "a manifest sets its options per file; --format, --source do not apply",
        ),
        ({"default_geo": "KAZ"}, "--default-geo do not apply"),
    ],
)
def test_options_do_not_apply_to_a_manifest(
    store: Store, framework: Framework, folder: Path, options: dict[str, str], message: str
) -> None:
    with pytest.raises(SandyqError, match=message):
        load_file(store, _manifest(folder, *ENTRIES), framework, **options)  # type: ignore[arg-type]


def test_an_open_sdg_folder_needs_a_source(store: Store, framework: Framework, folder: Path) -> None:
    with pytest.raises(SandyqError, match="an Open SDG folder needs --source"):
        load_file(store, folder / "open-sdg", framework)
    assert store.count() == 0


def test_reading_writes_nothing(framework: Framework, folder: Path, tmp_path: Path) -> None:
    batches = read_data(_manifest(folder, *ENTRIES), framework)
    assert [(b.file, b.format, len(b.staged)) for b in batches] == [
        ("tidy.csv", "tidy", 1),
        ("sdmx.csv", "sdmx-csv-1.0", 1),
        ("open-sdg", "open-sdg", 277),
    ]
    assert [str(b.vintage) for b in batches] == ["2024-01-01", "2024-01-01", "2024-10-24"]


def test_monitor_load_and_write(tmp_path: Path, framework: Framework) -> None:
    with sandyq.connect(tmp_path / "m.duckdb") as m:
        (report,) = m.load(SDG_RAW / "indicator_17-8-1.csv", source="kz-sdg", default_geo="KAZ", vintage="2024-10-24")
        assert (report.added, report.source) == (277, "kz-sdg")
        (batch,) = read_data(SDG_RAW / "indicator_17-8-1.csv", m.framework, source="kz-sdg", default_geo="KAZ")
        again = m.write(batch)
        assert (again.added, again.unchanged) == (0, 277)

"""Resource bombs in data files are refused before they cost time or memory, naming the file and the limit."""

from __future__ import annotations

import shutil
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sandyq import load_file
from sandyq.errors import LoadError
from sandyq.framework import Framework
from sandyq.framework import _yaml as yaml_module
from sandyq.ingest import _csv, _workbook
from sandyq.ingest._header import MAX_COLUMNS
from sandyq.store import Store
from tests.framework.test_framework_validation import ALIAS_BOMB

OPEN_SDG = Path(__file__).parent / "fixtures" / "open-sdg"
HEADER = ["INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE"]


def _refused(store: Store, framework: Framework, path: Path, **options: object) -> LoadError:
    started = time.perf_counter()
    with pytest.raises(LoadError) as info:
        load_file(store, path, framework, **options)  # type: ignore[arg-type]
    assert time.perf_counter() - started < 30  # refused up front, not after minutes of work
    assert store.count() == 0 and store.loads().empty
    return info.value


@pytest.fixture
def open_sdg(tmp_path: Path) -> Path:
    return Path(shutil.copytree(OPEN_SDG, tmp_path / "open-sdg"))


@pytest.mark.parametrize("where", ["translations/en/SEX.yml", "meta/17-8-1.yml"])
def test_an_alias_bomb_in_an_open_sdg_folder(store: Store, framework: Framework, open_sdg: Path, where: str) -> None:
    (open_sdg / where).write_text(ALIAS_BOMB, encoding="utf-8")
    if where.startswith("meta"):  # metadata is read for indicators the framework lacks
        (open_sdg / "data" / "indicator_17-8-1.csv").rename(open_sdg / "data" / "indicator_99-9-9.csv")
        (open_sdg / "meta" / "17-8-1.yml").rename(open_sdg / "meta" / "99-9-9.yml")
        where = "meta/99-9-9.yml"
    error = _refused(store, framework, open_sdg, source="kz-sdg")
    assert any(p.file == str(open_sdg / where) and p.row == 1 and "anchor" in p.message for p in error.problems)


def test_an_open_sdg_yaml_file_above_the_limit(
    store: Store, framework: Framework, open_sdg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(yaml_module, "MAX_YAML_BYTES", 20)
    error = _refused(store, framework, open_sdg, source="kz-sdg")
    assert any("a YAML file may have at most 20" in p.message for p in error.problems)


def test_a_manifest_with_repeated_keys(store: Store, framework: Framework, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n17-8-1,KAZ,2022,95.1\n", "utf-8")
    path = tmp_path / "manifest.yaml"
    path.write_text("loads:\n  - file: a.csv\n    vintage: 2024-01-01\n    file: b.csv\n", encoding="utf-8")
    error = _refused(store, framework, path)
    assert [(p.row, "key 'file' appears twice" in p.message) for p in error.problems] == [(4, True)]


def test_a_csv_with_20000_columns(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    names = ["INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE"] + [f"D{i}" for i in range(20_000)]
    path.write_text(",".join(names) + "\n" + "17-8-1,KAZ,2022,95.1" + ",x" * 20_000 + "\n", encoding="utf-8")
    (p,) = _refused(store, framework, path).problems
    assert p.row == 1 and f"the header has 20004 columns (at most {MAX_COLUMNS})" in p.message


def test_a_csv_above_the_cell_limit(
    store: Store, framework: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_csv, "MAX_CELLS", 100)
    path = tmp_path / "long.csv"
    path.write_text("INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n" + "17-8-1,KAZ,2022,95.1\n" * 30, encoding="utf-8")
    (p,) = _refused(store, framework, path).problems
    assert "a CSV file may have at most 100" in p.message


def test_a_header_line_of_megabytes(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "long-header.csv"
    path.write_text("INDICATOR," + "x" * (2 << 20) + "\n", encoding="utf-8")
    (p,) = _refused(store, framework, path).problems
    assert p.row == 1 and "bytes" in p.message


def _xlsx(tmp_path: Path, name: str = "data.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["17-8-1", "KAZ", 2022, 95.1, "PT"])
    path = tmp_path / name
    book.save(path)
    return path


def test_an_xlsx_zip_bomb_is_refused_before_openpyxl_reads_it(
    store: Store, framework: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = _xlsx(tmp_path, "small.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(small) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":  # 20 MB of blanks inside the sheet: ~20 KB zipped
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * 20_000_000)
            dst.writestr(item.filename, data)
    assert bomb.stat().st_size < 200_000

    def forbidden(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl was asked to read a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", forbidden)
    (p,) = _refused(store, framework, bomb).problems
    assert "member xl/worksheets/sheet1.xml is compressed" in p.message
    assert f"at most {_workbook.MAX_XLSX_RATIO}" in p.message


def test_an_xlsx_above_the_uncompressed_limit(
    store: Store, framework: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_workbook, "MAX_XLSX_BYTES", 5000)
    (p,) = _refused(store, framework, _xlsx(tmp_path)).problems
    assert "a workbook may hold at most 5000" in p.message


def test_an_xlsx_above_the_cell_limit(
    store: Store, framework: Framework, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_workbook, "MAX_XLSX_CELLS", 6)
    (p,) = _refused(store, framework, _xlsx(tmp_path)).problems
    assert "sheet too large" not in p.message and "cells" in p.message


def test_an_xlsx_row_wider_than_the_column_limit(store: Store, framework: Framework, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.cell(row=2, column=MAX_COLUMNS + 500, value=1)
    path = tmp_path / "wide.xlsx"
    book.save(path)
    (p,) = _refused(store, framework, path).problems
    assert f"row 2 is {MAX_COLUMNS + 500} columns wide" in p.message

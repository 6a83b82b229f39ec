"""Bad input is refused with an error naming file, row and column — and nothing is loaded."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sandyq import load_file
from sandyq.errors import LoadError
from sandyq.framework import Framework
from sandyq.store import Store

HEADER = "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS,SEX\n"
GOOD = "17-8-1,KZ-71,2022,95.1,PT,,\n"

# (name, body after the header, expected row, expected column, words in the message)
CASES = [
    ("unknown indicator", "17-8-99,KZ-71,2022,95.1,PT,,\n", 3, "INDICATOR", "unknown indicator '17-8-99'"),
    ("unknown geography", "17-8-1,KZ-99,2022,95.1,PT,,\n", 3, "REF_AREA", "unknown geography code 'KZ-99'"),
    ("non-numeric value", "17-8-1,KZ-75,2022,about 90,PT,,\n", 3, "OBS_VALUE", "not a number: 'about 90'"),
    ("percent above 100", "17-8-1,KZ-75,2022,140,PT,,\n", 3, "OBS_VALUE", "outside what unit PT allows [0, 100]"),
    ("negative percent", "17-8-1,KZ-75,2022,-3,PT,,\n", 3, "OBS_VALUE", "outside what unit PT allows"),
    ("wrong unit", "17-8-1,KZ-75,2022,90,TH_UNITS,,\n", 3, "UNIT_MEASURE", "differs from the indicator's unit 'PT'"),
    ("bad period", "17-8-1,KZ-75,22,90,PT,,\n", 3, "TIME_PERIOD", "not a year, quarter or month"),
    ("unknown status", "17-8-1,KZ-75,2022,90,PT,Z,\n", 3, "OBS_STATUS", "unknown status 'Z'"),
    ("duplicate key, two values", "17-8-1,KZ-71,2022,96.0,PT,,\n", 3, "OBS_VALUE", "has different values 95.1, 96"),
]


def _write(tmp_path: Path, body: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + GOOD + body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "body", "row", "column", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_csv_is_refused_and_nothing_loaded(
    store: Store, framework: Framework, tmp_path: Path, name: str, body: str, row: int, column: str, message: str
) -> None:
    path = _write(tmp_path, body)
    with pytest.raises(LoadError) as info:
        load_file(store, path, framework)
    problems = info.value.problems
    assert any(
        p.row == row and p.column == column and message in p.message and p.file == str(path) for p in problems
    ), [str(p) for p in problems]
    assert "nothing was loaded" in info.value.summary
    assert store.count() == 0 and store.loads().empty


@pytest.mark.parametrize(("name", "body", "row", "column", "message"), CASES[:4], ids=[c[0] for c in CASES[:4]])
def test_bad_xlsx_is_refused_with_excel_row(
    store: Store, framework: Framework, tmp_path: Path, name: str, body: str, row: int, column: str, message: str
) -> None:
    csv = _write(tmp_path, body)
    xlsx = tmp_path / "data.xlsx"
    pd.read_csv(csv, dtype=str, keep_default_na=False).to_excel(xlsx, index=False)
    with pytest.raises(LoadError) as info:
        load_file(store, xlsx, framework)
    assert any(p.row == row and p.column == column and message in p.message for p in info.value.problems)
    assert store.count() == 0


def test_missing_column_is_named(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "data.csv"
    path.write_text("INDICATOR,REF_AREA,OBS_VALUE\n17-8-1,KZ-71,95.1\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(store, path, framework)
    assert [(p.row, p.column) for p in info.value.problems] == [(1, "TIME_PERIOD")]
    assert "missing required column" in info.value.problems[0].message
    assert store.count() == 0


def test_wrong_encoding_names_the_line(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "cp1251.csv"
    text = HEADER + GOOD + "17-8-1,KZ-75,2022,90,PT,,\n" + "17-8-1,KZ-11,2022,80,PT,,Женщины\n"
    path.write_bytes(text.encode("cp1251"))
    with pytest.raises(LoadError) as info:
        load_file(store, path, framework)
    (p,) = info.value.problems
    assert p.row == 4 and "cannot be decoded as utf-8" in p.message and "--encoding" in p.message
    assert store.count() == 0
    # with the right encoding it loads, and the dimension keeps its Cyrillic value
    (report,) = load_file(store, path, framework, encoding="cp1251")
    assert report.added == 3
    assert "sex=Женщины" in set(store.observations("17-8-1", "KZ-11")["dims"])


def test_every_problem_is_reported_at_once(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = _write(tmp_path, "".join(c[1] for c in CASES[:5]))
    with pytest.raises(LoadError) as info:
        load_file(store, path, framework)
    assert sorted({p.row for p in info.value.problems if p.row}) == [3, 4, 5, 6, 7]


def test_not_a_workbook(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "fake.xlsx"
    path.write_text("this is not a workbook", encoding="utf-8")
    with pytest.raises(LoadError, match="cannot read the workbook"):
        load_file(store, path, framework)


def test_panel_with_unknown_column_is_refused(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "panel.csv"
    path.write_text("iso3,year,IT.NET.USER.ZS,mystery\nKAZ,2020,85.9,1\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        load_file(store, path, framework, format="panel")
    assert [(p.row, p.column) for p in info.value.problems] == [(1, "mystery")]

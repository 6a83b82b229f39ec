"""No export can attack its reader: formula-like text is inert in every CSV and XLSX sandyq writes.

A planted note ``=HYPERLINK("http://x","y")``, a DDE payload, dimension values
that begin with ``@`` and ``-`` and a source whose name is a formula are
exported in every format; no CSV cell may begin like a formula (numbers
excepted) and no XLSX cell may be a formula.  Formats sandyq re-imports load
back equal: the escaping quote is removed on import.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from typer.testing import CliRunner

import sandyq
from sandyq.framework import Source
from sandyq.ingest._read import _unescaped
from sandyq.outputs._render import render_frame
from sandyq.outputs.cli import app
from sandyq.outputs.export import (
    FORMULA_SIGNS,
    csv_text,
    export,
    frame_csv,
    safe_cell,
    safe_csv,
    safe_frame,
    select,
    unescape_cell,
    xlsx_row,
)
from sandyq.outputs.web import create_app

NOTE = '=HYPERLINK("http://x","y")'
DDE = "+cmd|' /C calc'!A0"
SOURCE_NAME = '=HYPERLINK("http://evil","Statistics")'
ASEM = Path(__file__).resolve().parents[2] / "examples" / "coinr-asem"
#: What a planted row becomes: (period, dims, value, note).
PLANTED = [
    ("2021", "", -3.5, NOTE),
    ("2022", "sector=-2+3", 10.0, DDE),
    ("2023", "sector=@SUM(A1)", 20.0, "-minus as a note"),
    ("2024", "sector=+1+1", 30.0, "@mention\r=1+1"),
]
PLANTED_SOURCE = Source.model_validate(
    {"id": "planted", "name": SOURCE_NAME, "publisher": "@evil", "licence": "CC BY 4.0", "citation": "-cite me"}
)
_FORMULA_START = re.compile("^[" + re.escape(FORMULA_SIGNS) + "]")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
runner = CliRunner()


def _inert(cell: str) -> bool:
    """Whether a spreadsheet reads this CSV field as text or a number, never as a formula."""
    return not _FORMULA_START.match(cell) or bool(_NUMBER.match(cell))


def _assert_inert_csv(text: str, where: str) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(text)))
    risky = [(i, cell) for i, row in enumerate(rows) for cell in row if not _inert(cell)]
    assert not risky, f"{where}: formula-like cells {risky[:5]}"
    return rows


def _assert_inert_xlsx(data: bytes | Path, where: str) -> dict[str, list[list[object]]]:
    book = load_workbook(data if isinstance(data, Path) else io.BytesIO(data))
    cells = [(ws.title, c) for ws in book.worksheets for row in ws.iter_rows() for c in row]
    formulas = [(title, c.coordinate) for title, c in cells if c.data_type == "f"]
    assert not formulas, f"{where}: formula cells {formulas[:5]}"
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store whose rows carry formula-like notes and dimension values, from a source named like a formula."""
    path = tmp_path_factory.mktemp("planted") / "planted.duckdb"
    with sandyq.connect(path) as m:
        m.store.register_sources([PLANTED_SOURCE])
        m.store.load_frame(
            pd.DataFrame(
                {
                    "indicator": "kz.ict_costs",
                    "geo": "KAZ",
                    "period": [p[0] for p in PLANTED],
                    "dims": [p[1] for p in PLANTED],
                    "source": "planted",
                    "value": [p[2] for p in PLANTED],
                    "unit": "MN_KZT",
                    "status": None,
                    "note": [p[3] for p in PLANTED],
                }
            ),
            file="planted.csv",
            format="tidy",
            vintage="2025-01-31",
        )
    return path


@pytest.fixture(scope="module")
def monitor(planted: Path) -> Iterator[sandyq.Monitor]:
    with sandyq.connect(planted, read_only=True) as m:
        yield m


def _expected() -> pd.DataFrame:
    return pd.DataFrame(PLANTED, columns=["period", "dims", "value", "note"]).sort_values("period", ignore_index=True)


def _loaded_back(path: Path, tmp_path: Path) -> pd.DataFrame:
    with sandyq.connect(tmp_path / "fresh.duckdb") as fresh:
        framework = fresh.framework.with_indicators({}, [PLANTED_SOURCE])  # the planted source is not bundled
        sandyq.load_file(fresh.store, path, framework, vintage="2030-01-01")
        obs = fresh.store.observations(dims=None)
    return obs[["period", "dims", "value", "note"]].sort_values("period", ignore_index=True)


def test_csv_export_is_inert_keeps_numbers_and_loads_back_equal(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    export(monitor, tmp_path / "out.csv", "csv")
    text = (tmp_path / "out.csv").read_bytes().decode("utf-8")  # bytes: no newline translation
    rows = _assert_inert_csv(text, "csv")
    head = rows[0]
    by_period = {r[head.index("period")]: dict(zip(head, r, strict=True)) for r in rows[1:]}
    assert by_period["2021"]["value"] == "-3.5"  # a number stays a number
    assert by_period["2021"]["note"] == "'" + NOTE and by_period["2023"]["sector"] == "'@SUM(A1)"
    assert by_period["2022"]["sector"] == "'-2+3" and by_period["2024"]["sector"] == "'+1+1"
    assert by_period["2024"]["note"] == "'@mention\r=1+1"  # quoted: the carriage return stays in its cell
    pd.testing.assert_frame_equal(_loaded_back(tmp_path / "out.csv", tmp_path), _expected())
    assert csv_text(select(monitor)) == text


@pytest.mark.parametrize("version", ["1.0", "2.0"])
def test_sdmx_csv_export_is_inert_and_loads_back_equal(monitor: sandyq.Monitor, tmp_path: Path, version: str) -> None:
    export(monitor, tmp_path / "out.csv", "sdmx-csv", sdmx_version=version)
    text = (tmp_path / "out.csv").read_text(encoding="utf-8")
    _assert_inert_csv(text, f"sdmx-csv {version}")
    assert "'" + NOTE.replace('"', '""') in text and ",-3.5," in text
    pd.testing.assert_frame_equal(_loaded_back(tmp_path / "out.csv", tmp_path), _expected())


def test_sdmx_ml_export_loads_back_equal(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    # XML is not a spreadsheet format: the text is kept as it is, and loads back equal
    export(monitor, tmp_path / "out.xml", "sdmx-ml")
    pd.testing.assert_frame_equal(_loaded_back(tmp_path / "out.xml", tmp_path), _expected())


def test_xlsx_export_has_no_formula_and_loads_back_equal(monitor: sandyq.Monitor, tmp_path: Path) -> None:
    export(monitor, tmp_path / "out.xlsx", "xlsx")
    sheets = _assert_inert_xlsx(tmp_path / "out.xlsx", "xlsx")
    data = sheets["data"]
    note = data[0].index("note")
    assert NOTE in [row[note] for row in data[1:]]  # the text as it is, stored as text
    assert -3.5 in [row[data[0].index("value")] for row in data[1:]]  # numbers stay numbers
    assert [sheets["sources"][1][1], sheets["sources"][1][2]] == [SOURCE_NAME, "@evil"]
    pd.testing.assert_frame_equal(_loaded_back(tmp_path / "out.xlsx", tmp_path), _expected())


@pytest.mark.parametrize("fmt", ["datapackage", "zip"])
def test_package_csv_files_are_inert_and_observations_load_back_equal(
    monitor: sandyq.Monitor, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / ("package" if fmt == "datapackage" else "out.zip")
    export(monitor, target, fmt)
    if fmt == "zip":
        with zipfile.ZipFile(target) as zf:
            files = {n: zf.read(n).decode("utf-8") for n in zf.namelist() if n.endswith(".csv")}
    else:
        files = {str(p.relative_to(target)): p.read_bytes().decode("utf-8") for p in target.rglob("*.csv")}
    assert set(files) == {"data/observations.csv", "data/indicators.csv", "data/sources.csv"}
    for name, text in files.items():
        _assert_inert_csv(text, f"{fmt} {name}")
    assert "'" + SOURCE_NAME.replace('"', '""') in files["data/sources.csv"]
    (tmp_path / "observations.csv").write_text(files["data/observations.csv"], encoding="utf-8")
    pd.testing.assert_frame_equal(_loaded_back(tmp_path / "observations.csv", tmp_path), _expected())


def test_cli_csv_outputs_are_inert(planted: Path, tmp_path: Path) -> None:
    for args in (["export", "--format", "csv"], ["show", "kz.ict_costs", "--geo", "KAZ", "--format", "csv"]):
        result = runner.invoke(app, ["--db", str(planted), *args])
        assert result.exit_code == 0, result.output
        _assert_inert_csv(result.stdout, " ".join(args))
        assert "'" + NOTE.replace('"', '""') in result.stdout


def test_index_build_csv_is_inert(tmp_path: Path) -> None:
    for f in ("asem.yaml", "ASEM_iData.csv", "ASEM_iMeta.csv"):
        (tmp_path / f).write_bytes((ASEM / f).read_bytes())
    data = pd.read_csv(tmp_path / "ASEM_iData.csv", dtype=str, keep_default_na=False)
    data.loc[data["uCode"] == "CHE", "uName"] = NOTE
    data.to_csv(tmp_path / "ASEM_iData.csv", index=False)
    result = runner.invoke(app, ["index", "build", str(tmp_path / "asem.yaml"), "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = _assert_inert_csv(result.stdout, "index build")
    assert rows[1][:2] == ["CHE", "'" + NOTE]


def test_web_csv_and_xlsx_downloads_are_inert(planted: Path) -> None:
    with TestClient(create_app(planted, language="en")) as client:
        for url in ("/api/observations.csv?indicator=kz.ict_costs", "/data/indicator/kz.ict_costs.csv"):
            r = client.get(url)
            assert r.status_code == 200, url
            assert "'" + NOTE.replace('"', '""') in r.text
            _assert_inert_csv(r.text, url)
        r = client.get("/data/indicator/kz.ict_costs.xlsx")
        assert r.status_code == 200
        data = _assert_inert_xlsx(r.content, "web xlsx")["data"]
        assert NOTE in [row[data[0].index("note")] for row in data[1:]]


def test_render_csv_escapes_text_not_numbers() -> None:
    frame = pd.DataFrame({"note": [NOTE, "\tx", "\rx", "ok", None], "value": [-3.5, 1.0, 2.0, 3.0, 4.0]})
    rows = _assert_inert_csv(render_frame(frame, "csv"), "render")
    assert [r[0] for r in rows[1:]] == ["'" + NOTE, "'\tx", "'\rx", "ok", ""]
    assert [r[1] for r in rows[1:]] == ["-3.5", "1.0", "2.0", "3.0", "4.0"]


STRINGS = [NOTE, DDE, "-", "--x", "@", "'", "'=x", "''=x", "'x", "x'", "=", "-3.5", "+7", "1e5", "-1e-5", "'-3.5",
           "\t=1", "\r=1", "＝1", "＋1", "－1", "＠x", "KZ-71", "", "a=b", " =1", "'''@''"]  # fmt: skip


@pytest.mark.parametrize("text", STRINGS)
def test_the_escape_is_undone_exactly_by_the_csv_reader(text: str) -> None:
    escaped = safe_cell(text)
    assert _inert(escaped)
    assert unescape_cell(escaped) == text
    read = _unescaped(pd.DataFrame({safe_cell(text) or "c": [escaped]}))  # what sandyq's CSV reader sees
    assert read.iloc[0, 0] == text and read.columns[0] == (text or "c")


def test_safe_csv_rewrites_every_field_and_reads_back() -> None:
    strings = [s for s in STRINGS if "\r" not in s]  # pandas writes a carriage return unquoted: see below
    text = pd.DataFrame({"s": strings, "n": range(len(strings))}).to_csv(index=False, lineterminator="\n")
    safe = safe_csv(text)
    _assert_inert_csv(safe, "safe_csv")
    back = _unescaped(pd.read_csv(io.StringIO(safe), dtype=str, keep_default_na=False))
    assert back["s"].tolist() == strings


def test_safe_csv_reads_a_bare_carriage_return_as_a_spreadsheet_does() -> None:
    text = pd.DataFrame({"s": ["ok\r=HYPERLINK(1)"], "n": [1]}).to_csv(index=False, lineterminator="\n")
    assert text == "s,n\nok\r=HYPERLINK(1),1\n"  # what a lower layer's to_csv writes: a new row to a spreadsheet
    assert _assert_inert_csv(safe_csv(text), "safe_csv") == [["s", "n"], ["ok"], ["'=HYPERLINK(1)", "1"]]


def test_safe_frame_leaves_numbers_dates_and_booleans() -> None:
    frame = pd.DataFrame(
        {
            "=head": ["=1"],
            "n": [-1.5],
            "i": [-2],
            "b": [True],
            "d": pd.to_datetime(["2024-01-01"]),
            "s": pd.Series(["@x"], dtype="string"),
        }
    )
    out = safe_frame(frame)
    assert list(out.columns) == ["'=head", "n", "i", "b", "d", "s"]
    assert out.iloc[0].tolist()[:5] == ["'=1", -1.5, -2, True, pd.Timestamp("2024-01-01")]
    assert out["s"].iloc[0] == "'@x"
    assert frame["=head"].iloc[0] == "=1"  # a copy: the caller's frame is untouched


def test_xlsx_row_writes_strings_as_text_in_write_only_sheets(tmp_path: Path) -> None:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("s")
    sheet.append(xlsx_row(sheet, [NOTE, -3.5, None, "ok"]))
    book.save(tmp_path / "w.xlsx")
    cells = list(load_workbook(tmp_path / "w.xlsx")["s"].iter_rows())[0]
    assert [c.data_type for c in cells[:2]] == ["s", "n"] and cells[0].value == NOTE and cells[1].value == -3.5


def test_frame_csv_takes_object_columns_without_text() -> None:
    frame = pd.DataFrame({"ok": pd.Series([True, False], dtype=object), "n": pd.Series([1, None], dtype=object)})
    assert frame_csv(frame) == "ok,n\nTrue,1\nFalse,\n"

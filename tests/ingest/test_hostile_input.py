"""Files a careless or hostile user could hand sandyq: each ends in a correct load or a refusal naming where.

Nothing may poison the store (a row every later read fails on), be dropped or
misread silently, or escape as a traceback: every refusal is a ``LoadError``
naming the file, and the row and column where there is one, and loads nothing.
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import sandyq
from sandyq import load_file
from sandyq.errors import LoadError, SandyqError
from sandyq.framework import MAX_MAGNITUDE, Framework
from sandyq.store import Store

HEADER = "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE\n"
GOOD = "17-8-1,KAZ,2022,95.1,PT\n"
USD = "NY.GDP.PCAP.CD"  # an indicator in US dollars: no upper bound of its own


def _csv(tmp_path: Path, text: str, name: str = "data.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _refused(store: Store, framework: Framework, path: Path, **options: object) -> LoadError:
    with pytest.raises(LoadError) as info:
        load_file(store, path, framework, **options)  # type: ignore[arg-type]
    assert "nothing was loaded" in info.value.summary or "refused" in info.value.summary
    assert store.count() == 0 and store.loads().empty
    assert all(p.file.startswith(str(path)) for p in info.value.problems), [str(p) for p in info.value.problems]
    return info.value


def _one(error: LoadError, row: int | None, column: str | None, words: str) -> None:
    assert any(p.row == row and p.column == column and words in p.message for p in error.problems), [
        str(p) for p in error.problems
    ]


# -- 1. the store is never poisoned ---------------------------------------------------------------


def test_full_width_period_is_normalised_and_every_read_works(
    store: Store, framework: Framework, tmp_path: Path
) -> None:
    path = _csv(tmp_path, HEADER + "17-8-1,ＫＡＺ,２０２３,９５．１,PT\n")
    (report,) = load_file(store, path, framework)
    assert report.added == 1
    frame = store.observations("17-8-1", dims=None)
    assert frame[["geo", "period", "value"]].values.tolist() == [["KAZ", "2023", 95.1]]
    assert frame["year"].tolist() == [2023]
    store.summary()  # reads that cast periods to numbers


def test_full_width_disaggregation_is_the_same_series(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = _csv(tmp_path, "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,ＳＥＸ\n17-8-1,KAZ,2022,95.1,Ｆ\n")
    load_file(store, path, framework)
    assert store.observations("17-8-1", dims=None)["dims"].tolist() == ["sex=F"]


@pytest.mark.parametrize(
    ("cell", "column", "words"),
    [
        ("٢٠٢٣", "TIME_PERIOD", "not a year, quarter or month"),  # Arabic-Indic digits: no compatibility form
        ("2023\x00", "TIME_PERIOD", "not a year, quarter or month"),
    ],
)
def test_a_period_that_stays_foreign_is_refused(
    store: Store, framework: Framework, tmp_path: Path, cell: str, column: str, words: str
) -> None:
    error = _refused(store, framework, _csv(tmp_path, HEADER + f"17-8-1,KAZ,{cell},95.1,PT\n"))
    _one(error, 2, column, words)


@pytest.mark.parametrize(
    ("header", "cell", "column", "words"),
    [
        ("SEX", "F\x00", "SEX", "control character"),
        ("SEX", "F\x1b[31m", "SEX", "control character"),
        ("SEX", "F;age=Y15T24", "SEX", "would change the key of another series"),
        ("SEX", "sex=M", "SEX", "would change the key of another series"),
        ("COMMENT", "see\x00note", "COMMENT", "control character in the note"),
    ],
)
def test_text_that_could_rewrite_a_key_is_refused(
    store: Store, framework: Framework, tmp_path: Path, header: str, cell: str, column: str, words: str
) -> None:
    path = _csv(tmp_path, f"INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,{header}\n17-8-1,KAZ,2022,95.1,{cell}\n")
    _one(_refused(store, framework, path), 2, column, words)


@pytest.mark.parametrize("name", ["SEX;AGE", "SEX=F"])
def test_a_disaggregation_name_with_key_characters_is_refused(
    store: Store, framework: Framework, tmp_path: Path, name: str
) -> None:
    path = _csv(tmp_path, f'INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,"{name}"\n17-8-1,KAZ,2022,95.1,F\n')
    _one(_refused(store, framework, path), 1, name, "may not hold ';', '='")


def test_two_columns_for_one_disaggregation_are_refused(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = _csv(tmp_path, "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,SEX,sex\n17-8-1,KAZ,2022,95.1,F,M\n")
    _one(_refused(store, framework, path), 1, "sex", "is also column 'SEX'")


def test_a_note_keeps_its_characters(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = _csv(tmp_path, 'INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,COMMENT\n17-8-1,KAZ,2022,95.1,"ｆｕｌｌ\tline"\n')
    load_file(store, path, framework)
    assert store.observations("17-8-1")["note"].tolist() == ["ｆｕｌｌ\tline"]


# -- 2. nothing dropped or misread silently ---------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "row", "column", "words"),
    [
        (GOOD + "17-8-1,KAZ\n", 3, "TIME_PERIOD", "fewer fields than the header"),
        ("17-8-1,KAZ,2023,95.1,PT,extra\n", 2, None, "more fields than"),
        (GOOD + "17-8-1,KAZ,2023,95.1,PT,extra\n", 3, None, "more fields than"),
        (GOOD + '17-8-1,"KAZ\nKZ-71",2023\n', 3, "OBS_VALUE", "fewer fields"),
    ],
    ids=["cut short", "extra field on the first row", "extra field later", "cut short after a quoted newline"],
)
def test_rows_of_the_wrong_width_are_refused_by_line(
    store: Store, framework: Framework, tmp_path: Path, body: str, row: int, column: str | None, words: str
) -> None:
    error = _refused(store, framework, _csv(tmp_path, HEADER + body))
    _one(error, row, column, words)
    assert "malformed CSV" in error.summary


def test_quoted_line_breaks_keep_row_numbers(store: Store, framework: Framework, tmp_path: Path) -> None:
    body = "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,COMMENT\n"
    body += '17-8-1,KAZ,2021,95.1,"two\nlines"\n\n17-8-1,KZ-99,2022,1,\n'  # the quoted cell spans lines 2-3
    _one(_refused(store, framework, _csv(tmp_path, body)), 5, "REF_AREA", "unknown geography code 'KZ-99'")


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("INDICATOR,INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE", "INDICATOR"),
        ("INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,OBS_VALUE", "OBS_VALUE"),
        ("INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE, OBS_VALUE ", "OBS_VALUE"),
    ],
)
def test_a_repeated_header_name_is_refused(
    store: Store, framework: Framework, tmp_path: Path, header: str, column: str
) -> None:
    path = _csv(tmp_path, header + "\n" + "17-8-1," * 4 + "1\n")
    _one(_refused(store, framework, path), 1, column, "more than once")


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("INDICATOR,REF_AREA,TIME_PERIOD,Value,OBS_VALUE", "OBS_VALUE"),
        ("INDICATOR,REF_AREA,Year,TIME_PERIOD,OBS_VALUE", "TIME_PERIOD"),
        ("INDICATOR,GeoCode,REF_AREA,TIME_PERIOD,OBS_VALUE", "REF_AREA"),
    ],
)
def test_two_columns_for_one_field_are_refused(
    store: Store, framework: Framework, tmp_path: Path, header: str, column: str
) -> None:
    path = _csv(tmp_path, header + "\n17-8-1,KAZ,2022,95.1,96.0\n")
    _one(_refused(store, framework, path), 1, column, "both mean")


@pytest.mark.parametrize("body", ["", "\n\n", " , , , , \n"], ids=["header only", "blank lines", "blank cells"])
def test_a_file_without_data_rows_is_refused(store: Store, framework: Framework, tmp_path: Path, body: str) -> None:
    _one(_refused(store, framework, _csv(tmp_path, HEADER + body)), 2, None, "no data rows")


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("1e308", "beyond ±1e+15"),
        (f"{MAX_MAGNITUDE:.0f}", "beyond ±1e+15"),
        ("-2e16", "beyond ±1e+15"),
        ("inf", "not a number: 'inf' (not a finite figure)"),
        ("-Infinity", "not a number: '-Infinity' (not a finite figure)"),
        ("1e309", "not a number: '1e309' (not a finite figure)"),
    ],
)
def test_values_beyond_any_statistic_are_refused(
    store: Store, framework: Framework, tmp_path: Path, value: str, words: str
) -> None:
    path = _csv(tmp_path, f"INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n{USD},KAZ,2022,{value}\n")
    _one(_refused(store, framework, path), 2, "OBS_VALUE", words)


def test_large_but_real_values_load(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = _csv(tmp_path, f"INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE\n{USD},KAZ,2022,9.99e14\n{USD},KAZ,2021,-0\n")
    load_file(store, path, framework)
    assert sorted(store.observations(USD)["value"].tolist()) == [0.0, 9.99e14]


def _workbook(tmp_path: Path, rows: list[list[object]], name: str = "data.xlsx") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


XLSX_HEADER: list[object] = ["INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE"]


@pytest.mark.parametrize("error", ["#DIV/0!", "#N/A", "#VALUE!", "#REF!"])
def test_excel_error_cells_are_refused(store: Store, framework: Framework, tmp_path: Path, error: str) -> None:
    rows = [XLSX_HEADER, ["17-8-1", "KAZ", 2022, 95.1, "PT"], ["17-8-1", "KZ-71", 2022, error, "PT"]]
    path = _workbook(tmp_path, rows)
    _one(_refused(store, framework, path), 3, "OBS_VALUE", f"Excel error {error} in cell D3")


def test_formulas_saved_without_values_are_refused(store: Store, framework: Framework, tmp_path: Path) -> None:
    # openpyxl writes formulas without computing them, as many programs do
    path = _workbook(tmp_path, [XLSX_HEADER, ["17-8-1", "KAZ", 2022, "=90+5.1", "PT"]])
    _one(_refused(store, framework, path), 2, "OBS_VALUE", "formula =90+5.1 in cell D2 was saved without its value")


def test_a_value_right_of_the_header_is_refused(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = _workbook(tmp_path, [XLSX_HEADER, ["17-8-1", "KAZ", 2022, 95.1, "PT", None, "stray note"]])
    _one(_refused(store, framework, path), 2, None, "right of the header, in cell G2")


def test_a_workbook_keeps_excel_row_numbers_past_blank_rows(store: Store, framework: Framework, tmp_path: Path) -> None:
    # a blank first row, the header on row 2, a blank row 4
    rows: list[list[object]] = [[], XLSX_HEADER, ["17-8-1", "KAZ", 2022, 95.1, "PT"], []]
    path = _workbook(tmp_path, [*rows, ["17-8-1", "KAZ", 2022, "n/a", "PT"]])
    _one(_refused(store, framework, path), 5, "OBS_VALUE", "not a number: 'n/a'")


def test_sdmx_ml_delete_action_is_refused_like_sdmx_csv(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "delete.xml"
    path.write_text(
        '<?xml version="1.0"?>\n'
        '<mes:StructureSpecificData xmlns:mes="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message" '
        'xmlns:data="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific">\n'
        "<mes:Header><mes:ID>x</mes:ID><mes:Test>false</mes:Test><mes:Prepared>2024-01-01T00:00:00</mes:Prepared>"
        '<mes:Sender id="x"/></mes:Header>\n'
        '<mes:DataSet data:action="Delete" data:structureRef="X">\n'
        '<Obs INDICATOR="17-8-1" REF_AREA="KAZ" TIME_PERIOD="2023" OBS_VALUE="94.7"/>\n'
        "</mes:DataSet></mes:StructureSpecificData>\n",
        encoding="utf-8",
    )
    _one(_refused(store, framework, path), 1, "ACTION", "ACTION D (delete) is not supported")


def test_sdmx_ml_with_a_doctype_is_refused(store: Store, framework: Framework, tmp_path: Path) -> None:
    path = tmp_path / "entities.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE m [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>\n'
        '<mes:StructureSpecificData xmlns:mes="urn:x"><mes:DataSet><Obs OBS_VALUE="&b;"/></mes:DataSet>'
        "</mes:StructureSpecificData>\n",
        encoding="utf-8",
    )
    _one(_refused(store, framework, path, format="sdmx-ml"), 1, None, "DOCTYPE")


# -- 4. no tracebacks --------------------------------------------------------------------------------


def test_wide_years_asked_of_a_tidy_file(store: Store, framework: Framework, tmp_path: Path) -> None:
    error = _refused(store, framework, _csv(tmp_path, HEADER + GOOD), format="wide-years")
    _one(error, 1, None, "no column is a year")


def test_a_workbook_with_broken_sheet_xml(store: Store, framework: Framework, tmp_path: Path) -> None:
    import zipfile

    good = _workbook(tmp_path, [XLSX_HEADER, ["17-8-1", "KAZ", 2022, 95.1, "PT"]], "good.xlsx")
    broken = tmp_path / "broken.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            dst.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    error = _refused(store, framework, broken)
    assert "cannot read the workbook" in error.summary


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("nul.csv", "\x00\x00\x00"),
        ("bom-only.csv", "\ufeff"),
        ("quote.csv", '"'),
        ("open-quote.csv", HEADER + '17-8-1,"KAZ,2022,95.1,PT\n'),
        ("binary.csv", "PK\x03\x04\x14\x00\x06\x00"),
        ("blank-header.csv", "\n" + GOOD),
        ("reserved.csv", "INDICATOR,REF_AREA,TIME_PERIOD,OBS_VALUE,__row__\n17-8-1,KAZ,2022,95.1,7\n"),
        ("fake.xlsx", "not a zip"),
        ("fake.xml", "<?xml version='1.0'?><a>"),
        ("data.tsv", "INDICATOR\tREF_AREA\tTIME_PERIOD\tOBS_VALUE\n17-8-1\tKAZ\n"),
    ],
)
def test_garbage_is_a_load_error(store: Store, framework: Framework, tmp_path: Path, name: str, text: str) -> None:
    path = _csv(tmp_path, text, name)
    with pytest.raises(SandyqError) as info:
        load_file(store, path, framework)
    assert isinstance(info.value, LoadError), info.value
    assert store.count() == 0


def test_a_folder_given_as_a_file(store: Store, framework: Framework, tmp_path: Path) -> None:
    with pytest.raises(LoadError):
        sandyq.read_data(tmp_path, framework, format="tidy")

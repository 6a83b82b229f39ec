"""Cases of XLSX workbooks: error cells, formulas without cached values, broken parts, bombs, many columns.

Workbooks are written with openpyxl from the real samples (numbers as numbers, as a spreadsheet holds
them), then changed cell by cell or part by part inside the zip.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ._cells import Made, refuse_cell, with_note
from ._model import Case, Either, Loads, Refused
from ._sources import Table, rng, tables
from ._tables import table_case

__all__ = ["XLSX_FAMILY", "xlsx_cases"]

XLSX_FAMILY = "xlsx"
SHEET = "xl/worksheets/sheet1.xml"
#: The samples workbooks are made from, and how many of them each mutation uses.
XLSX_SAMPLES = ("seed000", "sdg-17-8-1", "wdi-agg", "egdi", "bns")
PER_MUTATION = 2


def _number(text: str) -> Any:
    """A cell as a spreadsheet would hold it: a number if the text is one (exactly), else the text."""
    if text == "" or text.strip() != text:
        return text or None
    try:
        number = float(text)
    except ValueError:
        return text
    if text.lstrip("-").isdigit():
        return int(text)
    # openpyxl writes 15 significant digits, as Excel shows them: keep longer numbers as text
    return number if float(f"{number:.15g}") == number and repr(number) == text else text


def workbook(
    t: Table,
    *,
    cells: dict[tuple[int, str], Any] | None = None,
    header: list[str] | None = None,
    rows: list[list[Any]] | None = None,
    before: list[str] | None = None,
    strings: set[tuple[int, str]] | frozenset[tuple[int, str]] = frozenset(),
) -> bytes:
    """An .xlsx of ``t`` (its first sheet), with some data cells replaced (``(row index, column)`` → value).

    ``before`` names sheets placed before the data sheet (then called ``Data``); ``strings`` are cells kept
    as text even if they look like formulas.
    """
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    if before:
        sheet.title = before[0]
        sheet.append(["These figures are on the sheet 'Data'."])
        for name in before[1:]:
            book.create_sheet(name)
        sheet = book.create_sheet("Data")
    head = header or list(t.header)
    sheet.append(head)
    body = rows if rows is not None else [[_number(c) for c in row] for row in t.rows]
    for i, row in enumerate(body):
        values = list(row)
        for (ci, column), value in (cells or {}).items():
            if ci == i:
                values[head.index(column)] = value
        sheet.append(values)
        for ci, column in strings:
            if ci == i:
                sheet.cell(row=i + 2, column=head.index(column) + 1).data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite(data: bytes, member: str, change: Callable[[bytes], bytes | None]) -> bytes:
    """The zip ``data`` with ``member`` changed (``change`` returning None removes it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body: bytes | None = src.read(info.filename)
            if info.filename == member:
                body = change(body or b"")
            if body is not None:
                dst.writestr(info.filename, body)
    return out.getvalue()


def _value_cell(t: Table, r: random.Random) -> tuple[int, str] | None:
    cells = [
        (i, c)
        for c in t.roles.values
        for i, row in enumerate(t.rows)
        if isinstance(_number(row[t.col(c)]), float | int)
    ]
    return r.choice(cells) if cells else None


def _role_cell(t: Table, r: random.Random, role: str) -> tuple[int, str] | None:
    if role == "value":
        return _value_cell(t, r)
    column = getattr(t.roles, role)
    if not column:
        return None
    return r.randrange(len(t.rows)), column


def _replaced(role: str, value: Any, *, expect: str = "refused") -> Callable[[Table, random.Random], Made | None]:
    """One cell of ``role`` replaced by ``value`` (an error code, a formula, a date…)."""

    def apply(t: Table, r: random.Random) -> Made | None:
        picked = _role_cell(t, r, role)
        if picked is None:
            return None
        i, column = picked
        new = value(t.rows[i][t.col(column)]) if callable(value) else value
        data = lambda: workbook(t, cells={(i, column): new})  # noqa: E731
        if expect == "either":
            return Made(data, Either(refuse_cell(t, i, role, column), Loads(reference=t.key)))
        return Made(data, refuse_cell(t, i, role, column))

    return apply


def _formula_cached(t: Table, r: random.Random) -> Made | None:
    """A value computed by a formula whose cached result is the published value: the cached value loads."""
    picked = _value_cell(t, r)
    if picked is None:
        return None
    i, column = picked
    text = t.rows[i][t.col(column)]

    def data() -> bytes:
        book = workbook(t, cells={(i, column): f"=0+{text}"})
        return rewrite(
            book,
            SHEET,
            lambda b: b.replace(f"<f>0+{text}</f><v></v>".encode(), f"<f>0+{text}</f><v>{text}</v>".encode()),
        )

    return Made(data, Loads(reference=t.key))


def _part(member: str, change: Callable[[bytes], bytes | None]) -> Callable[[Table, random.Random], Made]:
    return lambda t, r: Made(lambda: rewrite(workbook(t), member, change), Refused("LoadError", names=(_xlsx(t),)))


def _xlsx(t: Table) -> str:
    return Path(t.name).stem + ".xlsx"


def _whole(data: Callable[[Table], bytes]) -> Callable[[Table, random.Random], Made]:
    return lambda t, r: Made(lambda: data(t), Refused("LoadError", names=(_xlsx(t),)))


def _empty_zip(t: Table) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w"):
        pass
    return out.getvalue()


def _bomb_rows(t: Table) -> bytes:
    """About 200 MB of rows compressed to about 1 MB: a zip bomb of modest size."""
    row = b"<row>" + b'<c t="n"><v>1</v></c>' * 20 + b"</row>"
    head = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    body = row * (200_000_000 // len(row))
    return rewrite(workbook(t), SHEET, lambda b: head + body + b"</sheetData></worksheet>")


def _bomb_string(t: Table) -> bytes:
    """One shared string of 300 MB (compressed to a few hundred KB)."""
    strings = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>'
        + b"A" * 300_000_000
        + b"</t></si></sst>"
    )
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        b'<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    book = rewrite(workbook(t), SHEET, lambda b: sheet)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(book)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            if info.filename == "xl/_rels/workbook.xml.rels":
                body = body.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
                )
            dst.writestr(info.filename, body)
        dst.writestr("xl/sharedStrings.xml", strings)
    return out.getvalue()


def _columns(t: Table) -> bytes:
    """The header followed by 16,000 more column names (Excel's limit is 16,384), and blank cells."""
    header = [*t.header, *(f"extra_{k}" for k in range(16_000))]
    return workbook(t, header=header, rows=[[_number(c) for c in row] for row in t.rows])


def _repeated_header(t: Table, r: random.Random) -> Made | None:
    name = t.roles.values[0]
    j = t.col(name)
    rows = [[*(_number(c) for c in row), _number(row[j])] for row in t.rows]
    data = lambda: workbook(t, header=[*t.header, name], rows=rows)  # noqa: E731
    return Made(data, Refused("LoadError", row=1, column=(name,)))


def _note(formula: bool) -> Callable[[Table, random.Random], Made | None]:
    """``=HYPERLINK(...)`` in a note: text loads as it is; a formula without a cached result is refused."""
    note = '=HYPERLINK("http://example.invalid/x","click")'

    def apply(t: Table, r: random.Random) -> Made | None:
        if t.roles.layout != "tidy":
            return None
        column = t.roles.note or "COMMENT"
        header = list(t.header) if t.roles.note else [*t.header, "COMMENT"]
        rows = [[*(_number(c) for c in row), *([] if t.roles.note else [None])] for row in t.rows]
        j = header.index(column)
        if formula:
            i = r.randrange(len(rows))
            rows[i][j] = note
            data = lambda: workbook(t, header=header, rows=rows)  # noqa: E731
            return Made(data, Refused("LoadError", row=i + 2, column=t.names("note", column)))
        for row in rows:
            row[j] = note
        strings = frozenset((i, column) for i in range(len(rows)))
        data = lambda: workbook(t, header=header, rows=rows, strings=strings)  # noqa: E731
        return Made(data, Loads(reference=t.key, edit=with_note(note)))

    return apply


_SHEET_OPTION = {"sheet": "Data"}
_MUTATIONS: tuple[tuple[str, Callable[[Table, random.Random], Made | None], dict[str, Any]], ...] = (
    ("pristine", lambda t, r: Made(lambda: workbook(t), Loads(reference=t.key)), {}),
    (
        "uppercase-extension",
        lambda t, r: Made(lambda: workbook(t), Loads(reference=t.key), name=Path(t.name).stem + ".XLSX"),
        {},
    ),
    ("error-div0-value", _replaced("value", "#DIV/0!"), {}),
    ("error-na-value", _replaced("value", "#N/A"), {}),
    ("error-ref-period", _replaced("period", "#REF!"), {}),
    ("error-value-geo", _replaced("geo", "#VALUE!"), {}),
    ("error-null-indicator", _replaced("indicator", "#NULL!"), {}),
    ("formula-uncached-value", _replaced("value", "=1+1"), {}),
    ("formula-uncached-period", _replaced("period", "=2000+23"), {}),
    ("formula-cached-value", _formula_cached, {}),
    ("date-in-period", _replaced("period", dt.datetime(2023, 1, 1)), {}),
    ("boolean-value", _replaced("value", True), {}),
    ("value-1e308", _replaced("value", 1e308), {}),
    (
        "period-fullwidth",
        _replaced("period", lambda c: c.translate({ord(d): ord(d) + 0xFEE0 for d in "0123456789"}), expect="either"),
        {},
    ),
    ("repeated-header", _repeated_header, {}),
    ("header-only", lambda t, r: Made(lambda: workbook(t, rows=[]), Refused("LoadError", names=(_xlsx(t),))), {}),
    ("empty-sheet", _whole(lambda t: workbook(t, header=[], rows=[])), {}),
    ("note-hyperlink-text", _note(False), {}),
    ("note-hyperlink-formula-uncached", _note(True), {}),
    ("sheet-xml-truncated", _part(SHEET, lambda b: b[: len(b) // 2]), {}),
    ("sheet-xml-unclosed", _part(SHEET, lambda b: b.replace(b"</sheetData>", b"")), {}),
    ("sheet-part-missing", _part(SHEET, lambda b: None), {}),
    ("content-types-garbage", _part("[Content_Types].xml", lambda b: b"\x00garbage"), {}),
    ("workbook-part-missing", _part("xl/workbook.xml", lambda b: None), {}),
    ("empty-zip", _whole(_empty_zip), {}),
    ("truncated-zip", _whole(lambda t: workbook(t)[:1500]), {}),
    ("csv-renamed", _whole(lambda t: t.csv()), {}),
    (
        "sheet-unknown-name",
        lambda t, r: Made(lambda: workbook(t), Refused("LoadError", names=("Nope",))),
        {"sheet": "Nope"},
    ),
    (
        "sheet-index-out-of-range",
        lambda t, r: Made(lambda: workbook(t), Refused("LoadError", names=(_xlsx(t),))),
        {"sheet": 7},
    ),
    (
        "second-sheet-named",
        lambda t, r: Made(lambda: workbook(t, before=["Notes"]), Loads(reference=t.key)),
        _SHEET_OPTION,
    ),
    ("second-sheet-not-named", _whole(lambda t: workbook(t, before=["Notes"])), {}),
    ("zip-bomb-rows", _whole(_bomb_rows), {}),
    ("zip-bomb-shared-string", _whole(_bomb_string), {}),
    ("columns-16000", _whole(_columns), {}),
)

#: Cases run in a forked process with a memory budget (bytes) and a time limit (seconds).
ISOLATED = {
    "zip-bomb-rows": (3 << 29, 30.0),
    "zip-bomb-shared-string": (3 << 29, 30.0),
    "columns-16000": (2 << 30, 30.0),
}


def xlsx_cases() -> list[Case]:
    """Every XLSX mutation on up to :data:`PER_MUTATION` samples it fits."""
    from ._cells import Mutation

    cases = []
    all_tables = tables()
    for name, apply, options in _MUTATIONS:
        chosen = 0
        for key in rng("xlsx-order", name).sample(XLSX_SAMPLES, len(XLSX_SAMPLES)):
            t = all_tables[key]
            made = apply(t, rng(XLSX_FAMILY, key, name))
            if made is None:
                continue
            made = Made(made.data, made.expect, {**options, **made.options}, made.name or _xlsx(t))
            case = table_case(XLSX_FAMILY, t, Mutation(name, apply), made)
            if name in ISOLATED:
                memory, seconds = ISOLATED[name]
                case = Case(case.id, case.make, case.expect, isolate=memory, seconds=seconds)
            cases.append(case)
            chosen += 1
            if chosen == (1 if name in ISOLATED else PER_MUTATION):
                break
    return cases

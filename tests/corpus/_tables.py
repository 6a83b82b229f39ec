"""Cases of CSV tables (tidy, wide-years, panel): whole-file mutations, option mistakes, and the cell mutations.

Every mutation is applied to up to :data:`PER_MUTATION` of the real samples it fits (chosen by a seeded
generator), so the corpus covers each layout without loading the same mistake eight times.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

from ._cells import CELL_MUTATIONS, Made, Mutation, refuse_cell, with_note
from ._model import Case, Either, Expectation, LoadCall, Loads, Refused
from ._sources import SAMPLES, Table, csv_bytes, rng, tables

__all__ = ["CSV_FAMILY", "PER_MUTATION", "WHOLE_FILE", "csv_cases", "table_case", "table_reference"]

#: How many samples each mutation is applied to.
PER_MUTATION = 2
CSV_FAMILY = "csv"


def _name(t: Table) -> tuple[str]:
    return (t.name,)


def _bytes(data: bytes) -> Callable[[Table, random.Random], Made | None]:
    """The whole file replaced by ``data``: refused, naming the file."""
    return lambda t, r: Made(data, Refused("LoadError", names=_name(t)))


def _text(change: Callable[[bytes], bytes], expect: Callable[[Table], Expectation]) -> Callable[..., Made | None]:
    return lambda t, r: Made(change(t.csv()), expect(t))


def _same(t: Table) -> Expectation:
    return Loads(reference=t.key)


def _truncated_row(t: Table, r: random.Random) -> Made | None:
    i = r.randrange(len(t.rows))
    rows: list[list[str]] = [list(row) for row in t.rows]
    rows[i] = rows[i][:2]
    return Made(csv_bytes(list(t.header), rows), Refused("LoadError", row=i + 2))


def _extra_fields(t: Table, r: random.Random) -> Made | None:
    i = r.randrange(len(t.rows))
    rows: list[list[str]] = [list(row) for row in t.rows]
    rows[i] = [*rows[i], "x", "y"]
    return Made(csv_bytes(list(t.header), rows), Refused("LoadError", row=i + 2))


def _repeated_column(role: str) -> Callable[[Table, random.Random], Made | None]:
    """A column repeated under the same name (pandas would rename the copy ``NAME.1``)."""

    def apply(t: Table, r: random.Random) -> Made | None:
        name = t.roles.values[0] if role == "value" else getattr(t.roles, role)
        if not name:
            return None
        j = t.col(name)
        rows = [[*row, row[j]] for row in t.rows]
        table = t.with_rows(rows, header=[*t.header, name])
        return Made(table.csv(), Refused("LoadError", row=1, column=(name,)))

    return apply


def _synonym_twice(role: str, names: tuple[str, str]) -> Callable[[Table, random.Random], Made | None]:
    """A second column that means the same field (``Value`` beside ``OBS_VALUE``): which one is meant?"""

    def apply(t: Table, r: random.Random) -> Made | None:
        own = t.roles.values[0] if role == "value" else getattr(t.roles, role)
        if t.roles.layout != "tidy" or not own:
            return None
        other = names[1] if own.lower() == names[0].lower() else names[0]
        j = t.col(own)
        table = t.with_rows([[*row, row[j]] for row in t.rows], header=[*t.header, other])
        return Made(table.csv(), Refused("LoadError", row=1, column=(own, other)))

    return apply


def _header_line_inside(t: Table, r: random.Random) -> Made | None:
    k = r.randrange(1, len(t.rows))
    rows = [list(row) for row in t.rows]
    rows.insert(k, list(t.header))
    return Made(csv_bytes(list(t.header), rows), Refused("LoadError", row=k + 2))


def _header_only(tail: bytes) -> Callable[[Table, random.Random], Made | None]:
    return lambda t, r: Made(csv_bytes(list(t.header), []) + tail, Refused("LoadError", names=_name(t)))


def _cp1251(declared: bool) -> Callable[[Table, random.Random], Made | None]:
    """Cyrillic notes in every row, the file saved as cp1251, with or without ``--encoding cp1251``."""
    note = "Источник: Бюро национальной статистики"

    def apply(t: Table, r: random.Random) -> Made | None:
        if t.roles.layout != "tidy":
            return None
        if t.roles.note:
            j = t.col(t.roles.note)
            table = t.with_rows([[note if k == j else c for k, c in enumerate(row)] for row in t.rows])
        else:
            table = t.with_rows([[*row, note] for row in t.rows], header=[*t.header, "COMMENT"])
        data = table.csv().decode("utf-8").encode("cp1251")
        if declared:
            return Made(data, Loads(reference=t.key, edit=with_note(note)), options={"encoding": "cp1251"})
        return Made(data, Refused("LoadError", row=2))

    return apply


def _permuted(t: Table, r: random.Random) -> Made | None:
    order = list(range(len(t.header)))
    r.shuffle(order)
    header = [t.header[k] for k in order]
    rows = [[row[k] for k in order] for row in t.rows]
    return Made(csv_bytes(header, rows), _same(t))


def _padded(t: Table, r: random.Random) -> Made | None:
    header = [f" {h} " for h in t.header]
    rows = [[f" {c}  " if c else c for c in row] for row in t.rows]
    return Made(csv_bytes(header, rows), _same(t))


def _row_copy(conflict: bool) -> Callable[[Table, random.Random], Made | None]:
    """A row repeated at the end: identical (dropped, loads as before) or with another value (refused)."""

    def apply(t: Table, r: random.Random) -> Made | None:
        cells = [
            (i, c)
            for c in t.roles.values
            for i, row in enumerate(t.rows)
            if row[t.col(c)].strip() not in ("", "..") and _is_number(row[t.col(c)])
        ]
        if not cells:
            return None
        i, column = r.choice(cells)
        copy = list(t.rows[i])
        if conflict:
            copy[t.col(column)] = repr(float(copy[t.col(column)]) * 0.5 + 0.25)
        rows = [*(list(x) for x in t.rows), copy]
        if not conflict:
            return Made(csv_bytes(list(t.header), rows), _same(t))
        return Made(csv_bytes(list(t.header), rows), refuse_cell(t, len(t.rows), "value", column))

    return apply


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _separated(sep: str) -> Callable[[Table, random.Random], Made | None]:
    def apply(t: Table, r: random.Random) -> Made | None:
        lines = [sep.join(t.header), *(sep.join(row) for row in t.rows)]
        return Made(("\n".join(lines) + "\n").encode("utf-8"), Refused("LoadError", names=_name(t)))

    return apply


def _dropped(role: str) -> Callable[[Table, random.Random], Made | None]:
    def apply(t: Table, r: random.Random) -> Made | None:
        name = t.roles.values[0] if role == "value" else getattr(t.roles, role)
        if not name or (role == "value" and t.roles.layout != "tidy"):
            return None
        if role == "geo" and t.options.get("default_geo"):
            return None
        j = t.col(name)
        header = [h for k, h in enumerate(t.header) if k != j]
        rows = [[c for k, c in enumerate(row) if k != j] for row in t.rows]
        return Made(csv_bytes(header, rows), Refused("LoadError", row=1, column=t.names(role, name)))

    return apply


def _many_columns(n: int) -> Callable[[Table, random.Random], Made | None]:
    """``n`` extra (blank) columns: refused at a documented cap, never minutes of work."""

    def apply(t: Table, r: random.Random) -> Made | None:
        if t.roles.layout != "tidy":
            return None

        def data() -> bytes:
            header = [*t.header, *(f"extra_{k}" for k in range(n))]
            rows = [[*row, *([""] * n)] for row in t.rows]
            return csv_bytes(header, rows)

        return Made(data, Refused("LoadError", names=_name(t)))

    return apply


def _unbalanced_quote(t: Table, r: random.Random) -> Made | None:
    i = r.randrange(len(t.rows))
    text = t.csv().decode("utf-8").split("\n")
    text[i + 1] = text[i + 1] + ',"never closed'
    return Made("\n".join(text).encode("utf-8"), Refused("LoadError", names=_name(t)))


def _option(options: dict[str, object], names: tuple[str, ...] = (), error: str = "SandyqError") -> Callable[..., Made]:
    return lambda t, r: Made(t.csv(), Refused(error, names=names), options=dict(options))


def _format(fmt: str) -> Callable[[Table, random.Random], Made | None]:
    def apply(t: Table, r: random.Random) -> Made | None:
        if t.roles.layout == fmt:
            return None
        return Made(t.csv(), Refused("LoadError", names=_name(t)), options={"format": fmt})

    return apply


def _vintage_fullwidth(t: Table, r: random.Random) -> Made | None:
    first = Refused("SandyqError", names=("２０２４-１０-２４",))
    return Made(
        t.csv(),
        Either(first, Loads(reference=t.key, vintage="2024-10-24")),
        options={"vintage": "２０２４-１０-２４"},
    )


def _default_geo(t: Table, r: random.Random) -> Made | None:
    if not t.options.get("default_geo"):
        return None
    return Made(t.csv(), Refused("LoadError", names=("XX",)), options={"default_geo": "XX"})


def _ignore_missing(t: Table, r: random.Random) -> Made | None:
    ignore = [*t.options.get("ignore", []), "no_such_column"]
    return Made(t.csv(), Refused("LoadError", names=("no_such_column",)), options={"ignore": ignore})


def _indicator_option(t: Table, r: random.Random) -> Made | None:
    if t.roles.indicator or t.roles.layout != "tidy":
        return None
    return Made(t.csv(), Refused("LoadError", names=("no.such.indicator",)), options={"indicator": "no.such.indicator"})


def _garbage(t: Table, r: random.Random) -> Made:
    data = bytes(r.randrange(256) for _ in range(4096))
    return Made(data, Refused("LoadError", names=_name(t)))


def _utf16(t: Table, r: random.Random) -> Made:
    return Made(t.csv().decode("utf-8").encode("utf-16"), Refused("LoadError", names=_name(t)))


_ALL = ("tidy", "panel", "wide-years")


def _w(name: str, apply: Callable[[Table, random.Random], Made | None], *layouts: str) -> Mutation:
    return Mutation(name, apply, layouts or _ALL)


#: Mutations of a whole file or of the options it is loaded with.
WHOLE_FILE: tuple[Mutation, ...] = (
    _w("row-truncated", _truncated_row),
    _w("row-extra-fields", _extra_fields),
    _w("header-repeated-value", _repeated_column("value")),
    _w("header-repeated-period", _repeated_column("period"), "tidy", "panel"),
    _w("header-repeated-geo", _repeated_column("geo")),
    _w("header-value-and-synonym", _synonym_twice("value", ("OBS_VALUE", "Value"))),
    _w("header-period-and-synonym", _synonym_twice("period", ("TIME_PERIOD", "Year"))),
    _w("header-line-inside", _header_line_inside),
    _w("header-only", _header_only(b"")),
    _w("header-only-blank-lines", _header_only(b"\n\n,,\n")),
    _w("empty-file", _bytes(b"")),
    _w("bom-only", _bytes(b"\xef\xbb\xbf")),
    _w("blank-lines-only", _bytes(b"\n\n\n")),
    _w("binary-garbage", _garbage),
    _w("utf16", _utf16),
    _w("nul-line", _text(lambda b: b.replace(b"\n", b"\n\x00\x00\x00\n", 2), lambda t: Refused(names=_name(t)))),
    _w("cp1251-unannounced", _cp1251(False), "tidy"),
    _w("cp1251-declared", _cp1251(True), "tidy"),
    _w("crlf", _text(lambda b: b.replace(b"\n", b"\r\n"), _same)),
    _w("cr-only", _text(lambda b: b.replace(b"\n", b"\r"), _same)),
    _w("bom-crlf", _text(lambda b: b"\xef\xbb\xbf" + b.replace(b"\n", b"\r\n"), _same)),
    _w("quote-all", lambda t, r: Made(t.csv(quote_all=True), _same(t))),
    _w("trailing-blank-lines", _text(lambda b: b + b"\n\n\n", _same)),
    _w("no-final-newline", _text(lambda b: b.rstrip(b"\n"), _same)),
    _w("columns-permuted", _permuted),
    _w("cells-padded", _padded),
    _w("row-duplicated", _row_copy(False)),
    _w("row-conflicting", _row_copy(True)),
    _w("semicolon-separated", _separated(";")),
    _w("tab-separated", _separated("\t")),
    _w("column-dropped-period", _dropped("period"), "tidy", "panel"),
    _w("column-dropped-value", _dropped("value"), "tidy"),
    _w("column-dropped-geo", _dropped("geo")),
    _w("columns-20000", _many_columns(20_000), "tidy"),
    _w("unbalanced-quote", _unbalanced_quote),
    # options
    _w("option-format-wide-years", _format("wide-years")),
    _w("option-format-panel", _format("panel")),
    _w("option-format-tidy", _format("tidy")),
    _w("option-format-unknown", _option({"format": "tidy2"}, ("tidy2",))),
    _w("option-vintage-february-30", _option({"vintage": "2024-02-30"}, ("2024-02-30",))),
    _w("option-vintage-words", _option({"vintage": "yesterday"}, ("yesterday",))),
    _w("option-vintage-hour-25", _option({"vintage": "2024-10-24T25:00"}, ("2024-10-24T25:00",))),
    _w("option-vintage-fullwidth", _vintage_fullwidth),
    _w("option-default-geo-unknown", _default_geo),
    _w("option-source-unknown", _option({"source": "no-such-source"}, ("no-such-source",))),
    _w("option-duplicates-unknown", _option({"duplicates": "maybe"}, ("maybe",))),
    _w("option-out-of-range-unknown", _option({"out_of_range": "clip"}, ("clip",))),
    _w("option-encoding-unknown", _option({"encoding": "klingon-8"}, ("klingon-8",))),
    _w("option-ignore-missing-column", _ignore_missing),
    _w("option-indicator-unknown", _indicator_option),
)

#: Cases that need a forked process with this memory budget (bytes), and their time limit.
ISOLATED = {"columns-20000": (2 << 30, 30.0)}


def table_reference(t: Table) -> Callable[[Path], LoadCall]:
    """How to load the pristine sample (the reference of its harmless mutations)."""

    def make(folder: Path) -> LoadCall:
        path = folder / t.name
        path.write_bytes(t.csv())
        return LoadCall(path, dict(t.options))

    return make


def table_case(family: str, t: Table, mutation: Mutation, made: Made) -> Case:
    """The case of ``mutation`` applied to ``t``: the file written under the case's folder at test time."""
    options = {k: v for k, v in {**t.options, **made.options}.items() if v is not None}
    name = made.name or t.name

    def make(folder: Path) -> LoadCall:
        path = folder / name
        data = made.data() if callable(made.data) else made.data
        path.write_bytes(data)
        return LoadCall(path, options)

    memory, seconds = ISOLATED.get(mutation.name, (None, 10.0))
    return Case(f"{family}/{t.key}/{mutation.name}", make, made.expect, isolate=memory, seconds=seconds)


def csv_cases() -> list[Case]:
    """Every CSV case: each mutation on up to :data:`PER_MUTATION` samples it fits."""
    cases = []
    all_tables = tables()
    for mutation in (*CELL_MUTATIONS, *WHOLE_FILE):
        fits = [k for k in SAMPLES if all_tables[k].roles.layout in mutation.layouts]
        chosen = 0
        for key in rng("order", mutation.name).sample(fits, len(fits)):
            t = all_tables[key]
            made = mutation.apply(t, rng(CSV_FAMILY, key, mutation.name))
            if made is None:
                continue
            cases.append(table_case(CSV_FAMILY, t, mutation, made))
            chosen += 1
            if chosen == PER_MUTATION:
                break
    return cases

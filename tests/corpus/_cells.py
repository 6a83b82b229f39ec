"""Mutations of one cell of a real table: Unicode digits, control characters, separators, extreme numbers.

Each mutation picks a row (seeded) whose cell of the given role is not blank, changes that cell, and says
what must happen: refused naming that row and column, or loaded exactly as the pristine file (a harmless
change), or either where a fix may normalise or refuse (NFKC digits).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ._model import Either, Expectation, Loads, Obs, Refused
from ._sources import Table

__all__ = ["CELL_MUTATIONS", "Made", "Mutation", "arabic_indic", "fullwidth", "refuse_cell", "with_note"]

FULLWIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"}
ARABIC_INDIC = {ord(str(d)): 0x0660 + d for d in range(10)}


def fullwidth(text: str) -> str:
    """``2023`` → ``２０２３`` (NFKC gives the ASCII back)."""
    return text.translate(FULLWIDTH)


def arabic_indic(text: str) -> str:
    """``2023`` → ``٢٠٢٣`` (digits to Python's ``int``, not to NFKC)."""
    return text.translate(ARABIC_INDIC)


@dataclass(frozen=True)
class Made:
    """A mutated input: its bytes (or how to make them), the expectation, and option changes."""

    data: bytes | Callable[[], bytes]
    expect: Expectation
    options: dict[str, Any] = field(default_factory=dict)
    name: str | None = None


@dataclass(frozen=True)
class Mutation:
    """A named change of a table; ``apply`` returns None where it does not apply to the table."""

    name: str
    apply: Callable[[Table, random.Random], Made | None]
    layouts: tuple[str, ...] = ("tidy", "panel", "wide-years")


def refuse_cell(t: Table, i: int, role: str, column: str | None = None) -> Refused:
    """Refused naming data row ``i`` (file row ``i + 2``) and the column of ``role``."""
    return Refused("LoadError", row=i + 2, column=t.names(role, column))


def _columns(t: Table, role: str) -> list[str]:
    if role == "value":
        return list(t.roles.values)
    if role == "dims":
        return list(t.roles.dims)
    name = getattr(t.roles, role)
    return [name] if name else []


def _pick(t: Table, r: random.Random, role: str, *, blank: bool = False) -> tuple[int, str] | None:
    """A row and a column of ``role`` whose cell is not blank (or any cell, with ``blank``)."""
    cells = [
        (i, c)
        for c in _columns(t, role)
        for i, row in enumerate(t.rows)
        if blank or (row[t.col(c)].strip() not in ("", "..") and _numeric_ok(t, role, row[t.col(c)]))
    ]
    return r.choice(cells) if cells else None


def _numeric_ok(t: Table, role: str, cell: str) -> bool:
    if role != "value":
        return True
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _set(t: Table, i: int, column: str, value: str) -> Table:
    rows = [list(row) for row in t.rows]
    rows[i][t.col(column)] = value
    return t.with_rows(rows)


def _cell(
    role: str, change: Callable[[str], str], expect: Callable[[Table, int, str], Expectation], *, blank: bool = False
) -> Callable[[Table, random.Random], Made | None]:
    def apply(t: Table, r: random.Random) -> Made | None:
        picked = _pick(t, r, role, blank=blank)
        if picked is None:
            return None
        i, column = picked
        cell = t.rows[i][t.col(column)]
        new = change(cell)
        if new == cell:
            return None
        return Made(_set(t, i, column, new).csv(), expect(t, i, column))

    return apply


def _refused(role: str) -> Callable[[Table, int, str], Expectation]:
    return lambda t, i, column: refuse_cell(t, i, role, column)


def _same(t: Table, i: int, column: str) -> Expectation:
    return Loads(reference=t.key)


def _either(role: str) -> Callable[[Table, int, str], Expectation]:
    """Normalised (NFKC) to the pristine value, or refused naming the cell; never stored as it is."""
    return lambda t, i, column: Either(refuse_cell(t, i, role, column), Loads(reference=t.key))


def _exponent(cell: str) -> str:
    """``95.1`` → ``951e-1``: the same decimal number, so the same double."""
    sign = "-" if cell.startswith("-") else ""
    body = cell.lstrip("+-")
    whole, _, frac = body.partition(".")
    digits = (whole + frac).lstrip("0") or "0"
    return f"{sign}{digits}e-{len(frac)}"


def with_note(note: str) -> Callable[[list[Obs]], list[Obs]]:
    def edit(rows: list[Obs]) -> list[Obs]:
        return [(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], note) for r in rows]

    return edit


def _note_everywhere(note: str) -> Callable[[Table, random.Random], Made | None]:
    """Every row's note set to ``note`` (a COMMENT column is added to a tidy table without one)."""

    def apply(t: Table, r: random.Random) -> Made | None:
        if t.roles.layout != "tidy":
            return None
        if t.roles.note:
            column = t.col(t.roles.note)
            rows = [[note if j == column else c for j, c in enumerate(row)] for row in t.rows]
            table = t.with_rows(rows)
        else:
            table = t.with_rows([[*row, note] for row in t.rows], header=[*t.header, "COMMENT"])
        return Made(table.csv(), Loads(reference=t.key, edit=with_note(note)))

    return apply


def _note_once(bad: str) -> Callable[[Table, random.Random], Made | None]:
    """One row's note made to hold ``bad`` (a control character): refused naming that row."""

    def apply(t: Table, r: random.Random) -> Made | None:
        if t.roles.layout != "tidy":
            return None
        i = r.randrange(len(t.rows))
        if t.roles.note:
            table = _set(t, i, t.roles.note, t.rows[i][t.col(t.roles.note)] + bad)
            return Made(table.csv(), refuse_cell(t, i, "note"))
        rows = [[*row, bad if j == i else ""] for j, row in enumerate(t.rows)]
        table = t.with_rows(rows, header=[*t.header, "COMMENT"])
        return Made(table.csv(), Refused("LoadError", row=i + 2, column=("COMMENT",)))

    return apply


def _dim_header(suffix: str) -> Callable[[Table, random.Random], Made | None]:
    """A dimension's name given ``;`` or ``=``: it would rewrite another series' key, so refused."""

    def apply(t: Table, r: random.Random) -> Made | None:
        if not t.roles.dims:
            return None
        name = r.choice(t.roles.dims)
        header = [h + suffix if h == name else h for h in t.header]
        rows = [list(row) for row in t.rows]
        j = t.col(name)
        if not any(row[j].strip() for row in rows):
            rows[0][j] = "F"
        return Made(t.with_rows(rows, header=header).csv(), Refused("LoadError", row=1, column=(name + suffix,)))

    return apply


def _dim_value(change: Callable[[str], str]) -> Callable[[Table, random.Random], Made | None]:
    """A dimension value changed (a blank one filled first), refused naming its row and column."""

    def apply(t: Table, r: random.Random) -> Made | None:
        if not t.roles.dims:
            return None
        i = r.randrange(len(t.rows))
        column = r.choice(t.roles.dims)
        cell = t.rows[i][t.col(column)] or "F"
        return Made(_set(t, i, column, change(cell)).csv(), refuse_cell(t, i, "dims", column))

    return apply


def _swap_period_value(t: Table, r: random.Random) -> Made | None:
    picked = _pick(t, r, "value")
    if picked is None or not t.roles.period:
        return None
    i, column = picked
    rows = [list(row) for row in t.rows]
    p, v = t.col(t.roles.period), t.col(column)
    rows[i][p], rows[i][v] = rows[i][v], rows[i][p]
    return Made(t.with_rows(rows).csv(), refuse_cell(t, i, "period"))


def _status_unknown(t: Table, r: random.Random) -> Made | None:
    if t.roles.layout != "tidy":
        return None
    i = r.randrange(len(t.rows))
    if t.roles.status:
        return Made(_set(t, i, t.roles.status, "Z").csv(), refuse_cell(t, i, "status"))
    rows = [[*row, "Z" if j == i else ""] for j, row in enumerate(t.rows)]
    table = t.with_rows(rows, header=[*t.header, "OBS_STATUS"])
    return Made(table.csv(), Refused("LoadError", row=i + 2, column=("OBS_STATUS",)))


def _m(name: str, apply: Callable[[Table, random.Random], Made | None], *layouts: str) -> Mutation:
    return Mutation(name, apply, layouts or ("tidy", "panel", "wide-years"))


_ROWS = ("tidy", "panel")  # layouts with a period column

#: Every cell mutation, in a fixed order.
CELL_MUTATIONS: tuple[Mutation, ...] = (
    # periods
    _m("period-fullwidth", _cell("period", fullwidth, _either("period")), *_ROWS),
    _m("period-arabic-indic", _cell("period", arabic_indic, _either("period")), *_ROWS),
    _m("period-nul", _cell("period", lambda c: c[:2] + "\x00" + c[2:], _refused("period")), *_ROWS),
    _m("period-bell", _cell("period", lambda c: c + "\x07", _refused("period")), *_ROWS),
    _m("period-c1-csi", _cell("period", lambda c: "\x9b" + c, _refused("period")), *_ROWS),
    _m("period-quarter-5", _cell("period", lambda c: c + "-Q5", _refused("period")), *_ROWS),
    _m("period-month-13", _cell("period", lambda c: c + "-13", _refused("period")), *_ROWS),
    _m("period-1799", _cell("period", lambda c: "1799", _refused("period")), *_ROWS),
    _m("period-two-digits", _cell("period", lambda c: c[-2:], _refused("period")), *_ROWS),
    _m("period-padded", _cell("period", lambda c: f"  {c} ", _same), *_ROWS),
    _m("period-excel-float", _cell("period", lambda c: c + ".0", _same), *_ROWS),
    _m("period-swapped-with-value", _swap_period_value, *_ROWS),
    # values
    _m("value-fullwidth", _cell("value", fullwidth, _either("value"))),
    _m("value-arabic-indic", _cell("value", arabic_indic, _either("value"))),
    _m("value-1e308", _cell("value", lambda c: "1e308", _refused("value"))),
    _m("value-minus-1e308", _cell("value", lambda c: "-1e308", _refused("value"))),
    _m("value-1e300", _cell("value", lambda c: "1e300", _refused("value"))),
    _m("value-max-double", _cell("value", lambda c: "1.7976931348623157e308", _refused("value"))),
    _m("value-overflow", _cell("value", lambda c: "1e400", _refused("value"))),
    _m("value-inf", _cell("value", lambda c: "inf", _refused("value"))),
    _m("value-minus-infinity", _cell("value", lambda c: "-Infinity", _refused("value"))),
    _m("value-hex", _cell("value", lambda c: "0x1A", _refused("value"))),
    _m("value-percent-sign", _cell("value", lambda c: c + "%", _refused("value"))),
    _m("value-formula", _cell("value", lambda c: "=1+1", _refused("value"))),
    _m(
        "value-decimal-comma",
        _cell("value", lambda c: c.replace(".", ",") if "." in c else c + ",5", _refused("value")),
    ),
    _m("value-underscore", _cell("value", lambda c: "1_000", _refused("value"))),
    _m("value-nul", _cell("value", lambda c: c + "\x00", _refused("value"))),
    _m("value-two-numbers", _cell("value", lambda c: f"{c} {c}", _refused("value"))),
    _m("value-padded", _cell("value", lambda c: f" {c}  ", _same)),
    _m("value-plus-sign", _cell("value", lambda c: c if c.startswith("-") else "+" + c, _same)),
    _m("value-exponent", _cell("value", _exponent, _same)),
    # geography
    _m("geo-fullwidth", _cell("geo", fullwidth, _either("geo"))),
    _m("geo-nul", _cell("geo", lambda c: c + "\x00", _refused("geo"), blank=True)),
    _m("geo-escape", _cell("geo", lambda c: "\x1b[0m" + c, _refused("geo"), blank=True)),
    _m("geo-zero-width-space", _cell("geo", lambda c: c + "\u200b", _refused("geo"))),
    _m("geo-unknown", _cell("geo", lambda c: "ZZZ", _refused("geo"), blank=True)),
    # indicator
    _m("indicator-bell", _cell("indicator", lambda c: c + "\x07", _refused("indicator"))),
    _m("indicator-delete-char", _cell("indicator", lambda c: c[:1] + "\x7f" + c[1:], _refused("indicator"))),
    _m("indicator-unknown", _cell("indicator", lambda c: c + ".nope", _refused("indicator"))),
    # dimensions
    _m("dims-value-semicolon", _dim_value(lambda c: c + ";sex=M")),
    _m("dims-value-equals", _dim_value(lambda c: c + "=M")),
    _m("dims-value-escape", _dim_value(lambda c: c + "\x1b[2J")),
    _m("dims-value-nul", _dim_value(lambda c: "\x00" + c)),
    _m("dims-name-semicolon", _dim_header(";AGE")),
    _m("dims-name-equals", _dim_header("=X")),
    # notes: text that a spreadsheet would run is data, loaded as it is; control characters are refused
    _m("note-hyperlink-formula", _note_everywhere('=HYPERLINK("http://example.invalid/x","click")'), "tidy"),
    _m("note-plus-command", _note_everywhere("+cmd|' /C calc'!A0"), "tidy"),
    _m("note-at-function", _note_everywhere("@SUM(1+1)*cmd|' /C calc'!A0"), "tidy"),
    _m("note-minus-formula", _note_everywhere("-2+3+cmd|' /C calc'!A0"), "tidy"),
    _m("note-nul", _note_once("\x00"), "tidy"),
    _m("note-bell", _note_once("ring\x07"), "tidy"),
    _m("note-escape", _note_once("\x1b]0;owned\x07"), "tidy"),
    # status
    _m("status-unknown", _status_unknown, "tidy"),
)

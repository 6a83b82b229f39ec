"""Check a long table against the framework and turn it into store rows.

Every check collects *all* problems, each naming the file, row and column:
unknown indicator or geography, a period that is not a year, quarter or month,
a value that is not a finite number or lies beyond what its unit allows (its
bounds, and at most :data:`~sandyq.framework.MAX_MAGNITUDE` in size), a unit
that differs from the indicator's, an unknown status or source, a
disaggregation name or value that could rewrite another series' key (``;`` or
``=``) or holds a control character, a note with a control character, and one
key with two different values.  Identical duplicates are dropped.

Text is compared as the store will hold it: stripped, with compatibility forms
normalised (NFKC) in every code and key, so ``２０２３`` is the period ``2023``
(a note, free text, keeps its characters).  Checks run once per
distinct value of a column (:mod:`._column`) and reach the rows through numpy,
so a million rows cost about as much as their few thousand distinct codes.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from ..errors import Problem
from ..framework import UNITS, parse_period
from . import _assessed
from ._assessed import NotAssessed, not_assessed_cells
from ._column import CONTROL_IN_NOTE, Column, blank, clean, factorise
from ._header import CONTROL
from ._layouts import COL, LONG
from ._read import ROW

if TYPE_CHECKING:
    from ..framework import Framework

__all__ = ["STATUS_CODES", "Checked", "check", "resolve_duplicates"]

#: SDMX observation status codes kept in the store (blank or ``A`` = normal value).
STATUS_CODES = {"E": "estimated", "P": "provisional", "B": "break in series", "F": "forecast", "I": "imputed"}
_STATUS_WORDS = {v: k for k, v in STATUS_CODES.items()} | {"break": "B", "estimate": "E"}
_MISSING = {"", "..", "nan", "NaN", "NA", "N/A", "null"}
_KEY_CHARS = (";", "=")  # they separate the parts of a disaggregation key
_BLANK_GEO = "blank geography code (give REF_AREA or the default_geo option)"


@dataclass
class Checked:
    """The rows ready for the store, the problems found, and notes on what was set aside."""

    staged: pd.DataFrame
    problems: list[Problem]
    skipped_missing: int = 0
    dropped_duplicates: int = 0
    resolved: list[Problem] = field(default_factory=list)
    resolved_rows: pd.DataFrame | None = None
    #: The line in the file of each staged row, when duplicates were kept (a chunk of a stream).
    lines: np.ndarray | None = None


Messages = str | np.ndarray | Callable[[np.ndarray], Sequence[str]]


def _problems(
    path: Path, rows: np.ndarray, mask: np.ndarray, column: str | np.ndarray, message: Messages
) -> list[Problem]:
    """A problem for every row where ``mask`` holds; ``column`` and ``message`` are one for all or one per row.

    ``message`` may also be a function of the positions of the rows (to build texts only for them).
    """
    at = np.flatnonzero(mask)
    if not len(at):
        return []
    cols = column[at] if isinstance(column, np.ndarray) else itertools.repeat(column)
    msgs: Iterable[object]
    if isinstance(message, str):
        msgs = itertools.repeat(message)
    else:
        msgs = message[at] if isinstance(message, np.ndarray) else message(at)
    return [
        Problem(str(path), str(m), row=int(r), column=str(c)) for r, c, m in zip(rows[at], cols, msgs, strict=False)
    ]


def _value_text(values: pd.Series) -> pd.Series:
    """The value cells as text, stripped; cells with other than ASCII lose no-break spaces and are NFKC-normalised."""
    text = values if isinstance(values.dtype, pd.StringDtype) else values.astype("str")
    text = text.fillna("").str.strip()
    wide = text.str.contains(r"[^\x00-\x7f]", regex=True, na=False).to_numpy(dtype=bool)
    if wide.any():
        text = text.copy()
        text.iloc[np.flatnonzero(wide)] = [clean(v.replace("\u00a0", "")) for v in text.iloc[np.flatnonzero(wide)]]
    return text


def _numbers(text: pd.Series) -> np.ndarray:
    """The numbers of ``text`` as float64 (NaN where a cell is not a number), parsed by pyarrow when it can."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        parsed = pc.cast(pa.array(text.array), pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        parsed = np.array(pd.to_numeric(text, errors="coerce").to_numpy(dtype="float64", na_value=np.nan))
        # pandas < 3 parses a cell as a C string, so "1\x005" would read as 1: a control character is never a number
        control = text.str.contains(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", regex=True, na=False).to_numpy(dtype=bool)
        parsed[control] = np.nan
    return np.asarray(parsed, dtype="float64") + 0.0  # -0.0 is 0


def _combine(codes: Sequence[np.ndarray]) -> np.ndarray:
    """One code 0…k-1 per row for the combination of several codes (-1 included): equal codes, equal result."""
    combo = np.zeros(len(codes[0]) if codes else 0, dtype=np.int64)
    span = 1
    for c in codes:
        width = int(c.max(initial=-1)) + 2
        if span * width >= 1 << 62:  # renumber 0…k-1 so that the product stays within int64
            combo = np.asarray(pd.factorize(combo)[0], dtype=np.int64)
            span = int(combo.max(initial=-1)) + 1
        combo = combo * width + (c + 1)
        span *= width
    return np.asarray(pd.factorize(combo)[0], dtype=np.int64)


def _firsts(combo: np.ndarray) -> np.ndarray:
    """The position of the first row of each code of ``combo`` (codes 0…k-1)."""
    count = int(combo.max(initial=-1)) + 1
    first = np.zeros(count, dtype=np.int64)
    first[combo[::-1]] = np.arange(len(combo) - 1, -1, -1)
    return first


def _ids(values: np.ndarray, combo: np.ndarray) -> np.ndarray:
    """Ids of ``values`` (equal values, equal ids), where rows with equal ``combo`` codes have equal values."""
    seen: dict[object, int] = {}
    per_combo = np.fromiter((seen.setdefault(values[r], len(seen)) for r in _firsts(combo)), dtype=np.int64)
    return per_combo[combo] if len(combo) else np.zeros(0, dtype=np.int64)


def _dims_key(parts: list[tuple[str, Column]], n: int) -> tuple[np.ndarray, np.ndarray]:
    """The canonical disaggregation text of every row (``age=Y15T24;sex=F``), built once per distinct combination.

    Also an id per row: equal texts, equal ids.
    """
    if not parts:
        return np.full(n, "", dtype=object), np.zeros(n, dtype=np.int64)
    combo = _combine([col.codes for _, col in parts])
    firsts = _firsts(combo)
    keys = np.empty(len(firsts), dtype=object)
    keys[:] = [
        ";".join(f"{name}={col.values[col.codes[r]]}" for name, col in parts if col.values[col.codes[r]])
        for r in firsts
    ]
    seen: dict[str, int] = {}
    ids = np.fromiter((seen.setdefault(k, len(seen)) for k in keys), dtype=np.int64, count=len(keys))
    return keys[combo], ids[combo]


def _bad_dim_value(v: str) -> str:
    """What is wrong with a disaggregation value as part of a key ("" if nothing)."""
    if CONTROL.search(v):
        return f"control character in {v!r}: not a disaggregation value"
    if any(ch in v for ch in _KEY_CHARS):
        return f"{v!r} holds ';' or '=', which would change the key of another series"
    return ""


@dataclass
class _Checker:
    """One run of :func:`check`: the options, the columns factorised, the problems found in order."""

    path: Path
    framework: Framework
    source: str | None
    default_geo: str | None
    problems: list[Problem] = field(default_factory=list)

    def add(self, rows: np.ndarray, mask: np.ndarray, column: str | np.ndarray, message: Messages) -> None:
        self.problems += _problems(self.path, rows, mask, column, message)

    def indicators(self, rows: np.ndarray, ind: Column) -> np.ndarray:
        known = self.framework.indicators
        ok = ind.where(lambda v: v in known)
        self.add(rows, ~ok, "INDICATOR", ind.describe(lambda v: f"unknown indicator {v!r} (not in the framework)"))
        return ok

    def geography(self, rows: np.ndarray, area: Column) -> tuple[np.ndarray, np.ndarray]:
        """Each row's geography (None if unknown) and its id."""
        resolve = self.framework.geography.resolve
        fallback = self.default_geo or ""
        geo = area.apply(lambda v: resolve(v or fallback) if (v or fallback) else None)

        def message(v: str) -> str:
            code = v or fallback
            return f"unknown geography code {code!r}" if code else _BLANK_GEO

        self.add(rows, geo.none(), "REF_AREA", area.describe(message))
        return geo.rows(), geo.ids()

    def periods(self, rows: np.ndarray, period: Column) -> tuple[np.ndarray, np.ndarray]:
        """Each row's canonical period (None if it is not one) and its id."""
        parsed = period.apply(parse_period)
        message = period.describe(lambda v: f"not a year, quarter or month: {v!r}")
        self.add(rows, parsed.none(), "TIME_PERIOD", message)
        return parsed.rows(), parsed.ids()

    def dims(self, rows: np.ndarray, names: list[str], columns: list[Column]) -> list[tuple[str, Column]]:
        """The disaggregations by their key name; a name or value that is not a safe part of a key is a problem."""
        parts: dict[str, str] = {}
        for name in names:
            key = clean(name).lower()
            if any(ch in key for ch in _KEY_CHARS) or CONTROL.search(key):
                self.problems.append(
                    Problem(
                        str(self.path), "a disaggregation name may not hold ';', '=' or control characters", 1, name
                    )
                )
            elif key in parts:
                self.problems.append(
                    Problem(str(self.path), f"disaggregation {key!r} is also column {parts[key]!r}", 1, name)
                )
            parts.setdefault(key, name)
        for name, col in zip(names, columns, strict=True):
            self.add(rows, col.where(lambda v: bool(_bad_dim_value(v))), name, col.describe(_bad_dim_value))
        return sorted(((clean(n).lower(), c) for n, c in zip(names, columns, strict=True)), key=lambda p: p[0])

    def units(self, rows: np.ndarray, ok: np.ndarray, ind: Column, given: Column) -> np.ndarray:
        fw = self.framework
        unit = ind.map(lambda v: fw.indicators[v].unit if v in fw.indicators else None)
        text = given.text()
        bad = ok & (text != "") & (text != unit)
        self.add(
            rows,
            bad,
            "UNIT_MEASURE",
            lambda at: [
                f"unit {g!r} differs from the indicator's unit {u!r}" for g, u in zip(text[at], unit[at], strict=True)
            ],
        )
        return unit

    def statuses(self, rows: np.ndarray, status: Column) -> np.ndarray:
        def code(v: str) -> str:
            c = _STATUS_WORDS.get(v.lower(), v.upper())
            return "" if c == "A" else c

        codes = status.map(code)
        known = ", ".join(STATUS_CODES)
        bad = status.where(lambda v: code(v) not in ("", *STATUS_CODES))
        self.add(rows, bad, "OBS_STATUS", status.describe(lambda v: f"unknown status {v!r} (use blank/A, {known})"))
        return np.where(codes == "", np.array(None, dtype=object), codes)

    def sources(self, rows: np.ndarray, src: Column, ind: Column) -> tuple[np.ndarray, np.ndarray]:
        """Each row's source (its own, else the load's, else its indicator's) and its id."""
        fw = self.framework
        if self.source is not None and self.source not in fw.sources:
            self.problems.append(Problem(str(self.path), f"unknown source {self.source!r}"))
        bad = src.where(lambda v: v != "" and v not in fw.sources)
        self.add(rows, bad, "SOURCE", src.describe(lambda v: f"unknown source {v!r}"))
        given = src.apply(lambda v: v or self.source or None)
        fallback = ind.map(lambda v: fw.indicators[v].source if v in fw.indicators else None)
        source = np.where(given.none(), fallback, given.rows())
        return source, _ids(source, _combine([src.codes, ind.codes]))

    def notes(self, rows: np.ndarray, note: Column) -> np.ndarray:
        bad = note.where(lambda v: bool(CONTROL_IN_NOTE.search(v)))
        self.add(rows, bad, "COMMENT", note.describe(lambda v: f"control character in the note {v[:60]!r}"))
        return note.map(lambda v: v or None)


def _values(checker: _Checker, rows: np.ndarray, value_col: np.ndarray, text: pd.Series) -> np.ndarray:
    """The values as numbers; a cell that is not a finite number, or is beyond :data:`MAX_MAGNITUDE`, is a problem."""
    value = _numbers(text)
    finite = np.isfinite(value)

    def not_number(at: np.ndarray) -> list[str]:
        return [
            f"not a number: {t!r}" + (" (not a finite figure)" if not np.isnan(v) else "")
            for t, v in zip(text.iloc[at].tolist(), value[at], strict=True)
        ]

    checker.add(rows, ~finite, value_col, not_number)
    return np.where(finite, value, np.nan)


def check(
    long: pd.DataFrame,
    path: Path,
    framework: Framework,
    *,
    source: str | None = None,
    default_geo: str | None = None,
    na_values: Mapping[str, Sequence[str]] | None = None,
    duplicates: str = "error",
    out_of_range: str = "error",
    not_assessed: NotAssessed | Mapping[str, object] | None = None,
) -> Checked:
    """Validate ``long`` (see :mod:`._layouts`) and build store rows.

    ``duplicates`` says what one key given twice with different values does: ``error`` refuses it, ``first``
    or ``last`` keeps that row and sets the others aside; ``keep`` keeps every row, with its line in
    :attr:`Checked.lines` (for a chunk of a :class:`~sandyq.ingest.Stream`, whose keys the store checks across
    chunks).  Identical duplicates are dropped, except with ``keep``.  Cells ``not_assessed`` marks
    (:class:`~sandyq.ingest.NotAssessed`) are set aside as load issues.
    """
    spec = NotAssessed.of(not_assessed)
    text = _value_text(long["OBS_VALUE"]) if len(long) else pd.Series([], dtype="str")
    unassessed = not_assessed_cells(long, text, spec)
    # missing values: skipped, not errors
    missing = text.isin(list(_MISSING)).to_numpy(dtype=bool, copy=True)
    for col, tokens in (na_values or {}).items():
        missing |= (long[COL] == col).to_numpy(dtype=bool) & text.isin([str(t) for t in tokens]).to_numpy(dtype=bool)
    missing &= ~unassessed
    skipped = int(missing.sum())
    if skipped:
        keep = ~missing
        long = long.loc[keep].reset_index(drop=True)
        text = text.loc[keep].reset_index(drop=True)
        unassessed = unassessed[keep]
    rows = long[ROW].to_numpy(dtype=np.int64)
    value_col = factorise(long[COL]).text()
    dim_names = [c for c in long.columns if c not in (*LONG, ROW, COL)]
    cols = {
        c: factorise(long[c], normalise=c != "COMMENT") if c in long.columns else blank(len(rows))
        for c in (*LONG, *dim_names)
        if c != "OBS_VALUE"
    }
    checker = _Checker(path, framework, source, default_geo)
    ind = cols["INDICATOR"]
    ind_ok = checker.indicators(rows, ind)
    geo, geo_id = checker.geography(rows, cols["REF_AREA"])
    period, period_id = checker.periods(rows, cols["TIME_PERIOD"])
    value = _values(checker, rows, value_col, text)
    unit = checker.units(rows, ind_ok, ind, cols["UNIT_MEASURE"])
    out = _bounds(checker, rows, value_col, ind, ind_ok, value, text)
    if out_of_range != "set_aside":
        checker.add(rows, out, value_col, lambda at: _bounds_messages(text.iloc[at].tolist(), unit[at]))
        out = np.zeros(len(rows), dtype=bool)
    status = checker.statuses(rows, cols["OBS_STATUS"])
    src, src_id = checker.sources(rows, cols["SOURCE"], ind)
    dims, dims_id = _dims_key(checker.dims(rows, dim_names, [cols[c] for c in dim_names]), len(rows))
    note = checker.notes(rows, cols["COMMENT"])
    checked = Checked(pd.DataFrame(), checker.problems, skipped)
    if checker.problems:
        return checked
    key = _combine([ind.apply(str).ids(), geo_id, period_id, dims_id, src_id])
    text_cols = {"indicator": ind.text(), "geo": geo, "period": period, "dims": dims, "source": src}
    text_cols |= {"unit": unit, "status": status, "note": note}
    staged = pd.DataFrame({k: pd.Series(v, dtype=object, copy=False) for k, v in text_cols.items()}, copy=False)
    staged.insert(5, "value", value)
    dup = np.bincount(key)[key] > 1 if len(key) else np.zeros(0, dtype=bool)
    if not out.any() and not dup.any() and not unassessed.any():  # the usual case: every row goes to the store
        checked.staged = staged
        checked.lines = rows if duplicates == "keep" else None
        return checked
    work = staged.assign(**{ROW: rows, COL: pd.Series(value_col, dtype=object), "INDICATOR": staged["indicator"]})
    if unassessed.any():
        texts = _assessed.messages(text[unassessed], spec)
        aside = work.loc[unassessed]
        checked.resolved += _assessed.problems(aside, str(path), texts)
        checked.resolved_rows = _issue_rows(aside, path, "not_assessed", texts)
        kept = ~unassessed
        work, out, key, unit = work.loc[kept].reset_index(drop=True), out[kept], key[kept], unit[kept]
        text = text[kept].reset_index(drop=True)
        dup = np.bincount(key)[key] > 1 if len(key) else np.zeros(0, dtype=bool)
    if out.any():
        bounds = _bounds_messages(text.iloc[np.flatnonzero(out)].tolist(), unit[out])
        messages = [m + "; set aside, not loaded" for m in bounds]
        set_aside = work.loc[out].assign(message=messages)
        work = work.loc[~out].reset_index(drop=True)
        checked.resolved += [
            Problem(str(path), str(m), row=int(r), column=str(c))
            for r, c, m in zip(set_aside[ROW], set_aside[COL], messages, strict=True)
        ]
        new_rows = _issue_rows(set_aside, path, "out_of_range", messages)
        checked.resolved_rows = _concat(checked.resolved_rows, new_rows)
        key = key[~out]
        dup = np.bincount(key)[key] > 1 if len(key) else np.zeros(0, dtype=bool)
    if duplicates == "keep":  # a chunk of a stream: the store resolves keys repeated in and across chunks
        checked.staged = work[list(staged.columns)].reset_index(drop=True)
        checked.lines = work[ROW].to_numpy(dtype=np.int64)
        return checked
    resolve_duplicates(work, dup, path, duplicates, checked)
    return checked


def _bounds_messages(text: Sequence[str], unit: np.ndarray) -> list[str]:
    return [
        f"value {t} is outside what unit {u} allows {UNITS[u].bounds_text() if u in UNITS else ''}"
        for t, u in zip(text, unit, strict=True)
    ]


def _bounds(
    checker: _Checker,
    rows: np.ndarray,
    value_col: np.ndarray,
    ind: Column,
    ind_ok: np.ndarray,
    value: np.ndarray,
    text: pd.Series,
) -> np.ndarray:
    """Rows outside their unit's bounds (returned: they may be set aside); beyond its magnitude is a problem."""
    fw = checker.framework

    def unit_of(v: str) -> str | None:
        return fw.indicators[v].unit if v in fw.indicators else None

    def bound(v: str, which: str) -> float:
        u = unit_of(v)
        b = getattr(UNITS[u], which) if u in UNITS else None
        return np.nan if b is None else float(b)

    lo = ind.rows([bound(v, "minimum") for v in ind.values], dtype="float64")
    hi = ind.rows([bound(v, "maximum") for v in ind.values], dtype="float64")
    limit = ind.rows(
        [UNITS[u].magnitude() if (u := unit_of(v)) in UNITS else np.inf for v in ind.values], dtype="float64"
    )
    finite = np.isfinite(value)
    with np.errstate(invalid="ignore"):
        huge = ind_ok & finite & (np.abs(value) >= limit)
        out = ind_ok & finite & ~huge & ((value < lo) | (value > hi))
    checker.add(
        rows,
        huge,
        value_col,
        lambda at: [
            f"value {t} is beyond ±{m:g}, the largest magnitude sandyq accepts in this unit "
            "(a misplaced exponent? give it in a larger unit)"
            for t, m in zip(text.iloc[at].tolist(), limit[at], strict=True)
        ],
    )
    return np.asarray(out, dtype=bool)


def _issue_rows(rows: pd.DataFrame, path: Path, kind: str, messages: pd.Series | list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "kind": kind,
            "file": str(path),
            "row_number": rows[ROW].astype(int).to_numpy(),
            "column_name": rows[COL].astype(str).to_numpy(),
            "message": list(messages),
            "indicator": rows["INDICATOR"].to_numpy(),
            "geo": rows["geo"].to_numpy(),
            "period": rows["period"].to_numpy(),
            "dims": rows["dims"].to_numpy(),
            "value": rows["value"].astype("float64").to_numpy(),
        }
    )


def _concat(first: pd.DataFrame | None, rows: pd.DataFrame) -> pd.DataFrame:
    return rows if first is None else pd.concat([first, rows], ignore_index=True)


def resolve_duplicates(long: pd.DataFrame, dup: np.ndarray, path: Path, policy: str, checked: Checked) -> None:
    """Drop identical duplicates (rows ``dup`` share their key with another); two values for a key are a problem."""
    key = ["indicator", "geo", "period", "dims", "source"]
    cols = [*key, "value", "unit", "status", "note"]
    if dup.any():
        groups = long.loc[dup].groupby(key, sort=False, dropna=False)
        conflicting = groups["value"].transform("nunique") > 1
        conflict_rows = long.loc[dup].loc[conflicting]
        if len(conflict_rows) and policy == "error":
            for _, g in conflict_rows.groupby(key, sort=False, dropna=False):
                rows = ", ".join(str(r) for r in g[ROW])
                vals = ", ".join(f"{x:g}" for x in g["value"])
                first = g.iloc[0]
                checked.problems.append(
                    Problem(
                        str(path),
                        f"one key ({first['indicator']} {first['geo']} {first['period']} "
                        f"{first['dims'] or 'total'}) has different values {vals} in rows {rows}",
                        row=int(g[ROW].iloc[1]),
                        column=str(g[COL].iloc[1]),
                    )
                )
            return
        before = len(long)
        long = long.drop_duplicates(key, keep="last" if policy == "last" else "first")
        checked.dropped_duplicates = before - len(long)
        set_aside = conflict_rows.loc[~conflict_rows.index.isin(long.index)]
        if len(set_aside):
            messages = [
                f"duplicate key with a different value {v:g}; kept the {policy} row" for v in set_aside["value"]
            ]
            checked.resolved += [
                Problem(str(path), m, row=int(r), column=str(c))
                for r, c, m in zip(set_aside[ROW], set_aside[COL], messages, strict=True)
            ]
            checked.resolved_rows = _concat(
                checked.resolved_rows, _issue_rows(set_aside, path, "duplicate_conflict", messages)
            )
    checked.staged = long[cols].reset_index(drop=True)

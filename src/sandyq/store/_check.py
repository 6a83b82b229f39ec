"""The store's check of itself: is every stored row what sandyq wrote, and can every one be read?

:func:`check_store` (``sandyq check``, :meth:`sandyq.Monitor.check`) reads the
whole store and returns one row per kind of problem found, with how many rows
have it and examples.  It checks:

``file``
    the file is as long as the database it holds says (a truncated file is not);
``schema``
    the schema version is the one this sandyq writes, the change counter is a
    number, and every table and column exists with its type;
``readable``
    every row of every table can be read (a damaged block shows here);
``period``, ``dims``, ``geo``, ``text``, ``vintage``, ``value``
    every observation's key parses to the store's own forms — a canonical
    period (:func:`~sandyq.framework.parse_period`), a canonical disaggregation
    (:func:`~sandyq.framework.dims_key`), a geography code, non-blank
    indicator, source and unit, a finite vintage — and its value is a finite
    number;
``duplicate``
    no key has two rows at one vintage;
``load``
    every row's load exists, has the row's vintage and counts the rows it added;
``source``
    every source that observations cite is recorded (with its licence and citation).

A check that cannot run (a table missing or unreadable) is reported as a
problem of its own, never raised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..errors import StoreError
from ..framework import dims_key, parse_dims, parse_period
from ._connection import plain_error
from ._dialect import dialect_of
from ._schema import SCHEMA_VERSION, expected_columns, table_columns

__all__ = ["CHECK_COLUMNS", "check_store"]

#: Columns of the frame :func:`check_store` returns: the check, the table, how many rows fail, what is wrong.
CHECK_COLUMNS = ("check", "table", "rows", "detail")

Finding = tuple[str, str, int, str]
_EXAMPLES = 3


def _examples(values: Sequence[object]) -> str:
    shown = ", ".join(repr(v) for v in values[:_EXAMPLES])
    return shown + (f" and {len(values) - _EXAMPLES} more" if len(values) > _EXAMPLES else "")


# DuckDB's file header: three blocks of 4 KiB before the first block of data.
_HEADER_BYTES = 3 * 4096


def _file(con: Any, path: str) -> list[Finding]:
    """Is the file as long as its blocks need?  Only when every change is in the file (no write-ahead log)."""
    if path == ":memory:" or dialect_of(con).postgres or not Path(path).is_file():
        return []
    size = con.execute("SELECT block_size, total_blocks, wal_size FROM pragma_database_size()").fetchall()
    if not size:
        return []
    block_size, blocks, wal = size[0]
    if str(wal).strip() not in ("0 bytes", "0"):
        return []
    need = _HEADER_BYTES + int(block_size) * int(blocks)
    have = Path(path).stat().st_size
    if have >= need:
        return []
    return [("file", "", 0, f"the file is truncated: {have} bytes, its {blocks} blocks need {need}")]


def _schema(con: Any, path: str) -> list[Finding]:
    found: list[Finding] = []
    meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
    version = meta.get("schema_version")
    if version != str(SCHEMA_VERSION):
        found.append(("schema", "meta", 1, f"schema version {version!r}, expected {str(SCHEMA_VERSION)!r}"))
    if not str(meta.get("data_version", "")).isdigit():
        found.append(("schema", "meta", 1, f"change counter data_version {meta.get('data_version')!r} is no number"))
    have = table_columns(con)
    for table, columns in expected_columns().items():
        if table not in have:
            found.append(("schema", table, 0, "table missing"))
            continue
        for column, kind in columns.items():
            got = have[table].get(column)
            if got is None:
                found.append(("schema", table, 0, f"column {column!r} missing"))
            elif got != kind:
                found.append(("schema", table, 0, f"column {column!r} is {got}, expected {kind}"))
    return found


def _readable(con: Any, path: str) -> list[Finding]:
    found: list[Finding] = []
    present = table_columns(con)
    for table in expected_columns():
        if table not in present:
            continue
        read = "sum(length(CAST(t AS TEXT)))" if dialect_of(con).postgres else "bit_xor(hash(t))"
        try:
            con.execute(f"SELECT count(*), {read} FROM {table} AS t").fetchall()
        except (duckdb.Error, StoreError) as exc:
            found.append(("readable", table, 0, f"cannot be read: {plain_error(exc)}"))
    return found


def _distinct_failing(con: Any, check: str, column: str, ok: Callable[[str], bool], what: str) -> list[Finding]:
    """The distinct values of an observation column that fail ``ok``, with the rows holding them."""
    counts = con.execute(f"SELECT {column}, count(*) FROM observation GROUP BY {column} ORDER BY {column}").fetchall()
    bad = [(value, int(n)) for value, n in counts if not ok(value)]
    if not bad:
        return []
    return [(check, "observation", sum(n for _, n in bad), f"{what}: {_examples([v for v, _ in bad])}")]


def _canonical_period(value: str) -> bool:
    return parse_period(value) == value


def _canonical_dims(value: str) -> bool:
    try:
        return dims_key(parse_dims(value)) == value
    except ValueError:
        return False


def _code(value: str) -> bool:
    return bool(value) and value == value.strip() and not any(c.isspace() for c in value)


def _keys(con: Any, path: str) -> list[Finding]:
    found = _distinct_failing(
        con, "period", "period", _canonical_period, "not a canonical period (2020, 2020-Q1, 2020-01)"
    )
    found += _distinct_failing(con, "dims", "dims", _canonical_dims, "not a canonical disaggregation (key=value;…)")
    found += _distinct_failing(con, "geo", "geo", _code, "not a geography code (blank or with spaces)")
    for column in ("indicator", "source", "unit"):
        found += _distinct_failing(con, "text", column, lambda v: bool(v and v.strip()), f"blank {column}")
    sql = {
        "vintage": ("NOT isfinite(vintage)", "vintage is not a finite moment"),
        "value": (f"NOT {dialect_of(con).finite('value')}", "value is not a finite number"),
    }
    for check, (cond, what) in sql.items():
        shown = f"CAST({check} AS VARCHAR)" if dialect_of(con).postgres else check  # psycopg reads no infinity
        rows = con.execute(
            f"SELECT indicator, geo, period, {shown} FROM observation WHERE {cond} ORDER BY indicator, geo, period"
        ).fetchall()
        if rows:
            found.append(
                (check, "observation", len(rows), f"{what}: {_examples([' '.join(map(str, r)) for r in rows])}")
            )
    return found


def _duplicates(con: Any, path: str) -> list[Finding]:
    rows = con.execute(
        """SELECT indicator, geo, period, dims, source, vintage, count(*) AS n FROM observation
           GROUP BY indicator, geo, period, dims, source, vintage HAVING count(*) > 1
           ORDER BY indicator, geo, period, dims, source, vintage"""
    ).fetchall()
    if not rows:
        return []
    keys = [" ".join(str(x) for x in r[:6]) for r in rows]
    return [
        (
            "duplicate",
            "observation",
            sum(int(r[6]) for r in rows),
            f"one key, two rows at one vintage: {_examples(keys)}",
        )
    ]


def _loads(con: Any, path: str) -> list[Finding]:
    found: list[Finding] = []
    for table in ("observation", "load_issue"):
        rows = con.execute(
            f"""SELECT x.load_id, count(*) FROM {table} x WHERE NOT EXISTS (SELECT 1 FROM load l WHERE x.load_id = l.id)
                GROUP BY x.load_id ORDER BY x.load_id"""
        ).fetchall()
        if rows:
            ids = [r[0] for r in rows]
            found.append(
                ("load", table, sum(int(r[1]) for r in rows), f"rows of loads that do not exist: {_examples(ids)}")
            )
    rows = con.execute(
        """SELECT o.load_id, count(*) FROM observation o JOIN load l ON o.load_id = l.id
           WHERE o.vintage <> l.vintage GROUP BY o.load_id ORDER BY o.load_id"""
    ).fetchall()
    if rows:
        ids = [r[0] for r in rows]
        found.append(
            ("load", "observation", sum(int(r[1]) for r in rows), f"vintage differs from its load's: {_examples(ids)}")
        )
    rows = con.execute(
        """SELECT l.id, l.rows_added + l.rows_revised AS said, count(o.load_id) AS has
           FROM load l LEFT JOIN observation o ON o.load_id = l.id
           GROUP BY l.id, l.rows_added, l.rows_revised HAVING l.rows_added + l.rows_revised <> count(o.load_id)
           ORDER BY l.id"""
    ).fetchall()
    if rows:
        what = [f"load {r[0]}: {r[1]} recorded, {r[2]} stored" for r in rows]
        found.append(
            ("load", "load", len(rows), f"rows added and revised differ from the rows stored: {_examples(what)}")
        )
    return found


def _sources(con: Any, path: str) -> list[Finding]:
    rows = con.execute(
        """SELECT o.source, count(*) FROM observation o WHERE NOT EXISTS (SELECT 1 FROM source s WHERE o.source = s.id)
           GROUP BY o.source ORDER BY o.source"""
    ).fetchall()
    if not rows:
        return []
    return [
        (
            "source",
            "observation",
            sum(int(r[1]) for r in rows),
            f"sources not recorded: {_examples([r[0] for r in rows])}",
        )
    ]


_CHECKS: tuple[tuple[str, str, Callable[[Any, str], list[Finding]]], ...] = (
    ("file", "", _file),
    ("schema", "meta", _schema),
    ("readable", "", _readable),
    ("keys", "observation", _keys),
    ("duplicate", "observation", _duplicates),
    ("load", "load", _loads),
    ("source", "source", _sources),
)


def check_store(con: Any, path: str) -> pd.DataFrame:
    """Every problem of the store behind ``con`` (named ``path``), as rows of :data:`CHECK_COLUMNS`; none if sound.

    >>> from sandyq.store import Store
    >>> check_store(Store(":memory:").con, ":memory:").empty
    True
    """
    found: list[Finding] = []
    for name, table, check in _CHECKS:
        try:
            found += check(con, path)
        except (duckdb.Error, StoreError) as exc:
            found.append((name, table, 0, f"{path}: could not be checked: {plain_error(exc)}"))
    return pd.DataFrame(found, columns=list(CHECK_COLUMNS)).astype({"rows": "int64"})

"""Moving a whole store from one backend to another: every vintage, load, load issue, source and document.

``sandyq copy-store SRC DST`` (:func:`copy_store`) reads the store at ``SRC``
(a DuckDB file or a ``postgresql://`` URL) and writes everything it holds into
the store at ``DST`` — DuckDB to PostgreSQL when one user's store becomes a
server's, PostgreSQL to DuckDB for a copy to take away.  Rows are copied as
they are stored (load ids, vintages and moments of loading kept), so every
``as_of`` read gives the same answer on both sides; the destination is written
in one transaction and its rows are counted against the source's before it
commits.  The destination must be empty (a new file, or a database without a
store or with an empty one): copying into a store that holds data is refused,
naming what it holds, and nothing is written.  Tables added by later parts of
sandyq that both stores have (accounts, submissions…) are copied too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InternalError, StoreError
from ._dialect import is_url
from ._schema import expected_columns, table_columns
from ._staging import append_frame
from ._store import Store

__all__ = ["CopyReport", "copy_store"]

# Tables in the order they are copied (what rows refer to first); tables of later schemas follow, by name.
_ORDER = ("source", "load", "observation", "load_issue", "calibration", "indicator_meta")
_BATCH = 50_000
_COUNTERS = ("schema_version", "data_version")


@dataclass
class CopyReport:
    """What :func:`copy_store` copied: rows per table, the vintages, and how long it took."""

    source: str
    destination: str
    rows: dict[str, int] = field(default_factory=dict)
    vintages: int = 0
    seconds: float = 0.0

    def summary(self) -> str:
        """One line saying what was copied.

        >>> CopyReport("a.duckdb", "postgresql://h/db", {"observation": 3, "load": 1}, 2, 0.5).summary()
        'copied a.duckdb to postgresql://h/db in 0.5 s: 3 observations in 2 vintages, 1 loads'
        """
        rows = dict(self.rows)
        head = f"{rows.pop('observation', 0)} observations in {self.vintages} vintages"
        rest = [f"{n} {t if t.endswith('s') else t + 's'}" for t, n in rows.items() if n]
        return f"copied {self.source} to {self.destination} in {self.seconds:.1f} s: " + ", ".join([head, *rest])


def _tables(src: Store, dst: Store) -> dict[str, list[str]]:
    """The tables to copy, each with the columns both stores give it (in the destination's order)."""
    have, want = table_columns(src.con), table_columns(dst.con)
    names = [t for t in _ORDER if t in expected_columns()]
    names += sorted(t for t in have if t in want and t not in names and t != "meta" and not t.startswith("_"))
    tables: dict[str, list[str]] = {}
    for t in names:
        if t not in have or t not in want:
            continue
        if set(have[t]) != set(want[t]):
            raise StoreError(
                f"{dst.path}: table {t} has other columns than in {src.path} "
                f"({', '.join(want[t])} vs {', '.join(have[t])}); both stores need the same sandyq version"
            )
        tables[t] = list(want[t])
    return tables


def _refuse_non_empty(dst: Store, tables: dict[str, list[str]]) -> None:
    held = {t: int(dst.con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]) for t in tables}
    held = {t: n for t, n in held.items() if n}
    if held:
        shown = ", ".join(f"{n} rows in {t}" for t, n in held.items())
        raise StoreError(
            f"{dst.path}: the destination store is not empty ({shown}); copy-store writes only into an empty "
            "store — give a new file or an empty database, so that nothing is mixed or overwritten"
        )


def _copy_table(src: Store, dst: Store, table: str, columns: list[str]) -> int:
    import pandas as pd

    listed = ", ".join(columns)
    cur = src.con.execute(f"SELECT {listed} FROM {table}")
    copied = 0
    while True:
        rows = cur.fetchmany(_BATCH)
        if not rows:
            return copied
        append_frame(dst.con, table, pd.DataFrame.from_records(rows, columns=columns))
        copied += len(rows)


def _advance_sequences(dst: Store, tables: dict[str, list[str]]) -> None:
    """On PostgreSQL, move each serial or identity column's sequence past the ids copied."""
    if not dst.dialect.postgres:
        return
    serial = dst.con.execute(
        """SELECT table_name, column_name FROM information_schema.columns
           WHERE table_schema = current_schema() AND (column_default LIKE 'nextval%' OR is_identity = 'YES')"""
    ).fetchall()
    for table, column in serial:
        if table in tables:
            dst.con.execute(
                f"""SELECT setval(pg_get_serial_sequence('{table}', '{column}'),
                                  coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)"""
            )


def _same(src: str, dst: str) -> bool:
    if is_url(src) or is_url(dst):
        return src == dst
    return src != ":memory:" and Path(src).resolve() == Path(dst).resolve()


def copy_store(source: str | Path, destination: str | Path) -> CopyReport:
    """Copy the whole store at ``source`` into the empty store at ``destination`` (created if missing).

    Either may be a DuckDB file or a ``postgresql://`` URL.  Raises
    :class:`~sandyq.errors.StoreError` if the source is not a store, the
    destination holds data, or both name the same store; nothing is written then.
    """
    src_name, dst_name = str(source), str(destination)
    if _same(src_name, dst_name):
        raise StoreError(f"{dst_name}: the source and the destination are the same store; give another destination")
    if not is_url(src_name) and not Path(src_name).exists():
        raise StoreError(f"{src_name}: no store here; give the path of a store made by `sandyq init`")
    started = time.perf_counter()
    with Store(src_name, read_only=True) as src, Store(dst_name) as dst:
        tables = _tables(src, dst)
        _refuse_non_empty(dst, tables)
        report = CopyReport(src.path, dst.path)
        with dst._transaction():
            for table, columns in tables.items():
                report.rows[table] = _copy_table(src, dst, table, columns)
            meta = [(k, v) for k, v in src.con.execute("SELECT key, value FROM meta").fetchall() if k not in _COUNTERS]
            if meta:
                dst.con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", meta)
            _advance_sequences(dst, tables)
            _verify(src, dst, report.rows)
            report.vintages = int(dst.con.execute("SELECT count(DISTINCT vintage) FROM observation").fetchall()[0][0])
            dst.con.execute("INSERT OR REPLACE INTO meta VALUES ('data_version', ?)", [str(src.data_version())])
            dst._changed()  # a reader of the destination sees a change, whatever it saw before
    report.seconds = time.perf_counter() - started
    return report


def _verify(src: Store, dst: Store, rows: dict[str, Any]) -> None:
    """Every table holds as many rows on both sides (before the destination commits)."""
    for table, n in rows.items():
        have = int(src.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
        got = int(dst.con.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0])
        if not have == got == n:
            raise InternalError(f"internal: copying {table}: {have} rows in the source, {got} written ({n} read)")

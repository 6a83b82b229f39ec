"""One load in progress: rows staged in DuckDB, chunk by chunk, merged into the store once, atomically.

A :class:`Loading` is what :meth:`Store.loading <sandyq.store.Store.loading>`
yields inside the load's one transaction.  Each :meth:`~Loading.add` appends a
chunk of validated rows (a frame of :data:`STAGED_COLUMNS`) to a TEMP table, so
a file larger than memory is held by DuckDB, not by pandas; nothing touches the
observations until the end.  Then, all in SQL: keys repeated across chunks are
resolved (identical figures dropped, different ones refused or, by policy, the
first or last kept and the others recorded as load issues); the figures in
force are looked up only for the incoming keys (a semi-join, not a scan of every
vintage); each row is *new*, *unchanged* or *revised*; and the new and revised
rows are inserted with ``INSERT … SELECT``.  The load record and its issues are
written in the same transaction, so an error anywhere — or a kill -9 — leaves
the store as it was.  (Staging on disk was tried and abandoned: a TEMP table is
transactional, spills to DuckDB's temporary folder when it must, and vanishes
with the connection.)
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .._version import __version__
from ..errors import InternalError, LoadError, Problem, refused
from ._dialect import Dialect, dialect_of

if TYPE_CHECKING:
    import duckdb

__all__ = ["STAGED_COLUMNS", "Loading", "append_frame"]

#: Columns a frame handed to :meth:`Loading.add` (or :meth:`Store.load_frame`) must have.
STAGED_COLUMNS = ("indicator", "geo", "period", "dims", "source", "value", "unit", "status", "note")
_KEY = "indicator, geo, period, dims, source"
_ON = " AND ".join(f"s.{c} = o.{c}" for c in _KEY.split(", "))
# The staged figure is the one in force: the same value (exactly, as a DOUBLE; -0.0 = 0.0), unit, status and note.
_SAME = """o.vintage IS NOT NULL AND s.value = o.value AND s.unit = o.unit
    AND coalesce(s.status, '') = coalesce(o.status, '') AND coalesce(s.note, '') = coalesce(o.note, '')"""
_ISSUE_COLUMNS = (
    "load_id",
    "kind",
    "file",
    "row_number",
    "column_name",
    "message",
    "indicator",
    "geo",
    "period",
    "dims",
    "value",
)
_TEXT = ("indicator", "geo", "period", "dims", "source", "unit", "status", "note")
_counter = itertools.count(1)


@dataclass
class Loading:
    """A load in progress inside its transaction: :meth:`add` chunks, then the store merges them once.

    ``duplicates`` says what a key given twice with different values does
    (``error``: the load is refused; ``first``/``last``: that row is kept and
    the others recorded as issues); ``value_column`` is the column named in
    those messages.  After the ``with`` block, :attr:`report` says what the load did.
    """

    con: duckdb.DuckDBPyConnection
    file: str
    format: str
    source: str | None
    vintage: datetime
    loaded_at: datetime
    sha256: str | None = None
    duplicates: str = "error"
    value_column: str = "OBS_VALUE"
    issues: list[Problem] = field(default_factory=list)
    issue_frames: list[pd.DataFrame] = field(default_factory=list)
    dropped_duplicates: int = 0
    report: Any = None
    _table: str = ""
    _rows: int = 0
    _dedupe: bool = False
    _dialect: Dialect = field(init=False)

    def __post_init__(self) -> None:
        self._table = f"_sandyq_staged_{next(_counter)}"
        self._dialect = dialect_of(self.con)
        self.con.execute(
            self._dialect.ddl(
                f"""CREATE TEMP TABLE {self._table} (indicator VARCHAR, geo VARCHAR, period VARCHAR, dims VARCHAR,
                source VARCHAR, value DOUBLE, unit VARCHAR, status VARCHAR, note VARCHAR, line BIGINT)"""
            )
        )

    def add(self, frame: pd.DataFrame, lines: np.ndarray | Sequence[int] | None = None) -> None:
        """Stage a chunk of validated rows; ``lines`` (their lines in the file) asks for the cross-chunk key check.

        Without ``lines`` the rows must have distinct keys (a whole file checked at once).
        """
        missing = [c for c in STAGED_COLUMNS if c not in frame.columns]
        if missing:
            raise InternalError(f"internal: staged frame lacks columns {missing}")
        if not len(frame):
            return
        chunk = pd.DataFrame({c: frame[c] for c in STAGED_COLUMNS}, copy=False)
        chunk["value"] = chunk["value"].to_numpy(dtype="float64", na_value=np.nan)
        _refuse_non_finite(chunk, self.file)
        for col in _TEXT:
            if chunk[col].hasnans:
                chunk[col] = chunk[col].astype("object").where(chunk[col].notna(), None)
        chunk["dims"] = chunk["dims"].fillna("")
        if lines is None:
            chunk["line"] = np.arange(self._rows + 1, self._rows + len(chunk) + 1, dtype="int64")
        else:
            chunk["line"] = np.asarray(lines, dtype="int64")
            self._dedupe = True
        append_frame(self.con, self._table, chunk)
        self._rows += len(chunk)

    def set_aside(self, problems: Sequence[Problem], rows: pd.DataFrame | None) -> None:
        """Record problems resolved by setting rows aside (recorded with the load, not loaded)."""
        self.issues += list(problems)
        if rows is not None and len(rows):
            self.issue_frames.append(rows)

    # -- the end of the load -------------------------------------------------------------
    def finish(self, report_type: Any) -> Any:
        """Resolve repeated keys, compare with the figures in force, insert, record the load; its report."""
        if self._dedupe:
            self._resolve_duplicates()
        rows_read = self._rows - self.dropped_duplicates
        old = f"{self._table}_old"
        self._in_force(old)
        try:
            return self._merge(old, rows_read, report_type)
        finally:
            self.con.execute(f"DROP TABLE IF EXISTS {old}")

    def _in_force(self, old: str) -> None:
        """The figures in force at the load's vintage for the incoming keys only, as the TEMP table ``old``.

        When the store holds nothing of the incoming indicators and sources (a first load), there is no
        need to look key by key, and ``old`` is empty.
        """
        overlap = self.con.execute(
            f"""SELECT EXISTS (SELECT 1 FROM (SELECT DISTINCT indicator, source FROM {self._table}) s
                    JOIN observation o ON o.indicator = s.indicator AND o.source = s.source)"""
        ).fetchall()[0][0]
        where = "" if overlap else "WHERE false"
        if self._dialect.postgres:
            self.con.execute(
                f"""CREATE TEMP TABLE {old} AS
                    SELECT DISTINCT ON ({_KEY})
                           o.indicator, o.geo, o.period, o.dims, o.source, o.value, o.unit, o.status, o.note, o.vintage
                    FROM observation o
                    WHERE o.vintage <= ? AND EXISTS (SELECT 1 FROM (SELECT * FROM {self._table} {where}) s WHERE {_ON})
                    ORDER BY {_KEY}, o.vintage DESC""",
                [self.vintage],
            )
            return
        self.con.execute(
            f"""CREATE TEMP TABLE {old} AS
                SELECT o.indicator, o.geo, o.period, o.dims, o.source, o.value, o.unit, o.status, o.note, o.vintage
                FROM observation o SEMI JOIN (SELECT * FROM {self._table} {where}) s ON {_ON}
                WHERE o.vintage <= ?
                QUALIFY row_number() OVER (PARTITION BY {_KEY} ORDER BY vintage DESC) = 1""",
            [self.vintage],
        )

    def _merge(self, old: str, rows_read: int, report_type: Any) -> Any:
        if self.con.execute(f"SELECT count(*) FROM {old}").fetchall()[0][0]:
            source = f"{self._table} s LEFT JOIN {old} o ON {_ON}"
            added, unchanged, clashes = self.con.execute(
                f"""SELECT count(*) FILTER (WHERE o.vintage IS NULL), count(*) FILTER (WHERE {_SAME}),
                           count(*) FILTER (WHERE o.vintage = ? AND NOT ({_SAME}))
                    FROM {source}""",
                [self.vintage],
            ).fetchall()[0]
            if clashes:
                clash = self.con.execute(
                    f"""SELECT s.*, o.value AS old_value, o.note AS old_note FROM {source}
                        WHERE o.vintage = ? AND NOT ({_SAME}) ORDER BY s.line LIMIT 20""",
                    [self.vintage],
                ).df()
                raise _conflict(self.file, clash, self.vintage)
            source += f" WHERE NOT coalesce({_SAME}, false)"
        else:  # nothing in force for these keys: every row is new
            source, added, unchanged = f"{self._table} s", rows_read, 0
        revised = rows_read - int(added) - int(unchanged)
        if not added + revised:
            # Nothing new: the store is left exactly as it was (no load record either).
            return report_type(None, self.file, self.source, self.vintage, rows_read, 0, 0, unchanged, self.issues)
        load_id = int(self.con.execute("SELECT coalesce(max(id), 0) + 1 FROM load").fetchall()[0][0])
        self.con.execute(
            f"""INSERT INTO observation (indicator, geo, period, dims, source, vintage, value, unit, status, note,
                                         load_id)
                SELECT s.indicator, s.geo, s.period, s.dims, s.source, ?, s.value, s.unit, s.status, s.note, ?
                FROM {source}""",
            [self.vintage, load_id],
        )
        self.con.execute(
            "INSERT INTO load VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                load_id,
                self.file,
                self.format,
                self.source,
                self.vintage,
                self.loaded_at,
                self.sha256,
                rows_read,
                added,
                revised,
                unchanged,
                __version__,
            ],
        )
        self._record_issues(load_id)
        return report_type(
            load_id, self.file, self.source, self.vintage, rows_read, added, revised, unchanged, self.issues
        )

    def _record_issues(self, load_id: int) -> None:
        if not self.issue_frames:
            return
        rows = pd.concat(self.issue_frames, ignore_index=True)
        rows.insert(0, "load_id", load_id)
        for c in _ISSUE_COLUMNS:
            if c not in rows.columns:
                rows[c] = None
        append_frame(self.con, "load_issue", rows[list(_ISSUE_COLUMNS)])

    def _resolve_duplicates(self) -> None:
        """Keys staged more than once (across chunks): drop identical figures, refuse or set aside different ones."""
        dups = f"{self._table}_dups"
        if self._dialect.postgres:
            self.con.execute(
                f"""CREATE TEMP TABLE {dups} AS SELECT {_KEY}, count(DISTINCT value) AS values_given
                    FROM {self._table} GROUP BY {_KEY} HAVING count(*) > 1"""
            )
        else:
            # Equal keys have equal hashes: grouping 8-byte hashes first finds the few candidates cheaply.
            self.con.execute(
                f"""CREATE TEMP TABLE {dups} AS SELECT {_KEY}, count(DISTINCT value) AS values_given
                    FROM {self._table} WHERE hash({_KEY}) IN (
                        SELECT h FROM (SELECT hash({_KEY}) AS h FROM {self._table}) GROUP BY h HAVING count(*) > 1)
                    GROUP BY ALL HAVING count(*) > 1"""
            )
        try:
            if not self.con.execute(f"SELECT count(*) FROM {dups}").fetchall()[0][0]:
                return
            order = "DESC" if self.duplicates == "last" else ""
            ranked = f"""SELECT s.{self._dialect.rowid} AS rid, s.*, d.values_given,
                    row_number() OVER (PARTITION BY {", ".join("s." + c for c in _KEY.split(", "))}
                                       ORDER BY s.line {order}) AS rank
                FROM {self._table} s JOIN {dups} d ON {_ON.replace("o.", "d.")}"""
            if self.duplicates == "error":
                self._refuse_conflicts(ranked)
            aside = self.con.execute(
                f"SELECT * FROM ({ranked}) AS r WHERE rank > 1 AND values_given > 1 ORDER BY line"
            ).df()
            if len(aside):
                self._set_aside_duplicates(aside)
            rowid = self._dialect.rowid
            dropped = self.con.execute(
                f"DELETE FROM {self._table} WHERE {rowid} IN (SELECT rid FROM ({ranked}) AS r WHERE rank > 1)"
            ).fetchall()[0][0]
            self.dropped_duplicates += int(dropped)
        finally:
            self.con.execute(f"DROP TABLE IF EXISTS {dups}")

    def _refuse_conflicts(self, ranked: str) -> None:
        groups = self.con.execute(
            f"""SELECT indicator, geo, period, dims, {self._dialect.list_of("line ORDER BY line")} AS lines,
                       {self._dialect.list_of("value ORDER BY line")} AS vals
                FROM ({ranked}) AS r WHERE values_given > 1 GROUP BY {_KEY} ORDER BY min(line) LIMIT 1000"""
        ).fetchall()
        if not groups:
            return
        problems = [
            Problem(
                self.file,
                f"one key ({ind} {geo} {period} {dims or 'total'}) has different values "
                f"{', '.join(f'{x:g}' for x in vals)} in rows {', '.join(str(n) for n in lines)}",
                row=int(lines[1]),
                column=self.value_column,
            )
            for ind, geo, period, dims, lines, vals in groups
        ]
        raise refused(self.file, problems)

    def _set_aside_duplicates(self, aside: pd.DataFrame) -> None:
        messages = [f"duplicate key with a different value {v:g}; kept the {self.duplicates} row" for v in aside.value]
        problems = [
            Problem(self.file, m, row=int(r), column=self.value_column)
            for r, m in zip(aside.line, messages, strict=True)
        ]
        rows = pd.DataFrame(
            {
                "kind": "duplicate_conflict",
                "file": self.file,
                "row_number": aside["line"].astype(int).to_numpy(),
                "column_name": self.value_column,
                "message": messages,
                "indicator": aside["indicator"].to_numpy(),
                "geo": aside["geo"].to_numpy(),
                "period": aside["period"].to_numpy(),
                "dims": aside["dims"].to_numpy(),
                "value": aside["value"].astype("float64").to_numpy(),
            }
        )
        self.set_aside(problems, rows)

    def drop(self) -> None:
        """Remove the staging table (after the transaction ended either way)."""
        self.con.execute(f"DROP TABLE IF EXISTS {self._table}")


def append_frame(con: Any, table: str, frame: pd.DataFrame) -> None:
    """Append a frame's rows to ``table``, column by name: through DuckDB's view of the frame, or ``COPY``."""
    if dialect_of(con).postgres:
        con.copy_frame(table, frame)
        return
    columns = ", ".join(frame.columns)
    con.register("_sandyq_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM _sandyq_frame")
    finally:
        con.unregister("_sandyq_frame")


def _refuse_non_finite(staged: pd.DataFrame, file: str) -> None:
    """A value that is not a finite number never enters the store (readers would skip it)."""
    bad = ~np.isfinite(staged["value"].to_numpy())
    if bad.any():
        rows = staged[bad].head(20)
        problems = [
            Problem(file, f"{r.indicator} {r.geo} {r.period}: value {r.value} is not a finite number", column="value")
            for r in rows.itertuples()
        ]
        raise LoadError(
            f"{file}: refused: {int(bad.sum())} values are not finite numbers; nothing was loaded", problems
        )


def _conflict(file: str, rows: pd.DataFrame, v: datetime) -> LoadError:
    """The refusal of a load that would give a key two figures at one vintage."""
    problems = [
        Problem(
            file,
            f"{r.indicator} {r.geo} {r.period} {r.dims or 'total'} ({r.source}) already has value "
            f"{float(r.old_value)!r}{_note_text(r.old_note)} in vintage {v.isoformat(sep=' ')}; "
            "a changed figure needs a later vintage, "
            f"got {float(r.value)!r}{_note_text(r.note)}",
        )
        for r in rows.head(20).itertuples()
    ]
    return LoadError(f"{file}: refused: values conflict with the same vintage; nothing was loaded", problems)


def _note_text(note: object) -> str:
    return f" (note {note!r})" if isinstance(note, str) and note else ""

"""The observation store: DuckDB, append-only, with vintages.

Every observation is keyed by ``(indicator, geo, period, dims, source)`` and
stamped with a *vintage*: the moment the figures were published, or, by
default, the moment they were loaded (UTC, to the microsecond, so that every
load has a vintage of its own and each revision stays reachable).  A load never
overwrites: a figure that differs from the one in force becomes a new row with
the load's vintage, an identical one is skipped, so loading the same file twice
changes nothing.  A figure *differs* if its value, unit, status or note does;
values are compared exactly as stored (DOUBLE, a tolerance of 0 ulp: 150e12 and
150e12 + 100 differ; only -0.0 and 0.0 count as equal).  Every read can be asked
"as of" a moment, which picks for each key the latest vintage not after it.

Loads are atomic: the rows, the load record and its issues are written in one
transaction, so a failed or interrupted (even killed) load leaves the store as
it was.  One process writes at a time: opening waits for another writer (see
:mod:`sandyq.store._connection`).  Every committed change adds 1 to the store's
:meth:`~Store.data_version`, so a reader can tell when to refresh what it
computed from the store.  Reads are defensive: a stored row that cannot be
read as sandyq's types (a period that is not one, a value that is not finite)
is skipped with a warning, and ``sandyq check`` says where it is.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd

from ..errors import InternalError, Problem, StoreError
from ..framework import as_of_bound, dims_key, parse_vintage
from ..settings import resolve
from ._check import check_store
from ._connection import WaitNotice, guarded, guarded_error, log_wait, open_connection, plain_error
from ._dialect import DUCKDB, POSTGRES, Dialect, is_url
from ._postgres import connect_pg, mask_url
from ._schema import WRITER_LOCK, ensure_schema
from ._staging import STAGED_COLUMNS, Loading

__all__ = ["LoadReport", "Loading", "Store", "STAGED_COLUMNS", "OBSERVATION_COLUMNS"]

#: Columns of every observation frame sandyq returns.
OBSERVATION_COLUMNS = (
    "indicator",
    "geo",
    "period",
    "year",
    "dims",
    "value",
    "unit",
    "status",
    "source",
    "vintage",
    "note",
)
_KEY = ("indicator", "geo", "period", "dims", "source")
_ONE_MICROSECOND = timedelta(microseconds=1)
# A stored row that reads as sandyq's types: a canonical period, a geography, a parseable disaggregation, a unit and a
# finite value.  Rows failing it are skipped by reads (and reported by ``check``).


def _readable(d: Dialect) -> str:
    """The condition a stored row that reads as sandyq's types meets, in the store's dialect."""
    period = d.full_match("period", _PERIOD)
    dims = d.full_match("dims", _DIMS)
    return f"""({period} AND geo <> '' AND unit <> ''
    AND {d.finite("value")} AND isfinite(vintage)
    AND (dims = '' OR {dims}))"""


_PERIOD = r"\d{4}(-(Q[1-4]|0[1-9]|1[0-2]))?"
_DIMS = "[^=;]+=[^;]+(;[^=;]+=[^;]+)*"
logger = logging.getLogger("sandyq.store")


def _en(text: Any) -> Any:
    """The English form of a framework text (a source's name, publisher, citation); a string as it is.

    The store keeps one form, the English, as before sources had three languages; pages take
    the reader's form from the framework.
    """
    return getattr(text, "en", text)


def _now() -> datetime:
    """Now, as a naive UTC timestamp to the microsecond (how the store keeps moments)."""
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class LoadReport:
    """What one load did."""

    load_id: int | None
    file: str
    source: str | None
    vintage: datetime
    rows_read: int
    added: int
    revised: int
    unchanged: int
    issues: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "load_id": self.load_id,
            "file": self.file,
            "source": self.source,
            "vintage": self.vintage.isoformat(),
            "rows_read": self.rows_read,
            "added": self.added,
            "revised": self.revised,
            "unchanged": self.unchanged,
            "issues": [p.to_dict() for p in self.issues],
        }


class Store:
    """A DuckDB file (or ``":memory:"``) holding observations with vintages.

    Opening waits up to ``lock_timeout`` seconds (default: the setting
    ``lock_timeout``) for another process that holds the file, calling
    ``on_wait`` once with a message saying so (default: a warning of the
    ``sandyq.store`` logger, shown on stderr).  A file that is not a sandyq store,
    or is damaged, is refused with a :class:`~sandyq.errors.StoreError` naming it.

    A long-lived reader (the dashboard) need not hold the file between uses:
    :meth:`close` it, and read in ``with store.session():`` blocks, which reopen
    it (waiting for a writer if one is at work) and close it again, so that
    ``sandyq load`` can write in between; :meth:`data_version` tells whether
    anything changed meanwhile.
    """

    def __init__(
        self,
        path: str | Path = ":memory:",
        read_only: bool = False,
        *,
        lock_timeout: float | None = None,
        on_wait: WaitNotice | None = None,
    ) -> None:
        #: Where the store is: a DuckDB file, ``":memory:"`` or a ``postgresql://`` URL.
        self.url = str(path)
        #: The dialect of SQL the store speaks (DuckDB, or PostgreSQL for a URL).
        self.dialect: Dialect = POSTGRES if is_url(self.url) else DUCKDB
        #: How messages name the store: the file, or the URL with its password hidden.
        self.path = mask_url(self.url) if self.dialect.postgres else self.url
        self.read_only = read_only
        self.lock_timeout = float(resolve("lock_timeout", lock_timeout))
        self.on_wait: WaitNotice = on_wait or log_wait
        #: Stored rows skipped by reads since the store was opened, because they cannot be read (see ``check``).
        self.skipped = 0
        if self.path != ":memory:" and not self.dialect.postgres:
            parent = Path(self.path).parent
            if not read_only and not parent.exists():
                raise StoreError(f"{self.path}: folder {parent} does not exist")
            if read_only and not Path(self.path).exists():
                raise StoreError(f"{self.path}: no store here; run `sandyq init` first")
        self.con: Any = self._connect()
        self.schema_version: int = self._schema()

    # -- lifecycle -----------------------------------------------------------------
    def _connect(self) -> Any:
        if self.dialect.postgres:
            return connect_pg(self.url, read_only=self.read_only)
        return open_connection(
            self.path, read_only=self.read_only, lock_timeout=self.lock_timeout, on_wait=self.on_wait
        )

    def _schema(self) -> int:
        try:
            return ensure_schema(self.con, self.path, self.read_only)
        except duckdb.Error as exc:
            self.con.close()
            raise StoreError(
                f"{self.path}: cannot read the store's schema ({plain_error(exc)}); run `sandyq check`"
            ) from None
        except BaseException:
            self.con.close()  # never keep the file locked after refusing it
            raise

    @property
    def is_open(self) -> bool:
        """Whether the store holds its file now (see :meth:`close` and :meth:`session`)."""
        try:
            self.con.execute("SELECT 1")
        except (duckdb.Error, StoreError):
            return False
        return True

    def close(self) -> None:
        """Let go of the file (other processes may then write it); :meth:`open` or :meth:`session` take it again."""
        self.con.close()

    def open(self) -> Store:
        """Take the file again after :meth:`close`, waiting for a writer as opening does; nothing if open."""
        if not self.is_open:
            if self.path == ":memory:":
                raise StoreError(":memory:: an in-memory store cannot be opened again once closed")
            self.con = self._connect()
            self.schema_version = self._schema()
        return self

    @contextmanager
    def session(self) -> Iterator[Store]:
        """Hold the file for the block: reopen a closed store, and close it again at the end.

        An open store stays open.  This is how a reader that lives long (the
        dashboard) reads without keeping writers out between its reads:

        >>> s = Store(":memory:")
        >>> with s.session():
        ...     s.data_version()
        0
        """
        if self.is_open:
            yield self
            return
        self.open()
        try:
            yield self
        finally:
            self.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @guarded
    def data_version(self) -> int:
        """The store's change counter: every committed change adds 1, so equal numbers mean equal data.

        A reader keeps the number with what it computed and, before reusing it,
        compares it with the store's (a query of one row; see :meth:`session`).
        """
        rows = self.con.execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()
        return int(rows[0][0]) if rows and str(rows[0][0]).isdigit() else 0

    def _changed(self) -> None:
        """Count one committed change (call inside the transaction that makes it)."""
        self.con.execute(
            f"""INSERT OR REPLACE INTO meta SELECT 'data_version',
                   CAST(coalesce(max({self.dialect.try_bigint("value")}), 0) + 1 AS VARCHAR)
               FROM meta WHERE key = 'data_version'"""
        )

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.con.execute("BEGIN TRANSACTION")
        try:
            if self.dialect.postgres:  # writers follow each other, as on a DuckDB file; readers never wait
                self.con.execute(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
            yield
            self.con.execute("COMMIT")
        except BaseException:
            # If the transaction is gone with the connection, the error that ended it is the one to report.
            with suppress(duckdb.Error, StoreError):
                self.con.execute("ROLLBACK")
            raise

    # -- checking ------------------------------------------------------------------
    @guarded
    def check(self) -> pd.DataFrame:
        """What is wrong with the store, one row per kind of problem (none: the store is sound).

        Columns :data:`~sandyq.store.CHECK_COLUMNS`: the check, the table, how many
        rows fail it and a detail with examples.  See :func:`check_store`.
        """
        return check_store(self.con, self.path)

    # -- writing -------------------------------------------------------------------
    @guarded
    def register_sources(self, sources: Iterable[Any]) -> None:
        """Record (or update) the sources that observations cite; sources recorded as they are change nothing."""
        with self._transaction():
            if self._register(sources):
                self._changed()

    def _register(self, sources: Iterable[Any]) -> bool:
        """Record the sources that differ from the store's (inside a transaction); whether any did."""
        rows = [(s.id, _en(s.name), _en(s.publisher), s.url, _en(s.licence), _en(s.citation)) for s in sources]
        if not rows:
            return False
        known = {r[0]: tuple(r) for r in self.con.execute("SELECT * FROM source").fetchall()}
        rows = [r for r in rows if known.get(r[0]) != r]
        if rows:
            self.con.executemany("INSERT OR REPLACE INTO source VALUES (?, ?, ?, ?, ?, ?)", rows)
        return bool(rows)

    @contextmanager
    def loading(
        self,
        *,
        file: str,
        format: str,
        vintage: date | datetime | str | None = None,
        source: str | None = None,
        sha256: str | None = None,
        sources: Iterable[Any] = (),
        duplicates: str = "error",
        value_column: str = "OBS_VALUE",
        then: Callable[[LoadReport], None] | None = None,
    ) -> Iterator[Loading]:
        """One atomic load, fed in chunks: ``with store.loading(file=...) as load: load.add(frame); ...``.

        Chunks are staged in DuckDB (not in Python) and merged once when the
        block ends (see :class:`~sandyq.store.Loading`); ``load.report`` then
        says what changed.  ``sources`` are recorded in the same transaction.
        An exception in the block, or a refusal at the merge, leaves the store
        exactly as it was.  Keys repeated across chunks follow ``duplicates``
        (``error``, ``first``, ``last``), as within one file.  ``then`` is called with the report
        inside the same transaction (a submission's approval records its publication there, so the
        publication and its audit event are committed together or not at all).
        """
        v = None if vintage is None else parse_vintage(vintage)
        load: Loading | None = None
        try:
            with self._transaction():
                # The moment of writing; a load without a vintage has it as its vintage.
                stamp = self._default_vintage() if v is None else _now()
                load = Loading(self.con, file, format, source, v or stamp, stamp, sha256, duplicates, value_column)
                changed = self._register(sources)
                yield load
                load.report = load.finish(LoadReport)
                if then is not None:
                    then(load.report)
                if changed or load.report.load_id is not None:
                    self._changed()
        except duckdb.Error as exc:
            raise guarded_error(self.path, exc) from None
        finally:
            if load is not None:  # a TEMP table: gone with a rolled back transaction, dropped after a commit
                with suppress(duckdb.Error, StoreError):
                    load.drop()

    @guarded
    def load_frame(
        self,
        frame: pd.DataFrame,
        *,
        file: str,
        format: str,
        vintage: date | datetime | str | None = None,
        source: str | None = None,
        sha256: str | None = None,
        issues: Sequence[Problem] = (),
        issue_rows: pd.DataFrame | None = None,
    ) -> LoadReport:
        """Add validated observations in one transaction and return what changed.

        ``frame`` has :data:`STAGED_COLUMNS` and distinct keys.  A key whose value, unit, status or
        note differs from the one in force at ``vintage`` gets a new row; a key
        that already has a *different* figure at exactly this vintage is a
        conflict and the whole load is refused.  Without ``vintage`` the load's
        vintage is now, to the microsecond, and always later than every earlier
        load's, so each such load stays reachable by ``as_of``.
        """
        missing = [c for c in STAGED_COLUMNS if c not in frame.columns]
        if missing:
            raise InternalError(f"internal: staged frame lacks columns {missing}")
        with self.loading(file=file, format=format, vintage=vintage, source=source, sha256=sha256) as load:
            load.set_aside(issues, issue_rows)
            load.add(frame)
        report: LoadReport = load.report
        return report

    def _default_vintage(self) -> datetime:
        """Now, but never before (or at) the moment of an earlier load: loads without a vintage keep their order."""
        last = self.con.execute("SELECT max(loaded_at) FROM load").fetchall()[0][0]
        now = _now()
        return now if last is None or now > last else last + _ONE_MICROSECOND

    # -- reading -------------------------------------------------------------------
    @guarded
    def observations(
        self,
        indicator: str | Sequence[str] | None = None,
        geo: str | Sequence[str] | None = None,
        *,
        start: int | None = None,
        end: int | None = None,
        dims: str | Mapping[str, object] | None = None,
        source: str | Sequence[str] | None = None,
        as_of: date | datetime | str | None = None,
    ) -> pd.DataFrame:
        """Observations in force ``as_of`` a moment (default: every vintage counts), filtered.

        ``dims=None`` returns every disaggregation, ``dims=""`` only totals, a mapping
        exactly that disaggregation.  Years ``start``–``end`` are inclusive.  A
        key whose figure in force cannot be read (see :meth:`check`) is left out,
        counted in :attr:`skipped` and warned about.
        """
        where: list[str] = []
        params: list[Any] = []

        def _in(col: str, val: str | Sequence[str] | None) -> None:
            if val is None:
                return
            vals = [val] if isinstance(val, str) else list(val)
            where.append(f"{col} IN ({', '.join('?' * len(vals))})")
            params.extend(vals)

        _in("indicator", indicator)
        _in("geo", geo)
        _in("source", source)
        if dims is not None:
            where.append("dims = ?")
            params.append(dims if isinstance(dims, str) else dims_key(dims))
        bound = as_of_bound(as_of)
        if bound is not None:
            where.append("vintage <= ?")
            params.append(bound)
        year = self.dialect.try_int("substr(period, 1, 4)")
        if start is not None:
            where.append(f"{year} >= ?")
            params.append(start)
        if end is not None:
            where.append(f"{year} <= ?")
            params.append(end)
        # psycopg cannot give an infinite moment to Python: such a row (skipped as unreadable) reads as NULL there.
        vintage = "CASE WHEN isfinite(vintage) THEN vintage END AS vintage" if self.dialect.postgres else "vintage"
        columns = f"""indicator, geo, period, {year} AS year, dims, value, unit,
                   status, source, {vintage}, note, {_readable(self.dialect)} AS _readable"""
        filters = "WHERE " + " AND ".join(where) if where else ""
        if self.dialect.postgres:
            sql = f"""SELECT * FROM (
                SELECT DISTINCT ON (indicator, geo, period, dims, source) {columns} FROM observation {filters}
                ORDER BY indicator, geo, period, dims, source, vintage DESC) AS latest
                ORDER BY indicator, geo, dims, source, period"""
        else:
            sql = f"""
            SELECT {columns}
            FROM observation
            {filters}
            QUALIFY row_number() OVER (PARTITION BY indicator, geo, period, dims, source ORDER BY vintage DESC) = 1
            ORDER BY indicator, geo, dims, source, period
        """
        frame = self.con.execute(sql, params).df()
        readable = frame.pop("_readable").fillna(False).astype(bool)
        if not readable.all():
            self._skip(int((~readable).sum()))
            frame = frame[readable.to_numpy()].reset_index(drop=True)
            frame["year"] = frame["year"].astype("int32")
        return frame

    def _skip(self, n: int) -> None:
        self.skipped += n
        logger.warning(
            "%s: %d stored observation%s could not be read and %s left out; run `sandyq check` to see which",
            self.path,
            n,
            "" if n == 1 else "s",
            "was" if n == 1 else "were",
        )

    @guarded
    def history(self, indicator: str, geo: str, period: str, dims: str = "", source: str | None = None) -> pd.DataFrame:
        """Every vintage of one key, oldest first: what was published when."""
        sql = """SELECT indicator, geo, period, dims, source, vintage, value, unit, status, note, load_id
                 FROM observation WHERE indicator = ? AND geo = ? AND period = ? AND dims = ?"""
        params: list[Any] = [indicator, geo, period, dims]
        if source is not None:
            sql += " AND source = ?"
            params.append(source)
        return self.con.execute(sql + " ORDER BY source, vintage", params).df()

    @guarded
    def loads(self) -> pd.DataFrame:
        """Every load that changed the store, oldest first: file, format, source, vintage, counts."""
        return self.con.execute("SELECT * FROM load ORDER BY id").df()

    @guarded
    def load_issues(self) -> pd.DataFrame:
        """The problems set aside by loads (values not loaded, duplicates in a source), by load and row."""
        return self.con.execute("SELECT * FROM load_issue ORDER BY load_id, row_number").df()

    @guarded
    def sources(self) -> pd.DataFrame:
        """The sources recorded in the store."""
        return self.con.execute("SELECT * FROM source ORDER BY id").df()

    @guarded
    def source_rows(self) -> list[dict[str, Any]]:
        """The sources recorded in the store, as plain dicts (``url`` may be None)."""
        cur = self.con.execute("SELECT id, name, publisher, url, licence, citation FROM source ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    @guarded
    def count(self) -> int:
        """How many observation rows the store holds (every vintage)."""
        return int(self.con.execute("SELECT count(*) FROM observation").fetchall()[0][0])

    @guarded
    def codes(self, column: str) -> dict[str, int]:
        """The distinct codes of an observation column, with rows.

        The columns: ``indicator``, ``geo``, ``source``, ``unit`` or ``dims`` (the disaggregation keys).
        """
        if column not in ("indicator", "geo", "source", "unit", "dims"):
            raise InternalError(f"internal: codes of {column!r}: not a code column of observations")
        rows = self.con.execute(
            f"SELECT {column}, count(*) FROM observation GROUP BY {column} ORDER BY {column}"
        ).fetchall()
        return {str(code): int(n) for code, n in rows}

    @guarded
    def summary(self) -> pd.DataFrame:
        """Per indicator: series, observations, first and last year, sources."""
        year = self.dialect.try_int("substr(period, 1, 4)")
        return self.con.execute(
            f"""SELECT indicator, count(DISTINCT geo) AS geos, count(*) AS observations,
                      min({year}) AS first_year,
                      max({year}) AS last_year,
                      string_agg(DISTINCT source, ',' ORDER BY source) AS sources
               FROM observation GROUP BY indicator ORDER BY indicator"""
        ).df()

    @guarded
    def save_indicators(self, bodies: Mapping[str, str], origin: str) -> None:
        """Keep indicator metadata (JSON of :class:`~sandyq.framework.Indicator`) brought by an import.

        Metadata kept already, with the same body, is left as it is.
        """
        known = self.stored_indicators()
        now = _now()
        rows = [(i, b, origin, now) for i, b in bodies.items() if known.get(i) != b]
        if rows:
            with self._transaction():
                self.con.executemany("INSERT OR REPLACE INTO indicator_meta VALUES (?, ?, ?, ?)", rows)
                self._changed()

    @guarded
    def stored_indicators(self) -> dict[str, str]:
        """Indicator metadata kept in the store, as JSON bodies by id."""
        return dict(self.con.execute("SELECT id, body FROM indicator_meta ORDER BY id").fetchall())

    @guarded
    def save_document(self, name: str, body: str) -> None:
        """Keep a JSON document (e.g. a fitted calibration) in the store."""
        with self._transaction():
            self.con.execute("INSERT OR REPLACE INTO calibration VALUES (?, ?, ?)", [name, _now(), body])
            self._changed()

    @guarded
    def document(self, name: str) -> str | None:
        """A JSON document kept by :meth:`save_document`, or None."""
        rows = self.con.execute("SELECT body FROM calibration WHERE name = ?", [name]).fetchall()
        return str(rows[0][0]) if rows else None

"""A PostgreSQL database seen through the DuckDB-like surface the store and its readers use.

A :class:`~sandyq.store.Store` opened on ``postgresql://user:password@host/db``
holds a :class:`PgConnection` as its ``con``: ``con.execute(sql, params)``
returns a cursor with ``fetchall()``, ``fetchone()``, ``df()`` and
``description``, as DuckDB's connection does, so that code written against
``store.con`` (the dashboard's queries, the accounts and workflow tables)
runs unchanged on both.  The statement is translated on its way (see
:func:`translate`): ``?`` placeholders become psycopg's, and DuckDB's
``INSERT OR REPLACE`` / ``INSERT OR IGNORE`` become ``INSERT … ON CONFLICT``
on the table's primary key.  Transactions are the store's own (``BEGIN`` …
``COMMIT`` sent as statements; the connection is otherwise in autocommit),
and every write transaction takes one advisory lock, so that writers follow
each other as they do on a DuckDB file while readers never wait.

Every error is a :class:`~sandyq.errors.StoreError` naming the database with
its password hidden (:func:`mask_url`): a wrong URL, a server that is down, a
database that does not exist, a refused password — never a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from ..errors import StoreError
from ._dialect import POSTGRES

if TYPE_CHECKING:
    import pandas as pd
    import psycopg

__all__ = ["PgConnection", "PgCursor", "PgError", "connect_pg", "mask_url", "translate"]

_CONNECT_TIMEOUT = 10
_UPSERT = re.compile(r"^\s*INSERT\s+OR\s+(REPLACE|IGNORE)\s+INTO\s+(\w+)\s*(\(([^)]*)\))?", re.I)
# OIDs of PostgreSQL types, and the pandas dtype of a column of each (as DuckDB's ``df()`` gives them).
_INTS = {20: "int64", 21: "int16", 23: "int32"}
_FLOATS = {700, 701, 1700}
_TIMESTAMPS = {1114, 1184}


class PgError(StoreError):
    """A statement PostgreSQL refused; ``sqlstate`` is its error code (``23505``: a key given twice)."""

    def __init__(self, summary: str, sqlstate: str | None = None) -> None:
        super().__init__(summary)
        self.sqlstate = sqlstate


def mask_url(url: str) -> str:
    """The URL with its password hidden, to show in messages.

    >>> mask_url("postgresql://sandyq:secret@db.example:5432/sandyq")
    'postgresql://sandyq:***@db.example:5432/sandyq'
    >>> mask_url("postgresql:///sandyq")
    'postgresql:///sandyq'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return re.sub(r"//([^:/@]*):[^@]*@", r"//\1:***@", url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{parts.username or ''}:***@{host}"))


def translate(sql: str) -> str:
    """A statement written for DuckDB's Python API, for psycopg: ``?`` outside quotes → ``%s``, ``%`` → ``%%``.

    >>> translate("SELECT '%?' || name FROM t WHERE id = ? AND n LIKE 'a%'")
    "SELECT '%%?' || name FROM t WHERE id = %s AND n LIKE 'a%%'"
    """
    out: list[str] = []
    quote: str | None = None
    for ch in sql:
        if quote:
            if ch == quote:
                quote = None
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            out.append("%s")
            continue
        out.append("%%" if ch == "%" else ch)
    return "".join(out)


def _refusal(display: str, exc: BaseException) -> StoreError:
    """The StoreError for a connection PostgreSQL (or the network) refused."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    low = str(exc).lower()
    if "password authentication failed" in low or "no password supplied" in low:
        return StoreError(f"{display}: the PostgreSQL server refused the user or password ({text})")
    if "does not exist" in low and "database" in low:
        return StoreError(f"{display}: no such database on the PostgreSQL server ({text}); create it first (createdb)")
    if "connection refused" in low or "could not translate host" in low or "timeout" in low or "no route" in low:
        return StoreError(
            f"{display}: cannot reach the PostgreSQL server ({text}); is it running, and are host and port right?"
        )
    if "invalid" in low or "missing" in low or "uri" in low:
        return StoreError(
            f"{display}: not a PostgreSQL URL sandyq can use ({text}); write postgresql://user:password@host:port/db"
        )
    return StoreError(f"{display}: cannot connect to the PostgreSQL store ({text})")


def connect_pg(url: str, *, read_only: bool = False) -> PgConnection:
    """A connection to the database at ``url`` (read-only if asked); a :class:`StoreError` if there is none."""
    import psycopg

    display = mask_url(url)
    if "?" in url and "connect_timeout" in url:
        kwargs: dict[str, Any] = {}
    else:
        kwargs = {"connect_timeout": _CONNECT_TIMEOUT}
    try:
        raw = psycopg.connect(url, autocommit=True, **kwargs)
    except (psycopg.Error, ValueError) as exc:
        raise _refusal(display, exc) from None
    try:
        # Moments are kept as naive UTC timestamps; the session's zone never shifts them.
        raw.execute("SET TIME ZONE 'UTC'")
        if read_only:
            raw.execute("SET default_transaction_read_only = on")
    except psycopg.Error as exc:
        raw.close()
        raise _refusal(display, exc) from None
    return PgConnection(raw, url, read_only)


def _missing(value: Any) -> bool:
    """Whether a frame's cell is missing (None, NaN, pandas' NA or NaT): NULL in the database.

    >>> import pandas as pd
    >>> [_missing(v) for v in (None, float("nan"), pd.NA, pd.NaT, 0.0, "")]
    [True, True, True, True, False, False]
    """
    import pandas as pd

    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and value != value)


class PgCursor:
    """The result of one statement: rows as tuples, or a data frame with DuckDB's column types."""

    def __init__(self, cur: psycopg.Cursor[Any], owner: PgConnection) -> None:
        self._cur = cur
        self._owner = owner

    @property
    def description(self) -> Any:
        return self._cur.description

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount

    def fetchall(self) -> list[tuple[Any, ...]]:
        if self._cur.description is None:  # a statement without rows: DuckDB answers with the count changed
            return [(self._cur.rowcount,)]
        return list(self._fetch(self._cur.fetchall))

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._cur.description is None:
            return (self._cur.rowcount,)
        return self._fetch(self._cur.fetchone)

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        return list(self._fetch(lambda: self._cur.fetchmany(size)))

    def _fetch(self, fetch: Any) -> Any:
        """Rows, or a StoreError when a stored value cannot be read in Python (an infinite moment)."""
        import psycopg

        try:
            return fetch()
        except psycopg.Error as exc:
            raise self._owner._error(exc) from None

    def df(self) -> pd.DataFrame:
        """The rows as a data frame: integers, floats and timestamps typed as DuckDB types them."""
        import pandas as pd

        desc = self._cur.description or []
        names = [d.name for d in desc]
        rows = self._fetch(self._cur.fetchall)
        frame = pd.DataFrame.from_records(rows, columns=names) if rows else pd.DataFrame(columns=names)
        for i, d in enumerate(desc):
            col = frame.iloc[:, i]
            if d.type_code in _INTS:
                kind = _INTS[d.type_code]
                frame.isetitem(i, col.astype(kind if rows and col.notna().all() or not rows else kind.capitalize()))
            elif d.type_code in _FLOATS:
                frame.isetitem(i, pd.to_numeric(col, errors="coerce").astype("float64"))
            elif d.type_code in _TIMESTAMPS:
                frame.isetitem(i, pd.to_datetime(col).astype("datetime64[us]"))
        return frame

    def close(self) -> None:
        self._cur.close()


class PgConnection:
    """A psycopg connection with the surface of DuckDB's that sandyq uses (see the module's description)."""

    dialect = POSTGRES

    def __init__(self, raw: psycopg.Connection[Any], url: str, read_only: bool = False) -> None:
        self.raw = raw
        self.url = url
        self.read_only = read_only
        self.display = mask_url(url)
        self._keys: dict[str, tuple[list[str], list[str]]] = {}

    # -- statements ------------------------------------------------------------------------------------------
    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        """Run one statement (``?`` placeholders) and return its result."""
        import psycopg

        statement = self._upsert(sql)
        try:
            cur = self.raw.cursor()
            cur.execute(translate(statement), list(params or []))
        except psycopg.Error as exc:
            raise self._error(exc) from None
        return PgCursor(cur, self)

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> PgCursor:
        import psycopg

        statement = self._upsert(sql)
        try:
            cur = self.raw.cursor()
            cur.executemany(translate(statement), [list(r) for r in rows])
        except psycopg.Error as exc:
            raise self._error(exc) from None
        return PgCursor(cur, self)

    def copy_frame(self, table: str, frame: pd.DataFrame) -> None:
        """Append a frame's rows to ``table`` (its columns, by name) with ``COPY``: the fast way in."""
        import numpy as np
        import psycopg

        columns = ", ".join(frame.columns)
        values = frame.to_numpy(dtype=object)  # missing values become None row by row (cheaper than a frame's where)
        try:
            with self.raw.cursor() as cur, cur.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values:
                    copy.write_row([None if _missing(v) else v.item() if isinstance(v, np.generic) else v for v in row])
        except psycopg.Error as exc:
            raise self._error(exc) from None

    def _upsert(self, sql: str) -> str:
        """DuckDB's ``INSERT OR REPLACE INTO t …`` / ``INSERT OR IGNORE`` as ``INSERT … ON CONFLICT`` on t's key."""
        m = _UPSERT.match(sql)
        if m is None:
            return sql
        table = m[2]
        key, columns = self._key_of(table)
        given = [c.strip() for c in m[4].split(",")] if m[4] else columns
        rest = sql[m.end() :].rstrip().rstrip(";")
        head = f"INSERT INTO {table}{' (' + m[4] + ')' if m[4] else ''} {rest}"
        update = [c for c in given if c not in key]
        if m[1].upper() == "IGNORE" or not update:
            return f"{head} ON CONFLICT DO NOTHING"
        sets = ", ".join(f"{c} = EXCLUDED.{c}" for c in update)
        return f"{head} ON CONFLICT ({', '.join(key)}) DO UPDATE SET {sets}"

    def _key_of(self, table: str) -> tuple[list[str], list[str]]:
        """The primary key's columns and every column of ``table``, in order (looked up once)."""
        if table not in self._keys:
            key = [
                str(r[0])
                for r in self.raw.execute(
                    """SELECT a.attname FROM pg_index i
                       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
                       WHERE i.indrelid = to_regclass(%s) AND i.indisprimary
                       ORDER BY array_position(i.indkey, a.attnum)""",
                    [table],
                ).fetchall()
            ]
            columns = [
                str(r[0])
                for r in self.raw.execute(
                    """SELECT column_name FROM information_schema.columns
                       WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position""",
                    [table],
                ).fetchall()
            ]
            self._keys[table] = (key, columns)
        return self._keys[table]

    def _error(self, exc: BaseException) -> PgError:
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        state = getattr(exc, "sqlstate", None)
        if state == "25006":
            return PgError(f"{self.display}: the store was opened read-only, so it cannot be changed", state)
        if self.raw.closed:
            return PgError(f"{self.display}: the connection to the PostgreSQL store is closed or lost ({text})", state)
        return PgError(f"{self.display}: the store cannot be read or written as it is ({text})", state)

    # -- the connection ---------------------------------------------------------------------------------------
    @property
    def closed(self) -> bool:
        return bool(self.raw.closed)

    def cursor(self) -> PgConnection:
        """Another connection to the same database (DuckDB's cursors are connections of their own, too)."""
        return connect_pg(self.url, read_only=self.read_only)

    def close(self) -> None:
        self.raw.close()

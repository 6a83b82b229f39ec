"""The dashboard's copy of the store: read in a fraction of a second, then no connection to the file is kept.

DuckDB lets one process write a database file, or many processes read it, never
both.  A dashboard that kept the file open (even read-only) would make every
command that writes — ``init``, ``load``, ``backtest --save``, ``fetch`` — fail
with a lock error for as long as it runs.  So the dashboard copies the store
into an in-memory DuckDB database (:func:`open_snapshot`: attach the file
read-only, copy every table, detach) and answers from the copy.  The file is
locked only while it is copied; if a writer holds it then, the copy waits a
little and tries again.

:func:`signature` is what the dashboard looks at, at most once a second, to
notice that the file changed (its size, modification time and inode, and those
of its write-ahead log); then it takes a new copy in the background and drops
its caches.  Until the new copy is ready it keeps answering from the old one,
which is complete and consistent.

The copy is queried from many worker threads at once: :class:`ThreadCursors`
gives each thread its own DuckDB cursor on the in-memory database, so reads
never wait for one another behind a lock.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import duckdb

from ... import Monitor
from ...errors import StoreError
from ...framework import Framework, Source
from ...store import SCHEMA_VERSION, Store

__all__ = ["LOCK_WAIT", "Snapshot", "ThreadCursors", "is_lock_error", "open_snapshot", "signature"]

#: Seconds to wait for a writer to let go of the store when the dashboard starts.
LOCK_WAIT = 15.0

#: What :func:`signature` returns: (size, mtime in ns, inode) of the store file and of its write-ahead log.
Signature = tuple[tuple[int, int, int] | None, tuple[int, int, int] | None]


def _stat(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ino)


def signature(path: str | Path) -> Signature:
    """A cheap fingerprint of the store's files: it changes whenever a writer changes the store.

    >>> signature("/no/such/store.duckdb")
    (None, None)
    """
    return (_stat(str(path)), _stat(f"{path}.wal"))


def is_lock_error(exc: BaseException) -> bool:
    """Whether a DuckDB error says that another process holds the file's lock."""
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


class ThreadCursors:
    """A DuckDB connection that hands each thread its own cursor (DuckDB connections are not thread-safe).

    Attribute access (``execute``, ``register``, ...) goes to the calling thread's
    cursor, so a :class:`~sandyq.store.Store` can be shared by the server's worker
    threads without a lock; queries release the GIL and run in parallel.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self._local = threading.local()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cur = getattr(self._local, "cursor", None)
        if cur is None:
            cur = self._local.cursor = self._con.cursor()
        return cast(duckdb.DuckDBPyConnection, cur)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._cursor(), name)

    def close(self) -> None:
        self._con.close()


@dataclass(frozen=True)
class Snapshot:
    """One copy of the store: the monitor over it, the file's signature when copied, and a serial number."""

    monitor: Monitor
    signature: Signature
    version: int
    seconds: float  # how long the copy took


def _attach(con: duckdb.DuckDBPyConnection, path: str, wait: float) -> None:
    """Attach the store file read-only as ``src``, retrying while a writer holds its lock (at most ``wait`` s)."""
    deadline = time.monotonic() + wait
    pause = 0.02
    quoted = path.replace("'", "''")
    while True:
        try:
            con.execute(f"ATTACH '{quoted}' AS src (READ_ONLY)")
            return
        except duckdb.Error as exc:
            if not is_lock_error(exc):
                raise StoreError(f"{path}: cannot open the store ({exc})") from None
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"{path}: another process is writing to the store and did not finish within {wait:g} s "
                    "(DuckDB allows one writer or many readers); try again when it has finished"
                ) from None
        time.sleep(pause)
        pause = min(pause * 2, 0.25)


def _copy_tables(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Copy every table the current schema has from ``src`` into the in-memory database."""
    rows = con.execute("SELECT value FROM src.meta WHERE key = 'schema_version'").fetchall()
    version = int(rows[0][0]) if rows else 0
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the store has schema version {version}, but this sandyq understands up to "
            f"{SCHEMA_VERSION}; upgrade sandyq to read it"
        )
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the store needs a migration (schema {version} → {SCHEMA_VERSION}); "
            "run `sandyq init` to migrate it"
        )
    tables = "SELECT table_name FROM duckdb_tables() WHERE database_name = ?"
    mine = con.execute(tables, ["memory"]).fetchall()
    theirs = {r[0] for r in con.execute(tables, ["src"]).fetchall()}
    con.execute("BEGIN TRANSACTION")
    for (table,) in mine:
        if table in theirs:
            con.execute(f'DELETE FROM memory.main."{table}"')
            con.execute(f'INSERT INTO memory.main."{table}" BY NAME SELECT * FROM src.main."{table}"')
    con.execute("COMMIT")


def open_snapshot(path: str | Path, framework: Framework, *, version: int = 1, wait: float = LOCK_WAIT) -> Snapshot:
    """Copy the store at ``path`` into memory (waiting up to ``wait`` s for a writer) and return a snapshot.

    ``framework`` is the bundled framework; indicators kept in the store by an
    import are added to it, as :func:`sandyq.connect` does.  Raises
    :class:`~sandyq.errors.StoreError` naming the file if there is no store, it
    needs a migration, or a writer held it for longer than ``wait``.
    """
    path = str(path)
    if not Path(path).exists():
        raise StoreError(f"{path}: no store here; run `sandyq init` first")
    started = time.perf_counter()
    sig = signature(path)
    store = Store(":memory:")
    try:
        _attach(store.con, path, wait)
        try:
            _copy_tables(store.con, path)
        finally:
            store.con.execute("DETACH src")
    except BaseException:
        store.close()
        raise
    store.path = path  # messages name the file the figures came from
    store.read_only = True
    store.con = cast(duckdb.DuckDBPyConnection, ThreadCursors(store.con))
    extra = store.stored_indicators()
    if extra:
        sources = [Source.model_validate(row) for row in store.source_rows()]
        framework = framework.with_indicators(extra, sources)
    return Snapshot(Monitor(store, framework), sig, version, time.perf_counter() - started)

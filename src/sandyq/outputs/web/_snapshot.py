"""The dashboard's view of the store: a monitor reading the file through a :class:`~._reader.StoreReader`.

DuckDB lets one process write a database file, or many processes read it,
never both.  The dashboard neither keeps the file locked (``init``, ``load``,
``backtest --save``, ``fetch`` work while it runs) nor copies it into memory
(its memory does not grow with the store): :func:`open_snapshot` builds a
:class:`~sandyq.Monitor` whose store reads the file through a
:class:`~._reader.StoreReader`, which holds the file read-only only while
requests read it and lets go when a writer waits.

:func:`signature` is what the dashboard looks at, at most once a second, to
notice that the file changed (its size, modification time and inode, and those
of its write-ahead log); then it builds a new snapshot (the framework may have
gained indicators kept in the store) and drops its caches.

:class:`ThreadCursors` gives each thread its own DuckDB cursor on one
connection, so reads never wait for one another behind a lock.
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
from ...errors import SandyqError, StoreError
from ...framework import Framework, Source
from ...store import POSTGRES, SCHEMA_VERSION, Store, is_url, mask_url, sniff_file
from ._gate import BusyError
from ._pgreader import PgStoreReader
from ._reader import ReaderConnection, StoreReader, is_lock_error

__all__ = ["LOCK_WAIT", "Snapshot", "ThreadCursors", "is_lock_error", "make_reader", "open_snapshot", "signature"]

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


def signature(path: str | Path, reader: Any = None) -> Signature:
    """A cheap fingerprint of the store's files: it changes whenever a writer changes the store.

    A PostgreSQL store has no file to look at: its fingerprint is its change
    counter, read through ``reader`` (``(None, None)`` when the server cannot say).

    >>> signature("/no/such/store.duckdb")
    (None, None)
    """
    if is_url(str(path)):
        try:
            with reader.lease():
                rows = reader.cursor().execute("SELECT value FROM meta WHERE key = 'data_version'").fetchall()
        except SandyqError:
            return (None, None)
        return ((int(rows[0][0]) if rows else 0, 0, 0), None)
    return (_stat(str(path)), _stat(f"{path}.wal"))


def make_reader(path: str) -> StoreReader | PgStoreReader:
    """How the dashboard reads the store at ``path``: a file let go for writers, or per-thread PostgreSQL connections.

    >>> type(make_reader("postgresql://h/db")).__name__, type(make_reader("s.duckdb")).__name__
    ('PgStoreReader', 'StoreReader')
    """
    return PgStoreReader(path) if is_url(path) else StoreReader(path)


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
    """One view of the store: the monitor over it, the file's signature when read, a serial number, the reader."""

    monitor: Monitor
    signature: Signature
    version: int
    seconds: float  # how long reading the store's framework took
    reader: StoreReader | PgStoreReader


def _reachable(reader: StoreReader | PgStoreReader) -> None:
    """Refuse, with the server's reason, a PostgreSQL store that cannot be reached when the dashboard starts."""
    try:
        reader.cursor()
    except BusyError as exc:
        raise StoreError(exc.summary.removesuffix("; try again shortly")) from None


def _schema_version(monitor_store: Store, path: str) -> None:
    """Refuse a store whose schema this sandyq cannot read (too new, or needing a migration)."""
    rows = monitor_store.con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
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


def open_snapshot(
    path: str | Path,
    framework: Framework,
    *,
    version: int = 1,
    wait: float = LOCK_WAIT,
    reader: StoreReader | PgStoreReader | None = None,
) -> Snapshot:
    """A monitor over the store at ``path`` read through ``reader`` (a new one by default), waiting ``wait`` s.

    ``framework`` is the bundled framework; indicators kept in the store by an
    import are added to it, as :func:`sandyq.connect` does.  Raises
    :class:`~sandyq.errors.StoreError` naming the file if there is no store, it
    is not a store or needs a migration, or a writer held it for longer than ``wait``.
    """
    path = str(path)
    url = is_url(path)
    if not url and not Path(path).exists():
        raise StoreError(f"{path}: no store here; run `sandyq init` first")
    if not url:
        sniff_file(path)
    started = time.perf_counter()
    reader = reader or make_reader(path)
    if url:
        _reachable(reader)
    sig = signature(path, reader)
    store = Store(":memory:")
    store.con.close()
    store.path = mask_url(path)  # messages name the file the figures came from (never a password)
    if url:
        store.url, store.dialect = path, POSTGRES
    store.read_only = True
    store.con = cast(duckdb.DuckDBPyConnection, ReaderConnection(reader))
    saved, reader.wait = reader.wait, wait
    try:
        with reader.lease():
            _schema_version(store, path)
            extra = store.stored_indicators()
            if extra:
                sources = [Source.model_validate(row) for row in store.source_rows()]
                framework = framework.with_indicators(extra, sources)
    except BusyError as exc:
        raise StoreError(
            f"{path}: another process is writing to the store and did not finish within {wait:g} s "
            f"(DuckDB allows one writer or many readers); try again when it has finished ({exc.summary})"
        ) from None
    except duckdb.Error as exc:
        raise StoreError(f"{path}: cannot open the store ({exc})") from None
    finally:
        reader.wait = saved
    return Snapshot(Monitor(store, framework), sig, version, time.perf_counter() - started, reader)

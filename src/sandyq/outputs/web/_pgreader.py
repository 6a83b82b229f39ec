"""The dashboard reading a PostgreSQL store: one read-only connection per server thread, nothing shared.

A DuckDB file must be let go for a writer (:class:`~._reader.StoreReader`); a
PostgreSQL server lets writers and readers work at once, so the dashboard
simply gives each of its threads a connection of its own, opened at its first
read and kept.  The dashboard holds no state of its own besides its caches, so
several workers (processes, machines) can serve one database; each notices a
change by the store's change counter (:meth:`~sandyq.store.Store.data_version`).

:class:`PgStoreReader` has :class:`~._reader.StoreReader`'s surface (leases, a
thread's cursor, counts of opens and closes), so the rest of the dashboard does
not know which backend it reads.  A server that cannot be reached answers 503
(:class:`~._gate.BusyError`) with the reason, and the next request tries again.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from ...errors import StoreError
from ...store import connect_pg, mask_url
from ._gate import BusyError

__all__ = ["PgStoreReader"]


class PgStoreReader:
    """Per-thread read-only connections to the PostgreSQL store at ``url`` (see the module's description)."""

    def __init__(self, url: str, *, wait: float = 10.0, linger: float = 0.0) -> None:
        self.path = url
        self.wait = wait
        self.linger = linger
        #: How many connections were opened and closed (for tests and the benchmark).
        self.opens = 0
        self.closes = 0
        self._lock = threading.Lock()
        self._local = threading.local()
        self._connections: list[Any] = []
        self._users = 0
        self._closed = False

    @property
    def is_open(self) -> bool:
        """Whether any connection is open now."""
        return bool(self._connections)

    @property
    def users(self) -> int:
        return self._users

    def acquire(self) -> None:
        with self._lock:
            self._users += 1

    def release(self) -> None:
        with self._lock:
            self._users -= 1

    @contextmanager
    def lease(self) -> Iterator[None]:
        """Count a reader for the block (nothing is held: PostgreSQL lets writers in meanwhile)."""
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def cursor(self) -> Any:
        """This thread's connection, opened on its first use (or again, after the server dropped it)."""
        con = getattr(self._local, "con", None)
        if con is not None and not con.closed:
            return con
        if self._closed:
            raise BusyError(f"{mask_url(self.path)}: the dashboard is shutting down")
        try:
            con = connect_pg(self.path, read_only=True)
        except StoreError as exc:
            raise BusyError(f"{exc.summary}; try again shortly") from None
        self._local.con = con
        with self._lock:
            self._connections.append(con)
            self.opens += 1
        return con

    def let_go(self) -> None:
        """Nothing to let go: PostgreSQL lets a writer in beside its readers (as StoreReader.let_go does for a file)."""

    def close(self) -> None:
        """Close every connection for good (the server is stopping)."""
        with self._lock:
            self._closed = True
            for con in self._connections:
                con.close()
                self.closes += 1
            self._connections.clear()

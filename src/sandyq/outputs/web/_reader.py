"""The store file, opened read-only while the dashboard reads it and let go as soon as a writer needs it.

DuckDB lets one process write a database file, or many processes read it,
never both.  The dashboard must neither lock writers out (``sandyq load``
while it runs) nor copy the store into memory (its memory would grow with the
store).  A :class:`StoreReader` opens the file read-only when a request needs
it, shares that one connection between the threads reading (each through its
own cursor), and closes it

* as soon as no one reads and a writer is waiting — a writer touches a marker
  file beside the store while it waits (:func:`sandyq.store.writer_waiting`);
  new readers then wait for it instead of joining;
* otherwise :data:`LINGER` seconds after the last read (opening costs tens of
  milliseconds, so a busy dashboard keeps the file open between requests).

A read that finds the file held by a writer waits for it up to ``wait``
seconds, then raises :class:`~._gate.BusyError` (the server answers 503 with
``Retry-After``).  What was already computed stays cached meanwhile.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, cast

import duckdb

from ...store import writer_waiting
from ._cache import trim_memory
from ._gate import BusyError
from ._pgreader import PgStoreReader

__all__ = ["LINGER", "WAIT", "ReaderConnection", "StoreReader", "is_lock_error"]

#: Seconds an idle connection stays open (unless a writer is waiting).
LINGER = 1.0
#: Seconds a read waits for a writer to finish before the server answers 503.
WAIT = 10.0
_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def is_lock_error(exc: BaseException) -> bool:
    """Whether a DuckDB error says that another process holds the file's lock."""
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


class StoreReader:
    """One read-only connection to ``path``, open while someone reads it (see the module's description).

    :meth:`lease` holds the file for a block; nested and concurrent leases share
    the one connection.  :meth:`cursor` is the calling thread's own cursor.
    """

    def __init__(self, path: str, *, wait: float = WAIT, linger: float = LINGER) -> None:
        self.path = path
        self.wait = wait
        self.linger = linger
        #: How many times the file was opened and closed (for tests and the benchmark).
        self.opens = 0
        self.closes = 0
        self._cond = threading.Condition()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._cursors: list[duckdb.DuckDBPyConnection] = []
        self._epoch = 0
        self._users = 0
        self._idle_since = 0.0
        self._timer: threading.Timer | None = None
        self._local = threading.local()
        self._closed = False
        self._opening = False

    @property
    def is_open(self) -> bool:
        """Whether the file is open (held read-only) now."""
        return self._con is not None

    @property
    def users(self) -> int:
        return self._users

    # -- leases ---------------------------------------------------------------------------------------------
    def acquire(self) -> None:
        """Count one more reader; a new reader waits (up to ``wait`` s) while a writer is waiting for the file.

        A thread that holds a lease already passes at once (a computation inside another one).
        """
        depth = getattr(self._local, "depth", 0)
        self._local.depth = depth + 1
        if depth:
            with self._cond:
                self._users += 1
            return
        try:
            self._admit()
        except BaseException:
            self._local.depth = 0
            raise

    def _admit(self) -> None:
        deadline = time.monotonic() + self.wait
        with self._cond:
            while writer_waiting(self.path):
                if self._users == 0:
                    self._close()
                left = deadline - time.monotonic()
                if left <= 0:
                    raise BusyError(
                        f"{self.path}: a writer is updating the store and did not finish within {self.wait:g} s; "
                        "try again shortly"
                    )
                self._cond.wait(min(left, 0.05))
            self._users += 1

    def release(self) -> None:
        """One reader fewer; the last one closes the file if a writer waits, else it lingers :data:`LINGER` s."""
        self._local.depth -= 1
        with self._cond:
            self._users -= 1
            if self._users:
                return
            self._cond.notify_all()
            if self._con is None:
                return
            if self.linger <= 0 or writer_waiting(self.path) or self._closed:
                self._close()
                return
            self._idle_since = time.monotonic()
            if self._timer is None:
                self._timer = threading.Timer(self.linger, self._expire)
                self._timer.daemon = True
                self._timer.start()

    def let_go(self) -> None:
        """Close the file now if no one reads it (a writer of this process is about to open it)."""
        with self._cond:
            if self._users == 0:
                self._close()

    @contextmanager
    def lease(self) -> Iterator[None]:
        """Hold the file (opened when first queried) for the block."""
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def _expire(self) -> None:
        with self._cond:
            self._timer = None
            if self._users or self._con is None:
                return
            left = self._idle_since + self.linger - time.monotonic()
            if left > 0.01 and not writer_waiting(self.path):  # used again meanwhile: look again later
                self._timer = threading.Timer(left, self._expire)
                self._timer.daemon = True
                self._timer.start()
                return
            self._close()

    # -- the connection ---------------------------------------------------------------------------------------
    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the open file, opening it (and waiting for a writer) if it is closed."""
        local = self._local
        if getattr(local, "epoch", -1) == self._epoch and self._con is not None:
            return cast(duckdb.DuckDBPyConnection, local.cursor)
        with self._cond:
            while self._con is None:
                if self._opening:  # another thread opens it: wait for that
                    self._cond.wait(0.05)
                    continue
                self._opening = True
                try:
                    self._open()
                finally:
                    self._opening = False
                    self._cond.notify_all()
            cur = self._con.cursor()
            self._cursors.append(cur)
            local.cursor, local.epoch = cur, self._epoch
            return cur

    def _open(self) -> None:
        if self._closed:
            raise BusyError(f"{self.path}: the dashboard is shutting down")
        deadline = time.monotonic() + self.wait
        pause = 0.02
        while True:
            try:
                self._con = duckdb.connect(self.path, read_only=True, config=_CONFIG)
                break
            except duckdb.Error as exc:
                if not is_lock_error(exc):
                    raise
                if time.monotonic() >= deadline:
                    raise BusyError(
                        f"{self.path}: a writer is updating the store and did not finish within {self.wait:g} s; "
                        "try again shortly"
                    ) from None
            self._cond.wait(pause)  # lets the lock go meanwhile, so other readers are not held up
            pause = min(pause * 2, 0.25)
        self._epoch += 1
        self.opens += 1

    def _close(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if self._con is None:
            return
        for cur in self._cursors:
            cur.close()
        self._cursors.clear()
        self._con.close()
        self._con = None
        self._epoch += 1
        self.closes += 1
        trim_memory()

    def close(self) -> None:
        """Close the file for good (the server is stopping)."""
        with self._cond:
            self._closed = True
            self._close()


class ReaderConnection:
    """What :class:`~sandyq.store.Store` sees as its connection: each call goes to this thread's cursor.

    Queries made outside any lease open the file too; it is closed :data:`LINGER` s after the last lease ends.
    """

    def __init__(self, reader: StoreReader | PgStoreReader) -> None:
        self._reader = reader

    def __getattr__(self, name: str) -> Any:
        if not self._reader.users:
            with self._reader.lease():  # opens the file, and starts its linger when the lease ends
                return getattr(self._reader.cursor(), name)
        return getattr(self._reader.cursor(), name)

    def close(self) -> None:
        self._reader.close()

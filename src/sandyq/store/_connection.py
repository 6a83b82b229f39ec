"""Opening a store's DuckDB file: what the file is, waiting for other processes, and errors that name the file.

DuckDB lets one process write a database file, or several processes read it,
never both at once: a second process that opens the file gets a lock error.
:func:`open_connection` waits instead — it says once that it is waiting
(``waiting for another process writing to FILE…``), retries with a growing
pause and, after ``lock_timeout`` seconds (setting ``lock_timeout``,
``SANDYQ_LOCK_TIMEOUT``), gives up with a clear :class:`~sandyq.errors.StoreError`.

Before DuckDB sees a file, its first bytes are read: an empty file, a SQLite
database or any other file that is not a DuckDB database is refused with a
message naming it, and never handed to DuckDB (which would try to download an
extension to read a SQLite file).  A damaged or truncated DuckDB file is
refused with the same care, as is every DuckDB error met later by
:func:`guarded` methods: a :class:`~sandyq.errors.StoreError` naming the file,
never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import os
import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from ..errors import StoreError

__all__ = [
    "QUIET",
    "WaitNotice",
    "guarded",
    "log_wait",
    "open_connection",
    "plain_error",
    "sniff_file",
    "writer_marker",
    "writer_waiting",
]

logger = logging.getLogger("sandyq.store")

#: Called once when opening has to wait for another process, with the message to show.
WaitNotice = Callable[[str], object]

# DuckDB settings of every connection: never install or load an extension behind the user's back (no network).
_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
_LOCK = re.compile(r"Conflicting lock is held in (?P<program>.*?) \(PID (?P<pid>\d+)\)")
# Hints of DuckDB's that do not apply to sandyq's users (its own command line's options, its web pages).
_HINTS = re.compile(
    r"\s*(However, you would be able to open this database in read-only mode.*?(?=\s*See also|$)|See also \S+)", re.S
)
_FIRST_PAUSE = 0.05
#: Seconds a writer waits for a reader (such as the dashboard, which lets go within a second) before saying so.
QUIET = 3.0
_LONGEST_PAUSE = 1.0

F = TypeVar("F", bound=Callable[..., Any])


def plain_error(exc: BaseException) -> str:
    """DuckDB's message without its kind prefix and without hints meant for DuckDB's own tools.

    >>> plain_error(duckdb.IOException('IO Error: Could not set lock on file "s.duckdb": Conflicting lock is '
    ...     "held in python (PID 7). However, you would be able to open this database in read-only mode, e.g. by "
    ...     "using the -readonly parameter in the CLI. See also https://duckdb.org/docs/current/connect/concurrency"))
    'Could not set lock on file "s.duckdb": Conflicting lock is held in python (PID 7).'
    """
    text = str(exc).strip()
    text = re.sub(r"^[A-Za-z ]*Error:\s*", "", text)
    return _HINTS.sub("", text).strip()


def _kind_of(head: bytes) -> str:
    """What a file that is not a DuckDB database seems to be, from its first bytes."""
    if head.startswith(b"SQLite format 3\0"):
        return "a SQLite database"
    if head.startswith(b"PK\x03\x04"):
        return "a zip archive (an .xlsx workbook or a data package?)"
    if head.startswith(b"PAR1"):
        return "a Parquet file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return "a file of unknown content"
    return "a text file"


def sniff_file(path: str) -> None:
    """Refuse, naming ``path``, a file that exists but is not a DuckDB database; a missing file is fine (created).

    A DuckDB file has ``DUCK`` at byte 8; anything else is refused before DuckDB
    opens it.
    """
    p = Path(path)
    if not p.exists():
        return
    if p.is_dir():
        raise StoreError(f"{path}: this is a folder, not a store file; give the path of a .duckdb file")
    try:
        with p.open("rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the store file ({exc.strerror or exc})") from None
    if not head:
        raise StoreError(
            f"{path}: the file is empty (0 bytes), so it is not a sandyq store; remove it, or give another path, "
            "and run `sandyq init`"
        )
    if head[8:12] != b"DUCK":
        raise StoreError(
            f"{path}: not a sandyq store: the file is {_kind_of(head)}, not a DuckDB database; give the path of a "
            "store made by `sandyq init`"
        )


def _damaged(path: str, exc: BaseException) -> StoreError:
    """The error for a DuckDB file that cannot be opened (damaged, truncated, or of another DuckDB version)."""
    text = plain_error(exc)
    if "Could not read enough bytes" in text or "Corrupt database file" in text or "checksum" in text:
        return StoreError(
            f"{path}: the store file is damaged or truncated ({text}); restore it from a copy, or build a new "
            "store with `sandyq init` at another path"
        )
    return StoreError(f"{path}: cannot open the store ({text})")


def _waiting(path: str, exc: BaseException) -> str | None:
    """The message to show while waiting for the process holding ``path``, or None if ``exc`` is no lock conflict."""
    m = _LOCK.search(str(exc))
    if m is None:
        return None
    if "read-only mode" in str(exc):
        return f"waiting for another process reading {path} (PID {m['pid']}) to close it…"
    return f"waiting for another process writing to {path} (PID {m['pid']})…"


def _gave_up(path: str, notice: str, timeout: float) -> StoreError:
    doing = notice.removeprefix("waiting for ").removesuffix("…")
    return StoreError(
        f"{path}: gave up after {timeout:g} s waiting for {doing}; try again once it has finished, or wait longer "
        f"with the setting lock_timeout (SANDYQ_LOCK_TIMEOUT, in seconds)"
    )


def open_connection(
    path: str,
    *,
    read_only: bool,
    lock_timeout: float,
    on_wait: WaitNotice,
    sleep: Callable[[float], object] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection to ``path``, waiting up to ``lock_timeout`` seconds for a process that holds the file.

    ``on_wait`` is called once, with a message naming the file and the other
    process, when the first attempt finds the file locked (when a reader holds
    it, such as the dashboard, which lets go within a second, only after
    :data:`QUIET` seconds, or when giving up); attempts then follow each other
    with pauses doubling from 0.05 s to 1 s.  A writer that waits says so to
    readers through :func:`writer_marker`.  Every failure is a
    :class:`~sandyq.errors.StoreError` naming the file.
    """
    if path != ":memory:":
        sniff_file(path)
    deadline: float | None = None
    started = 0.0
    told = False
    pause = _FIRST_PAUSE
    marker = None if read_only or path == ":memory:" else Path(writer_marker(path))
    try:
        while True:
            try:
                return duckdb.connect(path, read_only=read_only, config=_CONFIG)
            except duckdb.ConnectionException:
                # The same process has the file open with other settings (read-only vs writing): waited for
                # like another process, since a reader in it (the dashboard) lets go within a second.
                reader = not read_only
                other = "writing" if read_only else "read-only"
                notice = f"waiting for this process's {other} connection to {path} to close…"
            except duckdb.Error as exc:
                found = _waiting(path, exc)
                if found is None:
                    raise _damaged(path, exc) from None
                notice, reader = found, found.startswith("waiting for another process reading")
            now = clock()
            if deadline is None:
                deadline, started = now + max(0.0, lock_timeout), now
            if marker is not None:
                _touch(marker)  # a reader that sees it lets go of the file
            quiet = QUIET if reader else 0.0
            if not told and lock_timeout > 0 and (now - started >= quiet or now >= deadline):
                on_wait(notice)
                told = True
            if now >= deadline:
                raise _gave_up(path, notice, lock_timeout) from None
            sleep(min(pause, deadline - now))
            pause = min(pause * 2, _LONGEST_PAUSE)
    finally:
        if marker is not None and deadline is not None:
            with contextlib.suppress(OSError):
                marker.unlink()


def writer_marker(path: str | Path) -> str:
    """The file a writer waiting for ``path`` touches (at every attempt) and removes once it has the file.

    >>> writer_marker("/data/s.duckdb")
    '/data/s.duckdb.writer-waiting'
    """
    return f"{path}.writer-waiting"


def writer_waiting(path: str | Path, fresh: float = 2.5) -> bool:
    """Whether a writer is waiting for ``path`` now: its marker was touched within ``fresh`` seconds.

    A marker left by a writer that was killed goes stale by itself, so readers never wait for nobody.

    >>> writer_waiting("/no/such/store.duckdb")
    False
    """
    try:
        age = time.time() - os.stat(writer_marker(path)).st_mtime
    except OSError:
        return False
    return age < fresh


def _touch(marker: Path) -> None:
    with contextlib.suppress(OSError):  # a folder a writer cannot write: readers let go on their own, later
        marker.touch()


def log_wait(message: str) -> None:
    """The default :data:`WaitNotice`: a warning of the ``sandyq.store`` logger (shown on stderr unless configured)."""
    logger.warning(message)


def guarded_error(path: str, exc: duckdb.Error) -> StoreError:
    """The StoreError naming ``path`` for a DuckDB error met while reading or writing it (see :func:`guarded`)."""
    if isinstance(exc, duckdb.ConnectionException):
        if "closed" in str(exc).lower():
            return StoreError(f"{path}: the store is closed; open it again first")
        return _damaged(path, exc)
    text = plain_error(exc)
    if "read-only" in text.lower():
        return StoreError(f"{path}: the store was opened read-only, so it cannot be changed")
    return StoreError(
        f"{path}: the store cannot be read or written as it is ({text}); run `sandyq check` to see what is wrong"
    )


def guarded(method: F) -> F:
    """Turn a DuckDB error raised by a :class:`~sandyq.store.Store` method into a StoreError naming the file.

    A store whose file is damaged in a block that opening did not read fails
    only when a query reaches that block; the user gets the file's name and
    what to do, never DuckDB's traceback.
    """

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except duckdb.Error as exc:
            raise guarded_error(self.path, exc) from None

    return wrapper  # type: ignore[return-value]

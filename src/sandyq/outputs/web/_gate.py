"""Backpressure: at most a few expensive computations at once, a short queue, and a clear 503 beyond it.

An uncached page or API answer is computed in a worker thread (a DuckDB query,
a roll-up, a rendered page).  Fifty visitors asking fifty different questions
at once would otherwise start fifty computations that share two cores, so
every one of them would finish late.  A :class:`Gate` lets :data:`SLOTS`
computations run at once, keeps up to :data:`QUEUE` more waiting (each at most
:data:`WAIT` seconds), and refuses the rest at once with :class:`BusyError`,
which the server answers ``503 Service Unavailable`` with a ``Retry-After``
header: a client knows to come back, and the answers already cached keep
coming without waiting behind the queue.

A thread already inside the gate passes again freely (a page computing the
tables it shows is one computation, not several).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from ...errors import Problem, SandyqError

__all__ = ["QUEUE", "RETRY_AFTER", "SLOTS", "WAIT", "BusyError", "Gate"]

#: Expensive computations at once (the machine's cores are shared with the event loop and DuckDB's own threads).
SLOTS = 2
#: Computations that may wait for a slot; beyond them a request is refused at once.
QUEUE = 8
#: Seconds a computation waits for a slot before it is refused.
WAIT = 10.0
#: Seconds the 503 answer tells a client to wait before asking again.
RETRY_AFTER = 2


class BusyError(SandyqError):
    """The server is at capacity (or the store is being written): answered 503 with ``Retry-After``."""

    retry_after: int = RETRY_AFTER


class Gate:
    """At most ``slots`` holders at once, at most ``queue`` waiting, each for at most ``wait`` seconds.

    >>> gate = Gate(slots=1, queue=0, wait=0.1)
    >>> with gate.slot():
    ...     with gate.slot():  # the same thread passes again
    ...         gate.running
    1
    >>> gate.running, gate.stats["admitted"]
    (0, 1)
    """

    def __init__(self, slots: int = SLOTS, queue: int = QUEUE, wait: float = WAIT) -> None:
        self.slots = slots
        self.queue = queue
        self.wait = wait
        self.running = 0
        self.waiting = 0
        self.stats = {"admitted": 0, "queued": 0, "refused": 0, "timed_out": 0}
        self._cond = threading.Condition()
        self._local = threading.local()

    def _refuse(self, why: str, key: str) -> BusyError:
        self.stats[key] += 1
        return BusyError(
            f"the server is busy: {why}; try again in {RETRY_AFTER} s",
            [Problem("", f"{self.slots} computations run at once and {self.queue} may wait; ask again shortly")],
        )

    @contextmanager
    def exempt(self) -> Iterator[None]:
        """Let this thread pass the gate freely for the block (background warming, which is one at a time)."""
        depth = getattr(self._local, "depth", 0)
        self._local.depth = depth + 1
        try:
            yield
        finally:
            self._local.depth = depth

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one of the slots for the block; raises :class:`BusyError` if the queue is full or the wait too long."""
        depth = getattr(self._local, "depth", 0)
        if depth:
            self._local.depth = depth + 1
            try:
                yield
            finally:
                self._local.depth = depth
            return
        with self._cond:
            if self.running >= self.slots:
                if self.waiting >= self.queue:
                    raise self._refuse(f"{self.running} computations running and {self.waiting} waiting", "refused")
                self.waiting += 1
                self.stats["queued"] += 1
                deadline = time.monotonic() + self.wait
                try:
                    while self.running >= self.slots:
                        left = deadline - time.monotonic()
                        if left <= 0:
                            raise self._refuse(f"no computation slot freed within {self.wait:g} s", "timed_out")
                        self._cond.wait(left)
                finally:
                    self.waiting -= 1
            self.running += 1
            self.stats["admitted"] += 1
        self._local.depth = 1
        try:
            yield
        finally:
            self._local.depth = 0
            with self._cond:
                self.running -= 1
                self._cond.notify()

"""The web layer's one cache: least recently used entries go first, and it never holds more than its byte budget.

The dashboard answers from a copy of the store, so the same question gets the
same answer until the store changes; then the dashboard takes a new copy and
calls :meth:`LruCache.clear`, which starts a new *generation*: an answer still
being computed from the old copy is not kept when it arrives.  Two layers keep
answers: :class:`~._data.Dashboard` keeps computed
values (tables, results, rendered pages) and :class:`ResponseCache`, in front of
the application, keeps whole GET responses so that a repeated request skips
routing altogether.  Both keep them in one :class:`LruCache` (the application
hands the dashboard's cache to the middleware), so the budget bounds the memory
of the whole web layer, whatever the mix of entries.

Sizes are measured for bytes and estimated for other values by :func:`sizeof`
(pandas and NumPy objects report their own memory; containers and objects are
walked).  An entry larger than the whole budget is not kept: it is recomputed
when asked for again.
"""

from __future__ import annotations

import functools
import sys
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable, MutableMapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ...errors import InvalidValueError
from ...settings import resolve

__all__ = ["CacheStats", "LruCache", "ResponseCache", "sizeof", "trim_memory"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: A response body larger than this is passed through but not kept (a big download is not worth the room).
MAX_BODY = 4_000_000
#: How deep :func:`sizeof` walks into containers and objects, and how many objects it visits at most.
_MAX_DEPTH = 8
_MAX_OBJECTS = 4_000


def sizeof(value: object) -> int:
    """An estimate of the bytes ``value`` holds, counting each object it reaches once.

    >>> sizeof(b"x" * 1000) >= 1000
    True
    >>> frame = pd.DataFrame({"a": np.zeros(10_000)})
    >>> 80_000 <= sizeof(frame) < 81_000
    True
    >>> sizeof([frame, frame]) < 81_000 + 200  # the same frame twice is held once
    True

    Past :data:`_MAX_OBJECTS` objects the walk stops and the objects still to visit are counted at the
    average size of those visited, so a long list of encoded rows is not taken for a short one:

    >>> rows = [str(k).encode() * 20 for k in range(300_000)]
    >>> exact = sys.getsizeof(rows) + sum(sys.getsizeof(r) for r in rows)
    >>> 0.9 < sizeof(rows) / exact < 1.1
    True
    """
    seen: set[int] = set()
    todo: list[tuple[object, int]] = [(value, 0)]
    total = 0
    root = sys.getsizeof(value)  # ``value`` itself is one object, not counted in the average of the others
    while todo and len(seen) < _MAX_OBJECTS:
        obj, depth = todo.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, pd.DataFrame):
            total += int(obj.memory_usage(index=True, deep=True).sum())
            continue
        if isinstance(obj, pd.Series | pd.Index):
            total += int(obj.memory_usage(deep=True))
            continue
        if isinstance(obj, np.ndarray):
            total += sys.getsizeof(obj) + (0 if obj.base is None else obj.nbytes)
            if obj.dtype == object and depth < _MAX_DEPTH:
                todo.extend((x, depth + 1) for x in obj.ravel())
            continue
        total += sys.getsizeof(obj)
        if depth >= _MAX_DEPTH or isinstance(obj, str | bytes | bytearray | int | float | complex | bool | type):
            continue
        if isinstance(obj, dict):
            todo.extend((x, depth + 1) for kv in obj.items() for x in kv)
        elif isinstance(obj, list | tuple | set | frozenset):
            todo.extend((x, depth + 1) for x in obj)
        else:
            attrs = getattr(obj, "__dict__", None)
            if isinstance(attrs, dict):
                todo.append((attrs, depth + 1))
            for cls in type(obj).__mro__:
                slots = cls.__dict__.get("__slots__", ())
                for slot in (slots,) if isinstance(slots, str) else slots:
                    if slot not in ("__dict__", "__weakref__") and hasattr(obj, slot):
                        todo.append((getattr(obj, slot), depth + 1))
    if todo and len(seen) > 1:  # stopped early: the rest at the average size of what was seen below the root
        total += len(todo) * max(total - root, 0) // (len(seen) - 1)
    return total


def _keepable(headers: list[tuple[bytes, bytes]]) -> bool:
    """Whether a response may be kept: not if it says ``Cache-Control: no-store`` (a page still being completed).

    >>> _keepable([(b"content-type", b"text/html")]), _keepable([(b"cache-control", b"no-store")])
    (True, False)
    """
    return not any(k.lower() == b"cache-control" and b"no-store" in v for k, v in headers)


@dataclass
class CacheStats:
    """Counters of a :class:`LruCache` since it was made."""

    hits: int = 0
    misses: int = 0
    evictions: int = 0
    refused: int = 0  # entries larger than the whole budget
    stale: int = 0  # entries computed before the last clear, not kept


class LruCache:
    """A thread-safe mapping of at most ``budget`` bytes; the least recently used entries are evicted first.

    ``budget`` defaults to the ``web_cache_mb`` setting (``SANDYQ_WEB_CACHE_MB``, 64 MiB).

    >>> cache = LruCache(budget=100)
    >>> cache.put("a", b"x", nbytes=40), cache.put("b", b"y", nbytes=40)
    (True, True)
    >>> cache.get("a")  # "a" is now the most recently used
    b'x'
    >>> cache.put("c", b"z", nbytes=40)  # over budget: "b" goes
    True
    >>> sorted(cache.keys()), cache.nbytes
    (['a', 'c'], 80)
    >>> cache.put("huge", b"", nbytes=101), "huge" in cache
    (False, False)
    """

    def __init__(self, budget: int | None = None) -> None:
        self.budget = int(budget) if budget is not None else int(resolve("web_cache_mb")) * 2**20
        if self.budget < 0:
            raise InvalidValueError(f"a cache budget cannot be negative, got {self.budget}")
        self.stats = CacheStats()
        self._entries: OrderedDict[Hashable, tuple[Any, int]] = OrderedDict()
        self._nbytes = 0
        self._lock = threading.Lock()
        self._generation = 0

    @property
    def generation(self) -> int:
        """How many times the cache was cleared: a caller notes it before computing and hands it to :meth:`put`."""
        return self._generation

    @property
    def nbytes(self) -> int:
        """Bytes held now (as measured or given when each entry was put); never more than :attr:`budget`."""
        return self._nbytes

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: Hashable) -> bool:
        return key in self._entries

    def keys(self) -> list[Hashable]:
        """The keys, least recently used first."""
        with self._lock:
            return list(self._entries)

    def get(self, key: Hashable, default: Any = None) -> Any:
        """The value for ``key`` (now the most recently used), or ``default``."""
        with self._lock:
            if key not in self._entries:
                self.stats.misses += 1
                return default
            self._entries.move_to_end(key)
            self.stats.hits += 1
            return self._entries[key][0]

    def put(self, key: Hashable, value: Any, nbytes: int | None = None, *, generation: int | None = None) -> bool:
        """Keep ``value`` under ``key``, evicting least recently used entries to stay within the budget.

        ``nbytes`` is the entry's size if the caller knows it, else :func:`sizeof` estimates it.  Returns
        whether the value is kept (an entry larger than the whole budget is not; an older one under the same
        key is dropped then too, so no stale answer survives).  With ``generation`` (:attr:`generation` read
        before the value was computed) a value computed before the last :meth:`clear` is not kept.

        >>> cache = LruCache(budget=100)
        >>> before = cache.generation
        >>> cache.clear()
        >>> cache.put("old", b"x", nbytes=1, generation=before), "old" in cache
        (False, False)
        """
        size = sizeof(value) if nbytes is None else int(nbytes)
        with self._lock:
            if generation is not None and generation != self._generation:
                self.stats.stale += 1
                return False
            old = self._entries.pop(key, None)
            if old is not None:
                self._nbytes -= old[1]
            if size > self.budget:
                self.stats.refused += 1
                return False
            self._entries[key] = (value, size)
            self._nbytes += size
            while self._nbytes > self.budget:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._nbytes -= dropped
                self.stats.evictions += 1
            return True

    def clear(self, switch: Callable[[], None] | None = None) -> None:
        """Drop every entry and start a new generation (see :meth:`put`).

        ``switch`` runs under the cache's lock first: the dashboard swaps its copy
        of the store there, so no reader sees the new copy with the old answers.
        """
        with self._lock:
            if switch is not None:
                switch()
            dropped = self._nbytes
            self._entries.clear()
            self._nbytes = 0
            self._generation += 1
        if dropped > 2**20:
            trim_memory()


def trim_memory() -> None:
    """Give freed heap memory back to the system after dropping large caches (glibc keeps it otherwise).

    Nothing happens where there is no glibc (macOS, Windows, musl).

    >>> trim_memory()
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@functools.cache
def _malloc_trim() -> Any:
    """glibc's ``malloc_trim``, or None."""
    import ctypes

    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


class ResponseCache:
    """ASGI middleware: serve repeated GET answers under ``prefixes`` from an :class:`LruCache`.

    On a hit it sends the stored status, headers and body without entering the
    application (parameter parsing and routing cost more than the answer
    itself); on a miss it records a complete ``200`` answer of at most
    :data:`MAX_BODY` bytes.  ``cache`` is shared with the dashboard by
    :func:`~._app.create_app`; without one the middleware makes its own.
    """

    def __init__(
        self,
        app: ASGIApp,
        cache: LruCache | None = None,
        prefixes: tuple[str, ...] = ("/api/", "/data/", "/kk/", "/ru/", "/en/"),
    ) -> None:
        self.app = app
        self.cache = LruCache() if cache is None else cache
        self.prefixes = prefixes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        key = ("response", scope["path"], scope.get("query_string", b""))
        hit = self.cache.get(key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        generation = self.cache.generation

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                headers = list(start.get("headers", []))
                if not message.get("more_body", False) and start.get("status") == 200 and _keepable(headers):
                    body = b"".join(chunks)
                    if len(body) <= MAX_BODY:
                        size = len(body) + sum(len(k) + len(v) for k, v in headers) + 256  # + the tuples themselves
                        self.cache.put(key, (200, headers, body), nbytes=size, generation=generation)
            await send(message)

        await self.app(scope, receive, record)

"""A response cache in front of the application: repeated GET requests skip routing altogether.

The store is opened read-only, so the same request always gets the same
answer.  :class:`ResponseCache` is plain ASGI: on a hit it sends the stored
status, headers and body without entering FastAPI (parameter parsing and
routing cost more than the answer itself); on a miss it records a complete
``200`` answer of at most :data:`MAX_BODY` bytes.  Bounded: the oldest entry
goes first.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

__all__ = ["ResponseCache"]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

MAX_ENTRIES = 4096
MAX_BODY = 4_000_000


class ResponseCache:
    """Serve repeated GET answers of ``prefixes`` from memory."""

    def __init__(self, app: ASGIApp, prefixes: tuple[str, ...] = ("/api/", "/data/", "/kk/", "/ru/", "/en/")) -> None:
        self.app = app
        self.prefixes = prefixes
        self.entries: dict[tuple[str, bytes], tuple[int, list[tuple[bytes, bytes]], bytes]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(self.prefixes):
            await self.app(scope, receive, send)
            return
        key = (scope["path"], scope.get("query_string", b""))
        hit = self.entries.get(key)
        if hit is not None:
            status, headers, body = hit
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False) and start.get("status") == 200:
                    body = b"".join(chunks)
                    if len(body) <= MAX_BODY:
                        self.entries[key] = (200, list(start.get("headers", [])), body)
                        if len(self.entries) > MAX_ENTRIES:
                            del self.entries[next(iter(self.entries))]
            await send(message)

        await self.app(scope, receive, record)

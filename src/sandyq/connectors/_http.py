"""HTTP for connectors: a disk cache, a per-host rate limit, retries and clear errors.

Statistical services are slow, rate-limited and change without notice.  Every
connector talks to them through one :class:`HttpClient`, which

* keeps each successful response on disk (:func:`default_cache_dir`, setting
  ``cache`` / ``SANDYQ_CACHE``) so a second run, or a run without network,
  reads the same bytes (``refresh=True`` asks the service again,
  ``offline=True`` never does);
* waits at least ``min_interval`` seconds between two requests to one host;
* retries a refused or failed request (HTTP 429 and 5xx, connection errors)
  with exponential back-off, honouring ``Retry-After``;
* raises :class:`ConnectorError` naming the URL and the HTTP status, never a
  bare traceback.

The network itself is a :class:`Transport` (by default ``requests``), so tests
replay recorded responses without any network.

>>> import tempfile
>>> class Canned:
...     def get(self, url, *, timeout):
...         return Response(200, '{"ok": true}')
>>> client = HttpClient(cache_dir=tempfile.mkdtemp(), transport=Canned())
>>> client.get_json("https://example.org/api?x=1")
{'ok': True}
>>> client.stats.requests, client.get_json("https://example.org/api?x=1"), client.stats.cache_hits
(1, {'ok': True}, 1)
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlencode, urlsplit

from .._version import __version__
from ..errors import Problem, SandyqError

__all__ = [
    "ConnectorError",
    "HttpClient",
    "HttpStats",
    "RequestsTransport",
    "Response",
    "Transport",
    "TransportError",
    "default_cache_dir",
]

#: Statuses worth asking again: too many requests, and server-side failures.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class ConnectorError(SandyqError):
    """A statistical service refused a request, failed, or answered something unexpected.

    Nothing is loaded when this is raised; the problems name the URL.
    """


class TransportError(Exception):
    """The request did not get an HTTP answer (DNS, connection, timeout)."""


@dataclass(frozen=True)
class Response:
    """An HTTP answer: status, body text and headers."""

    status: int
    text: str
    headers: Mapping[str, str] = field(default_factory=dict)
    reason: str = ""


class Transport(Protocol):
    """Whatever performs one GET request (``requests`` in production, recordings in tests)."""

    def get(self, url: str, *, timeout: float) -> Response: ...


class RequestsTransport:
    """A :class:`Transport` over a ``requests`` session."""

    def __init__(self, user_agent: str | None = None) -> None:
        import requests

        self._requests = requests
        self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent or f"sandyq/{__version__} (statistics monitoring)"

    def get(self, url: str, *, timeout: float) -> Response:
        try:
            r = self.session.get(url, timeout=timeout)
        except self._requests.RequestException as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}") from None
        return Response(r.status_code, r.text, dict(r.headers), r.reason or "")


def default_cache_dir() -> Path:
    """The folder connectors cache responses in: setting ``cache`` (``SANDYQ_CACHE``), else the user cache.

    >>> isinstance(default_cache_dir(), Path)
    True
    """
    from ..settings import resolve

    if os.environ.get("SANDYQ_CACHE"):
        return Path(str(resolve("cache"))).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "sandyq"


@dataclass
class HttpStats:
    """What a client did: requests sent, answers from the cache, seconds spent waiting."""

    requests: int = 0
    cache_hits: int = 0
    retries: int = 0
    waited: float = 0.0
    urls: list[str] = field(default_factory=list)


def full_url(url: str, params: Mapping[str, object] | None = None) -> str:
    """``url`` with ``params`` appended as a query string, keys sorted (so cache keys are stable).

    >>> full_url("https://a.org/x", {"b": 2, "a": "1;2"})
    'https://a.org/x?a=1%3B2&b=2'
    """
    if not params:
        return url
    query = urlencode(sorted((k, str(v)) for k, v in params.items()))
    return f"{url}{'&' if '?' in url else '?'}{query}"


class HttpClient:
    """GET JSON from statistical services, politely and reproducibly (see the module docs)."""

    def __init__(
        self,
        *,
        cache_dir: str | Path | None = None,
        transport: Transport | None = None,
        min_interval: float = 1.0,
        retries: int = 2,
        backoff: float = 2.0,
        timeout: float = 60.0,
        max_age: float | None = 7 * 24 * 3600.0,
        refresh: bool = False,
        offline: bool = False,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        self._transport = transport
        self.min_interval = min_interval
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.max_age = max_age
        self.refresh = refresh
        self.offline = offline
        self._clock = clock
        self._sleep = sleep
        self._last: dict[str, float] = {}
        self.stats = HttpStats()

    @property
    def transport(self) -> Transport:
        if self._transport is None:
            self._transport = RequestsTransport()
        return self._transport

    # -- public ------------------------------------------------------------------------
    def get_json(self, url: str, params: Mapping[str, object] | None = None) -> Any:
        """The parsed JSON at ``url`` (from the cache when fresh); :class:`ConnectorError` otherwise."""
        target = full_url(url, params)
        return self.parse_json(target, self.get_text(target))

    @staticmethod
    def parse_json(url: str, text: str) -> Any:
        """``text`` parsed as JSON; a :class:`ConnectorError` naming ``url`` if it is not JSON."""
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            start = " ".join(text.strip().split())[:80]
            raise ConnectorError(
                f"{url}: the service did not answer JSON; it may have changed or refused the request",
                [Problem(url, f"expected JSON, got {start!r}")],
            ) from None

    def get_text(self, url: str) -> str:
        """The body at ``url``: cached if fresh, else fetched (rate-limited, retried) and cached."""
        cached = self._read_cache(url)
        if cached is not None:
            self.stats.cache_hits += 1
            return cached
        if self.offline:
            raise ConnectorError(
                f"{url}: not in the cache and offline mode is on",
                [Problem(url, f"no cached response under {self.cache_dir}")],
            )
        text = self._fetch(url)
        self._write_cache(url, text)
        return text

    # -- network -----------------------------------------------------------------------
    def _fetch(self, url: str) -> str:
        attempt = 0
        while True:
            self._wait_turn(url)
            self.stats.requests += 1
            self.stats.urls.append(url)
            try:
                resp = self.transport.get(url, timeout=self.timeout)
            except TransportError as exc:
                if attempt < self.retries:
                    attempt = self._pause(attempt, None)
                    continue
                raise ConnectorError(
                    f"{url}: no answer from the service after {attempt + 1} attempts", [Problem(url, str(exc))]
                ) from None
            if resp.status == 200:
                return resp.text
            if resp.status in RETRY_STATUSES and attempt < self.retries:
                attempt = self._pause(attempt, resp.headers.get("Retry-After"))
                continue
            raise ConnectorError(
                f"{url}: the service answered HTTP {resp.status}"
                f"{' ' + resp.reason if resp.reason else ''}; nothing was loaded",
                [Problem(url, _explain(resp))],
            )

    def _pause(self, attempt: int, retry_after: str | None) -> int:
        delay = self.backoff * (2**attempt)
        if retry_after is not None and retry_after.strip().isdigit():
            delay = max(delay, float(retry_after))
        self.stats.retries += 1
        self.stats.waited += delay
        self._sleep(delay)
        return attempt + 1

    def _wait_turn(self, url: str) -> None:
        host = urlsplit(url).netloc
        now = self._clock()
        last = self._last.get(host)
        if last is not None and now - last < self.min_interval:
            delay = self.min_interval - (now - last)
            self.stats.waited += delay
            self._sleep(delay)
            now = self._clock()
        self._last[host] = now

    # -- cache -------------------------------------------------------------------------
    def cache_path(self, url: str) -> Path:
        """Where the response for ``url`` is (or would be) cached."""
        host = urlsplit(url).netloc or "local"
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]
        return self.cache_dir / host / f"{digest}.json"

    def _read_cache(self, url: str) -> str | None:
        path = self.cache_path(url)
        if self.refresh or not path.exists():
            return None
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            fetched = datetime.fromisoformat(entry["fetched"])
            body = entry["body"]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # a damaged cache entry is simply fetched again
        age = (datetime.now(UTC) - fetched).total_seconds()
        if self.max_age is not None and age > self.max_age and not self.offline:
            return None
        return str(body)

    def _write_cache(self, url: str, text: str) -> None:
        path = self.cache_path(url)
        entry = {"url": url, "fetched": datetime.now(UTC).isoformat(timespec="seconds"), "body": text}
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(entry, ensure_ascii=False), encoding="utf-8")
            tmp.replace(path)
        except OSError as exc:
            raise ConnectorError(
                f"cannot write the connector cache in {self.cache_dir}",
                [Problem(str(path), f"{exc} (set SANDYQ_CACHE to a writable folder)")],
            ) from None


def _explain(resp: Response) -> str:
    hints = {
        400: "the service rejected the request parameters",
        401: "the service wants authentication",
        403: "the service refused access (it may block automated clients)",
        404: "not found: check the indicator or index id",
        429: "too many requests: the service is rate-limiting; try again later",
    }
    hint = hints.get(resp.status, "the service failed" if resp.status >= 500 else "unexpected status")
    body = " ".join(resp.text.strip().split())[:120]
    return f"HTTP {resp.status}: {hint}" + (f"; body starts {body!r}" if body else "")

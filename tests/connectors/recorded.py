"""Recorded responses for connector tests: a transport that replays fixtures and never reaches the network."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from sandyq.connectors import Response

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def canonical(url: str) -> str:
    """A URL with its query parameters sorted and decoded, so equal requests compare equal."""
    parts = urlsplit(url)
    query = "&".join(f"{k}={v}" for k, v in sorted(parse_qsl(parts.query)))
    return f"{parts.scheme}://{parts.netloc}{parts.path}?{query}"


RECORDINGS = {
    canonical(u): FIXTURES / f
    for u, f in json.loads((FIXTURES / "recordings.json").read_text(encoding="utf-8")).items()
}


def recorded_json(name: str) -> object:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


class Recorded:
    """A transport that answers from ``fixtures/`` (or from ``overrides``) and records every URL asked."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.overrides: dict[str, list[Response | Callable[[], Response]]] = {}

    def override(self, url_part: str, *answers: Response | str | object) -> None:
        """Answer URLs containing ``url_part`` with ``answers`` in turn (the last one repeats)."""
        self.overrides[url_part] = [
            a
            if isinstance(a, Response)
            else Response(200, a if isinstance(a, str) else json.dumps(a, ensure_ascii=False))
            for a in answers
        ]

    def get(self, url: str, *, timeout: float) -> Response:
        self.calls.append(url)
        for part, answers in self.overrides.items():
            if part in url:
                answer = answers.pop(0) if len(answers) > 1 else answers[0]
                return answer() if callable(answer) else answer
        path = RECORDINGS.get(canonical(url))
        if path is None:
            raise AssertionError(f"no recorded response for {url} (tests never use the network)")
        return Response(200, path.read_text(encoding="utf-8"))


class FakeClock:
    """Time that only moves when someone sleeps: rate-limit waits become exact numbers."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

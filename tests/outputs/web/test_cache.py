"""The web layer's one cache: never more than its byte budget, least recently used entries evicted first."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import MutableMapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from sandyq.errors import InvalidValueError
from sandyq.outputs.web import Dashboard
from sandyq.outputs.web._cache import LruCache, ResponseCache, sizeof

KEYS = st.sampled_from("abcdefgh")
OPS = st.lists(
    st.one_of(
        st.tuples(st.just("put"), KEYS, st.integers(0, 120)),
        st.tuples(st.just("get"), KEYS, st.just(0)),
    ),
    max_size=60,
)


@settings(max_examples=200, deadline=None)
@given(budget=st.integers(0, 300), ops=OPS)
def test_never_over_budget_and_evicts_the_least_recently_used(budget: int, ops: list[tuple[str, str, int]]) -> None:
    cache = LruCache(budget=budget)
    model: OrderedDict[str, int] = OrderedDict()  # kept keys, least recently used first, with their sizes
    for op, key, size in ops:
        if op == "get":
            expected = f"{key}{model[key]}" if key in model else None
            assert cache.get(key) == expected
            if key in model:
                model.move_to_end(key)
        else:
            kept = cache.put(key, f"{key}{size}", nbytes=size)
            model.pop(key, None)
            assert kept == (size <= budget)
            if kept:
                model[key] = size
                while sum(model.values()) > budget:
                    model.popitem(last=False)  # the least recently used goes first
        assert cache.nbytes <= budget
        assert cache.keys() == list(model) and cache.nbytes == sum(model.values())


def test_a_read_protects_an_entry_from_eviction() -> None:
    cache = LruCache(budget=3)
    for key in "abc":
        cache.put(key, key, nbytes=1)
    cache.get("a")
    cache.put("d", "d", nbytes=1)
    assert cache.keys() == ["c", "a", "d"] and cache.stats.evictions == 1


def test_budget_comes_from_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert LruCache().budget == 64 * 2**20
    monkeypatch.setenv("SANDYQ_WEB_CACHE_MB", "2")
    assert LruCache().budget == 2 * 2**20
    with pytest.raises(InvalidValueError):
        LruCache(budget=-1)


def test_sizes_are_estimated_from_the_values() -> None:
    frame = pd.DataFrame({"x": np.arange(100_000, dtype="float64"), "s": ["text"] * 100_000})
    cache = LruCache(budget=10_000_000)
    assert cache.put("frame", frame)
    assert frame.memory_usage(deep=True).sum() <= cache.nbytes < 1.1 * frame.memory_usage(deep=True).sum()
    nested = {"rows": [{"name": f"{i:04d}" + "n" * 1000, "value": float(i)} for i in range(100)]}
    assert 100 * 1000 < sizeof(nested) < 200_000
    assert not cache.put("too big", b"x" * 10_000_001) and "too big" not in cache


def _app(calls: list[str]) -> Any:
    """A tiny ASGI application whose answer to ``/api/N`` is N bytes."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        calls.append(scope["path"])
        body = b"x" * int(scope["path"].rsplit("/", 1)[1])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": body})

    return app


def _get(middleware: ResponseCache, path: str) -> bytes:
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request"}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {"type": "http", "method": "GET", "path": path, "query_string": b""}
    # In a thread of its own: the session's browser (Playwright's sync API) may run an event loop in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    assert sent[0]["status"] == 200
    return bytes(sent[1]["body"])


def test_response_cache_serves_repeats_and_stays_within_its_budget() -> None:
    calls: list[str] = []
    middleware = ResponseCache(_app(calls), cache=LruCache(budget=5_000))
    assert _get(middleware, "/api/1000") == b"x" * 1000
    assert _get(middleware, "/api/1000") == b"x" * 1000 and calls == ["/api/1000"]  # the repeat skipped the app
    for n in range(1001, 1010):
        _get(middleware, f"/api/{n}")
        assert middleware.cache.nbytes <= 5_000
    assert ("response", "/api/1000", b"") not in middleware.cache  # the oldest answers went first
    assert ("response", "/api/1009", b"") in middleware.cache
    _get(middleware, "/api/1000")
    assert calls.count("/api/1000") == 2


def test_dashboard_and_responses_share_one_cache(web_app: FastAPI, client: TestClient) -> None:
    dash: Dashboard = web_app.state.dash
    (middleware,) = [m for m in web_app.user_middleware if m.cls is ResponseCache]
    assert middleware.kwargs["cache"] is dash.cache
    assert client.get("/api/indicators").status_code == 200
    keys = dash.cache.keys()
    assert ("response", "/api/indicators", b"") in keys
    assert any(isinstance(k, tuple) and k[0] == "value" for k in keys)
    assert dash.cache.nbytes <= dash.cache.budget


def test_dashboard_answers_right_when_nothing_fits(default_db: Path) -> None:
    dash = Dashboard(default_db, cache=LruCache(budget=0))
    try:
        calls: list[int] = []

        def compute() -> list[int]:
            calls.append(1)
            return [1, 2, 3]

        assert dash.cached("k", compute) == [1, 2, 3] and dash.cached("k", compute) == [1, 2, 3]
        assert len(calls) == 2  # recomputed, not lost
        assert len(dash.indicator_table("en")) > 0 and len(dash.cache) == 0
    finally:
        dash.close()


def test_as_of_moments_that_see_the_same_vintages_share_one_entry(default_db: Path) -> None:
    """Answers as of a moment are kept by the newest vintage the moment lets through, not by the moment."""
    dash = Dashboard(default_db)
    try:
        vintages = dash.vintages()
        assert len(vintages) >= 3 and vintages == sorted(vintages)
        older, newer = vintages[-3], vintages[-2]  # two as-of dates in the gap between these vintages
        first = (older + (newer - older) / 3).date().isoformat()
        second = (older + 2 * (newer - older) / 3).date().isoformat()
        assert first != second and dash.visible_vintage(first) == dash.visible_vintage(second) == ("as_of", older)
        a = dash.observations(None, as_of=first, dims=None)
        b = dash.observations(None, as_of=second, dims=None)
        assert b is a and len(a) > 1000  # one entry, computed once
        assert (pd.to_datetime(a["vintage"]) <= older).all()
        later = dash.observations(None, as_of=newer.date().isoformat(), dims=None)  # sees one more vintage
        assert later is not a and len(later) > len(a)
        assert dash.visible_vintage("1990-01-01") == ("as_of", None) and dash.visible_vintage(None) is None
        p1 = dash.progress(None, as_of=first)
        p2 = dash.progress(None, as_of=second)
        assert p1 is not p2  # the verdicts are judged at each date, from the one shared set of observations
        shared = [k for k in dash.cache.keys() if isinstance(k, tuple) and k[1][0] == "progress-obs"]  # noqa: SIM118 (LruCache has no __iter__)
        assert len(shared) == 1, shared
    finally:
        dash.close()

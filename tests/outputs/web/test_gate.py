"""Backpressure: two computations at once, a short queue, a 503 with Retry-After beyond it; cached answers flow."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from sandyq.outputs.web import create_app
from sandyq.outputs.web._gate import BusyError, Gate


@contextmanager
def held(gate: Gate, n: int) -> Iterator[None]:
    """``n`` threads holding a slot of ``gate`` each until the block ends."""
    inside = threading.Barrier(n + 1)
    done = threading.Event()

    def hold() -> None:
        with gate.slot():
            inside.wait()
            done.wait()

    threads = [threading.Thread(target=hold) for _ in range(n)]
    for t in threads:
        t.start()
    inside.wait()
    try:
        yield
    finally:
        done.set()
        for t in threads:
            t.join()


def test_two_run_the_queue_waits_and_the_rest_is_refused_at_once() -> None:
    gate = Gate(slots=2, queue=1, wait=0.5)
    with held(gate, 2):
        assert gate.running == 2
        outcome: list[object] = []

        def queued() -> None:
            started = time.monotonic()
            try:
                with gate.slot():
                    outcome.append("ran")
            except BusyError as exc:
                outcome.append((time.monotonic() - started, exc))

        waiter = threading.Thread(target=queued)
        waiter.start()
        deadline = time.monotonic() + 5
        while gate.waiting == 0:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        started = time.monotonic()
        with pytest.raises(BusyError, match="the server is busy"), gate.slot():  # queue full: refused at once
            pass
        assert time.monotonic() - started < 0.2
        waiter.join()
    first: Any = outcome[0]
    waited, error = first
    assert isinstance(error, BusyError) and 0.45 <= waited < 5  # waited its 0.5 s, then refused
    assert gate.stats == {"admitted": 2, "queued": 1, "refused": 1, "timed_out": 1}
    with gate.slot():  # free again
        assert gate.running == 1


def test_a_queued_computation_runs_when_a_slot_frees() -> None:
    gate = Gate(slots=1, queue=4, wait=10)
    ran = threading.Event()

    def queued() -> None:
        with gate.slot():
            ran.set()

    with held(gate, 1):
        t = threading.Thread(target=queued)
        t.start()
        time.sleep(0.1)
        assert not ran.is_set() and gate.waiting == 1
    t.join(timeout=5)
    assert ran.is_set()


def test_the_server_answers_503_with_retry_after_and_cached_answers_still_flow(default_db: Path) -> None:
    app = create_app(default_db, language="en")
    dash = app.state.dash
    with TestClient(app) as client:
        cached = client.get("/api/indicators")  # computed now, kept
        assert cached.status_code == 200
        dash.gate = Gate(slots=1, queue=0, wait=0.1)
        with held(dash.gate, 1):  # the one slot is busy
            busy = client.get("/api/observations?indicator=17-8-1&start=2019")
            assert busy.status_code == 503
            assert busy.headers["retry-after"] == "2"
            assert busy.json()["error"]["message"].startswith("the server is busy")
            page = client.get("/ru/indicators/17-8-1/")
            assert page.status_code == 503 and page.headers["retry-after"] == "2"
            assert "Сервер занят" in page.text
            again = client.get("/api/indicators")  # a cached answer does not wait behind the gate
            assert again.status_code == 200 and again.content == cached.content
        after = client.get("/api/observations?indicator=17-8-1&start=2019")
        assert after.status_code == 200 and after.json()["total"] > 0


def test_every_route_documents_the_503_and_its_retry_after(default_db: Path) -> None:
    schema = create_app(default_db).openapi()
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            busy = op["responses"]["503"]
            assert "Retry-After" in busy["headers"], (method, path)
            assert busy["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorBody"}

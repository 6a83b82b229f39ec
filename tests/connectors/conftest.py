"""Fixtures for connector tests: recorded responses, a fake clock, a client that uses both."""

from __future__ import annotations

from pathlib import Path

import pytest

from sandyq.connectors import HttpClient
from tests.connectors.recorded import FakeClock, Recorded


@pytest.fixture
def transport() -> Recorded:
    return Recorded()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def client(tmp_path: Path, transport: Recorded, clock: FakeClock) -> HttpClient:
    return HttpClient(
        cache_dir=tmp_path / "cache", transport=transport, clock=clock, sleep=clock.sleep, min_interval=1.0
    )

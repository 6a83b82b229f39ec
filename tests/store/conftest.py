"""The store suite runs on both backends: every test that takes ``store`` runs on DuckDB and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandyq.store import Store
from tests._postgres import BACKENDS, open_backend_store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty store on each backend (DuckDB in memory; a PostgreSQL database emptied for the test)."""
    yield from open_backend_store(request)

"""Shared fixtures: the bundled framework, in-memory stores and the default store built once."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest

import sandyq
from sandyq.framework import Framework
from sandyq.store import Store
from tests._postgres import pg_empty, pg_url  # noqa: F401  (fixtures: a PostgreSQL database per session)

CONTENT = Path(str(resources.files("sandyq") / "content"))
SDG_RAW = CONTENT / "data" / "kz-sdg-ict" / "raw"


@pytest.fixture(scope="session")
def framework() -> Framework:
    return sandyq.load_framework()


@pytest.fixture
def store() -> Iterator[Store]:
    s = Store(":memory:")
    yield s
    s.close()


@pytest.fixture(scope="session")
def default_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built by ``sandyq.init`` with the default content (once per test session)."""
    path = tmp_path_factory.mktemp("store") / "default.duckdb"
    sandyq.init(path)
    return path


@pytest.fixture
def default_monitor(default_db: Path) -> Iterator[sandyq.Monitor]:
    with sandyq.connect(default_db, read_only=True) as m:
        yield m

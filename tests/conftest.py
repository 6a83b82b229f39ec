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


@pytest.fixture(autouse=True)
def _fresh_cli_state() -> Iterator[None]:
    """Each test starts with the command line's global options unset and leaves them so.

    Tests that build a command line of their own (without the global ``--language`` callback) would otherwise
    inherit the language of whichever test ran before them in the same process — an order pytest-xdist changes.
    """
    from sandyq.outputs.cli._common import state

    state.db = state.language = None
    yield
    state.db = state.language = None

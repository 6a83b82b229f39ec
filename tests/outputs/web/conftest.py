"""Fixtures of the web tests: one application over the default store per session, one served, one browser."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandyq.outputs.web import create_app


@pytest.fixture(scope="session", autouse=True)
def kept_answers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The cache folder where ``build-site`` and ``serve`` keep slow answers: a temporary one, not the user's."""
    folder = tmp_path_factory.mktemp("cache")
    saved = os.environ.get("SANDYQ_CACHE")
    os.environ["SANDYQ_CACHE"] = str(folder)
    yield folder
    if saved is None:
        os.environ.pop("SANDYQ_CACHE", None)
    else:
        os.environ["SANDYQ_CACHE"] = saved


@pytest.fixture(scope="session")
def web_app(default_db: Path) -> FastAPI:
    return create_app(default_db, language="en")


@pytest.fixture(scope="session")
def client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app) as c:
        yield c


@pytest.fixture(scope="session")
def base_url(default_db: Path) -> Iterator[str]:
    """The dashboard over the default store served by uvicorn on loopback, for the browser tests (once per session)."""
    from ._serving import served

    with served(create_app(default_db, language="en")) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Debian's Chromium, headless, started once per session: each test opens its own context (its own cookies)."""
    from ._serving import chromium

    with chromium() as b:
        yield b

"""Fixtures of the web tests: one application over the default store per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from sandyq.outputs.web import create_app


@pytest.fixture(scope="session")
def web_app(default_db: Path) -> FastAPI:
    return create_app(default_db, language="en")


@pytest.fixture(scope="session")
def client(web_app: FastAPI) -> Iterator[TestClient]:
    with TestClient(web_app) as c:
        yield c

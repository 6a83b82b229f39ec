"""PostgreSQL for the tests: a database of its own per test session, emptied before each test that uses it.

The server is the one ``SANDYQ_TEST_POSTGRES`` names (an admin URL; default
``postgresql://sandyq:sandyq@127.0.0.1:5432/sandyq``; ``.ci/run`` starts
Debian's ``postgresql`` and exports it).  The session creates a uniquely named
database there and drops it at the end.  Without a server, tests that need it
are skipped with the reason — except in CI (``CI`` set), where they fail: CI
must provide the server, and a store suite that silently ran on DuckDB only
would prove nothing about PostgreSQL.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest

from sandyq.store import Store

ADMIN_URL = os.environ.get("SANDYQ_TEST_POSTGRES", "postgresql://sandyq:sandyq@127.0.0.1:5432/sandyq")
#: The backends every store test runs on.
BACKENDS = ("duckdb", "postgresql")


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """The URL of a database created for this test session (dropped at its end)."""
    with postgres_database("session") as url:
        yield url


@contextmanager
def postgres_database(label: str) -> Iterator[str]:
    """A database of its own on the test server for a block (a module's fixture), dropped at its end."""
    import psycopg

    try:
        admin = psycopg.connect(ADMIN_URL, autocommit=True, connect_timeout=5)
    except psycopg.Error as exc:
        message = (
            f"no PostgreSQL server at SANDYQ_TEST_POSTGRES={ADMIN_URL!r} ({str(exc).strip().splitlines()[0]}); "
            "install and start Debian's postgresql as .ci/run does"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    name = f"sandyq_test_{label}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin.execute(f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8'")
    try:
        yield _with_database(ADMIN_URL, name)
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def pg_empty(pg_url: str) -> str:
    """The session's database, emptied (no tables) for this test."""
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("SET lock_timeout = '10s'")
        con.execute("DROP SCHEMA IF EXISTS public CASCADE")
        con.execute("CREATE SCHEMA public")
    return pg_url


def backend_url(request: pytest.FixtureRequest, backend: str) -> str:
    """Where a store of ``backend`` lives for this test: ``:memory:`` or an empty PostgreSQL database."""
    if backend == "postgresql":
        return str(request.getfixturevalue("pg_empty"))
    return ":memory:"


def open_backend_store(request: pytest.FixtureRequest) -> Iterator[Store]:
    """A new store on the backend the test is parametrised with (``request.param``), closed afterwards."""
    s = Store(backend_url(request, request.param))
    yield s
    s.close()

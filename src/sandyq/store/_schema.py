"""The store's schema and its migrations.

The schema is versioned in the ``meta`` table.  Opening a store created by an
older sandyq applies the migrations in order, inside one transaction; opening a
store created by a newer sandyq is refused with a clear message, and so is a
DuckDB database that is not a sandyq store (tables, but no sandyq schema).

Versions: 1 the observations, loads, load issues, sources and calibrations;
2 the metadata of imported indicators; 3 the change counter ``data_version``
in ``meta``, which every committed change to the store increases, so that a
reader can tell cheaply whether the data changed since it last looked;
4 accounts, API tokens, failed sign-ins, submissions with their rows and the
audit trail (:data:`~sandyq.store._tables.FLOW_TABLES`, portable SQL); 5 the reports on the measures of a
programme's action plan (:data:`~sandyq.store._tables.MEASURE_TABLES`).
"""

from __future__ import annotations

import secrets
from typing import Any

import duckdb

from ..errors import StoreError
from ._dialect import dialect_of, pg_type_name
from ._tables import FLOW_TABLES, MEASURE_TABLES

#: The advisory lock every write transaction of a PostgreSQL store takes (one writer at a time, as on DuckDB).
WRITER_LOCK = 0x5A4E_4459_5100

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "WRITER_LOCK", "ensure_schema", "expected_columns"]

#: Version of the store schema this sandyq writes.
SCHEMA_VERSION = 5

_V1 = [
    "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)",
    """CREATE TABLE IF NOT EXISTS load (
        id INTEGER PRIMARY KEY,
        file VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        source VARCHAR,
        vintage TIMESTAMP NOT NULL,
        loaded_at TIMESTAMP NOT NULL,
        sha256 VARCHAR,
        rows_read INTEGER NOT NULL,
        rows_added INTEGER NOT NULL,
        rows_revised INTEGER NOT NULL,
        rows_unchanged INTEGER NOT NULL,
        sandyq_version VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS observation (
        indicator VARCHAR NOT NULL,
        geo VARCHAR NOT NULL,
        period VARCHAR NOT NULL,
        dims VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        vintage TIMESTAMP NOT NULL,
        value DOUBLE NOT NULL,
        unit VARCHAR NOT NULL,
        status VARCHAR,
        note VARCHAR,
        load_id INTEGER NOT NULL,
        PRIMARY KEY (indicator, geo, period, dims, source, vintage)
    )""",
    """CREATE TABLE IF NOT EXISTS load_issue (
        load_id INTEGER NOT NULL,
        kind VARCHAR NOT NULL,
        file VARCHAR NOT NULL,
        row_number INTEGER,
        column_name VARCHAR,
        message VARCHAR NOT NULL,
        indicator VARCHAR,
        geo VARCHAR,
        period VARCHAR,
        dims VARCHAR,
        value DOUBLE
    )""",
    """CREATE TABLE IF NOT EXISTS source (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        publisher VARCHAR NOT NULL,
        url VARCHAR,
        licence VARCHAR NOT NULL,
        citation VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS calibration (
        name VARCHAR PRIMARY KEY, created TIMESTAMP NOT NULL, body VARCHAR NOT NULL)""",
]

_V2 = [
    # Indicator metadata brought in by imports (Open SDG, SDMX) for indicators the YAML framework lacks.
    """CREATE TABLE IF NOT EXISTS indicator_meta (
        id VARCHAR PRIMARY KEY, body VARCHAR NOT NULL, origin VARCHAR NOT NULL, updated TIMESTAMP NOT NULL)""",
]

_V3 = [
    # The change counter: every transaction that changes the store's content adds 1 (see Store.data_version).
    "INSERT OR REPLACE INTO meta VALUES ('data_version', '0')",
]

#: Statements that bring a store from version ``n - 1`` to version ``n``.
MIGRATIONS: dict[int, list[str]] = {1: _V1, 2: _V2, 3: _V3, 4: FLOW_TABLES, 5: MEASURE_TABLES}


def expected_columns() -> dict[str, dict[str, str]]:
    """Every table of the current schema with its columns and their DuckDB types (what ``check`` compares)."""
    con = duckdb.connect(":memory:")
    try:
        for v in range(1, SCHEMA_VERSION + 1):
            for stmt in MIGRATIONS[v]:
                con.execute(stmt)
        return table_columns(con)
    finally:
        con.close()


def table_columns(con: Any) -> dict[str, dict[str, str]]:
    """The tables of the store's schema of ``con``, each with its columns and their types (DuckDB's names), in order.

    On PostgreSQL the tables are those of the connection's current schema and the types are named as DuckDB
    names them (``double precision`` is ``DOUBLE``), so that one expected schema serves both.
    """
    rows = con.execute(
        """SELECT table_name, column_name, data_type FROM information_schema.columns
           WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position"""
    ).fetchall()
    pg = dialect_of(con).postgres
    tables: dict[str, dict[str, str]] = {}
    for table, column, kind in rows:
        tables.setdefault(str(table), {})[str(column)] = pg_type_name(str(kind)) if pg else str(kind)
    return tables


def _version(con: Any, path: str) -> int:
    """The schema version recorded in the store; 0 for an empty database; a foreign database is refused."""
    tables = sorted(
        str(t)
        for (t,) in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchall()
    )
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall() if "meta" in tables else []
    if not rows:
        if not tables:
            return 0
        kind = "PostgreSQL" if dialect_of(con).postgres else "DuckDB"
        shown = ", ".join(tables[:5]) + (f" and {len(tables) - 5} more" if len(tables) > 5 else "")
        raise StoreError(
            f"{path}: a {kind} database, but not a sandyq store (it has the tables {shown} and no sandyq schema "
            "version); give the path of a store made by `sandyq init`, or a new file"
        )
    text = str(rows[0][0])
    if not text.isdigit():
        raise StoreError(f"{path}: the store's schema version {text!r} is not a number; the store is damaged")
    return int(text)


def ensure_schema(con: Any, path: str, read_only: bool = False) -> int:
    """Create or migrate the schema; return the version now in force."""
    version = _version(con, path)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: the store has schema version {version}, but this sandyq understands up to "
            f"{SCHEMA_VERSION}; upgrade sandyq to read it"
        )
    if version == SCHEMA_VERSION or read_only:
        if read_only and version < SCHEMA_VERSION:
            raise StoreError(
                f"{path}: the store needs a migration (schema {version} → {SCHEMA_VERSION}); "
                "run `sandyq init` to migrate it"
            )
        return version
    dialect = dialect_of(con)
    con.execute("BEGIN TRANSACTION")
    try:
        if dialect.postgres:  # one migration at a time: another process may be opening the same database
            con.execute(f"SELECT pg_advisory_xact_lock({WRITER_LOCK})")
            if _version(con, path) == SCHEMA_VERSION:
                con.execute("COMMIT")
                return SCHEMA_VERSION
        for v in range(version + 1, SCHEMA_VERSION + 1):
            for stmt in MIGRATIONS[v]:
                con.execute(dialect.ddl(stmt))
            if v == 4:  # the key that signs session cookies, made with the store: serving it then writes nothing
                con.execute("INSERT OR REPLACE INTO meta VALUES ('session_secret', ?)", [secrets.token_urlsafe(32)])
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION

"""The store's schema and its migrations.

The schema is versioned in the ``meta`` table.  Opening a store created by an
older sandyq applies the migrations in order, inside one transaction; opening a
store created by a newer sandyq is refused with a clear message.
"""

from __future__ import annotations

import duckdb

from ..errors import StoreError

__all__ = ["SCHEMA_VERSION", "ensure_schema"]

#: Version of the store schema this sandyq writes.
SCHEMA_VERSION = 2

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

#: Statements that bring a store from version ``n - 1`` to version ``n``.
MIGRATIONS: dict[int, list[str]] = {1: _V1, 2: _V2}


def _version(con: duckdb.DuckDBPyConnection) -> int:
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta' AND table_schema = 'main'"
    ).fetchall()
    if not has_meta or not has_meta[0][0]:
        return 0
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    return int(rows[0][0]) if rows else 0


def ensure_schema(con: duckdb.DuckDBPyConnection, path: str, read_only: bool = False) -> int:
    """Create or migrate the schema; return the version now in force."""
    version = _version(con)
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
    con.execute("BEGIN TRANSACTION")
    try:
        for v in range(version + 1, SCHEMA_VERSION + 1):
            for stmt in MIGRATIONS[v]:
                con.execute(stmt)
        con.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)",
            [str(SCHEMA_VERSION)],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return SCHEMA_VERSION

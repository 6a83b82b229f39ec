"""The SQL the store writes differently on DuckDB and on PostgreSQL, in one place.

The store's queries are written once; the few constructs the two databases
spell differently — a cast that gives NULL instead of failing, a regular
expression that must match whole, a finite number, the list of a group, the
column types of the schema, a row's physical id — come from a :class:`Dialect`.
:data:`DUCKDB` keeps the store's DuckDB SQL exactly as it was; :data:`POSTGRES`
gives the PostgreSQL forms.  :func:`dialect_of` says which one a connection speaks.

>>> DUCKDB.try_int("substr(period, 1, 4)")
'TRY_CAST(substr(period, 1, 4) AS INTEGER)'
>>> POSTGRES.try_int("p")
"(CASE WHEN (p) ~ '^-?[0-9]{1,9}$' THEN CAST(p AS INTEGER) END)"
>>> POSTGRES.full_match("period", r"\\d{4}")
"(period ~ '^(?:\\\\d{4})$')"
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

__all__ = ["DUCKDB", "POSTGRES", "Dialect", "dialect_of", "is_url", "pg_type_name"]


def is_url(path: str) -> bool:
    """Whether a store's ``db`` names a PostgreSQL database (a ``postgresql://`` URL) rather than a DuckDB file.

    >>> is_url("postgresql://u:p@db.example/sandyq"), is_url("postgres://h/d"), is_url("sandyq.duckdb")
    (True, True, False)
    """
    return path.startswith(("postgresql://", "postgres://"))


@dataclass(frozen=True)
class Dialect:
    """How one database spells the constructs the store needs."""

    name: str

    @property
    def postgres(self) -> bool:
        return self.name == "postgresql"

    def try_int(self, expr: str) -> str:
        """``expr`` as an INTEGER, or NULL when it is not one."""
        if self.postgres:
            return f"(CASE WHEN ({expr}) ~ '^-?[0-9]{{1,9}}$' THEN CAST({expr} AS INTEGER) END)"
        return f"TRY_CAST({expr} AS INTEGER)"

    def try_bigint(self, expr: str) -> str:
        """``expr`` as a BIGINT, or NULL when it is not one."""
        if self.postgres:
            return f"(CASE WHEN ({expr}) ~ '^-?[0-9]{{1,18}}$' THEN CAST({expr} AS BIGINT) END)"
        return f"TRY_CAST({expr} AS BIGINT)"

    def full_match(self, expr: str, pattern: str) -> str:
        """Whether the whole of ``expr`` matches the regular expression ``pattern``."""
        if self.postgres:
            return f"({expr} ~ '^(?:{pattern})$')"
        return f"regexp_full_match({expr}, '{pattern}')"

    def finite(self, expr: str) -> str:
        """Whether a DOUBLE is a finite number (not NaN, not ±infinity)."""
        if self.postgres:
            return f"({expr} NOT IN ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8))"
        return f"isfinite({expr})"

    def list_of(self, expr: str) -> str:
        """The aggregate that gathers a group's values into a list (keeping an ``ORDER BY`` inside)."""
        return f"array_agg({expr})" if self.postgres else f"list({expr})"

    @property
    def rowid(self) -> str:
        """The column naming a row physically (within one statement's reach)."""
        return "ctid" if self.postgres else "rowid"

    def ddl(self, statement: str) -> str:
        """A schema statement written for DuckDB, in this dialect.

        On PostgreSQL, DOUBLE is DOUBLE PRECISION, BLOB is BYTEA, and the text columns of a new table compare
        and sort byte by byte (``COLLATE "C"``) as DuckDB's do, whatever the database's locale.

        >>> POSTGRES.ddl("CREATE TABLE t (a VARCHAR NOT NULL, b DOUBLE)")
        'CREATE TABLE t (a VARCHAR COLLATE "C" NOT NULL, b DOUBLE PRECISION)'
        """
        if not self.postgres:
            return statement
        statement = re.sub(r"\bDOUBLE\b(?!\s+PRECISION)", "DOUBLE PRECISION", statement)
        statement = re.sub(r"\bBLOB\b", "BYTEA", statement)
        if re.match(r"\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE\b", statement, re.I) and " AS " not in statement:
            statement = re.sub(r"\bVARCHAR\b(?!\s*\(|\s+COLLATE)", 'VARCHAR COLLATE "C"', statement)
        return statement


DUCKDB = Dialect("duckdb")
POSTGRES = Dialect("postgresql")

# PostgreSQL's names of column types, as DuckDB names them (``check`` compares a schema with DuckDB's types).
_PG_TYPES = {
    "character varying": "VARCHAR",
    "text": "VARCHAR",
    "integer": "INTEGER",
    "bigint": "BIGINT",
    "smallint": "SMALLINT",
    "double precision": "DOUBLE",
    "real": "FLOAT",
    "boolean": "BOOLEAN",
    "timestamp without time zone": "TIMESTAMP",
    "timestamp with time zone": "TIMESTAMP WITH TIME ZONE",
    "date": "DATE",
    "bytea": "BLOB",
}


def pg_type_name(name: str) -> str:
    """A PostgreSQL column type as DuckDB names it.

    >>> pg_type_name("double precision"), pg_type_name("character varying"), pg_type_name("jsonb")
    ('DOUBLE', 'VARCHAR', 'JSONB')
    """
    return _PG_TYPES.get(name, name.upper())


def dialect_of(con: Any) -> Dialect:
    """The dialect of a store connection: PostgreSQL for sandyq's PostgreSQL adapter, else DuckDB."""
    return POSTGRES if getattr(con, "dialect", None) is POSTGRES else DUCKDB

"""The observation store (DuckDB or PostgreSQL): atomic, append-only loads with vintages; choosing a source.

A :class:`Store` waits for another process writing its file, refuses a file
that is not a sandyq store (or is damaged) naming it, checks itself
(:meth:`Store.check`) and counts its changes (:meth:`Store.data_version`).
A load is staged in the database chunk by chunk and merged once (:meth:`Store.loading`, :class:`Loading`).
``Store("postgresql://user:password@host/db")`` keeps the store in a PostgreSQL
database with the same semantics (:mod:`sandyq.store._postgres`).
Accounts, API tokens, submissions awaiting review and the audit trail are kept beside the data
(:mod:`._accounts`, :mod:`._submissions`), and so are the reports on the measures of a programme's action
plan (:mod:`._measures`).
"""

from . import _accounts as accounts
from . import _measures as measures
from . import _submissions as submissions
from ._accounts import FLOW_TABLES, ROLES, SCOPES, Account, Token
from ._check import CHECK_COLUMNS, check_store
from ._choice import DERIVED_SOURCE, SOURCE_GROUP, Preference, pick_source, rank_sources
from ._connection import WaitNotice, sniff_file, writer_marker, writer_waiting
from ._copy import CopyReport, copy_store
from ._dialect import DUCKDB, POSTGRES, Dialect, is_url
from ._postgres import PgConnection, PgError, connect_pg, mask_url
from ._schema import SCHEMA_VERSION
from ._staging import Loading
from ._store import OBSERVATION_COLUMNS, STAGED_COLUMNS, LoadReport, Store

__all__ = [
    "CHECK_COLUMNS",
    "CopyReport",
    "FLOW_TABLES",
    "ROLES",
    "SCOPES",
    "Account",
    "Token",
    "accounts",
    "measures",
    "submissions",
    "DERIVED_SOURCE",
    "DUCKDB",
    "Dialect",
    "OBSERVATION_COLUMNS",
    "POSTGRES",
    "SCHEMA_VERSION",
    "SOURCE_GROUP",
    "STAGED_COLUMNS",
    "LoadReport",
    "Loading",
    "PgConnection",
    "PgError",
    "Preference",
    "Store",
    "WaitNotice",
    "check_store",
    "connect_pg",
    "copy_store",
    "is_url",
    "mask_url",
    "pick_source",
    "rank_sources",
    "sniff_file",
    "writer_marker",
    "writer_waiting",
]

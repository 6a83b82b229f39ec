"""The tables of people and their work (schema version 4): one list of portable SQL every backend applies.

Plain types (VARCHAR, BIGINT, INTEGER, BOOLEAN, TIMESTAMP, DOUBLE PRECISION),
ids made by sandyq, no backend's own functions: accounts, API tokens, failed
sign-ins, submissions and their rows, and the audit trail (see ``_accounts``
and ``_submissions``).
"""

from __future__ import annotations

__all__ = ["FLOW_TABLES", "MEASURE_TABLES"]

#: The tables of schema version 4, in portable SQL (the one list every backend applies).
FLOW_TABLES = [
    """CREATE TABLE IF NOT EXISTS account (
        id VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL UNIQUE,
        password_hash VARCHAR NOT NULL,
        role VARCHAR NOT NULL,
        indicators VARCHAR NOT NULL,
        agency VARCHAR NOT NULL,
        email VARCHAR,
        active BOOLEAN NOT NULL,
        created TIMESTAMP NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS api_token (
        id VARCHAR PRIMARY KEY,
        account_id VARCHAR NOT NULL,
        token_hash VARCHAR NOT NULL UNIQUE,
        scopes VARCHAR NOT NULL,
        note VARCHAR,
        created TIMESTAMP NOT NULL,
        expires TIMESTAMP NOT NULL,
        revoked TIMESTAMP
    )""",
    """CREATE TABLE IF NOT EXISTS login_failure (
        name VARCHAR NOT NULL, address VARCHAR NOT NULL, moment TIMESTAMP NOT NULL)""",
    """CREATE TABLE IF NOT EXISTS submission (
        id VARCHAR PRIMARY KEY,
        account_id VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        created TIMESTAMP NOT NULL,
        file VARCHAR NOT NULL,
        format VARCHAR NOT NULL,
        indicators VARCHAR NOT NULL,
        row_count INTEGER NOT NULL,
        note VARCHAR,
        decided_by VARCHAR,
        decided_at TIMESTAMP,
        comment VARCHAR,
        load_id INTEGER
    )""",
    """CREATE TABLE IF NOT EXISTS submission_row (
        submission_id VARCHAR NOT NULL,
        row_number INTEGER NOT NULL,
        indicator VARCHAR NOT NULL,
        geo VARCHAR NOT NULL,
        period VARCHAR NOT NULL,
        dims VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        value DOUBLE PRECISION NOT NULL,
        unit VARCHAR NOT NULL,
        status VARCHAR,
        note VARCHAR,
        change VARCHAR NOT NULL,
        prior_value DOUBLE PRECISION,
        prior_vintage TIMESTAMP,
        flags VARCHAR NOT NULL
    )""",
    """CREATE TABLE IF NOT EXISTS audit_event (
        seq BIGINT PRIMARY KEY,
        moment TIMESTAMP NOT NULL,
        actor VARCHAR NOT NULL,
        action VARCHAR NOT NULL,
        subject VARCHAR NOT NULL,
        detail VARCHAR NOT NULL,
        reason VARCHAR
    )""",
]

#: The table of schema version 5: reports on the measures (events) of a programme's action plan, append-only
#: (a new report adds a row; the one in force as of a moment is the latest with ``vintage`` up to it).
MEASURE_TABLES = [
    """CREATE TABLE IF NOT EXISTS measure_report (
        id VARCHAR PRIMARY KEY,
        programme VARCHAR NOT NULL,
        measure VARCHAR NOT NULL,
        status VARCHAR NOT NULL,
        completed DATE,
        budget_planned DOUBLE PRECISION,
        budget_spent DOUBLE PRECISION,
        currency VARCHAR,
        comment VARCHAR,
        reported_by VARCHAR NOT NULL,
        vintage TIMESTAMP NOT NULL
    )""",
]

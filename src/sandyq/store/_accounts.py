"""People in the store: accounts and their roles, API tokens, failed sign-ins and the audit trail.

sandyq keeps who may do what next to the data, so that a store carries its own
permissions wherever it goes (the embedded DuckDB file, or a server database).
Everything here is written with portable SQL (plain types, ``?`` parameters,
ids made by sandyq), so the same statements (:data:`FLOW_TABLES`, schema
version 4) serve every backend.  Nothing is ever deleted: an account is
disabled, a token revoked, and every change is an event of the audit trail
(:func:`record`), written in the same transaction as the change itself.

Roles (:data:`ROLES`): ``admin`` does everything; ``reviewer`` decides
submissions and reads the trail; ``owner`` submits figures for the indicators,
or the agency (a source's publisher or id), it owns; ``viewer`` reads.
"""

from __future__ import annotations

import json
import secrets
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ..errors import AuthenticationError, ConflictError, InvalidValueError, NotFoundError
from ._tables import FLOW_TABLES

if TYPE_CHECKING:
    import pandas as pd

    from ._store import Store

__all__ = [
    "FLOW_TABLES",
    "ROLES",
    "SCOPES",
    "Account",
    "Token",
    "account_named",
    "accounts",
    "add_account",
    "add_token",
    "audit_events",
    "audit_frame",
    "failures",
    "new_id",
    "record",
    "record_failure",
    "recording",
    "revoke_token",
    "session_secret",
    "set_active",
    "set_role",
    "token_account",
    "tokens",
    "writing",
]

#: Roles of an account, most powerful first.
ROLES = ("admin", "reviewer", "owner", "viewer")
#: What an API token may be allowed to do (a token never does more than its account's role allows).
SCOPES = ("submit", "review", "read")


def now() -> datetime:
    """Now, as a naive UTC timestamp (how the store keeps moments)."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_id() -> str:
    """A new id (32 hex digits) made by sandyq, the same on every backend.

    >>> len(new_id())
    32
    """
    return uuid.uuid4().hex


@dataclass(frozen=True)
class Account:
    """A person (or a machine) that signs in: a name, a role and, for an owner, what it owns."""

    id: str
    name: str
    role: str
    indicators: tuple[str, ...]
    agency: str
    email: str | None
    active: bool
    created: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "role": self.role,
            "indicators": list(self.indicators),
            "agency": self.agency,
            "email": self.email,
            "active": self.active,
            "created": self.created.isoformat(),
        }


@dataclass(frozen=True)
class Token:
    """An API token as the store keeps it (never the secret): whose, what for, until when."""

    id: str
    account: str
    scopes: tuple[str, ...]
    note: str | None
    created: datetime
    expires: datetime
    revoked: datetime | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "account": self.account,
            "scopes": list(self.scopes),
            "note": self.note,
            "created": self.created.isoformat(),
            "expires": self.expires.isoformat(),
            "revoked": self.revoked.isoformat() if self.revoked else None,
        }


_ACCOUNT = "SELECT id, name, role, indicators, agency, email, active, created FROM account"


def _account(row: Sequence[Any]) -> Account:
    return Account(
        str(row[0]),
        str(row[1]),
        str(row[2]),
        tuple(i for i in str(row[3]).split(",") if i),
        str(row[4]),
        row[5],
        bool(row[6]),
        row[7],
    )


@contextmanager
def writing(store: Store) -> Iterator[Any]:
    """The store's connection inside one transaction that counts as a change (see ``Store.data_version``)."""
    with store._transaction():
        yield store.con
        store._changed()


@contextmanager
def recording(store: Store) -> Iterator[Any]:
    """The store's connection inside one transaction that changes no published figure (accounts, tokens, failed
    sign-ins, pending submissions and decisions that publish nothing, with their audit events).

    It takes the writer lock as every write does, but does not count as a change (``Store.data_version``): the
    dashboard's workers keep their cached answers, which only published data shape, instead of dropping and
    computing them again after every sign-in failure or submission.
    """
    with store._transaction():
        yield store.con


def record(con: Any, actor: str, action: str, subject: str, detail: dict[str, Any], reason: str | None = None) -> None:
    """Add one event to the audit trail (inside the transaction of the change it records).

    Its number is the next one, counted in the same statement; the store's writer lock (the transaction's)
    makes writers take turns, so no two events get one number (the key would refuse the second anyway).
    """
    con.execute(
        "INSERT INTO audit_event SELECT coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?, ? FROM audit_event",
        [now(), actor, action, subject, json.dumps(detail, ensure_ascii=False, sort_keys=True), reason],
    )


def add_account(
    store: Store,
    name: str,
    role: str,
    password_hash: str,
    *,
    indicators: Sequence[str] = (),
    agency: str = "",
    email: str | None = None,
    actor: str = "system",
    reason: str | None = None,
) -> Account:
    """Create an account; a name taken already is a conflict, a role not in :data:`ROLES` an invalid value."""
    if role not in ROLES:
        raise InvalidValueError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    if not name.strip() or any(c.isspace() for c in name):
        raise InvalidValueError(f"account name {name!r}: give a name without spaces")
    account = Account(new_id(), name, role, tuple(indicators), agency, email, True, now())
    with recording(store) as con:
        if con.execute("SELECT 1 FROM account WHERE name = ?", [name]).fetchall():
            raise ConflictError(f"account {name!r} exists already")
        con.execute(
            "INSERT INTO account VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [account.id, name, password_hash, role, ",".join(indicators), agency, email, True, account.created],
        )
        record(con, actor, "account.add", name, account.to_dict(), reason)
    return account


def accounts(store: Store) -> list[Account]:
    """Every account, active or not, by name."""
    return [_account(r) for r in store.con.execute(_ACCOUNT + " ORDER BY name").fetchall()]


def account_named(store: Store, name: str) -> tuple[Account, str]:
    """The account called ``name`` and its password hash; an unknown name is :class:`NotFoundError`."""
    rows = store.con.execute(
        "SELECT id, name, role, indicators, agency, email, active, created, password_hash FROM account WHERE name = ?",
        [name],
    ).fetchall()
    if not rows:
        raise NotFoundError(f"no account {name!r}")
    return _account(rows[0]), str(rows[0][8])


def set_active(store: Store, name: str, active: bool, *, actor: str = "system", reason: str | None = None) -> Account:
    """Enable or disable an account (a disabled one cannot sign in, and its tokens stop working)."""
    account, _ = account_named(store, name)
    with recording(store) as con:
        con.execute("UPDATE account SET active = ? WHERE id = ?", [active, account.id])
        record(con, actor, "account.enable" if active else "account.disable", name, {"active": active}, reason)
    return account_named(store, name)[0]


def set_role(
    store: Store,
    name: str,
    role: str,
    *,
    indicators: Sequence[str] | None = None,
    agency: str | None = None,
    actor: str = "system",
    reason: str | None = None,
) -> Account:
    """Change an account's role and, for an owner, what it owns (None: kept as it is); recorded with the before."""
    if role not in ROLES:
        raise InvalidValueError(f"role {role!r}: expected one of {', '.join(ROLES)}")
    before, _ = account_named(store, name)
    owned = before.indicators if indicators is None else tuple(indicators)
    agency = before.agency if agency is None else agency
    with recording(store) as con:
        con.execute(
            "UPDATE account SET role = ?, indicators = ?, agency = ? WHERE id = ?",
            [role, ",".join(owned), agency, before.id],
        )
        detail = {"from": before.role, "role": role, "indicators": list(owned), "agency": agency}
        record(con, actor, "account.role", name, detail, reason)
    return account_named(store, name)[0]


def add_token(
    store: Store,
    name: str,
    token_hash: str,
    *,
    scopes: Sequence[str],
    expires: datetime,
    note: str | None = None,
    actor: str = "system",
) -> Token:
    """Keep a new token's hash for account ``name``, allowed ``scopes`` until ``expires`` (naive UTC)."""
    bad = [s for s in scopes if s not in SCOPES]
    if bad or not scopes:
        raise InvalidValueError(f"token scope {','.join(bad) or '(none)'}: expected some of {', '.join(SCOPES)}")
    account, _ = account_named(store, name)
    token = Token(new_id()[:16], name, tuple(scopes), note, now(), expires, None)
    with recording(store) as con:
        con.execute(
            "INSERT INTO api_token VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [token.id, account.id, token_hash, ",".join(scopes), note, token.created, expires, None],
        )
        record(con, actor, "token.create", name, token.to_dict())
    return token


_TOKEN = """SELECT t.id, a.name, t.scopes, t.note, t.created, t.expires, t.revoked
            FROM api_token t JOIN account a ON a.id = t.account_id"""


def _token(row: Sequence[Any]) -> Token:
    return Token(str(row[0]), str(row[1]), tuple(str(row[2]).split(",")), row[3], row[4], row[5], row[6])


def tokens(store: Store) -> list[Token]:
    """Every token (revoked and expired ones too), oldest first."""
    return [_token(r) for r in store.con.execute(_TOKEN + " ORDER BY t.created").fetchall()]


def revoke_token(store: Store, token_id: str, *, actor: str = "system", reason: str | None = None) -> Token:
    """Revoke a token by its id: it stops working at once; revoking it again changes nothing."""
    rows = store.con.execute(_TOKEN + " WHERE t.id = ?", [token_id]).fetchall()
    if not rows:
        raise NotFoundError(f"no token {token_id!r}")
    if rows[0][6] is None:
        with recording(store) as con:
            con.execute("UPDATE api_token SET revoked = ? WHERE id = ?", [now(), token_id])
            record(con, actor, "token.revoke", str(rows[0][1]), {"token": token_id}, reason)
    return _token(store.con.execute(_TOKEN + " WHERE t.id = ?", [token_id]).fetchall()[0])


def token_account(store: Store, token_hash: str) -> tuple[Account, tuple[str, ...]]:
    """The active account a token (by its hash) speaks for, with the token's scopes; else 401 saying why."""
    rows = store.con.execute(
        """SELECT t.account_id, t.scopes, t.expires, t.revoked, t.id FROM api_token t WHERE t.token_hash = ?""",
        [token_hash],
    ).fetchall()
    if not rows:
        raise AuthenticationError("unknown API token")
    account_id, scopes, expires, revoked, token_id = rows[0]
    if revoked is not None:
        raise AuthenticationError(f"API token {token_id} was revoked on {revoked:%Y-%m-%d %H:%M} UTC")
    if expires <= now():
        raise AuthenticationError(f"API token {token_id} expired on {expires:%Y-%m-%d %H:%M} UTC")
    found = store.con.execute(_ACCOUNT + " WHERE id = ?", [account_id]).fetchall()
    if not found or not found[0][6]:
        raise AuthenticationError(f"API token {token_id}: its account is disabled")
    return _account(found[0]), tuple(str(scopes).split(","))


def record_failure(store: Store, name: str, address: str) -> None:
    """Remember a failed sign-in of ``name`` from ``address`` (what the rate limit counts)."""
    with recording(store) as con:
        con.execute("INSERT INTO login_failure VALUES (?, ?, ?)", [name, address, now()])


def failures(store: Store, name: str, address: str, since: datetime) -> int:
    """How many sign-ins of ``name`` from ``address`` failed since ``since``."""
    rows = store.con.execute(
        "SELECT count(*) FROM login_failure WHERE name = ? AND address = ? AND moment >= ?", [name, address, since]
    ).fetchall()
    return int(rows[0][0])


def audit_events(store: Store, limit: int | None = None) -> list[dict[str, Any]]:
    """The audit trail, newest first: who did what, to what, when and why (``detail`` is a dict)."""
    sql = "SELECT seq, moment, actor, action, subject, detail, reason FROM audit_event ORDER BY seq DESC"
    rows = store.con.execute(sql + (f" LIMIT {int(limit)}" if limit else "")).fetchall()
    names = ("seq", "moment", "actor", "action", "subject", "detail", "reason")
    out = [dict(zip(names, r, strict=True)) for r in rows]
    for e in out:
        e["detail"] = json.loads(e["detail"])
    return out


def audit_frame(store: Store, limit: int | None = None) -> pd.DataFrame:
    """The audit trail as a table, newest first (``detail`` as JSON text): what ``sandyq trail`` and the CSV show."""
    import pandas as pd

    events = audit_events(store, limit)
    for e in events:
        e["detail"] = json.dumps(e["detail"], ensure_ascii=False, sort_keys=True)
    return pd.DataFrame(events, columns=["seq", "moment", "actor", "action", "subject", "detail", "reason"])


def session_secret(store: Store) -> str | None:
    """The key that signs session cookies, kept in the store's ``meta``; made on first use by a writer.

    Every worker (process, machine) serving the store signs with this one key, so a session made by one is
    read by the others.  Two workers starting at once on a store without a key make one each: the first
    kept wins (``INSERT OR IGNORE``) and both use it.
    """
    rows = store.con.execute("SELECT value FROM meta WHERE key = 'session_secret'").fetchall()
    if rows:
        return str(rows[0][0])
    if store.read_only:
        return None
    with store._transaction():
        store.con.execute("INSERT OR IGNORE INTO meta VALUES ('session_secret', ?)", [secrets.token_urlsafe(32)])
    return str(store.con.execute("SELECT value FROM meta WHERE key = 'session_secret'").fetchall()[0][0])

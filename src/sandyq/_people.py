"""Who may do what: accounts with hashed passwords, roles, API tokens and signing in.

The API layer joins the store's records (:mod:`sandyq.store.accounts`) with
the password functions (:mod:`sandyq.passwords`).  :func:`allowed` is the one
place that says what a role may do; an owner may submit only for the
indicators it owns, directly or through its agency (:func:`owns`).  Signing in
is rate-limited: after :data:`MAX_FAILURES` failures of one account from one
address within :data:`WINDOW`, it is refused (429) until they age out.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from .errors import AuthenticationError, NotFoundError, PermissionDeniedError, TooManyAttemptsError
from .framework import Framework
from .passwords import check_password, hash_password, hash_token, new_password, new_token
from .store import Account, Store, Token
from .store import accounts as records

__all__ = [
    "ABILITIES",
    "MAX_FAILURES",
    "WINDOW",
    "add_user",
    "allowed",
    "create_token",
    "ensure_admin",
    "owns",
    "require",
    "sign_in",
    "token_user",
]

#: What each role may do.
ABILITIES = {
    "admin": frozenset({"read", "submit", "review", "admin"}),
    "reviewer": frozenset({"read", "review"}),
    "owner": frozenset({"read", "submit"}),
    "viewer": frozenset({"read"}),
}
#: Failed sign-ins of one account from one address allowed within :data:`WINDOW`.
MAX_FAILURES = 5
WINDOW = timedelta(minutes=15)


def add_user(
    store: Store,
    name: str,
    role: str,
    password: str | None = None,
    *,
    indicators: Sequence[str] = (),
    agency: str = "",
    email: str | None = None,
    actor: str = "system",
    reason: str | None = None,
) -> tuple[Account, str]:
    """Create an account; returns it with its password (a new random one when none is given)."""
    secret = password or new_password()
    account = records.add_account(
        store,
        name,
        role,
        hash_password(secret),
        indicators=indicators,
        agency=agency,
        email=email,
        actor=actor,
        reason=reason,
    )
    return account, secret


def ensure_admin(store: Store, name: str = "admin") -> str | None:
    """Create the first admin account when the store has none; its password (shown once), else None."""
    if records.accounts(store):
        return None
    return add_user(store, name, "admin", reason="the first account, made by init")[1]


def sign_in(store: Store, name: str, password: str, address: str) -> Account:
    """The active account ``name`` if ``password`` is its own; else 401 (429 after too many failures)."""
    since = records.now() - WINDOW
    if records.failures(store, name, address, since) >= MAX_FAILURES:
        raise TooManyAttemptsError(f"too many failed sign-ins for {name!r}; try again in 15 minutes")
    try:
        account, stored = records.account_named(store, name)
    except NotFoundError:
        account, stored = None, ""
    if account is None or not check_password(stored, password) or not account.active:
        if not store.read_only:
            records.record_failure(store, name, address)
        raise AuthenticationError("wrong name or password, or the account is disabled")
    return account


def create_token(
    store: Store, name: str, scopes: Sequence[str], *, days: float = 90, note: str | None = None, actor: str = "system"
) -> tuple[Token, str]:
    """A new API token for account ``name`` valid ``days`` days: its record and its secret (shown once)."""
    secret = new_token()
    expires = records.now() + timedelta(days=days)
    token = records.add_token(store, name, hash_token(secret), scopes=scopes, expires=expires, note=note, actor=actor)
    return token, secret


def token_user(store: Store, secret: str) -> tuple[Account, tuple[str, ...]]:
    """The account an API token speaks for and the token's scopes; a wrong, expired or revoked one: 401."""
    return records.token_account(store, hash_token(secret.strip()))


def allowed(account: Account, ability: str, scopes: Sequence[str] | None = None) -> bool:
    """Whether ``account`` (through a token limited to ``scopes``, if any) may ``ability``.

    >>> from datetime import datetime
    >>> owner = Account("1", "ann", "owner", ("17-8-1",), "", None, True, datetime(2026, 1, 1))
    >>> allowed(owner, "submit"), allowed(owner, "review"), allowed(owner, "submit", ["read"])
    (True, False, False)
    """
    if not account.active or ability not in ABILITIES.get(account.role, ()):
        return False
    if scopes is None:
        return True
    needed = "read" if ability == "read" else ("review" if ability in ("review", "admin") else "submit")
    return needed in scopes


def require(account: Account | None, ability: str, scopes: Sequence[str] | None = None) -> Account:
    """``account`` if it may ``ability``; None: 401; another role: 403."""
    if account is None:
        raise AuthenticationError(f"sign in (or give an API token) to {ability}")
    if not allowed(account, ability, scopes):
        raise PermissionDeniedError(f"account {account.name!r} ({account.role}) may not {ability}")
    return account


def owns(account: Account, indicator: str, framework: Framework) -> bool:
    """Whether ``account`` may submit figures of ``indicator``: an admin always, an owner by scope.

    An owner owns the indicators it lists, and those whose source is its agency (a source id, or its
    publisher's name in any language, compared without case).
    """
    if account.role == "admin":
        return True
    if account.role != "owner":
        return False
    if indicator in account.indicators:
        return True
    if not account.agency or indicator not in framework.indicators:
        return False
    source = framework.sources.get(framework.indicator(indicator).source)
    if source is None:
        return False
    agency = account.agency.casefold()
    names = {source.id.casefold()} | {
        str(getattr(source.publisher, lang, "")).casefold() for lang in ("kk", "ru", "en")
    }
    return agency in names

"""Passwords and API tokens: how sandyq keeps secrets it must check but never store.

A password is kept as its argon2id hash (argon2-cffi, with the library's
parameters of RFC 9106's second recommendation); checking one takes tens of
milliseconds, which is what makes guessing slow.  An API token is a random
secret of 32 bytes shown once; the store keeps only its SHA-256, which is enough
(a random secret of 256 bits cannot be guessed from its hash) and lets a token
be looked up by its hash in one query.  A new account's password, when sandyq
makes one, is random and readable (letters and digits in groups).
"""

from __future__ import annotations

import hashlib
import secrets
import string

__all__ = ["TOKEN_PREFIX", "check_password", "hash_password", "hash_token", "new_password", "new_token"]

#: Every token starts with it, so a leaked one is easy to recognise (and a scanner can find it).
TOKEN_PREFIX = "sqt_"
_ALPHABET = string.ascii_letters + string.digits


def hash_password(password: str) -> str:
    """The argon2id hash of ``password`` (a PHC string with its salt and parameters).

    >>> hash_password("correct horse").startswith("$argon2id$")
    True
    """
    from argon2 import PasswordHasher

    return PasswordHasher().hash(password)


def check_password(stored: str, password: str) -> bool:
    """Whether ``password`` is the one hashed as ``stored`` (False for a wrong one or a damaged hash).

    >>> h = hash_password("correct horse")
    >>> check_password(h, "correct horse"), check_password(h, "Correct horse"), check_password("x", "x")
    (True, False, False)
    """
    from argon2 import PasswordHasher
    from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

    try:
        return bool(PasswordHasher().verify(stored, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_password(groups: int = 4) -> str:
    """A random password of ``groups`` groups of five letters or digits (about 119 bits for 4 groups).

    >>> p = new_password()
    >>> len(p), p.count("-")
    (23, 3)
    """
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(groups))


def new_token() -> str:
    """A new API token: the prefix and 32 random bytes, URL-safe.

    >>> t = new_token()
    >>> t.startswith(TOKEN_PREFIX), len(t) > 40
    (True, True)
    """
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The SHA-256 (hex) of a token: what the store keeps and looks tokens up by.

    >>> hash_token("sqt_abc")[:12]
    'eed43e2f6405'
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()

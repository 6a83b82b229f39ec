"""The settings registry: one place that defines every setting.

Each :class:`Setting` has a name, an environment variable, a default and a help
text.  The CLI builds its global options from this registry, the docs list it
(``docs/settings.md`` is checked against it by a test), and
:func:`resolve` gives the value in force: explicit argument, then environment
variable, then default.

>>> resolve("language", environ={"SANDYQ_LANGUAGE": "kk"})
'kk'
>>> resolve("port", environ={})
8000
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .errors import InvalidValueError

__all__ = ["LANGUAGES", "SETTINGS", "Setting", "resolve"]

#: Languages of metadata and of the user interface, in display order.
LANGUAGES: tuple[str, ...] = ("kk", "ru", "en")


@dataclass(frozen=True)
class Setting:
    """A named setting with its environment variable, default and help."""

    name: str
    env: str
    default: Any
    help: str
    type: type = str
    choices: tuple[str, ...] | None = None

    def parse(self, raw: str) -> Any:
        """The value of the environment variable's text ``raw``; a text that is not one names the variable.

        >>> _BY_NAME["lock_timeout"].parse("2.5")
        2.5
        """
        if self.type in (int, float):
            try:
                return self.type(raw)
            except ValueError:
                raise InvalidValueError(f"{self.env}={raw!r}: expected a number") from None
        value = raw.strip()
        if self.choices and value not in self.choices:
            raise InvalidValueError(f"{self.env}={raw!r}: expected one of {', '.join(self.choices)}")
        return value


SETTINGS: tuple[Setting, ...] = (
    Setting("db", "SANDYQ_DB", "sandyq.duckdb", "Path of the DuckDB store, or a postgresql:// URL."),
    Setting(
        "language",
        "SANDYQ_LANGUAGE",
        "en",
        "Language of names and labels in output (kk, ru or en).",
        choices=LANGUAGES,
    ),
    Setting("host", "SANDYQ_HOST", "127.0.0.1", "Host the dashboard server binds to."),
    Setting("port", "SANDYQ_PORT", 8000, "Port the dashboard server listens on.", type=int),
    Setting(
        "cache",
        "SANDYQ_CACHE",
        "~/.cache/sandyq",
        "Folder where connectors (fetch wdi, fetch taldau) keep downloaded responses.",
    ),
    Setting(
        "web_cache_mb",
        "SANDYQ_WEB_CACHE_MB",
        64,
        "Memory budget, in MiB, of the dashboard's cache of computed answers and responses.",
        type=int,
    ),
    Setting(
        "lock_timeout",
        "SANDYQ_LOCK_TIMEOUT",
        300,
        "Seconds to wait for another process using the store (a load, or the dashboard reading) before giving up.",
        type=float,
    ),
    Setting(
        "load_chunk_rows",
        "SANDYQ_LOAD_CHUNK_ROWS",
        500_000,
        "Rows of a tidy CSV read, validated and staged at a time by a load (a file with more is streamed).",
        type=int,
    ),
    Setting(
        "session_secret",
        "SANDYQ_SESSION_SECRET",
        "",
        "Key that signs the dashboard's session cookies (empty: one generated once and kept in the store).",
    ),
    Setting(
        "secure_cookies",
        "SANDYQ_SECURE_COOKIES",
        "auto",
        "Send the session cookie over HTTPS only: yes, no, or auto (only when the request came over HTTPS).",
        choices=("auto", "yes", "no"),
    ),
    Setting(
        "smtp", "SANDYQ_SMTP", "", "SMTP server (host:port) that notifications are e-mailed through (empty: none)."
    ),
    Setting("mail_from", "SANDYQ_MAIL_FROM", "sandyq@localhost", "Sender address of notification e-mails."),
    Setting("webhook", "SANDYQ_WEBHOOK", "", "URL that every notification is POSTed to as JSON (empty: none)."),
    Setting(
        "notify_timeout",
        "SANDYQ_NOTIFY_TIMEOUT",
        10,
        "Seconds a notification waits for the SMTP server or the webhook before it is given up (and logged).",
        type=float,
    ),
    Setting(
        "due_annual",
        "SANDYQ_DUE_ANNUAL",
        "P9M",
        "How long after its year ends an annual figure is due (ISO 8601 duration), unless the indicator says.",
    ),
    Setting(
        "due_quarterly",
        "SANDYQ_DUE_QUARTERLY",
        "P3M",
        "How long after its quarter ends a quarterly figure is due (ISO 8601 duration), unless the indicator says.",
    ),
    Setting(
        "due_monthly",
        "SANDYQ_DUE_MONTHLY",
        "P45D",
        "How long after its month ends a monthly figure is due (ISO 8601 duration), unless the indicator says.",
    ),
)

_BY_NAME = {s.name: s for s in SETTINGS}


def resolve(name: str, value: Any = None, environ: Mapping[str, str] | None = None) -> Any:
    """The value of setting ``name``: ``value`` if given, else its env var, else the default."""
    setting = _BY_NAME[name]
    if value is not None:
        return value
    env = os.environ if environ is None else environ
    raw = env.get(setting.env)
    if raw is not None and raw != "":
        return setting.parse(raw)
    return setting.default

"""Canonical forms of the parts of an observation's key: periods, dimensions, vintages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, time, timedelta

from ..errors import InvalidValueError

__all__ = ["as_of_bound", "dims_key", "parse_dims", "parse_period", "parse_vintage"]

_PERIOD = re.compile(r"^(\d{4})(?:-(Q[1-4]|0[1-9]|1[0-2]))?$", re.ASCII)


def parse_period(text: str) -> str | None:
    """The canonical period for ``text`` (year, quarter or month), or None if it is not one.

    Compatibility forms are normalised first (NFKC: full-width ``２０２３`` is
    ``2023``); what remains must be ASCII, so the store holds one spelling of
    each period.

    >>> parse_period("2019"), parse_period("2019-q2"), parse_period("2019-03"), parse_period("2019.0")
    ('2019', '2019-Q2', '2019-03', '2019')
    >>> parse_period("２０２３"), parse_period("19"), parse_period("٢٠٢٣")
    ('2023', None, None)
    """
    t = unicodedata.normalize("NFKC", text).strip().upper()
    if t.endswith(".0") and t[:-2].isascii() and t[:-2].isdigit():
        t = t[:-2]
    m = _PERIOD.match(t)
    if not m:
        return None
    year = int(m.group(1))
    if not 1800 <= year <= 2100:
        return None
    return t


def dims_key(dims: Mapping[str, object]) -> str:
    """The canonical text of a disaggregation; blank values mean total and are dropped.

    >>> dims_key({"SEX": "F", "urbanisation": "", "age": "Y15T24"})
    'age=Y15T24;sex=F'
    >>> dims_key({})
    ''
    """
    parts = []
    for k, v in dims.items():
        s = "" if v is None else str(v).strip()
        if s and s.lower() != "nan":
            parts.append(f"{str(k).strip().lower()}={s}")
    return ";".join(sorted(parts))


def parse_dims(key: str) -> dict[str, str]:
    """The mapping behind a canonical disaggregation text.

    >>> parse_dims("age=Y15T24;sex=F")
    {'age': 'Y15T24', 'sex': 'F'}
    """
    if not key:
        return {}
    return dict(part.split("=", 1) for part in key.split(";"))


def parse_vintage(value: date | datetime | str | None) -> datetime:
    """A vintage as a naive UTC timestamp with microsecond precision (what the store keeps); None means now.

    A date means its midnight; a date-time with a zone (``Z``, ``+05:00``) is
    converted to UTC, one without is taken as UTC already.  The default, now,
    keeps its microseconds, so that loads made one after the other on the same
    day (or second) each get a vintage of their own and each stays reachable.

    >>> parse_vintage("2024-10-24"), parse_vintage("2024-10-24T10:00:00.25+05:00")
    (datetime.datetime(2024, 10, 24, 0, 0), datetime.datetime(2024, 10, 24, 5, 0, 0, 250000))
    """
    if value is None:
        return datetime.now(UTC).replace(tzinfo=None)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    try:
        return parse_vintage(datetime.fromisoformat(unicodedata.normalize("NFKC", str(value)).strip()))
    except ValueError:
        raise InvalidValueError(
            f"not a date or timestamp: {value!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS, optionally with a "
            "fraction of a second and a zone such as Z or +05:00)"
        ) from None


# An ISO 8601 date-time: its date, and its time (after "T" or a space) without the zone, to tell its precision.
_STAMP = re.compile(r"^[^T ]+(?:[T ](?P<time>[\d:]+)(?:[.,](?P<fraction>\d+))?(?:Z|[+-][\d:]+)?)?$", re.I)


def _written_span(text: str) -> timedelta:
    """How long the instant written as ``text`` lasts: a day, an hour, a minute, a second or a fraction of one."""
    m = _STAMP.match(text)
    if m is None:
        return timedelta(microseconds=1)
    if m.group("time") is None:
        return timedelta(days=1)
    if m.group("fraction"):
        return timedelta(microseconds=10 ** max(0, 6 - len(m.group("fraction"))))
    digits = len(m.group("time").replace(":", ""))
    return {2: timedelta(hours=1), 4: timedelta(minutes=1)}.get(digits, timedelta(seconds=1))


def as_of_bound(value: date | datetime | str | None) -> datetime | None:
    """The last instant covered by an "as of" date or date-time (naive UTC), or None for no bound.

    An as-of covers all of what it names, at the precision it is written to: a
    bare date its whole day (UTC), a date-time to the minute that minute, to the
    second that second, with a fraction that fraction (microseconds: exactly).
    So a vintage copied from a listing that shows seconds finds that load.  A
    date-time with a zone (``Z``, ``+05:00``) is converted to UTC; one without is
    UTC already, like the stored vintages.

    >>> as_of_bound("2020-05-01")
    datetime.datetime(2020, 5, 1, 23, 59, 59, 999999)
    >>> as_of_bound("2020-05-01T10:30"), as_of_bound("2020-05-01T10:30:00+05:00")
    (datetime.datetime(2020, 5, 1, 10, 30, 59, 999999), datetime.datetime(2020, 5, 1, 5, 30, 0, 999999))
    >>> as_of_bound("2020-05-01 10:30:00.123456")
    datetime.datetime(2020, 5, 1, 10, 30, 0, 123456)
    """
    if value is None:
        return None
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            try:
                value = date.fromisoformat(text)
            except ValueError:
                raise InvalidValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
        else:
            return parse_vintage(text) + _written_span(text) - timedelta(microseconds=1)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time.max)
    return parse_vintage(value)

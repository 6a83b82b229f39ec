"""Canonical forms of the parts of an observation's key: periods, dimensions, vintages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from datetime import UTC, date, datetime, time

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
    """A vintage as a naive UTC timestamp (seconds precision); None means now."""
    if value is None:
        return datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    try:
        return parse_vintage(datetime.fromisoformat(unicodedata.normalize("NFKC", str(value)).strip()))
    except ValueError:
        raise InvalidValueError(f"not a date or timestamp: {value!r} (use YYYY-MM-DD or YYYY-MM-DDTHH:MM:SS)") from None


def as_of_bound(value: date | datetime | str | None) -> datetime | None:
    """The last instant covered by an "as of" date: a bare date includes the whole day.

    >>> as_of_bound("2020-05-01")
    datetime.datetime(2020, 5, 1, 23, 59, 59, 999999)
    """
    if value is None:
        return None
    if isinstance(value, str) and len(value.strip()) == 10:
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidValueError(f"not a date: {value!r} (use YYYY-MM-DD)") from None
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime.combine(value, time.max)
    return parse_vintage(value)

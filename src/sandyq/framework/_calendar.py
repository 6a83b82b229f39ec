"""The release calendar: when an indicator's figure for a period is due.

A figure is due a *lag* after its period ends: the indicator's own ``due``
(declared in the framework) or the default of its periodicity (settings
``due_annual``, ``due_quarterly``, ``due_monthly``).  A lag is an ISO 8601
duration of years, months and days (``P9M``, ``P45D``, ``P1Y2M``), the form
DHIS2 and SDMX use for periods and release lags.  An ``irregular`` indicator
has no calendar.  The next figure expected is the period after the latest one
published; it is overdue once its due day has passed.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import InvalidValueError
from ..settings import resolve
from ._keys import parse_period

__all__ = ["Lag", "due_date", "lag_for", "next_period", "parse_lag", "period_end"]

_LAG = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$")


@dataclass(frozen=True)
class Lag:
    """How long after its period ends a figure is due: years, months and days."""

    years: int = 0
    months: int = 0
    days: int = 0

    def __str__(self) -> str:
        parts = [f"{n}{u}" for n, u in ((self.years, "Y"), (self.months, "M"), (self.days, "D")) if n]
        return "P" + ("".join(parts) or "0D")

    def after(self, day: date) -> date:
        """``day`` plus the lag (a month-end stays within its month: 31 March + 6 months is 30 September).

        >>> parse_lag("P6M").after(date(2024, 3, 31)), parse_lag("P1Y45D").after(date(2024, 12, 31))
        (datetime.date(2024, 9, 30), datetime.date(2026, 2, 14))
        """
        months = day.month - 1 + self.months + 12 * self.years
        year, month = day.year + months // 12, months % 12 + 1
        moved = date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
        return moved + timedelta(days=self.days)


def parse_lag(text: str) -> Lag:
    """The lag written ``text`` (an ISO 8601 duration in years, months and days); else a clear error.

    >>> parse_lag("P9M"), str(parse_lag("p1y2m"))
    (Lag(years=0, months=9, days=0), 'P1Y2M')
    >>> parse_lag("9 months")
    Traceback (most recent call last):
    ...
    sandyq.errors.InvalidValueError: lag '9 months': expected an ISO 8601 duration such as P9M, P45D or P1Y2M
    """
    m = _LAG.match(str(text).strip().upper())
    if not m or not any(m.groups()):
        raise InvalidValueError(f"lag {text!r}: expected an ISO 8601 duration such as P9M, P45D or P1Y2M")
    years, months, days = (int(g or 0) for g in m.groups())
    return Lag(years, months, days)


def _canon(period: str) -> str:
    canon = parse_period(period)
    if canon is None:
        raise InvalidValueError(f"period {period!r}: expected a year, a quarter (2024-Q1) or a month (2024-03)")
    return canon


def period_end(period: str) -> date:
    """The last day of a period (a year, a quarter or a month).

    >>> period_end("2024"), period_end("2024-Q1"), period_end("2024-02")
    (datetime.date(2024, 12, 31), datetime.date(2024, 3, 31), datetime.date(2024, 2, 29))
    """
    p = _canon(period)
    year = int(p[:4])
    if len(p) == 4:
        return date(year, 12, 31)
    part = p[5:]
    month = 3 * int(part[1]) if part.startswith("Q") else int(part)
    return date(year, month, calendar.monthrange(year, month)[1])


def next_period(period: str) -> str:
    """The period after ``period``, of the same kind.

    >>> next_period("2024"), next_period("2024-Q4"), next_period("2024-12")
    ('2025', '2025-Q1', '2025-01')
    """
    p = _canon(period)
    if len(p) == 4:
        return str(int(p) + 1)
    year, part = p.split("-")
    if part.startswith("Q"):
        q = int(part[1]) % 4 + 1
        return f"{int(year) + (q == 1)}-Q{q}"
    m = int(part) % 12 + 1
    return f"{int(year) + (m == 1)}-{m:02d}"


def due_date(period: str, lag: Lag | str) -> date:
    """The last day on which a period's figure is on time: the period's end plus the lag.

    >>> due_date("2024", "P9M"), due_date("2024-Q2", "P3M"), due_date("2024-11", "P45D")
    (datetime.date(2025, 9, 30), datetime.date(2024, 9, 30), datetime.date(2025, 1, 14))
    """
    return (lag if isinstance(lag, Lag) else parse_lag(lag)).after(period_end(period))


def lag_for(periodicity: str, due: str | None = None) -> Lag | None:
    """The release lag of an indicator: its own ``due``, else the setting of its periodicity; None if irregular.

    >>> str(lag_for("annual")), str(lag_for("monthly", "P20D")), lag_for("irregular")
    ('P9M', 'P20D', None)
    """
    if due:
        return parse_lag(due)
    if periodicity not in ("annual", "quarterly", "monthly"):
        return None
    setting = f"due_{periodicity}"
    try:
        return parse_lag(str(resolve(setting)))
    except InvalidValueError as exc:
        raise InvalidValueError(f"setting {setting} (SANDYQ_{setting.upper()}): {exc.summary}") from None

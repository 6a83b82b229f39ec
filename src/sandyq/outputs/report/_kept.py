"""The gathered figures of a report kept on disk, so the next report of the same figures does not gather them again.

Gathering the figures (:func:`._facts.gather`: the roll-up at two dates, the
audit, the composite index) is most of a report's time; saying them in a
language and laying them out is the rest.  A report in another format or
language of the same store, programme and dates needs the same figures, so
:func:`kept_gather` keeps them where the dashboard keeps its answers
(:class:`sandyq.outputs._disk.DiskAnswers`, in the cache folder, setting
``cache``), named by the store's path and change counter (any committed change
of the store makes new names), sandyq's version, a digest of the framework, the
programme and the dates.  A report of today (no ``--as-of``) keeps one file,
which says its day: read on that day only, replaced on the next (so daily
reports do not pile up files of ~15 MB).  Nothing is kept for an in-memory
store, and a kept file that cannot be read only means the figures are gathered anew.

>>> import sandyq, tempfile
>>> with sandyq.connect(":memory:") as m:
...     key = facts_key(m, "digital-kazakhstan", "2019-06-30", None)
>>> key[:3]
('report-facts', 'digital-kazakhstan', '2019-06-30')
"""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ... import Monitor
    from .._disk import DiskAnswers
    from ._facts import Facts

__all__ = ["facts_key", "kept_gather"]


def facts_key(
    monitor: Monitor, programme: str, as_of: Any, compare_to: Any, *, today: str | None = None
) -> tuple[str, ...]:
    """What the figures of a report depend on besides the store's data: programme, dates, framework.

    Without ``as_of`` the day is ``today`` (default: the date today).
    """
    day = (today or dt.date.today().isoformat()) if as_of is None else str(as_of)
    since = "" if compare_to is None else str(compare_to)
    framework = hashlib.sha256(repr(monitor.framework).encode("utf-8")).hexdigest()[:16]
    return ("report-facts", programme, day, since, framework)


def kept_gather(
    monitor: Monitor,
    programme: str,
    as_of: Any = None,
    compare_to: Any = None,
    *,
    folder: str | Path | None = None,
    disk: DiskAnswers | None = None,
) -> Facts:
    """:func:`._facts.gather`, or the figures kept in ``folder`` (or ``disk``, the dashboard's) for the same store,
    programme and dates.

    With neither (or an in-memory store) the figures are gathered every time and nothing is written.
    """
    from .._disk import DiskAnswers
    from ._facts import Facts, gather

    path = str(monitor.store.path)
    if (folder is None and disk is None) or path == ":memory:":
        return gather(monitor, programme, as_of, compare_to)
    disk = disk or DiskAnswers(folder or "", path)
    key = facts_key(monitor, programme, as_of, compare_to, today="today")
    day = dt.date.today().isoformat()
    version = monitor.store.data_version()
    hit = disk.get(key, version)
    if isinstance(hit, tuple) and len(hit) == 2 and hit[0] == day and isinstance(hit[1], Facts):
        return hit[1]
    facts = gather(monitor, programme, as_of, compare_to)
    disk.put(key, version, (day, facts))
    return facts

"""Submission → review → publish: the data owners' way in, the same for the web form, the JSON API and the CLI.

An owner's figures (a file of any format ``sandyq load`` takes, or the rows of
a form) are read and validated by the very readers of ``load``
(:func:`sandyq.read_data`; a form's rows are written as a tidy CSV first), so
a submission is refused exactly when a load would be.  Every indicator must be
owned by the submitter (403 otherwise, naming it).  The rows are kept as a
pending submission (:mod:`sandyq.store.submissions`), each compared with the
figure in force and flagged for the reviewer where it moves far from its
series (:func:`flags`).  A reviewer approves (publishes a new vintage, once),
rejects or returns it with a comment; conflicts answer 409.  Reviewers hear of each new submission and
owners of each decision by e-mail and webhook (:mod:`sandyq._notify`, settings ``smtp`` and ``webhook``); an
approval that moves the status of a target on the submitted indicators tells their owners, the reviewers and the
admins (:mod:`sandyq._alerts`).  Notices go out after the change is committed; a caller that holds the store
passes an ``outbox`` and sends them once it has let the store go.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd

from ._alerts import status_notices, target_statuses
from ._api import Monitor
from ._load import read_data
from ._notify import Notice, notify, send
from ._people import owns, require
from .errors import InvalidValueError, LoadError, PermissionDeniedError, Problem
from .framework import Source, parse_period
from .store import STAGED_COLUMNS, Account, LoadReport
from .store import submissions as records

__all__ = ["JUMP", "decide", "flags", "form_series", "read_rows", "read_upload", "submit"]

#: A submitted figure this far (relative) from its series' latest earlier figure, or from the figure it
#: revises, is flagged for the reviewer as a jump.
JUMP = 0.5


def read_upload(monitor: Monitor, path: str | Path, **options: Any) -> pd.DataFrame:
    """The validated rows of a file, read exactly as ``sandyq load`` reads it; refused: :class:`LoadError`."""
    known = [Source.model_validate(r) for r in monitor.store.source_rows()]
    batches = read_data(path, monitor.framework, known_sources=known, **options)
    frames = [b.staged[list(STAGED_COLUMNS)] for b in batches if len(b.staged)]
    if not frames:
        raise LoadError(f"{Path(path).name}: no figures in it to submit", [Problem(str(path), "no figures")])
    return pd.concat(frames, ignore_index=True)


def read_rows(monitor: Monitor, rows: Sequence[Mapping[str, Any]], label: str = "form") -> pd.DataFrame:
    """Rows given as dicts (``indicator``, ``geo``, ``period``, ``value``, ``unit``, ``source``, optional ``dims``,
    ``status``, ``note``), validated like a tidy CSV loaded by ``sandyq load``."""
    dims = sorted({k for r in rows for k in _dims(r.get("dims"))})
    header = ["INDICATOR", "REF_AREA", "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "SOURCE", "OBS_STATUS", "COMMENT"]
    with tempfile.TemporaryDirectory(prefix="sandyq-submit-") as folder:
        path = Path(folder) / f"{label}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            out = csv.writer(fh)
            out.writerow(header + dims)
            for r in rows:
                d = _dims(r.get("dims"))
                out.writerow(
                    [r.get(k, "") or "" for k in ("indicator", "geo", "period", "value", "unit", "source", "status")]
                    + [r.get("note") or ""]
                    + [d.get(k, "") for k in dims]
                )
        return read_upload(monitor, path, format="tidy")


def _dims(value: Any) -> dict[str, str]:
    """A disaggregation given as ``SEX=F;AGE=Y15-24`` or a mapping, as a dict."""
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    return dict(part.split("=", 1) for part in str(value).split(";") if "=" in part)


def flags(monitor: Monitor, frame: pd.DataFrame) -> list[str]:
    """For each row, the reviewer's warnings (``;``-separated, empty: none): a jump from its series.

    A row is compared with the figure it revises or, for a new period, with the latest earlier figure
    of its series (same geography, disaggregation and source); a relative change above :data:`JUMP`
    is flagged with its size.
    """
    published = monitor.store.observations(sorted(set(frame["indicator"])))
    series: dict[tuple[str, str, str, str], list[tuple[str, float]]] = {}
    for r in published[["indicator", "geo", "dims", "source", "period", "value"]].itertuples(index=False):
        series.setdefault((r[0], r[1], r[2], r[3]), []).append((str(r[4]), float(r[5])))
    out = []
    for r in frame.to_dict("records"):
        past = series.get((r["indicator"], r["geo"], r["dims"], r["source"]), [])
        before = [v for p, v in sorted(past) if p <= r["period"]]
        out.append(_jump(float(r["value"]), before[-1]) if before else "")
    return out


def _jump(value: float, before: float) -> str:
    """The flag of a move from ``before`` to ``value`` ('' if small).

    >>> _jump(150.0, 100.0), _jump(101.0, 100.0)
    ('jump +50% from 100', '')
    """
    if before == 0:
        return "" if value == 0 else f"jump from 0 to {value:g}"
    change = (value - before) / abs(before)
    return f"jump {change:+.0%} from {before:g}" if abs(change) >= JUMP else ""


def submit(
    monitor: Monitor,
    account: Account | None,
    frame: pd.DataFrame,
    *,
    file: str,
    format: str,
    note: str | None = None,
    scopes: Sequence[str] | None = None,
    expected: Mapping[records.Key, datetime | None] | None = None,
    outbox: list[Notice] | None = None,
) -> str:
    """Keep validated rows as a pending submission of ``account``; its id (401/403/409 as the brief says).

    The reviewers' notice is sent once the submission is committed, or put in ``outbox`` (see :func:`decide`).
    """
    who = require(account, "submit", scopes)
    foreign = sorted(i for i in set(frame["indicator"].astype(str)) if not owns(who, i, monitor.framework))
    if foreign:
        raise PermissionDeniedError(f"account {who.name!r} does not own indicator {', '.join(foreign)}")
    sid = records.save_submission(
        monitor.store,
        who.id,
        who.name,
        frame,
        file=file,
        format=format,
        note=note,
        flags=flags(monitor, frame),
        expected=expected,
    )
    notify(monitor.store, sid, "submission.awaiting", outbox)
    return sid


def decide(
    monitor: Monitor,
    account: Account | None,
    sid: str,
    decision: str,
    comment: str | None = None,
    scopes: Sequence[str] | None = None,
    outbox: list[Notice] | None = None,
) -> LoadReport | None:
    """Approve (publish; the load's report), reject or return a pending submission, as a reviewer.

    The owner hears of the decision and, for an approval, the owners, reviewers and admins of each target on the
    submitted indicators whose status the publication moved (judged before and after it, those targets only).
    The notices are sent once the decision is committed, or put in ``outbox`` for a caller that still holds the
    store (the dashboard's write turn, the command line) to send when it has let it go: a slow mail server then
    holds no writer up.
    """
    who = require(account, "review", scopes)
    report = None
    notices: list[Notice] = []
    if decision == "approve":
        info, rows = records.submission(monitor.store, sid)
        indicators = str(info["indicators"]).split(",")
        before = target_statuses(monitor, indicators) if info["status"] == "pending" else {}
        report = records.approve(monitor.store, sid, who.name, comment)
        notify(monitor.store, sid, "submission.decided", notices)
        notices += status_notices(monitor, sid, before, target_statuses(monitor, indicators), rows, report)
    elif decision in records.DECISIONS:
        records.decide(monitor.store, sid, decision, who.name, comment)
        notify(monitor.store, sid, "submission.decided", notices)
    else:
        raise InvalidValueError(f"decision {decision!r}: expected approve, reject or return")
    if outbox is None:
        send(notices)
    else:
        outbox.extend(notices)
    return report


def form_series(monitor: Monitor, indicator: str) -> list[dict[str, Any]]:
    """The rows of an indicator's entry form: each published series with its latest figure, the next
    period to enter and the target (value and year) set for its geography, if any."""
    ind = monitor.framework.indicator(indicator)
    obs = monitor.store.observations(indicator)
    targets = {t.geo: t for p in monitor.framework.programmes.values() for t in p.targets() if t.indicator == indicator}
    rows = []
    for (geo, dims, source), g in obs.groupby(["geo", "dims", "source"], sort=True):
        last = g.sort_values("period").iloc[-1]
        target = targets.get(str(geo))
        rows.append(
            {
                "geo": str(geo),
                "dims": str(dims),
                "source": str(source),
                "unit": str(last["unit"]),
                "last_period": str(last["period"]),
                "last_value": float(last["value"]),
                "vintage": pd.Timestamp(last["vintage"]).to_pydatetime(),
                "next_period": _next(str(last["period"])),
                "target": None if target is None else {"value": target.value, "year": target.year},
            }
        )
    if not rows:
        rows.append(
            {
                "geo": "KAZ",
                "dims": "",
                "source": ind.source,
                "unit": ind.unit,
                "last_period": None,
                "last_value": None,
                "vintage": None,
                "next_period": None,
                "target": None,
            }
        )
    return rows


def _next(period: str) -> str:
    """The period after ``period`` (a year, a quarter or a month).

    >>> _next("2024"), _next("2024-Q4"), _next("2024-03")
    ('2025', '2025-Q1', '2024-04')
    """
    parse_period(period)
    if len(period) == 4:
        return str(int(period) + 1)
    year, part = period.split("-")
    if part.startswith("Q"):
        q = int(part[1]) % 4 + 1
        return f"{int(year) + (q == 1)}-Q{q}"
    m = int(part) % 12 + 1
    return f"{int(year) + (m == 1)}-{m:02d}"

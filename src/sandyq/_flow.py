"""Submission → review → publish: the data owners' way in, the same for the web form, the JSON API and the CLI.

An owner's figures (a file of any format ``sandyq load`` takes, or the rows of
a form) are read and validated by the very readers of ``load``
(:func:`sandyq.read_data`; a form's rows are written as a tidy CSV first), so
a submission is refused exactly when a load would be.  Every indicator must be
owned by the submitter (403 otherwise, naming it).  The rows are kept as a
pending submission (:mod:`sandyq.store.submissions`), each compared with the
figure in force and flagged for the reviewer where it moves far from its
series, is an outlier against it, or breaks a declared validation rule on the
store as it would be after publication (:func:`flags`).  :func:`check` answers,
row by row and keeping nothing, what a submission would meet (the entry form's
live checks).  A reviewer approves (publishes a new vintage, once),
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
from ._messages import add_sentence, said
from ._notify import Notice, notify, send
from ._people import owns, require
from .errors import InvalidValueError, LoadError, PermissionDeniedError, Problem
from .framework import Source, next_period
from .store import STAGED_COLUMNS, Account, LoadReport
from .store import submissions as records

__all__ = [
    "JUMP",
    "SEPARATOR",
    "check",
    "decide",
    "flag_lists",
    "flags",
    "form_series",
    "read_rows",
    "read_upload",
    "said_flags",
    "submit",
]

#: A submitted figure this far (relative) from its series' latest earlier figure, or from the figure it
#: revises, is flagged for the reviewer as a jump.
JUMP = 0.5
#: How a row's warnings are joined in the store's ``flags`` column (never inside a warning outside brackets).
SEPARATOR = "; "

# fmt: off
add_sentence("jump {change} from {before}", "скачок {change} от {before}", "{before} мәнінен {change} секіріс")
add_sentence("jump from 0 to {value}", "скачок с 0 до {value}", "0-ден {value} дейін секіріс")
# fmt: on


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
                    ["" if r.get(k) is None else r[k] for k in _FORM_COLUMNS]  # a value of 0 is a figure
                    + [r.get("note") or ""]
                    + [d.get(k, "") for k in dims]
                )
        return read_upload(monitor, path, format="tidy")


_FORM_COLUMNS = ("indicator", "geo", "period", "value", "unit", "source", "status")
_KEY = ("indicator", "geo", "period", "source", "dims")


def _dims_text(value: Any) -> str:
    """A disaggregation as the store keys it: ``AGE=Y15-24;SEX=F`` (sorted), '' for the total.

    >>> _dims_text({"SEX": "F", "AGE": "Y15-24"}), _dims_text("SEX=F"), _dims_text(None)
    ('AGE=Y15-24;SEX=F', 'SEX=F', '')
    """
    return ";".join(f"{k}={v}" for k, v in sorted(_dims(value).items()))


def _dims(value: Any) -> dict[str, str]:
    """A disaggregation given as ``SEX=F;AGE=Y15-24`` or a mapping, as a dict."""
    if not value:
        return {}
    if isinstance(value, Mapping):
        return {str(k): str(v) for k, v in value.items()}
    return dict(part.split("=", 1) for part in str(value).split(";") if "=" in part)


def flags(monitor: Monitor, frame: pd.DataFrame) -> list[str]:
    """For each row, the reviewer's warnings joined by ``"; "`` (empty: none): see :func:`flag_lists`."""
    return [SEPARATOR.join(f) for f in flag_lists(monitor, frame)]


def flag_lists(monitor: Monitor, frame: pd.DataFrame) -> list[list[str]]:
    """For each row, the reviewer's warnings: a jump from its series, declared rules it breaks, an outlier.

    A row is compared with the figure it revises or, for a new period, with the latest earlier figure
    of its series (same geography, disaggregation and source); a relative change above :data:`JUMP`
    is flagged with its size.  The framework's declared validation rules and the series' robust
    spread are checked on the store as it would be after publication
    (:func:`sandyq.analytics.audit.proposed_flags`).  Each warning is an English sentence of the
    catalog, said in kk/ru by :func:`said_flags`.
    """
    from .analytics.audit import proposed_flags

    published = monitor.store.observations(sorted(set(frame["indicator"])))
    series: dict[tuple[str, str, str, str], list[tuple[str, float]]] = {}
    for r in published[["indicator", "geo", "dims", "source", "period", "value"]].itertuples(index=False):
        series.setdefault((r[0], r[1], r[2], r[3]), []).append((str(r[4]), float(r[5])))
    out = []
    for r in frame.to_dict("records"):
        past = series.get((r["indicator"], r["geo"], r["dims"], r["source"]), [])
        before = [v for p, v in sorted(past) if p <= r["period"]]
        jump = _jump(float(r["value"]), before[-1]) if before else ""
        out.append([jump] if jump else [])
    for mine, more in zip(out, proposed_flags(monitor.store, monitor.framework, frame), strict=True):
        mine += more
    return out


def said_flags(text: str | None, language: str, names: Mapping[str, Any] | None = None) -> list[str]:
    """A row's stored warnings (joined by ``"; "`` outside brackets), each said in ``language``.

    >>> said_flags("jump +50% from 100; jump from 0 to 3", "ru")
    ['скачок +50% от 100', 'скачок с 0 до 3']
    """
    if not text:
        return []
    pieces, depth, start = [], 0, 0
    for i, c in enumerate(text):
        depth += (c in "([") - (c in ")]")
        if depth <= 0 and text.startswith(SEPARATOR, i):
            pieces.append(text[start:i])
            start = i + len(SEPARATOR)
    pieces.append(text[start:])
    return [str(said(p, language, names)) for p in pieces if p]


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


#: The field of the entry form (and of a JSON row) that each column of a tidy CSV comes from.
FIELDS = {
    "INDICATOR": "indicator",
    "REF_AREA": "geo",
    "TIME_PERIOD": "period",
    "OBS_VALUE": "value",
    "UNIT_MEASURE": "unit",
    "SOURCE": "source",
    "OBS_STATUS": "status",
    "COMMENT": "note",
}


def check(
    monitor: Monitor,
    account: Account | None,
    rows: Sequence[Mapping[str, Any]],
    scopes: Sequence[str] | None = None,
) -> dict[str, Any]:
    """What a submission of ``rows`` would meet, row by row, without keeping anything (the form's live checks).

    The answer: ``rows``, one list per row of ``{"field", "kind", "text"}`` (``kind`` ``error``: the
    load's validation refuses it, as :func:`submit` would; ``flag``: a reviewer's warning of
    :func:`flag_lists`), ``problems`` (errors of no one row) and ``ok`` (no error).  Texts are English
    sentences of the catalog.  Not the submitter's indicator: :class:`PermissionDeniedError`, as a submission.
    """
    who = require(account, "submit", scopes)
    foreign = sorted({str(r.get("indicator", "")) for r in rows} - {""})
    foreign = [i for i in foreign if i in monitor.framework.indicators and not owns(who, i, monitor.framework)]
    if foreign:
        raise PermissionDeniedError(f"account {who.name!r} does not own indicator {', '.join(foreign)}")
    found: list[list[dict[str, str]]] = [[] for _ in rows]
    general: list[str] = []
    valid = list(range(len(rows)))
    if rows:
        try:
            read_rows(monitor, rows, label="check")
        except LoadError as exc:
            for p in exc.problems:
                i = p.row - 2 if p.row is not None else -1
                if 0 <= i < len(rows):
                    field = FIELDS.get(p.column or "", "dims")
                    found[i].append({"field": field, "kind": "error", "text": p.message})
                else:
                    general.append(p.message)
            valid = [i for i, f in enumerate(found) if not f]
    frame = read_rows(monitor, [rows[i] for i in valid], label="check") if valid and not general else None
    if frame is not None:
        keys = map(tuple, frame[list(_KEY)].astype(str).to_numpy())
        flagged = dict(zip(keys, flag_lists(monitor, frame), strict=True))
        for i in valid:  # by key: a row without a value is left out, as a load leaves it out
            key = tuple(str(rows[i].get(k, "")) for k in _KEY[:-1]) + (_dims_text(rows[i].get("dims")),)
            found[i] += [{"field": "value", "kind": "flag", "text": f} for f in flagged.get(key, [])]
    ok = not general and all(p["kind"] != "error" for f in found for p in f)
    return {"ok": ok, "rows": found, "problems": general}


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
                "next_period": next_period(str(last["period"])),
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

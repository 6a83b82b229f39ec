"""Submissions: figures an owner sent, kept apart from the published ones until a reviewer decides.

A submission is stored with its rows (validated like a load, not published),
each row compared with the figure in force when it was made: ``new``,
``revised`` or ``unchanged``, with that figure's value and vintage.  A reviewer
then decides, once: ``approve`` publishes the rows as a new vintage through the
store's load path, in the same transaction that marks the submission approved
(so a figure is published once or not at all); ``reject`` and ``return`` (sent
back to the owner to correct) publish nothing.  A second decision, or an
approval after the published figure moved since the submission was made (a
stale submission), is refused with :class:`~sandyq.errors.ConflictError`
naming the submission or the figure.  All SQL is portable (see ``_accounts``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd

from ..errors import ConflictError, InvalidValueError, NotFoundError
from ._accounts import new_id, now, record, writing
from ._staging import STAGED_COLUMNS

if TYPE_CHECKING:
    from ._store import LoadReport, Store

__all__ = ["DECISIONS", "Key", "approve", "decide", "in_force", "save_submission", "submission", "submissions"]

#: What a reviewer may decide, with the status it gives.
DECISIONS = {"approve": "approved", "reject": "rejected", "return": "returned"}
#: A figure's key: indicator, geo, period, dims, source.
Key = tuple[str, str, str, str, str]
_COLUMNS = (
    "id",
    "account",
    "status",
    "created",
    "file",
    "format",
    "indicators",
    "row_count",
    "note",
    "decided_by",
    "decided_at",
    "comment",
    "load_id",
)
_ROW_COLUMNS = (
    "row_number",
    *STAGED_COLUMNS,
    "change",
    "prior_value",
    "prior_vintage",
    "flags",
)


def in_force(con: Any, indicators: Sequence[str]) -> dict[Key, tuple[float, str, Any, Any, datetime]]:
    """The figures published now for ``indicators``, by key: value, unit, status, note and vintage."""
    if not indicators:
        return {}
    marks = ", ".join("?" * len(indicators))
    rows = con.execute(
        f"""SELECT o.indicator, o.geo, o.period, o.dims, o.source, o.value, o.unit, o.status, o.note, o.vintage
            FROM observation o JOIN (
                SELECT indicator, geo, period, dims, source, max(vintage) AS latest FROM observation
                WHERE indicator IN ({marks}) GROUP BY indicator, geo, period, dims, source) m
            ON o.indicator = m.indicator AND o.geo = m.geo AND o.period = m.period AND o.dims = m.dims
               AND o.source = m.source AND o.vintage = m.latest""",
        list(indicators),
    ).fetchall()
    return {(r[0], r[1], r[2], r[3], r[4]): (float(r[5]), str(r[6]), r[7], r[8], r[9]) for r in rows}


def _figure(key: Key) -> str:
    """A figure named for a person: ``indicator geo period [dims] (source)``."""
    ind, geo, period, dims, source = key
    return f"{ind} {geo} {period}{' [' + dims + ']' if dims else ''} ({source})"


def _change(row: Mapping[str, Any], prior: tuple[float, str, Any, Any, datetime] | None) -> str:
    if prior is None:
        return "new"
    same = (
        float(row["value"]) == prior[0]
        and row["unit"] == prior[1]
        and (row["status"] or None) == (prior[2] or None)
        and (row["note"] or None) == (prior[3] or None)
    )
    return "unchanged" if same else "revised"


def save_submission(
    store: Store,
    account_id: str,
    actor: str,
    frame: pd.DataFrame,
    *,
    file: str,
    format: str,
    note: str | None = None,
    flags: Sequence[str] | None = None,
    expected: Mapping[Key, datetime | None] | None = None,
) -> str:
    """Keep validated rows (``STAGED_COLUMNS``, distinct keys) as a pending submission; its id.

    ``flags`` are the reviewer's warnings per row (joined by ``"; "``); ``expected``
    the vintage of the published figure a form showed for a key (None: none
    was): if it moved meanwhile, the submission is refused as stale (409).
    """
    if not len(frame):
        raise InvalidValueError(f"{file}: no figures to submit")
    indicators = sorted(set(frame["indicator"].astype(str)))
    sid = new_id()
    created = now()
    with writing(store) as con:
        prior = in_force(con, indicators)
        for shown_key, vintage in (expected or {}).items():
            found = prior.get(shown_key)
            if (found[4] if found else None) != vintage:
                shown = f"{found[0]:g} ({found[4]:%Y-%m-%d %H:%M})" if found else "nothing"
                raise ConflictError(
                    f"{_figure(shown_key)}: the published figure changed to {shown} since the form was shown"
                )
        rows = []
        for i, row in enumerate(frame.to_dict("records")):
            key: Key = (
                str(row["indicator"]),
                str(row["geo"]),
                str(row["period"]),
                str(row["dims"]),
                str(row["source"]),
            )
            p = prior.get(key)
            rows.append(
                [sid, i + 1, *key, float(row["value"]), str(row["unit"]), row["status"] or None, row["note"] or None]
                + [_change(row, p), p[0] if p else None, p[4] if p else None, flags[i] if flags else ""]
            )
        con.execute(
            "INSERT INTO submission VALUES (?, ?, 'pending', ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL)",
            [sid, account_id, created, file, format, ",".join(indicators), len(rows), note],
        )
        con.executemany("INSERT INTO submission_row VALUES (" + ", ".join("?" * 15) + ")", rows)
        changes = {c: sum(1 for r in rows if r[11] == c) for c in ("new", "revised", "unchanged")}
        record(con, actor, "submission.create", sid, {"file": file, "indicators": indicators, **changes}, note)
    return sid


_SELECT = """SELECT s.id, a.name, s.status, s.created, s.file, s.format, s.indicators, s.row_count, s.note,
                    s.decided_by, s.decided_at, s.comment, s.load_id
             FROM submission s JOIN account a ON a.id = s.account_id"""


def submissions(store: Store, *, status: str | None = None, account: str | None = None) -> list[dict[str, Any]]:
    """Submissions, newest first, optionally of one status or one account (by name)."""
    where, params = [], []
    if status:
        where.append("s.status = ?")
        params.append(status)
    if account:
        where.append("a.name = ?")
        params.append(account)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY s.created DESC"
    return [dict(zip(_COLUMNS, r, strict=True)) for r in store.con.execute(sql, params).fetchall()]


def submission(store: Store, sid: str) -> tuple[dict[str, Any], pd.DataFrame]:
    """One submission and its rows (with ``change``, the prior figure and ``flags``); unknown: 404."""
    found = store.con.execute(_SELECT + " WHERE s.id = ?", [sid]).fetchall()
    if not found:
        raise NotFoundError(f"no submission {sid!r}")
    rows = store.con.execute(
        f"SELECT {', '.join(_ROW_COLUMNS)} FROM submission_row WHERE submission_id = ? ORDER BY row_number", [sid]
    ).fetchall()
    return dict(zip(_COLUMNS, found[0], strict=True)), pd.DataFrame(rows, columns=list(_ROW_COLUMNS))


def _pending(con: Any, sid: str) -> None:
    rows = con.execute("SELECT status, decided_by FROM submission WHERE id = ?", [sid]).fetchall()
    if not rows:
        raise NotFoundError(f"no submission {sid!r}")
    if rows[0][0] != "pending":
        raise ConflictError(f"submission {sid} was {rows[0][0]} already (by {rows[0][1]}); it can be decided once")


def _mark(con: Any, sid: str, status: str, actor: str, comment: str | None) -> None:
    con.execute(
        "UPDATE submission SET status = ?, decided_by = ?, decided_at = ?, comment = ? WHERE id = ?",
        [status, actor, now(), comment, sid],
    )


def decide(store: Store, sid: str, decision: str, actor: str, comment: str | None) -> None:
    """Reject a pending submission or return it to its owner, with a comment (nothing is published)."""
    if decision not in ("reject", "return"):
        raise InvalidValueError(f"decision {decision!r}: expected reject or return (approve publishes)")
    if not (comment or "").strip():
        raise InvalidValueError(f"to {decision} a submission, say why in a comment")
    with writing(store) as con:
        _pending(con, sid)
        _mark(con, sid, DECISIONS[decision], actor, comment)
        record(con, actor, f"submission.{decision}", sid, {"status": DECISIONS[decision]}, comment)


def approve(store: Store, sid: str, actor: str, comment: str | None = None) -> LoadReport:
    """Publish a pending submission as a new vintage, once; a figure that moved since it was made: 409."""
    info, rows = submission(store, sid)
    with store.loading(file=f"submission/{sid}/{info['file']}", format=f"submission:{info['format']}") as load:
        _pending(store.con, sid)
        now_in_force = in_force(store.con, str(info["indicators"]).split(","))
        stale = []
        for r in rows.to_dict("records"):
            key: Key = (r["indicator"], r["geo"], r["period"], r["dims"], r["source"])
            found = now_in_force.get(key)
            before = None if pd.isna(r["prior_vintage"]) else pd.Timestamp(r["prior_vintage"]).to_pydatetime()
            if (found[4] if found else None) != before:
                stale.append(f"{_figure(key)} is now {found[0]:g}" if found else f"{_figure(key)} was withdrawn")
        if stale:
            raise ConflictError(f"submission {sid} is stale: the published figure moved since it was made: {stale[0]}")
        load.add(rows[list(STAGED_COLUMNS)].astype({"value": "float64"}))
        _mark(store.con, sid, "approved", actor, comment)
        record(store.con, actor, "submission.approve", sid, {"status": "approved", "rows": len(rows)}, comment)
    report: LoadReport = load.report
    with writing(store) as con:
        con.execute("UPDATE submission SET load_id = ? WHERE id = ?", [report.load_id, sid])
        detail = {"load_id": report.load_id, "vintage": report.vintage.isoformat(), "added": report.added}
        record(con, actor, "publication", sid, detail | {"revised": report.revised}, None)
    return report

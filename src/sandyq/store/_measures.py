"""Reports on the measures of a programme's action plan: append-only, read as of a moment.

A measure (an :class:`~sandyq.framework.Event` of a task) is reported by an owner: its status, the date it was
completed, the budget planned and spent with their currency, and a comment.  Each report adds a row to
``measure_report`` (schema version 5) and an event to the audit trail in the same transaction; nothing is
overwritten, so the report in force as of any moment is the latest one made up to it (as observations are
read).  Escalations of overdue measures are audit events too (``measure.escalate``, one per measure and
deadline), so a notice is never sent twice for the same deadline.  All SQL is portable (see ``_accounts``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import InvalidValueError
from ._accounts import new_id, now, record, writing

if TYPE_CHECKING:
    from ._store import Store

__all__ = ["REPORT_STATUSES", "MeasureReport", "escalated", "measure_reports", "record_escalation", "report_measure"]

#: The statuses a report may give a measure (the framework's event statuses).
REPORT_STATUSES = ("planned", "in_progress", "done", "cancelled", "unknown")

_COLUMNS = (
    "id, programme, measure, status, completed, budget_planned, budget_spent, currency, comment, reported_by, vintage"
)


@dataclass(frozen=True)
class MeasureReport:
    """One report on a measure, as kept: what was said of it, by whom, and when (``vintage``, naive UTC)."""

    id: str
    programme: str
    measure: str
    status: str
    completed: date | None
    budget_planned: float | None
    budget_spent: float | None
    currency: str | None
    comment: str | None
    reported_by: str
    vintage: datetime

    def to_dict(self) -> dict[str, Any]:
        return {
            "programme": self.programme,
            "measure": self.measure,
            "status": self.status,
            "completed": self.completed.isoformat() if self.completed else None,
            "budget_planned": self.budget_planned,
            "budget_spent": self.budget_spent,
            "currency": self.currency,
            "comment": self.comment,
            "reported_by": self.reported_by,
            "vintage": self.vintage.isoformat(),
        }


def _day(value: Any) -> date | None:
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    return date.fromisoformat(str(value)[:10])


def _report(row: Sequence[Any]) -> MeasureReport:
    money = [None if v is None else float(v) for v in (row[5], row[6])]
    return MeasureReport(
        str(row[0]), str(row[1]), str(row[2]), str(row[3]), _day(row[4]), money[0], money[1], row[7], row[8],
        str(row[9]), row[10],
    )  # fmt: skip


def _check(status: str, completed: date | None, planned: float | None, spent: float | None) -> None:
    if status not in REPORT_STATUSES:
        raise InvalidValueError(f"measure status {status!r}: expected one of {', '.join(REPORT_STATUSES)}")
    if completed is not None and status != "done":
        raise InvalidValueError(f"a completion date ({completed}) is given, but the status is {status!r}, not 'done'")
    for name, amount in (("budget planned", planned), ("budget spent", spent)):
        if amount is not None and not (amount >= 0 and amount < float("inf")):
            raise InvalidValueError(f"{name} {amount!r}: expected a finite amount of 0 or more")


def report_measure(
    store: Store,
    programme: str,
    measure: str,
    status: str,
    *,
    reported_by: str,
    completed: date | None = None,
    budget_planned: float | None = None,
    budget_spent: float | None = None,
    currency: str | None = None,
    comment: str | None = None,
    vintage: datetime | None = None,
) -> MeasureReport:
    """Add a report on ``measure`` of ``programme`` (a new row; earlier reports stay) and its audit event.

    The caller has checked that the measure exists and that ``reported_by`` may report it.
    """
    _check(status, completed, budget_planned, budget_spent)
    report = MeasureReport(
        new_id(), programme, measure, status, completed, budget_planned, budget_spent, currency or None,
        comment or None, reported_by, vintage or now(),
    )  # fmt: skip
    with writing(store) as con:
        con.execute(
            f"INSERT INTO measure_report ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                report.id, programme, measure, status, completed, budget_planned, budget_spent, report.currency,
                report.comment, reported_by, report.vintage,
            ],
        )  # fmt: skip
        record(con, reported_by, "measure.report", f"{programme}/{measure}", report.to_dict(), comment)
    return report


def measure_reports(
    store: Store, programme: str | None = None, *, as_of: datetime | None = None, history: bool = False
) -> list[MeasureReport]:
    """The reports in force as of ``as_of`` (None: now): the latest per measure, by programme and measure.

    ``history=True`` gives every report made up to ``as_of`` instead, oldest first.
    """
    where: list[str] = []
    params: list[Any] = []
    if programme is not None:
        where.append("programme = ?")
        params.append(programme)
    if as_of is not None:
        where.append("vintage <= ?")
        params.append(as_of)
    sql = f"SELECT {_COLUMNS} FROM measure_report" + (" WHERE " + " AND ".join(where) if where else "")
    rows = [_report(r) for r in store.con.execute(sql + " ORDER BY vintage, id", params).fetchall()]
    if history:
        return rows
    latest: dict[tuple[str, str], MeasureReport] = {}
    for r in rows:  # ordered by vintage: the last one of each measure wins
        latest[(r.programme, r.measure)] = r
    return [latest[k] for k in sorted(latest)]


def _escalation_subject(programme: str, measure: str) -> str:
    return f"{programme}/{measure}"


def escalated(store: Store, programme: str, measure: str, deadline: date) -> bool:
    """Whether the overdue notice of ``measure`` for ``deadline`` was sent already (an audit event says so)."""
    rows = store.con.execute(
        "SELECT detail FROM audit_event WHERE action = 'measure.escalate' AND subject = ?",
        [_escalation_subject(programme, measure)],
    ).fetchall()
    return any(f'"deadline": "{deadline.isoformat()}"' in str(r[0]) for r in rows)


def record_escalation(
    store: Store, programme: str, measure: str, deadline: date, detail: dict[str, Any], actor: str = "system"
) -> bool:
    """Record that the overdue notice of ``measure`` for ``deadline`` goes out; False if it was recorded before.

    The check and the record are one transaction, so two escalations running at once send one notice.
    """
    subject = _escalation_subject(programme, measure)
    if escalated(store, programme, measure, deadline):  # the usual case for cron: no write, no change counted
        return False
    with writing(store) as con:
        rows = con.execute(
            "SELECT detail FROM audit_event WHERE action = 'measure.escalate' AND subject = ?", [subject]
        ).fetchall()
        if any(f'"deadline": "{deadline.isoformat()}"' in str(r[0]) for r in rows):
            return False
        record(con, actor, "measure.escalate", subject, {**detail, "deadline": deadline.isoformat()})
    return True

"""Alerts: a figure past its due day, and a published figure that moves a target's status.

**Deadlines.**  Each indicator with a release calendar (its periodicity and lag, :func:`sandyq.framework.lag_for`)
expects its next figure — the period after the latest one of its own source — by the period's end plus the lag.
:func:`overdue` lists the figures past that day; :func:`notify_due` (``sandyq notify due``, cron-able) tells
the indicator's owners and the admins, once per indicator and period: each notice is an event ``notice.due`` of
the audit trail, written (and checked) in one transaction before it is sent, so a second run — or two at once —
sends nothing again.  Derived indicators (a formula), discontinued series and indicators without any figure
have no next figure to wait for.

**Status moves.**  :func:`target_statuses` judges the targets on some indicators only (every programme's, with
:func:`sandyq.analytics.progress.progress`); the approval of a submission compares them before and after
publication and :func:`status_notices` tells the indicator's owners, the reviewers and the admins of each target
whose status moved (e.g. no data → significant progress), with the figures published.

Every notice is e-mailed and posted to the webhook by :mod:`sandyq._notify`, after the change is committed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ._notify import Notice, send, send_later
from ._people import owns
from .analytics.progress import STATUSES, TargetProgress
from .errors import InvalidValueError
from .framework import Indicator, due_date, lag_for, next_period, period_end
from .store import accounts as records

if TYPE_CHECKING:
    import pandas as pd

    from ._api import Monitor
    from .store import LoadReport

__all__ = [
    "DUE",
    "Notice",
    "Overdue",
    "notify_due",
    "overdue",
    "send",
    "send_later",
    "status_notices",
    "target_statuses",
]

#: The audit trail's action of a deadline notice (its subject: ``indicator period``).
DUE = "notice.due"
#: The geography whose figure a notice quotes when the latest period has several (else the first there is).
NATIONAL = "KAZ"


@dataclass(frozen=True)
class Overdue:
    """A figure past its due day: the period expected, its due day and the latest figure there is."""

    indicator: str
    name: str
    period: str
    due: date
    lag: str
    missing: int  # periods past their due day without a figure, this one included
    last_period: str
    geo: str
    last_value: float
    unit: str
    source: str
    vintage: str

    @property
    def key(self) -> str:
        """The subject of its notice in the audit trail: one notice per indicator and period."""
        return f"{self.indicator} {self.period}"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self) | {"due": self.due.isoformat()}


def _day(as_of: date | datetime | str | None) -> date:
    if as_of is None:
        return records.now().date()
    if isinstance(as_of, datetime):
        return as_of.date()
    if isinstance(as_of, date):
        return as_of
    try:
        return date.fromisoformat(str(as_of).strip()[:10])
    except ValueError:
        raise InvalidValueError(f"as of {as_of!r}: expected a date, YYYY-MM-DD") from None


def _expects(ind: Indicator, year: int) -> bool:
    """Whether an indicator is published on a calendar: not derived, not a series known to have ended."""
    stopped = ind.discontinued is not None and ind.discontinued.known <= year
    return ind.formula is None and not stopped and lag_for(ind.periodicity, ind.due) is not None


def overdue(
    monitor: Monitor, as_of: date | datetime | str | None = None, indicators: Sequence[str] | None = None
) -> list[Overdue]:
    """The figures overdue on ``as_of`` (default: today), one per indicator, as known that day; by indicator.

    An indicator's latest figure is its latest total from its own source (else from any source): the national
    one (:data:`NATIONAL`) where the latest period has it, else the first geography's.
    """
    day = _day(as_of)
    fw = monitor.framework
    chosen = [fw.indicator(i) for i in indicators] if indicators else list(fw.indicators.values())
    wanted = [ind for ind in chosen if _expects(ind, day.year)]
    if not wanted:
        return []
    obs = monitor.observations([i.id for i in wanted], as_of=day, dims="", derived=False)
    out = []
    for ind, rows in _by_indicator(obs, wanted):
        own = rows[rows["source"] == ind.source]
        rows = own if len(own) else rows
        ends = rows["period"].map(period_end)
        latest = rows.loc[ends == ends.max()]
        national = latest[latest["geo"] == NATIONAL]
        last = (national if len(national) else latest).sort_values(["geo", "vintage"]).iloc[-1]
        lag = lag_for(ind.periodicity, ind.due)
        assert lag is not None  # _expects
        expected, missing, period = next_period(str(last["period"])), 0, next_period(str(last["period"]))
        while due_date(period, lag) < day:
            missing, period = missing + 1, next_period(period)
        if missing:
            vintage = last["vintage"]
            out.append(
                Overdue(
                    ind.id, ind.name.get("en"), expected, due_date(expected, lag), str(lag), missing,
                    str(last["period"]), str(last["geo"]), float(last["value"]), str(last["unit"]),
                    str(last["source"]),
                    vintage.isoformat() if hasattr(vintage, "isoformat") else str(vintage),
                )
            )  # fmt: skip
    return out


def _by_indicator(obs: pd.DataFrame, wanted: Sequence[Indicator]) -> list[tuple[Indicator, pd.DataFrame]]:
    groups = {str(k): g for k, g in obs.groupby("indicator", sort=True)} if len(obs) else {}
    return [(ind, groups[ind.id]) for ind in sorted(wanted, key=lambda i: i.id) if ind.id in groups]


def _owners_and_admins(monitor: Monitor, indicator: str, also: Sequence[str] = ()) -> list[str]:
    """E-mail addresses of the active accounts that own ``indicator`` (admins own all), and of roles ``also``."""
    fw = monitor.framework
    return [
        a.email
        for a in records.accounts(monitor.store)
        if a.active and a.email and (owns(a, indicator, fw) or a.role in also)
    ]


def _due_notice(monitor: Monitor, o: Overdue, as_of: date) -> Notice:
    late = (as_of - o.due).days
    subject = f"sandyq: the {o.period} figure of {o.indicator} is overdue (due {o.due:%Y-%m-%d})"
    more = f" ({o.missing} periods are now past their due day)" if o.missing > 1 else ""
    body = (
        f"The figure of indicator {o.indicator} ({o.name}) for {o.period} was due by {o.due:%Y-%m-%d}, "
        f"{o.lag} after the period ended, and has not been published: it is {late} days late{more}.\n"
        f"The latest figure is {o.last_value:g} {o.unit} for {o.last_period} in {o.geo} (source {o.source}, "
        f"published {o.vintage}).\nSubmit it, or tell the reviewers when it will come.\n"
    )
    last = {
        "period": o.last_period, "geo": o.geo, "value": o.last_value, "unit": o.unit, "source": o.source,
        "vintage": o.vintage,
    }  # fmt: skip
    note = {
        "event": "figure.due", "indicator": o.indicator, "period": o.period, "due": o.due.isoformat(),
        "as_of": as_of.isoformat(), "days_late": late, "missing_periods": o.missing, "lag": o.lag, "latest": last,
    }  # fmt: skip
    return Notice(note, _owners_and_admins(monitor, o.indicator), subject, body)


def notify_due(
    monitor: Monitor,
    as_of: date | datetime | str | None = None,
    *,
    indicators: Sequence[str] | None = None,
    actor: str = "system",
    outbox: list[Notice] | None = None,
) -> list[tuple[Overdue, bool]]:
    """Tell owners and admins of each overdue figure once; every overdue figure with whether it was told now.

    The notices are recorded (``notice.due``) in one transaction that first reads which were recorded already,
    then sent after it is committed — or put in ``outbox`` for the caller to send once it lets the store go.
    """
    day = _day(as_of)
    found = overdue(monitor, day, indicators)
    told = _told(monitor.store.con)
    fresh = [o for o in found if o.key not in told]
    if fresh:
        with records.writing(monitor.store) as con:
            told = _told(con)  # another run may have told them meanwhile
            fresh = [o for o in fresh if o.key not in told]
            for o in fresh:
                records.record(con, actor, DUE, o.key, o.to_dict() | {"as_of": day.isoformat()})
    notices = [_due_notice(monitor, o, day) for o in fresh]
    if outbox is None:
        send(notices)
    else:
        outbox.extend(notices)
    now = {o.key for o in fresh}
    return [(o, o.key in now) for o in found]


def _told(con: Any) -> set[str]:
    return {str(r[0]) for r in con.execute("SELECT subject FROM audit_event WHERE action = ?", [DUE]).fetchall()}


def target_statuses(monitor: Monitor, indicators: Sequence[str]) -> dict[tuple[str, str], TargetProgress]:
    """The targets on ``indicators`` judged as of now, by (programme, target): the others are not computed."""
    from .analytics.progress import progress

    wanted = set(indicators)
    out: dict[tuple[str, str], TargetProgress] = {}
    for prog in monitor.framework.programmes.values():
        if not any(t.indicator in wanted for t in prog.targets()):
            continue
        directions = []
        for d in prog.directions:
            tasks = [
                t.model_copy(
                    update={"targets": tuple(g for g in t.targets if g.indicator in wanted), "risks": (), "events": ()}
                )
                for t in d.tasks
                if any(g.indicator in wanted for g in t.targets)
            ]
            if tasks:
                directions.append(d.model_copy(update={"tasks": tuple(tasks)}))
        only = prog.model_copy(update={"directions": tuple(directions)})
        ids = sorted({g.indicator for g in only.targets()})
        obs = monitor.observations(ids, dims="")
        report = progress(only, monitor.framework.indicators, obs, None, monitor.calibration())
        out.update({(prog.id, row.target_id): row for row in report.targets})
    return out


def _latest(row: TargetProgress) -> str:
    a = row.assessment
    if a is None or a.status.latest_value is None:
        return "no figure"
    return f"{a.status.latest_value:g} {row.unit or ''} in {a.status.latest_year} (source {row.source})".replace(
        "  ", " "
    )


def status_notices(
    monitor: Monitor,
    sid: str,
    before: Mapping[tuple[str, str], TargetProgress],
    after: Mapping[tuple[str, str], TargetProgress],
    figures: pd.DataFrame,
    report: LoadReport,
) -> list[Notice]:
    """A notice per target whose status moved between ``before`` and ``after`` an approval's publication.

    ``figures`` are the rows the submission published (``indicator``, ``geo``, ``period``, ``value``, ``unit``,
    ``source``), ``report`` the publication (its vintage).
    """
    out = []
    vintage = report.vintage.isoformat()
    for key, new in sorted(after.items()):
        old = before.get(key)
        was = "no_data" if old is None else old.status
        if was == new.status:
            continue
        mine = figures[figures["indicator"] == new.indicator_id]
        published = [
            {"indicator": r["indicator"], "geo": r["geo"], "period": r["period"], "dims": r["dims"],
             "value": float(r["value"]), "unit": r["unit"], "source": r["source"], "vintage": vintage}
            for r in mine.to_dict("records")
        ]  # fmt: skip
        moved = f"from {STATUSES[was]} to {STATUSES[new.status]}"
        subject = f"sandyq: target {new.target_id} ({new.indicator_id}) moved {moved}"
        lines = ", ".join(f"{f['value']:g} {f['unit']} for {f['period']} ({f['geo']})" for f in published)
        body = (
            f"Submission {sid}, approved and published on {vintage}, moved the status of target {new.target_id} "
            f"of programme {key[0]} ({new.indicator_name}, {new.geo}) {moved}.\n"
            f"Figures published: {lines}.\nLatest figure judged: {_latest(new)}.\n{new.explanation}\n"
        )
        note = {
            "event": "target.status", "programme": key[0], "target": new.target_id, "indicator": new.indicator_id,
            "geo": new.geo, "from": was, "to": new.status, "submission": sid, "load_id": report.load_id,
            "vintage": vintage, "figures": published,
        }  # fmt: skip
        out.append(Notice(note, _owners_and_admins(monitor, new.indicator_id, ("reviewer",)), subject, body))
    return out

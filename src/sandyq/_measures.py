"""Measures of a programme's action plan: their state as of a date, the execution rate, reports and escalation.

A programme is also its action plan: the events of its tasks are its measures (Information Kazakhstan 2020
had 257; its "40 % execution after three years" is an execution rate of measures).  A measure's state as of a
date is the latest report in force then (:mod:`sandyq.store.measures`), or, where none exists, the
framework's own status, deadline and budget (the baseline).  A measure is **due** when its deadline is on or
before the date, and **overdue** when it is due and neither done nor cancelled.  The execution rate is given
two ways (:func:`execution_rate`): done among the measures due by the date, and done among all measures;
cancelled measures count in neither (they were taken out of the plan).

Who reports (:func:`may_report`): an admin any measure; an owner the measures whose responsible agency is its
agency (a source id, or that source's publisher's name), and the measures of a task one of whose indicators it
owns (:func:`sandyq.people.owns`); anyone else 403, nobody 401.  Every report is an event of the audit trail.
:func:`escalate` sends one notice per overdue measure and deadline (e-mail to the owners of its agency and to
admins, and the webhook, through :func:`sandyq._notify.deliver`), recorded in the trail so it is never sent
twice for the same deadline.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, datetime
from typing import Any

from ._messages import Message, add_sentence
from ._notify import deliver
from ._people import owns, require
from .errors import InvalidValueError, NotFoundError, PermissionDeniedError
from .framework import EVENT_STATUSES, Event, Framework, Programme, Task, as_of_bound
from .store import Account, Store
from .store import accounts as people_records
from .store import measures as records

__all__ = [
    "STATUSES",
    "MeasureState",
    "escalate",
    "execution_rate",
    "find_measure",
    "may_report",
    "measure_states",
    "rate_sentence",
    "rates",
    "report",
]

#: The statuses a measure may be reported in.
STATUSES = EVENT_STATUSES

_RATE = (
    "{programme}: {done}/{measures} measures done ({rate_all}), {done_due}/{due} due done ({rate_due}), "
    "{overdue} overdue"
)
add_sentence(
    _RATE,
    "{programme}: исполнено {done} из {measures} мероприятий ({rate_all}), из наступивших по сроку "
    "{done_due} из {due} ({rate_due}), просрочено {overdue}",
    "{programme}: {measures} іс-шараның {done} орындалды ({rate_all}), мерзімі келген {due} іс-шараның "
    "{done_due} орындалды ({rate_due}), мерзімі өткені {overdue}",
)


@dataclass(frozen=True)
class MeasureState:
    """A measure as of a date: the framework's plan joined with the report in force (if any)."""

    programme: str
    task: str
    id: str
    name: str
    status: str
    deadline: date | None
    agency: str | None
    budget_planned: float | None
    budget_spent: float | None
    currency: str | None
    completed: date | None
    reported_by: str | None
    reported_at: datetime | None
    comment: str | None
    due: bool
    overdue: bool

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("deadline", "completed", "reported_at"):
            out[key] = out[key].isoformat() if out[key] is not None else None
        return out


def _day(as_of: date | datetime | str | None) -> tuple[datetime | None, date]:
    """The store's bound of an as-of (None: now) and the day deadlines are compared with."""
    bound = as_of_bound(as_of) if as_of is not None else None
    return bound, (bound.date() if bound is not None else records.now().date())


def find_measure(framework: Framework, programme: str, measure: str) -> tuple[Programme, Task, Event]:
    """The programme, task and event of ``measure``; an unknown one is :class:`NotFoundError` naming it."""
    prog = framework.programme(programme)
    for task in prog.tasks():
        for event in task.events:
            if event.id == measure:
                return prog, task, event
    raise NotFoundError(f"programme {programme!r} has no measure {measure!r}")


def measure_states(
    framework: Framework,
    store: Store,
    programme: str | None = None,
    as_of: date | datetime | str | None = None,
    language: str = "en",
) -> list[MeasureState]:
    """Every measure of ``programme`` (None: of every programme) as of ``as_of`` (None: now), in plan order."""
    bound, day = _day(as_of)
    progs = [framework.programme(programme)] if programme else list(framework.programmes.values())
    reports = {(r.programme, r.measure): r for r in records.measure_reports(store, programme, as_of=bound)}
    out = []
    for prog in progs:
        for task in prog.tasks():
            for event in task.events:
                r = reports.get((prog.id, event.id))
                status = r.status if r else event.status
                due = event.deadline is not None and event.deadline <= day
                planned = r.budget_planned if r and r.budget_planned is not None else None
                if planned is None and event.budget is not None:
                    planned = event.budget.amount
                currency = (r.currency if r and r.currency else None) or (event.budget.unit if event.budget else None)
                out.append(
                    MeasureState(
                        prog.id, task.id, event.id, event.name.get(language), status, event.deadline, event.agency,
                        planned, r.budget_spent if r else None, currency, r.completed if r else None,
                        r.reported_by if r else None, r.vintage if r else None, r.comment if r else None,
                        due, due and status not in ("done", "cancelled"),
                    )
                )  # fmt: skip
    return out


def execution_rate(states: Iterable[MeasureState]) -> dict[str, Any]:
    """The execution rate of measures: done among those due, and done among all (cancelled ones left out).

    >>> from datetime import date
    >>> def m(status, deadline):
    ...     due = deadline <= date(2020, 12, 31)
    ...     return MeasureState("p", "t", "x", "x", status, deadline, None, None, None, None, None, None, None,
    ...                         None, due, due and status not in ("done", "cancelled"))
    >>> plan = [m("done", date(2019, 6, 30)), m("in_progress", date(2020, 6, 30)), m("done", date(2021, 6, 30)),
    ...         m("planned", date(2022, 6, 30)), m("cancelled", date(2019, 1, 1))]
    >>> rate = execution_rate(plan)
    >>> rate["due"], rate["done_due"], rate["rate_due"], rate["done"], rate["measures"], rate["rate_all"]
    (2, 1, 0.5, 2, 4, 0.5)
    >>> rate["overdue"], rate["cancelled"]
    (1, 1)
    """
    every = list(states)
    live = [s for s in every if s.status != "cancelled"]
    due = [s for s in live if s.due]
    done = sum(1 for s in live if s.status == "done")
    done_due = sum(1 for s in due if s.status == "done")
    return {
        "measures": len(live),
        "done": done,
        "rate_all": done / len(live) if live else None,
        "due": len(due),
        "done_due": done_due,
        "rate_due": done_due / len(due) if due else None,
        "overdue": sum(1 for s in live if s.overdue),
        "cancelled": len(every) - len(live),
    }


def rates(states: Sequence[MeasureState]) -> dict[str, Any]:
    """The execution rate of each programme and, within it, of each task that has measures.

    Digital Kazakhstan by its own account (seed 004), before anyone reports: 7 of its 16 measures done, none
    due (no source states a deadline):

    >>> from sandyq.framework import load_framework
    >>> from sandyq.store import Store
    >>> with Store(":memory:") as store:
    ...     plan = rates(measure_states(load_framework(), store, "digital-kazakhstan"))["digital-kazakhstan"]
    >>> plan["done"], plan["measures"], plan["rate_all"], plan["due"], plan["rate_due"]
    (7, 16, 0.4375, 0, None)
    >>> plan["tasks"]["it-and-security-specialists"]["done"], plan["tasks"]["it-and-security-specialists"]["measures"]
    (3, 5)
    """
    out: dict[str, Any] = {}
    for prog in dict.fromkeys(s.programme for s in states):
        mine = [s for s in states if s.programme == prog]
        tasks = {t: execution_rate([s for s in mine if s.task == t]) for t in dict.fromkeys(s.task for s in mine)}
        out[prog] = {**execution_rate(mine), "tasks": tasks}
    return out


def rate_sentence(programme: str, rate: dict[str, Any]) -> Message:
    """One programme's execution rate of measures as a sentence (said in kk and ru with ``Message.to``).

    >>> rate = {"done": 7, "measures": 16, "rate_all": 0.4375, "done_due": 0, "due": 0, "rate_due": None, "overdue": 0}
    >>> str(rate_sentence("digital-kazakhstan", rate))
    'digital-kazakhstan: 7/16 measures done (44%), 0/0 due done (—), 0 overdue'
    >>> rate_sentence("digital-kazakhstan", rate).to("ru")
    'digital-kazakhstan: исполнено 7 из 16 мероприятий (44%), из наступивших по сроку 0 из 0 (—), просрочено 0'
    """

    def percent(value: float | None) -> str:
        return "—" if value is None else f"{value:.0%}"

    keys = ("done", "measures", "done_due", "due", "overdue")
    params = {k: str(rate[k]) for k in keys} | {
        "rate_all": percent(rate["rate_all"]),
        "rate_due": percent(rate["rate_due"]),
    }
    return Message(_RATE, {"programme": programme, **params})


def _speaks_for(account: Account, agency: str | None, framework: Framework) -> bool:
    """Whether ``account``'s agency is ``agency`` (a source id), by id or by the source's publisher's name."""
    if not agency or not account.agency:
        return False
    source = framework.sources.get(agency)
    names = {agency.casefold()}
    if source is not None:
        names |= {str(getattr(source.publisher, lang, "")).casefold() for lang in ("kk", "ru", "en")}
    return account.agency.casefold() in names


def may_report(account: Account, framework: Framework, task: Task, event: Event) -> bool:
    """Whether ``account`` may report ``event`` (of ``task``): an admin always; an owner of its agency, or of one
    of its task's indicators.

    >>> from datetime import datetime
    >>> from sandyq.framework import load_framework
    >>> fw = load_framework()
    >>> _, task, event = find_measure(fw, "digital-kazakhstan", "robotics-classrooms")
    >>> owner = Account("1", "ann", "owner", (task.indicators[0],), "", None, True, datetime(2026, 1, 1))
    >>> stranger = Account("2", "bob", "owner", ("no-such",), "", None, True, datetime(2026, 1, 1))
    >>> may_report(owner, fw, task, event), may_report(stranger, fw, task, event)
    (True, False)
    """
    if account.role == "admin":
        return account.active
    if account.role != "owner" or not account.active:
        return False
    if _speaks_for(account, event.agency, framework):
        return True
    indicators = (*task.indicators, *(g.indicator for g in task.targets))
    return any(owns(account, i, framework) for i in indicators)


def report(
    framework: Framework,
    store: Store,
    account: Account | None,
    programme: str,
    measure: str,
    status: str,
    *,
    completed: date | str | None = None,
    budget_planned: float | None = None,
    budget_spent: float | None = None,
    currency: str | None = None,
    comment: str | None = None,
    scopes: Sequence[str] | None = None,
) -> records.MeasureReport:
    """Report ``measure`` of ``programme`` as ``account``: 401 for nobody, 403 for a role or owner it is not
    theirs, 404 for an unknown measure; a new report (the earlier ones stay) and its audit event."""
    who = require(account, "submit", scopes)
    _, task, event = find_measure(framework, programme, measure)
    if not may_report(who, framework, task, event):
        raise PermissionDeniedError(
            f"account {who.name!r} may not report measure {measure!r}: it owns neither its agency "
            f"({event.agency or 'none set'}) nor an indicator of its task {task.id!r}"
        )
    if isinstance(completed, str):
        try:
            completed = date.fromisoformat(completed) if completed.strip() else None
        except ValueError:
            raise InvalidValueError(f"completion date {completed!r}: expected YYYY-MM-DD") from None
    if currency is None and event.budget is not None and (budget_planned is not None or budget_spent is not None):
        currency = event.budget.unit
    return records.report_measure(
        store, programme, measure, status, reported_by=who.name, completed=completed, budget_planned=budget_planned,
        budget_spent=budget_spent, currency=currency, comment=comment,
    )  # fmt: skip


def _notice(state: MeasureState, day: date) -> tuple[dict[str, Any], str, str]:
    """The note, subject and body of the overdue notice of a measure.

    >>> s = MeasureState("p", "t", "m1", "Open 10 centres", "in_progress", date(2020, 6, 30), "kz-bns", None, None,
    ...                  None, None, None, None, None, True, True)
    >>> _notice(s, date(2020, 7, 3))[1]
    'sandyq: measure m1 of p is overdue (deadline 2020-06-30, in_progress)'
    """
    note = {
        "event": "measure.overdue",
        "programme": state.programme,
        "measure": state.id,
        "name": state.name,
        "status": state.status,
        "deadline": state.deadline.isoformat() if state.deadline else None,
        "agency": state.agency,
        "days_late": (day - state.deadline).days if state.deadline else None,
    }
    subject = (
        f"sandyq: measure {state.id} of {state.programme} is overdue (deadline {note['deadline']}, {state.status})"
    )
    body = "\n".join(f"{k}: {v}" for k, v in note.items() if v is not None) + "\n"
    return note, subject, body


def escalate(
    framework: Framework,
    store: Store,
    programme: str | None = None,
    as_of: date | datetime | str | None = None,
    actor: str = "system",
) -> list[dict[str, Any]]:
    """Send one notice per overdue measure not noticed before for its deadline; what was sent, per measure.

    The notice is recorded in the audit trail (``measure.escalate``) before it is sent, in one transaction
    with the check, so two runs at once, or a run repeated by cron, never send it twice.
    """
    _, day = _day(as_of)
    people = [a for a in people_records.accounts(store) if a.active and a.email]
    out = []
    for state in measure_states(framework, store, programme, as_of):
        if not state.overdue or state.deadline is None:
            continue
        note, subject, body = _notice(state, day)
        if not records.record_escalation(store, state.programme, state.id, state.deadline, note, actor):
            continue
        to = sorted(
            {
                str(a.email)
                for a in people
                if a.role == "admin" or (a.role == "owner" and _speaks_for(a, state.agency, framework))
            }
        )
        out.append({**note, "to": to, "sent": deliver(note, to, subject, body)})
    return out

"""Measures of the action plan: state as of a date, the execution rate, who may report, escalation sent once.

The bundled Digital Kazakhstan plan has 16 measures, 7 of them done by the framework's own account (seed 004),
none with a deadline a source states; a small plan with deadlines is written for the rest.
"""

from __future__ import annotations

import email
import email.policy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import sandyq
from sandyq import measures, people
from sandyq.errors import AuthenticationError, NotFoundError, PermissionDeniedError
from sandyq.store import accounts as records
from tests.test_notify import Inbox, smtp, webhook  # noqa: F401 (fixtures: a real SMTP server, a webhook receiver)

PLAN = """\
id: plan
name: {kk: Жоспар, ru: План, en: Plan}
start: 2020
end: 2025
legal_basis: {kk: a, ru: b, en: c}
directions:
  - id: d1
    name: {kk: a, ru: b, en: c}
    tasks:
      - id: t1
        name: {kk: a, ru: b, en: c}
        indicators: [17-8-1]
        events:
          - {id: m1, name: {kk: a, ru: b, en: Census of ICT use}, status: planned, deadline: 2021-06-30,
             agency: kz-bns, budget: {amount: 120, unit: KZT mn}}
          - {id: m2, name: {kk: a, ru: b, en: Open data portal}, status: done, deadline: 2021-12-31}
          - {id: m3, name: {kk: a, ru: b, en: Broadband to villages}, status: in_progress, deadline: 2023-12-31}
      - id: t2
        name: {kk: a, ru: b, en: c}
        events:
          - {id: m4, name: {kk: a, ru: b, en: Cancelled plan}, status: cancelled, deadline: 2021-01-31}
          - {id: m5, name: {kk: a, ru: b, en: Later}, status: planned}
"""


@pytest.fixture
def monitor(tmp_path: Path) -> Any:
    (tmp_path / "fw" / "programmes").mkdir(parents=True)
    (tmp_path / "fw" / "programmes" / "plan.yaml").write_text(PLAN, encoding="utf-8")
    with sandyq.connect(":memory:", framework=[tmp_path / "fw"]) as m:
        yield m


def test_the_bundled_plan_is_executed_at_7_of_16_by_its_own_account(monitor: Any) -> None:
    states = measures.measure_states(monitor.framework, monitor.store, "digital-kazakhstan")
    rate = measures.rates(states)["digital-kazakhstan"]
    assert (rate["measures"], rate["done"], rate["rate_all"]) == (16, 7, 0.4375)
    assert rate["due"] == 0 and rate["rate_due"] is None and rate["overdue"] == 0  # no deadline is stated
    by_task = {t: (r["done"], r["measures"]) for t, r in rate["tasks"].items()}
    assert by_task == {
        "education-transformation": (3, 7),
        "digital-literacy": (0, 2),
        "skills-lag": (1, 1),
        "it-and-security-specialists": (3, 5),
        "own-innovative-ecosystem": (0, 1),
    }
    assert sum(t["measures"] for t in rate["tasks"].values()) == 16


def test_the_rate_and_overdue_follow_the_reports_in_force_as_of_a_date(monitor: Any) -> None:
    fw, store = monitor.framework, monitor.store
    before = measures.rates(measures.measure_states(fw, store, "plan", "2022-01-01"))["plan"]
    # due by 2022-01-01: m1 (planned, overdue) and m2 (done); m4 is cancelled and counts nowhere
    assert (before["due"], before["done_due"], before["rate_due"], before["overdue"]) == (2, 1, 0.5, 1)
    assert (before["measures"], before["done"], before["cancelled"]) == (4, 1, 1)
    assert before["tasks"]["t1"]["measures"] == 3 and before["tasks"]["t2"]["measures"] == 1
    admin, _ = people.add_user(store, "root", "admin", "pw-root-1234")
    report = measures.report(fw, store, admin, "plan", "m1", "done", completed="2022-03-01", budget_spent=110.0)
    assert report.currency == "KZT mn"  # the plan's currency when none is given
    store.con.execute("UPDATE measure_report SET vintage = '2022-03-02 10:00:00'")  # reported on that day
    then = measures.rates(measures.measure_states(fw, store, "plan", "2022-03-01"))["plan"]
    assert then["overdue"] == 1 and then["done_due"] == 1  # as of the day before the report: still overdue
    after = measures.measure_states(fw, store, "plan", "2022-03-02")
    m1 = next(s for s in after if s.id == "m1")
    assert (m1.status, m1.completed, m1.budget_planned, m1.budget_spent, m1.overdue) == (
        "done", date(2022, 3, 1), 120.0, 110.0, False
    )  # fmt: skip
    rate = measures.rates(after)["plan"]
    assert (rate["rate_due"], rate["overdue"]) == (1.0, 0)
    late = measures.rates(measures.measure_states(fw, store, "plan", "2024-01-01"))["plan"]
    assert (late["due"], late["done_due"], late["overdue"]) == (3, 2, 1)  # m3 missed its 2023 deadline


def test_who_may_report_a_measure(monitor: Any) -> None:
    fw, store = monitor.framework, monitor.store
    by_agency, _ = people.add_user(store, "bns", "owner", "pw-bns-1234", agency="kz-bns")
    by_indicator, _ = people.add_user(store, "ann", "owner", "pw-ann-1234", indicators=["17-8-1"])
    other, _ = people.add_user(store, "oleg", "owner", "pw-oleg-1234", indicators=["IT.NET.USER.ZS"])
    reviewer, _ = people.add_user(store, "rita", "reviewer", "pw-rita-1234")
    measures.report(fw, store, by_agency, "plan", "m1", "in_progress", comment="fieldwork started")
    measures.report(fw, store, by_indicator, "plan", "m3", "in_progress")  # m3 is of t1, which has 17-8-1
    with pytest.raises(PermissionDeniedError, match="may not report measure 'm4'"):
        measures.report(fw, store, by_agency, "plan", "m4", "done")  # no agency set, not its task
    with pytest.raises(PermissionDeniedError, match="may not report measure 'm1'"):
        measures.report(fw, store, other, "plan", "m1", "done")
    with pytest.raises(PermissionDeniedError, match="may not submit"):
        measures.report(fw, store, reviewer, "plan", "m1", "done")
    with pytest.raises(AuthenticationError):
        measures.report(fw, store, None, "plan", "m1", "done")
    with pytest.raises(PermissionDeniedError):  # a token limited to reading
        measures.report(fw, store, by_agency, "plan", "m1", "done", scopes=["read"])
    with pytest.raises(NotFoundError, match="no measure 'm9'"):
        measures.report(fw, store, by_agency, "plan", "m9", "done")
    trail = [(e["actor"], e["subject"]) for e in records.audit_events(store) if e["action"] == "measure.report"]
    assert trail == [("ann", "plan/m3"), ("bns", "plan/m1")]


def test_an_overdue_measure_escalates_once_per_deadline(
    monitor: Any,
    smtp: Inbox,  # noqa: F811
    webhook: list[dict[str, Any]],  # noqa: F811
) -> None:
    fw, store = monitor.framework, monitor.store
    people.add_user(store, "bns", "owner", "pw-bns-1234", agency="kz-bns", email="bns@stat.gov.kz")
    people.add_user(store, "ann", "owner", "pw-ann-1234", indicators=["17-8-1"], email="ann@mdd.kz")
    people.add_user(store, "root", "admin", "pw-root-1234", email="root@sandyq.kz")
    sent = measures.escalate(fw, store, "plan", "2022-01-01")
    assert [(n["measure"], n["to"], n["days_late"]) for n in sent] == [
        ("m1", ["bns@stat.gov.kz", "root@sandyq.kz"], 185)
    ]
    assert len(smtp.messages) == 1 and sorted(smtp.messages[0].rcpt_tos) == ["bns@stat.gov.kz", "root@sandyq.kz"]
    mail = email.message_from_bytes(smtp.messages[0].content, policy=email.policy.default)
    assert mail["Subject"] == "sandyq: measure m1 of plan is overdue (deadline 2021-06-30, planned)"
    assert [(h["event"], h["measure"], h["deadline"]) for h in webhook] == [("measure.overdue", "m1", "2021-06-30")]
    assert measures.escalate(fw, store, "plan", "2022-02-01") == []  # cron again: nothing sent twice
    assert len(smtp.messages) == 1 and len(webhook) == 1
    later = measures.escalate(fw, store, "plan", "2024-01-01")  # m3 is now overdue too; m1 was noticed already
    assert [n["measure"] for n in later] == ["m3"] and later[0]["to"] == ["root@sandyq.kz"]
    events = [e for e in records.audit_events(store) if e["action"] == "measure.escalate"]
    assert sorted(e["subject"] for e in events) == ["plan/m1", "plan/m3"]

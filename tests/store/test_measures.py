"""Reports on measures: append-only, read as of a moment, escalations recorded once; on DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from sandyq.errors import InvalidValueError
from sandyq.store import SCHEMA_VERSION, Store
from sandyq.store import accounts as records
from sandyq.store import measures as kept
from sandyq.store._schema import MIGRATIONS
from tests._postgres import backend_url

PROGRAMME = "digital-kazakhstan"


def test_a_new_report_adds_a_row_and_reads_are_as_of(store: Store) -> None:
    first = kept.report_measure(
        store, PROGRAMME, "robotics-classrooms", "in_progress", reported_by="ann",
        budget_planned=120.0, budget_spent=30.5, currency="KZT mn", vintage=datetime(2024, 3, 1, 9, 0),
    )  # fmt: skip
    kept.report_measure(
        store, PROGRAMME, "robotics-classrooms", "done", reported_by="ann", completed=date(2024, 11, 30),
        budget_planned=120.0, budget_spent=118.0, currency="KZT mn", comment="all 400 classrooms",
        vintage=datetime(2024, 12, 2, 9, 0),
    )  # fmt: skip
    now = kept.measure_reports(store, PROGRAMME)
    assert [(r.measure, r.status, r.completed, r.budget_spent) for r in now] == [
        ("robotics-classrooms", "done", date(2024, 11, 30), 118.0)
    ]
    then = kept.measure_reports(store, PROGRAMME, as_of=datetime(2024, 6, 30, 23, 59))
    assert then == [first] and then[0].status == "in_progress" and then[0].completed is None
    assert kept.measure_reports(store, PROGRAMME, as_of=datetime(2024, 1, 1)) == []
    history = kept.measure_reports(store, PROGRAMME, history=True)
    assert [r.status for r in history] == ["in_progress", "done"]  # nothing overwritten
    trail = [e for e in records.audit_events(store) if e["action"] == "measure.report"]
    assert len(trail) == 2 and trail[0]["subject"] == f"{PROGRAMME}/robotics-classrooms"
    assert trail[0]["detail"]["status"] == "done" and trail[0]["reason"] == "all 400 classrooms"


_BAD = [
    ("finished", None, None, "expected one of planned, in_progress, done"),
    ("in_progress", date(2024, 1, 1), None, "the status is 'in_progress', not 'done'"),
    ("done", None, -1.0, "budget spent -1.0"),
    ("done", None, float("nan"), "budget spent nan"),
]


def test_a_bad_report_is_refused_and_nothing_is_kept(store: Store) -> None:
    for status, completed, spent, message in _BAD:
        with pytest.raises(InvalidValueError, match=message):
            kept.report_measure(
                store, PROGRAMME, "x", status, reported_by="ann", completed=completed, budget_spent=spent
            )
    assert kept.measure_reports(store, history=True) == [] and records.audit_events(store) == []


def test_an_escalation_is_recorded_once_per_deadline(store: Store) -> None:
    deadline = date(2019, 12, 31)
    assert not kept.escalated(store, PROGRAMME, "m1", deadline)
    assert kept.record_escalation(store, PROGRAMME, "m1", deadline, {"agency": "kz-bns"})
    assert kept.escalated(store, PROGRAMME, "m1", deadline)
    version = store.data_version()
    assert not kept.record_escalation(store, PROGRAMME, "m1", deadline, {"agency": "kz-bns"})
    assert store.data_version() == version  # a repeated run writes nothing, so no reader drops its caches
    assert kept.record_escalation(store, PROGRAMME, "m1", date(2020, 6, 30), {})  # a new deadline: a new notice
    assert not kept.escalated(store, PROGRAMME, "m2", deadline)
    assert [e["action"] for e in records.audit_events(store)] == ["measure.escalate"] * 2


@pytest.mark.parametrize("backend", ["duckdb", "postgresql"])
def test_a_version_4_store_is_migrated_to_5(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> None:
    url = backend_url(request, backend)
    if backend == "duckdb":
        url = str(tmp_path / "v4.duckdb")
    with Store(url) as s:  # made at version 5; taken back to version 4 as an older sandyq left it
        s.con.execute("DROP TABLE measure_report")
        s.con.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")
    with Store(url) as s:
        assert s.schema_version == SCHEMA_VERSION == 5
        assert "measure_report" in {
            t
            for (t,) in s.con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
            ).fetchall()
        }
        kept.report_measure(s, PROGRAMME, "m1", "planned", reported_by="ann")
        assert len(kept.measure_reports(s)) == 1
    assert MIGRATIONS[5][0].lstrip().startswith("CREATE TABLE IF NOT EXISTS measure_report")

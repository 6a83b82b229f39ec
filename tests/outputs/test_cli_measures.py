"""``sandyq measures``: the plan's measures as of a date with the execution rate; ``report``; ``escalate``."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from sandyq import people
from sandyq.outputs.cli import app
from sandyq.store import Store

runner = CliRunner()


def run(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_list_report_and_escalate(tmp_path: Path) -> None:
    db = tmp_path / "plan.duckdb"
    with Store(db) as s:
        people.add_user(s, "root", "admin", "pw-root-1234")
        people.add_user(s, "vic", "viewer", "pw-vic-1234")
    code, out, _ = run(db, "measures", "--programme", "digital-kazakhstan", "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    assert len(frame) == 16 and (frame["status"] == "done").sum() == 7
    assert list(frame.columns[:6]) == ["programme", "task", "id", "status", "deadline", "agency"]
    assert not frame["overdue"].any()
    code, out, err = run(db, "measures", "-p", "digital-kazakhstan")
    assert code == 0 and "digital-kazakhstan: 7/16 measures done (44%), 0/0 due done (—), 0 overdue" in out
    assert "robotics-classrooms" in out

    args = ["measures", "report", "digital-kazakhstan", "robotics-classrooms", "--status", "done"]
    code, _, err = run(db, *args, "--completed", "2024-05-01", "--budget-spent", "12.5", "--user", "vic")
    assert code == 2 and "may not submit" in err
    code, _, err = run(db, "measures", "report", "digital-kazakhstan", "nothing", "--status", "done", "-u", "root")
    assert code == 2 and "has no measure 'nothing'" in err
    code, out, err = run(db, *args, "--completed", "2024-05-01", "--budget-spent", "12.5", "-u", "root", "-m", "ok")
    assert code == 0 and "robotics-classrooms: done, reported by root" in err and len(out.strip()) == 32

    code, out, _ = run(db, "measures", "-p", "digital-kazakhstan", "--format", "csv")
    row = pd.read_csv(io.StringIO(out)).set_index("id").loc["robotics-classrooms"]
    assert (row["status"], row["completed"], row["budget_spent"], row["reported_by"]) == (
        "done", "2024-05-01", 12.5, "root"
    )  # fmt: skip
    code, out, _ = run(db, "measures", "-p", "digital-kazakhstan", "--as-of", "2020-01-01", "--format", "csv")
    assert pd.read_csv(io.StringIO(out)).set_index("id").loc["robotics-classrooms", "status"] == "in_progress"
    code, out, err = run(db, "measures", "escalate")
    assert code == 0 and out == "" and "0 overdue measure(s) escalated" in err  # the bundled plan states no deadline
    code, out, _ = run(db, "trail", "--format", "csv")
    assert "measure.report,digital-kazakhstan/robotics-classrooms" in out

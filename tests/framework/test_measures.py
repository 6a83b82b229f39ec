"""A measure (an event of a task) may carry a deadline, a responsible agency and a budget; bad ones are named."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sandyq.errors import FrameworkError
from sandyq.framework import load_framework

PLAN = """\
id: plan
name: {{kk: a, ru: b, en: c}}
start: 2020
end: 2025
legal_basis: {{kk: a, ru: b, en: c}}
directions:
  - id: d1
    name: {{kk: a, ru: b, en: c}}
    tasks:
      - id: t1
        name: {{kk: a, ru: b, en: c}}
        events:
          - id: m1
            name: {{kk: a, ru: b, en: c}}
            status: planned
{extra}
          - id: {second}
            name: {{kk: a, ru: b, en: c}}
"""


def _folder(tmp_path: Path, extra: str, second: str = "m2") -> Path:
    (tmp_path / "programmes").mkdir(parents=True)
    lines = "\n".join(f"            {line}" for line in extra.splitlines())
    (tmp_path / "programmes" / "plan.yaml").write_text(PLAN.format(extra=lines, second=second), encoding="utf-8")
    return tmp_path


def test_deadline_agency_and_budget_are_read(tmp_path: Path) -> None:
    extra = "deadline: 2021-12-31\nagency: kz-bns\nbudget: {amount: 350.5, unit: KZT mn}"
    fw = load_framework(_folder(tmp_path, extra))
    m1, m2 = fw.programme("plan").tasks()[0].events
    assert (m1.deadline, m1.agency, m1.budget and m1.budget.amount, m1.budget and m1.budget.unit) == (
        date(2021, 12, 31), "kz-bns", 350.5, "KZT mn"
    )  # fmt: skip
    assert (m2.deadline, m2.agency, m2.budget, m2.status) == (None, None, None, "unknown")


@pytest.mark.parametrize(
    ("extra", "second", "path", "message"),
    [
        ("agency: ministry-of-magic", "m2", "directions[0].tasks[0].events[0].agency", "unknown agency"),
        ("deadline: '2021-02-30'", "m2", "directions[0].tasks[0].events[0].deadline", "date"),
        ("deadline: 2021-02-30", "m2", None, "'2021-02-30' is not a date (day is out of range for month)"),
        ("budget: {amount: -5, unit: KZT mn}", "m2", "directions[0].tasks[0].events[0].budget.amount", "0"),
        ("budget: {amount: 5, unit: tenge}", "m2", "directions[0].tasks[0].events[0].budget.unit", "pattern"),
        (
            "citation: {source: nowhere, passage: x}",
            "m2",
            "directions[0].tasks[0].events[0].citation.source",
            "unknown source",
        ),
        ("year: 2021", "m1", "directions[0].tasks[0].events[1].id", "duplicate event id 'm1'"),
    ],
)
def test_a_bad_measure_is_named_by_file_and_field(
    tmp_path: Path, extra: str, second: str, path: str | None, message: str
) -> None:
    with pytest.raises(FrameworkError) as info:
        load_framework(_folder(tmp_path, extra, second))
    problems = info.value.problems
    assert len(problems) == 1, problems
    assert problems[0].path == path and message in problems[0].message, problems
    assert problems[0].file.endswith("plan.yaml")

"""Programme roll-up and risk warnings, on the Digital Kazakhstan programme of the default content."""

from __future__ import annotations

import datetime as dt
import json
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest
import yaml

from sandyq.analytics.progress import Calibration, progress
from sandyq.framework import Citation, Direction, Indicator, Programme, Risk, Target, Task, Text

CONTENT = Path(str(resources.files("sandyq") / "content" / "framework"))
COLUMNS = ["indicator", "geo", "period", "year", "dims", "value", "unit", "status", "source", "vintage", "note"]


def _default_programme(pid: str) -> tuple[Programme, dict[str, Indicator]]:
    """A programme and the indicators of the default content, read file by file."""
    programme = Programme.model_validate(yaml.safe_load((CONTENT / "programmes" / f"{pid}.yaml").read_text("utf-8")))
    indicators: dict[str, Indicator] = {}
    for f in sorted((CONTENT / "indicators").glob("*.yaml")):
        for item in yaml.safe_load(f.read_text("utf-8")):
            ind = Indicator.model_validate(item)
            indicators[ind.id] = ind
    return programme, indicators


def _obs(rows: list[tuple[str, int, float, str, str]], vintage: str = "2020-06-30") -> pd.DataFrame:
    """Observations (indicator, year, value, unit, source) for KAZ totals."""
    return pd.DataFrame(
        [(i, "KAZ", str(y), y, "", v, u, "", s, pd.Timestamp(vintage), "") for i, y, v, u, s in rows],
        columns=COLUMNS,
    )


# Seed 000 (Mouly et al. 2020): "In 2016, Kazakhstan ranked 52 out of 175 in the ... ICT Development Index ...
# without changing its position since 2015."
IDI = [("ITU.IDI.RANK", 2015, 52.0, "RANK", "seed-000"), ("ITU.IDI.RANK", 2016, 52.0, "RANK", "seed-000")]


def test_every_digital_kazakhstan_target_is_listed_even_without_data() -> None:
    programme, indicators = _default_programme("digital-kazakhstan")
    report = progress(programme, indicators, pd.DataFrame(columns=COLUMNS), as_of="2021-12-31")
    assert len(report.targets) == len(programme.targets()) >= 5
    assert {t.status for t in report.targets} == {"no_data"}
    assert report.counts == {"no_data": len(programme.targets())}
    # nothing can be judged: no execution rate (issue 12), though none of all targets is achieved
    assert report.execution_rate is None and report.judged == 0
    assert report.execution_rate_all == 0.0 and report.execution_rate_with_data is None
    assert all("No data" in t.explanation for t in report.targets)


def test_digital_kazakhstan_idi_rank_target_and_its_milestones() -> None:
    """IDI rank 52 (2016 baseline) → 30 by 2022, 25 by 2025, 15 by 2050 (seed 000)."""
    programme, indicators = _default_programme("digital-kazakhstan")
    report = progress(programme, indicators, _obs(IDI), as_of="2020-06-30")
    row = next(t for t in report.targets if t.indicator_id == "ITU.IDI.RANK")
    a = row.assessment
    assert a is not None
    assert [(m.year, m.target) for m in a.milestones] == [(2022, 30.0), (2025, 25.0), (2050, 15.0)]
    assert a.status.target_year == 2022 and a.status.polarity == "lower"
    # nothing after the 2016 baseline: progress since the programme's baseline cannot be measured yet
    assert row.status == "insufficient_data"
    assert "No value after the base year 2016" in row.explanation
    assert [m.state for m in a.milestones] == ["projected"] * 3
    assert a.projection is not None and a.projection.value == pytest.approx(52.0)  # ranks: linear, flat
    assert row.source == "seed-000"


def test_digital_kazakhstan_idi_rank_with_a_later_rank_is_judged_linearly() -> None:
    """With a hypothetical rank 45 in 2018: 3.5 places a year against (52 − 30)/6 = 3.67 required → 0.95."""
    programme, indicators = _default_programme("digital-kazakhstan")
    obs = _obs([*IDI, ("ITU.IDI.RANK", 2018, 45.0, "RANK", "seed-000")])
    row = next(
        t for t in progress(programme, indicators, obs, as_of="2020-06-30").targets if t.target_id == "dk-idi-rank"
    )
    s = row.assessment.status  # type: ignore[union-attr]
    assert s.rate_kind == "linear"
    assert s.ratio == pytest.approx(3.5 / (22 / 6))
    assert row.status == "significant_progress"


def test_as_of_hides_data_published_later() -> None:
    programme, indicators = _default_programme("digital-kazakhstan")
    obs = _obs(IDI, vintage="2020-06-30")
    before = progress(programme, indicators, obs, as_of=dt.date(2019, 12, 31))
    after = progress(programme, indicators, obs, as_of=dt.date(2020, 12, 31))
    idi = "dk-idi-rank"
    assert next(t for t in before.targets if t.target_id == idi).status == "no_data"
    assert next(t for t in after.targets if t.target_id == idi).status != "no_data"


# --- a small programme built here -----------------------------------------------------------------------------------

CITE = Citation(source="test", passage="test")


def _text(s: str) -> Text:
    return Text(kk=s, ru=s, en=s)


def _indicator(iid: str, unit: str = "PT", polarity: str = "higher", source: str = "bns") -> Indicator:
    return Indicator(id=iid, name=_text(iid), unit=unit, polarity=polarity, source=source)  # type: ignore[arg-type]


def _target(tid: str, iid: str, value: float, year: int = 2025) -> Target:
    return Target(id=tid, indicator=iid, value=value, year=year, citation=CITE)


def _programme() -> Programme:
    return Programme(
        id="test-programme",
        name=_text("Test programme"),
        start=2018,
        end=2025,
        legal_basis=_text("none"),
        directions=(
            Direction(
                id="d1",
                name=_text("Direction one"),
                tasks=(
                    Task(
                        id="t1",
                        name=_text("Task one"),
                        targets=(_target("g1", "up", 80.0), _target("g2", "done", 50.0)),
                        risks=(Risk(id="r1", text=_text("risk one"), indicators=("down",)),),
                    ),
                    Task(
                        id="t2",
                        name=_text("Task two"),
                        targets=(_target("g3", "done2", 10.0), _target("g4", "down", 90.0), _target("g5", "none", 1.0)),
                        risks=(Risk(id="r2", text=_text("risk two"), indicators=("done",)),),
                    ),
                ),
            ),
        ),
    )


INDICATORS = {
    i.id: i for i in (_indicator("up"), _indicator("done"), _indicator("done2"), _indicator("down"), _indicator("none"))
}
OBS = _obs(
    [("up", y, v, "PT", "bns") for y, v in [(2017, 40.0), (2019, 50.0), (2021, 60.0)]]
    + [("done", y, v, "PT", "wb") for y, v in [(2017, 40.0), (2021, 55.0)]]
    + [("done2", y, v, "PT", "bns") for y, v in [(2017, 5.0), (2021, 12.0)]]
    + [("down", y, v, "PT", "bns") for y, v in [(2017, 70.0), (2019, 65.0), (2021, 60.0)]],
    vintage="2022-03-01",
)


def test_execution_rate_counts_and_grouping() -> None:
    """Two of five targets achieved: the "40 % performance" figure; two of the four that can be judged: 50 %."""
    report = progress(_programme(), INDICATORS, OBS, as_of="2022-06-30", calibration=Calibration())
    assert report.execution_rate_all == pytest.approx(0.4)
    assert report.execution_rate == pytest.approx(0.5) and report.judged == 4  # g5 has no data (issue 12)
    assert report.not_judged == {"no_data": 1}
    assert report.execution_rate_with_data == pytest.approx(0.5)
    assert report.counts["achieved"] == 2 and report.counts["no_data"] == 1
    assert [t.target_id for t in report.targets] == ["g1", "g2", "g3", "g4", "g5"]
    assert [t.task_id for t in report.targets] == ["t1", "t1", "t2", "t2", "t2"]
    assert next(t for t in report.targets if t.target_id == "g4").status == "moving_away"


def test_source_fallback_is_used_and_explained() -> None:
    report = progress(_programme(), INDICATORS, OBS, as_of="2022-06-30")
    row = next(t for t in report.targets if t.target_id == "g2")
    assert row.source == "wb"
    assert "own source 'bns' has no data" in row.source_note and "used 'wb'" in row.explanation


def test_risk_is_raised_when_a_linked_indicator_moves_away() -> None:
    report = progress(_programme(), INDICATORS, OBS, as_of="2022-06-30")
    r1, r2 = report.risks
    assert r1.raised and r1.level == "high"
    assert "down: movement away from the target" in r1.explanation
    assert not r2.raised and r2.level == "none" and "done: target achieved" in r2.explanation


def test_low_probability_raises_an_elevated_risk() -> None:
    programme = _programme()
    tasks = programme.directions[0].tasks
    risky = tasks[0].model_copy(update={"risks": (Risk(id="r3", text=_text("risk"), indicators=("up",)),)})
    changed = programme.model_copy(
        update={"directions": (programme.directions[0].model_copy(update={"tasks": (risky, tasks[1])}),)}
    )
    base = progress(changed, INDICATORS, OBS, as_of="2022-06-30")
    row = next(t for t in base.targets if t.target_id == "g1")
    assert row.status == "significant_progress"  # on track by the ratio ...
    prob = row.assessment.probability  # type: ignore[union-attr]
    assert prob is not None
    above = progress(changed, INDICATORS, OBS, as_of="2022-06-30", low_probability=prob + 0.01).risks[0]
    below = progress(changed, INDICATORS, OBS, as_of="2022-06-30", low_probability=prob - 0.01).risks[0]
    assert above.raised and above.level == "elevated"  # ... but the probability can still raise the risk
    assert "probability of reaching the milestone" in above.explanation
    assert not below.raised


def test_report_formats() -> None:
    report = progress(_programme(), INDICATORS, OBS, as_of="2022-06-30")
    data = json.loads(report.format("json"))
    assert data["programme"] == "test-programme" and len(data["targets"]) == 5
    assert data["targets"][0]["assessment"]["status"]["status"] == report.targets[0].status
    csv = report.format("csv").splitlines()
    assert csv[0].startswith("direction,task,target,indicator,geo,status") and len(csv) == 6
    text = report.format("table")
    expected = "Execution rate: 2 of 4 targets that can be judged achieved (50 %); 1 of 5 cannot be judged (no data 1)"
    assert expected in text
    assert "Direction one [d1]" in text and "Task two [t2]" in text and "Risks raised: 1 of 2" in text
    with pytest.raises(Exception, match="unknown format"):
        report.format("xml")


def test_only_totals_are_used() -> None:
    obs = pd.concat([OBS, OBS.assign(dims="sex=F", value=99.0)], ignore_index=True)
    report = progress(_programme(), INDICATORS, obs, as_of="2022-06-30")
    row = next(t for t in report.targets if t.target_id == "g1")
    assert row.assessment is not None and row.assessment.status.latest_value == 60.0

"""Issue 12's acceptance: the default content judged on its real data, against the figures the material publishes.

Every expected figure is a published one (data/kz-programme-targets, with the page it was read in), not a value
read back from the store.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import numpy as np
import pytest

import sandyq
from sandyq.analytics.progress import (
    NOT_JUDGED,
    Calibration,
    ProgressReport,
    TargetProgress,
    assess_series,
    reconcile,
    required_path,
)

AS_OF_2019 = "2019-06-30"


@pytest.fixture(scope="module")
def reports(default_db: Path) -> dict[str, ProgressReport]:
    """Every programme rolled up as of today (the day the tests run)."""
    with sandyq.connect(default_db, read_only=True) as m:
        return {p: m.progress(p) for p in m.framework.programmes}


@pytest.fixture(scope="module")
def report_2019(default_db: Path) -> ProgressReport:
    with sandyq.connect(default_db, read_only=True) as m:
        return m.progress("digital-kazakhstan", as_of=AS_OF_2019)


def _row(reports: dict[str, ProgressReport], target_id: str) -> TargetProgress:
    return next(t for r in reports.values() for t in r.targets if t.target_id == target_id)


def _milestones(row: TargetProgress) -> dict[int, tuple[str, float | None]]:
    assert row.assessment is not None
    return {m.year: (m.state, m.observed) for m in row.assessment.milestones}


# -- judged figures against the published ones ------------------------------------------------------------------------


def test_digital_literacy_milestones_are_met_on_bns_figures(reports: dict[str, ProgressReport]) -> None:
    """BNS (ages 6–74): 79.6 in 2018 vs 77; 87.3 in 2021 vs 81.5 (Kazinform/Energyprom, 9 June 2022); 83 by 2022."""
    row = _row(reports, "dk-digital-literacy")
    assert row.source == "kz-bns-survey" and row.declared_source == "kz-bns-survey"
    ms = _milestones(row)
    assert ms[2018] == ("met", pytest.approx(79.6))
    assert ms[2021] == ("met", pytest.approx(87.3))
    assert ms[2022][0] == "met"  # no 2022 survey value: between 87.3 (2021) and 90.2 (2023)
    assert row.status == "achieved" and row.judgeable
    # the ages-6+ series and the ministry's lagged figure are shown beside it, for the same year where they have it
    others = {o.source: (o.year, o.value, o.same_year) for o in row.others}
    assert others["kz-bns-6plus"] == (2021, pytest.approx(85.3), True)
    assert others["kz-gov-statements"] == (2019, pytest.approx(79.6), False)


@pytest.mark.parametrize(
    ("target_id", "year", "observed", "target"),
    [
        ("dk-internet-users-2018", 2018, 81.3, 78),  # BNS 81.3 % (2018) vs 78 % (Abayev, 2018)
        ("dk-internet-users-2022", 2022, 94.0, 88),  # BNS 94.0 % (2022) vs 88 % (government, 2020)
        ("dk-egov-services-2022", 2022, 90.0, 80),  # "more than 90 %" (President, 2022) vs 80 %
        ("dk-rural-fibre-2020", 2020, 1257, 1200),  # 1,257 settlements (Vice Minister, 2021) vs about 1,200
        ("dk-digital-literacy-2018", 2018, 79.6, 78.5),  # BNS 79.6 vs seed 004's 77 + 1.5
        ("dk20-internet-2020", 2020, 88.2, 78),  # the 2017 draft's 78 % by 2020
        ("dk20-digital-literacy-2020", 2020, 84.1, 80),  # the 2017 draft's 80 % by 2020
        ("pres-ict-exports-2025", 2025, 1000, 500),  # ministry's expected USD 1 bn vs USD 500 mn
    ],
)
def test_targets_due_are_met_on_the_data_of_their_year(
    reports: dict[str, ProgressReport], target_id: str, year: int, observed: float, target: float
) -> None:
    row = _row(reports, target_id)
    s = row.assessment.status  # type: ignore[union-attr]
    assert row.status == "achieved" and s.target_year_passed
    assert (s.latest_year, s.latest_value, s.target) == (year, pytest.approx(observed), target)
    assert row.judgeable


def test_a_milestone_met_and_a_final_target_overdue(reports: dict[str, ProgressReport]) -> None:
    """Rural broadband: 5,322 in 2020 vs 5,163 (met); no 2021 figure for the 6,212, so no verdict of met or missed."""
    row = _row(reports, "dk-rural-broadband-2021")
    assert _milestones(row)[2020] == ("met", pytest.approx(5322))
    assert row.overdue and not row.judgeable
    assert "no figure for it is in the data" in row.explanation


def test_jobs_are_judged_on_the_pace_since_the_start(reports: dict[str, ProgressReport]) -> None:
    """50 thousand jobs by 2019 (cumulative from 2018): 25,000 a year against 60,000 needed for 300,000 by 2022."""
    s = _row(reports, "dk-new-jobs-2022").assessment.status  # type: ignore[union-attr]
    assert (s.base_year, s.base_value, s.latest_value) == (2017, 0, 50_000)
    assert s.rate_kind == "linear" and s.observed_rate == pytest.approx(25_000) and s.ratio == pytest.approx(25 / 60)
    assert s.status == "insufficient_progress"


def test_the_idi_rank_cannot_be_judged_after_the_index_ended(reports: dict[str, ProgressReport]) -> None:
    row = _row(reports, "dk-idi-rank")
    assert row.source == "itu-mis" and row.status == "insufficient_data" and not row.judgeable
    assert "stopped publishing the ICT Development Index" in row.explanation
    assert "(2022: 30, 2025: 25, 2050: 15) cannot be judged" in row.explanation
    assert row.projection_note == "No projection: the series ended with its 2017 value."


def test_at_least_ten_targets_have_a_data_backed_status(reports: dict[str, ProgressReport]) -> None:
    dk = reports["digital-kazakhstan"]
    backed = [t for t in dk.targets if t.status != "no_data"]
    assert len(backed) >= 10


# -- every target answers --------------------------------------------------------------------------------------------


def _all_rows(reports: dict[str, ProgressReport]) -> list[TargetProgress]:
    return [t for r in reports.values() for t in r.targets]


def test_every_target_answers_or_says_why_in_plain_words(reports: dict[str, ProgressReport]) -> None:
    for t in _all_rows(reports):
        row = t.row()
        assert t.unit and t.unit_name, t.target_id  # target values carry units
        assert row["explanation"]
        if t.shows_projection:
            assert row["projection"] is not None and row["lower80"] is not None and row["lower95"] is not None
            assert row["probability"] is not None, t.target_id
        else:
            assert row["projection"] is None and t.projection_note, t.target_id
        for text in (row["explanation"], row["projection_note"] or ""):
            assert t.indicator_id not in text, (t.target_id, text)  # never an internal code
            assert not re.search(r"\b(kz|dk|np)\.[a-z_]+", text), (t.target_id, text)


def test_projections_need_three_observations(reports: dict[str, ProgressReport]) -> None:
    for t in _all_rows(reports):
        if t.n_observations < 3 and t.assessment is not None:
            assert not t.shows_projection
            if not t.assessment.status.target_year_passed and t.projection_note:
                assert "observation" in t.projection_note or "series ended" in t.projection_note


def test_status_and_probability_never_disagree_without_a_sentence(reports: dict[str, ProgressReport]) -> None:
    for t in _all_rows(reports):
        a = t.assessment
        if a is None or a.projection is None or a.projection.probability is None:
            continue
        p, st = a.projection.probability, a.status.status
        on_pace_unlikely = st == "significant_progress" and p < 0.5
        off_pace_likely = st in {"moderate_progress", "insufficient_progress", "moving_away"} and p >= 0.5
        if on_pace_unlikely or off_pace_likely:
            assert a.reconciliation, t.target_id


def test_open_targets_show_the_growth_needed_next_to_the_growth_achieved() -> None:
    """BNS Internet users judged as of mid-2019 against 88 % by 2022: needed from 81.3 (2018) vs achieved."""
    a = assess_series([2016, 2017, 2018], [76.8, 78.8, 81.3], [(2022, 88.0)], unit="PT", as_of_year=2019)
    s = a.status
    assert s.needed_rate == pytest.approx((88 / 81.3) ** (1 / 4) - 1)
    assert s.observed_rate == pytest.approx((81.3 / 76.8) ** (1 / 2) - 1)
    assert [y for y, _ in a.required][0] == 2016 and a.required[-1] == (2022, pytest.approx(88.0))
    assert a.to_dict()["required_trajectory"][-1] == {"year": 2022, "value": pytest.approx(88.0)}


def test_a_slowdown_is_the_reason_status_and_probability_differ() -> None:
    """A share that grew fast early and has nearly stopped: on pace since the base, unlikely to reach the target."""
    years, values = np.array([2015, 2020, 2021, 2022]), np.array([50.0, 80.0, 81.0, 81.5])
    # the models' own distribution: the default calibration has learnt from backtests that projections from four
    # values fall short (median error +1.2 standard errors five years ahead) and gives this target 58 %
    a = assess_series(years, values, [(2027, 95.0)], unit="PT", calibration=Calibration())
    assert a.status.status == "significant_progress"
    assert a.probability is not None and a.probability < 0.5
    assert a.reconciliation is not None and "growth has slowed recently" in a.reconciliation
    assert a.reconciliation in a.explanation
    assert reconcile(a.status, a.projection, years, values) == a.reconciliation


def test_the_required_path_passes_through_every_milestone(reports: dict[str, ProgressReport]) -> None:
    a = _row(reports, "dk-digital-literacy").assessment
    assert a is not None
    path = dict(a.required)
    assert path[2021] == pytest.approx(81.5) and path[2022] == pytest.approx(83.0)
    assert required_path(a.status, [(2022, 83.0)])[-1] == (2022, pytest.approx(83.0))


# -- honest roll-up ---------------------------------------------------------------------------------------------------


def test_the_execution_rate_counts_only_targets_that_can_be_judged(reports: dict[str, ProgressReport]) -> None:
    dk = reports["digital-kazakhstan"]
    judged = [t for t in dk.targets if t.judgeable]
    assert dk.judged == len(judged) > 0
    assert dk.execution_rate == pytest.approx(sum(t.status == "achieved" for t in judged) / len(judged))
    assert sum(dk.not_judged.values()) == len(dk.targets) - dk.judged
    assert all(t.status in NOT_JUDGED or t.overdue for t in dk.targets if not t.judgeable)
    text = dk.execution_text()
    assert f"of {dk.judged} targets that can be judged" in text and "cannot be judged (" in text
    assert reports["information-kazakhstan-2020"].execution_rate is None  # its indicators are not bundled


# -- as it could have been judged then ---------------------------------------------------------------------------------


def test_as_of_2019_uses_only_figures_published_by_then(report_2019: ProgressReport) -> None:
    day = dt.date.fromisoformat(AS_OF_2019)
    for t in report_2019.targets:
        if t.vintage is not None:
            assert dt.date.fromisoformat(t.vintage) <= day, t.target_id
        for o in t.others:
            assert o.vintage is None or dt.date.fromisoformat(o.vintage) <= day, t.target_id
        if t.assessment is not None:
            assert all(y <= 2019 for y, _ in t.assessment.points)


def test_as_of_2019_judges_what_was_known(report_2019: ProgressReport) -> None:
    rows = {t.target_id: t for t in report_2019.targets}
    # BNS's 78.8 % for 2017 was quoted by the minister in 2018: the 2018 target of 78 % was already met
    assert rows["dk-internet-users-2018"].status == "achieved"
    assert rows["dk-internet-users-2018"].assessment.status.latest_value == pytest.approx(78.8)  # type: ignore[union-attr]
    # ITU's 2016 and 2017 editions (52nd twice) against 30th by 2022: the index was not yet known to have ended
    idi = rows["dk-idi-rank"]
    assert idi.status == "insufficient_progress" and idi.assessment.status.target_year == 2022  # type: ignore[union-attr]
    # the 2020 and 2021 figures of rural broadband and the 2021 literacy survey were not yet published
    assert rows["dk-rural-broadband-2021"].status == "no_data"
    assert rows["dk-digital-literacy"].status == "no_data"
    assert rows["dk-egov-services-2022"].status == "insufficient_data"  # one figure: about 60 % in 2018


def test_every_judged_target_with_three_values_and_two_before_its_year_gets_a_probability(
    reports: dict[str, ProgressReport],
) -> None:
    """Issue 13: a target whose year the data reach gets the probability sandyq gave from the values before it."""
    judged = [t for r in reports.values() for t in r.targets if t.judgeable and t.n_observations >= 3]
    assert judged
    for t in judged:
        a = t.assessment
        assert a is not None
        before = [y for y, _ in a.points if a.status.target_year is None or y < a.status.target_year]
        if t.shows_projection or len(before) >= 2:
            assert t.probability is not None and 0.0 < t.probability < 1.0, t.target_id
            assert t.probability_of is not None and t.row()["probability"] == t.probability
    # BNS Internet users 2011–2017 (50.6 … 78.8 %): the 78 % target for 2018, as sandyq would have judged it in 2017
    internet = _row(reports, "dk-internet-users-2018")
    assert internet.prior is not None and internet.prior.year == 2018 and internet.prior.points[-1] == (2017, 78.8)
    p = internet.probability
    assert p is not None and p == internet.prior.probability and 0.5 < p < 1.0
    assert internet.probability_of == (
        "Probability that “Share of Internet users in the population (Digital Kazakhstan indicator)” reaches 78 % "
        "by 2018, judged from the values before 2018"
    )
    assert internet.probability_of in "\n".join(internet.text_lines())

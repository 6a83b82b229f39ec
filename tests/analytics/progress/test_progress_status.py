"""Status of a target: published worked examples (methods note §7) and the edge cases."""

from __future__ import annotations

import math

import pytest

from sandyq.analytics.progress import (
    Thresholds,
    assess_status,
    cagr,
    classify_rate,
    classify_ratio,
    open_sdg_score,
    progress_ratio,
)
from sandyq.errors import SandyqError

# --- published worked examples ------------------------------------------------------------------------------------


def test_eu_renewables_2004_2016_is_significant_progress() -> None:
    """Eurostat 2018: renewables 8.5 % (2004) → 17 %, target 20 % by 2020, "significant progress"."""
    s = assess_status([2004, 2016], [8.5, 17.0], target=20.0, target_year=2020, unit="PT")
    assert s.observed_rate == pytest.approx(0.0595, abs=5e-5)  # CAGR_a 5.95 %
    assert s.required_rate == pytest.approx(0.0549, abs=5e-5)  # CAGR_r 5.49 %
    assert s.ratio == pytest.approx(1.08, abs=0.005)
    assert s.status == "significant_progress"
    assert s.rate_kind == "cagr"
    assert "1.08" in s.explanation and "significant progress" in s.explanation


@pytest.mark.parametrize(
    ("observed", "required", "ratio", "status"),
    [
        (-0.004, -0.019, 0.21, "insufficient_progress"),  # reading underachievement 2006–2018
        (0.040, -0.019, -2.1, "moving_away"),  # the caption's next pair: the sign test
    ],
)
def test_eurostat_sdg4_published_rates(observed: float, required: float, ratio: float, status: str) -> None:
    """Eurostat 2021 SDG 4 annex: −0.4 %/yr observed vs −1.9 %/yr required (lower is better)."""
    r = progress_ratio(observed, required, "lower")
    assert r == pytest.approx(ratio, abs=0.006)
    assert classify_ratio(r) == status


def test_basic_digital_skills_2021_2023_is_insufficient() -> None:
    """Digital Decade: 54 % (2021) → 55.6 % (2023), target 80 % by 2030: RR 1.47 %/4.46 % = 0.33."""
    s = assess_status([2021, 2023], [54.0, 55.6], target=80.0, target_year=2030, unit="PT")
    assert s.observed_rate == pytest.approx(0.0147, abs=5e-5)
    assert s.required_rate == pytest.approx(0.0446, abs=5e-5)
    assert s.ratio == pytest.approx(0.33, abs=0.005)
    assert s.status == "insufficient_progress"
    # UNSD Progress Chart reading of the same case: v_2030 = 61.6 %, P = 0.29
    assert s.anticipated_value == pytest.approx(61.6, abs=0.05)
    assert s.anticipated_progress == pytest.approx(0.29, abs=0.005)


@pytest.mark.parametrize(("ratio", "score"), [(0.95, 2.5), (0.6, 0.0), (0.0, -2.5), (1.3, 5.0), (-0.6, -5.0)])
def test_open_sdg_score_with_target(ratio: float, score: float) -> None:
    """Open SDG sdg-build unit-test values for the with-target score."""
    assert open_sdg_score(ratio, has_target=True) == pytest.approx(score, abs=0.001)


@pytest.mark.parametrize(("rate", "score"), [(-0.02, -5.0), (-0.05, -5.0), (0.02, 5.0), (0.04, 5.0)])
def test_open_sdg_score_without_target_saturates_at_two_percent(rate: float, score: float) -> None:
    """Open SDG: without a target CAGR ≤ −2 % scores −5 and CAGR ≥ 2 % scores +5."""
    assert open_sdg_score(rate, has_target=False) == pytest.approx(score)


def test_open_sdg_score_target_achieved_is_five() -> None:
    assert open_sdg_score(-1.0, has_target=True, achieved=True) == 5.0
    s = assess_status([2015, 2020], [50.0, 85.0], target=80.0, target_year=2022, unit="PT")
    assert s.status == "achieved" and s.score == 5.0


def test_cagr_is_undefined_for_non_positive_start() -> None:
    assert math.isnan(cagr(0.0, 5.0, 3))
    assert math.isnan(cagr(-2.0, -1.0, 3))
    assert cagr(100.0, 121.0, 2) == pytest.approx(0.1)


# --- categories and thresholds ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ratio", "status"),
    [(1.0, "significant_progress"), (0.94, "moderate_progress"), (0.6, "moderate_progress"),
     (0.59, "insufficient_progress"), (0.0, "insufficient_progress"), (-0.01, "moving_away")],
)  # fmt: skip
def test_ratio_categories_at_the_boundaries(ratio: float, status: str) -> None:
    assert classify_ratio(ratio) == status


def test_thresholds_are_configurable() -> None:
    strict = Thresholds(significant=1.1, moderate=0.9)
    s = assess_status([2004, 2016], [8.5, 17.0], target=20.0, target_year=2020, unit="PT", thresholds=strict)
    assert s.status == "moderate_progress"  # 1.08 is below 1.1 but above 0.9
    assert "1.1" in s.method


def test_thresholds_must_be_ordered() -> None:
    with pytest.raises(SandyqError):
        Thresholds(significant=0.5, moderate=0.6)


@pytest.mark.parametrize(
    ("values", "polarity", "status"),
    [
        ([100.0, 105.0], "higher", "significant_progress"),  # +2.5 %/yr
        ([100.0, 101.0], "higher", "moderate_progress"),  # +0.5 %/yr
        ([100.0, 99.0], "higher", "moderate_movement_away"),  # −0.5 %/yr
        ([100.0, 90.0], "higher", "significant_movement_away"),  # −5.1 %/yr
        ([100.0, 90.0], "lower", "significant_progress"),  # falling is good
    ],
)
def test_no_target_variant(values: list[float], polarity: str, status: str) -> None:
    s = assess_status([2018, 2020], values, polarity=polarity)
    assert s.status == status
    assert s.target is None and s.ratio is None
    assert "No target" in s.explanation


def test_no_target_rate_bands_match_statistics_canada() -> None:
    assert [classify_rate(r) for r in (0.011, 0.0, -0.0099, -0.011)] == [
        "significant_progress",
        "moderate_progress",
        "moderate_movement_away",
        "significant_movement_away",
    ]


def test_neutral_indicator_without_target_is_not_judged() -> None:
    s = assess_status([2018, 2020], [10.0, 12.0], polarity="neutral")
    assert s.status == "not_assessed"
    assert s.observed_rate == pytest.approx(0.0954, abs=1e-4)


def test_neutral_indicator_takes_direction_from_target() -> None:
    s = assess_status([2018, 2020], [10.0, 9.0], polarity="neutral", target=6.0, target_year=2024)
    assert s.polarity == "lower"
    assert s.status in {"significant_progress", "moderate_progress"}
    assert any("target sets it" in n for n in s.notes)


# --- edge cases ---------------------------------------------------------------------------------------------------


def test_no_data() -> None:
    s = assess_status([], [], target=80.0, target_year=2022)
    assert s.status == "no_data"
    assert s.points == ()


def test_single_point_below_target_is_insufficient_data() -> None:
    s = assess_status([2019], [40.0], target=80.0, target_year=2022, unit="PT")
    assert s.status == "insufficient_data"
    assert "Only one data point" in s.explanation


def test_single_point_meeting_target_is_achieved() -> None:
    s = assess_status([2019], [85.0], target=80.0, target_year=2022, unit="PT")
    assert s.status == "achieved"


def test_latest_value_meeting_target_is_achieved_whatever_the_trend() -> None:
    s = assess_status([2015, 2018, 2019], [95.0, 90.0, 85.0], target=80.0, target_year=2022, unit="PT")
    assert s.status == "achieved"
    assert any("moved away" in n for n in s.notes)


def test_target_year_passed_and_met() -> None:
    s = assess_status([2016, 2018, 2020, 2021], [60.0, 70.0, 81.0, 79.0], target=80.0, target_year=2020, unit="PT")
    assert s.status == "achieved"
    assert s.latest_year == 2020 and s.target_year_passed


def test_target_year_passed_and_missed() -> None:
    s = assess_status([2016, 2018, 2020, 2022], [60.0, 70.0, 75.0, 82.0], target=80.0, target_year=2020, unit="PT")
    assert s.status == "missed"
    assert s.latest_value == 75.0
    assert any("later, in 2022" in n for n in s.notes)


def test_target_year_passed_without_its_value_uses_the_last_before() -> None:
    s = assess_status([2016, 2018, 2021], [60.0, 70.0, 85.0], target=80.0, target_year=2020, unit="PT")
    assert s.status == "missed" and s.latest_year == 2018
    assert any("no value for the target year 2020" in n for n in s.notes)


@pytest.mark.parametrize(("base", "latest"), [(0.0, 4.0), (-3.0, -1.0)])
def test_zero_or_negative_base_uses_linear_change(base: float, latest: float) -> None:
    s = assess_status([2016, 2020], [base, latest], target=10.0, target_year=2024, unit="INDEX")
    assert s.rate_kind == "linear"
    assert s.observed_rate == pytest.approx((latest - base) / 4)
    assert s.required_rate == pytest.approx((10.0 - base) / 8)
    assert s.observed_rate is not None and s.required_rate is not None
    assert s.ratio == pytest.approx(s.observed_rate / s.required_rate)
    assert any("growth rates are undefined" in n for n in s.notes)


def test_rank_is_linear_and_lower_is_better() -> None:
    """UN E-Government rank of Kazakhstan (UN DESA): 46 (2010) → 39 (2018); e.g. target 30 by 2022."""
    s = assess_status([2010, 2012, 2014, 2016, 2018], [46, 38, 28, 33, 39], target=30, target_year=2022, kind="rank")
    assert s.polarity == "lower" and s.rate_kind == "linear"
    assert s.observed_rate == pytest.approx((39 - 46) / 8)  # −0.875 places a year
    assert s.required_rate == pytest.approx((30 - 46) / 12)  # −1.333 places a year
    assert s.ratio == pytest.approx(0.875 / 1.3333, abs=1e-3)
    assert s.status == "moderate_progress"
    assert "not a growth rate" in " ".join(s.notes)


def test_rank_given_higher_polarity_is_still_lower_is_better() -> None:
    s = assess_status([2015, 2016], [52, 50], target=30, target_year=2022, kind="rank", polarity="higher")
    assert s.polarity == "lower"
    assert s.ratio is not None and s.ratio > 0


def test_cumulative_count_uses_linear_pace() -> None:
    s = assess_status([2018, 2020], [0.0, 100_000.0], target=300_000, target_year=2022, kind="cumulative")
    assert s.rate_kind == "linear"
    assert s.ratio == pytest.approx(50_000 / 75_000)
    assert s.status == "moderate_progress"


def test_flow_meeting_the_annual_target_early_is_not_yet_achieved() -> None:
    s = assess_status([2016, 2017], [400.0, 543.0], target=500, target_year=2021, kind="flow")
    assert s.status == "significant_progress"
    assert "counts as achieved only when the 2021 value" in s.explanation


def test_flow_target_from_a_single_point_is_never_progress() -> None:
    # 2,000 start-ups a year by 2025; one year (2019) already shows 2,300: one point, no trend
    s = assess_status([2019], [2300.0], target=2000, target_year=2025, kind="flow")
    assert s.status == "insufficient_data" and "counts as achieved only when the 2025 value" in s.explanation
    based = assess_status([2017, 2019], [1000.0, 2300.0], target=2000, target_year=2025, kind="flow", base_year=2019)
    assert based.status == "insufficient_data"  # the base year is the latest: still one point since the base


def test_lower_is_better_share_moving_the_right_way() -> None:
    s = assess_status([2010, 2020], [20.0, 15.0], target=10.0, target_year=2030, polarity="lower", unit="PT")
    assert s.observed_rate < 0 < s.ratio  # type: ignore[operator]
    assert s.ratio == pytest.approx(cagr(20, 15, 10) / cagr(20, 10, 20))  # both negative: Eurostat RR


def test_base_already_meeting_target_then_falling_back_is_moving_away() -> None:
    s = assess_status([2015, 2020], [85.0, 70.0], target=80.0, target_year=2025, unit="PT")
    assert s.status == "moving_away"
    assert "already met" in s.explanation


def test_baseline_replaces_the_data_value_and_says_so() -> None:
    s = assess_status([2016, 2018], [50.0, 60.0], target=80.0, target_year=2022, baseline=(2016, 52.0), unit="PT")
    assert s.base_value == 52.0
    assert any("programme baseline 52" in n for n in s.notes)


def test_base_year_moves_to_next_year_with_data() -> None:
    s = assess_status([2014, 2016, 2018], [40.0, 50.0, 60.0], target=80.0, target_year=2022, base_year=2015)
    assert s.base_year == 2016
    assert any("next year with data, 2016" in n for n in s.notes)


def test_duplicate_years_are_an_error() -> None:
    with pytest.raises(SandyqError, match="same year"):
        assess_status([2018, 2018], [1.0, 2.0])


def test_target_without_year_is_an_error() -> None:
    with pytest.raises(SandyqError, match="target year"):
        assess_status([2018, 2019], [1.0, 2.0], target=5.0)


def test_to_dict_is_json_safe() -> None:
    import json

    s = assess_status([2004, 2016], [8.5, 17.0], target=20.0, target_year=2020, unit="PT")
    d = s.to_dict()
    assert json.loads(json.dumps(d))["label"] == "significant progress"
    assert d["points"] == [{"year": 2004, "value": 8.5}, {"year": 2016, "value": 17.0}]

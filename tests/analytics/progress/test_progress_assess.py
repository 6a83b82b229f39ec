"""Ad-hoc assessment: ``sandyq assess --values 2004:8.5,2016:17 --target 20 --target-year 2020``."""

from __future__ import annotations

import json

import pytest

from sandyq.analytics.progress import Calibration, assess, assess_series, parse_values
from sandyq.errors import SandyqError


def test_cli_example_gives_status_ratio_projection_interval_and_probability() -> None:
    """The issue's example: EU renewables 8.5 % (2004) → 17 % (2016), target 20 % by 2020."""
    a = assess("2004:8.5,2016:17", target=20, target_year=2020)
    assert a.status.status == "significant_progress"
    assert a.status.ratio == pytest.approx(1.08, abs=0.005)
    p = a.projection
    assert p is not None and p.year == 2020 and p.value is not None
    assert 17.0 < p.value < 23.0
    lo, hi = p.intervals["95"]
    assert lo < p.value < hi
    assert p.probability is not None and 0.0 < p.probability < 1.0
    text = a.to_text()
    assert "significant progress" in text and "1.08" in text and "Projection 2020" in text and "probability" in text


def test_share_unit_keeps_the_projection_interval_within_0_100() -> None:
    a = assess({2021: 54.0, 2023: 55.6}, target=80.0, target_year=2030, unit="PT")
    assert a.status.status == "insufficient_progress"
    p = a.projection
    assert p is not None and p.value is not None and 59.0 <= p.value <= 62.0
    assert p.intervals["95"][0] >= 0.0 and p.intervals["95"][1] <= 100.0
    assert p.probability is not None and p.probability < 0.5


def test_to_dict_is_json_with_everything_the_cli_prints() -> None:
    d = json.loads(json.dumps(assess("2004:8.5,2016:17", target=20, target_year=2020, unit="PT").to_dict()))
    assert d["status"]["status"] == "significant_progress"
    assert d["status"]["ratio"] == pytest.approx(1.08, abs=0.005)
    assert d["projection"]["year"] == 2020
    assert set(d["projection"]["intervals"]) == {"80", "95"}
    assert 0 < d["projection"]["probability"] < 1
    assert d["points"] == [{"year": 2004, "value": 8.5}, {"year": 2016, "value": 17.0}]
    assert d["explanation"] and d["method"]


def test_lower_is_better_polarity() -> None:
    a = assess("2015:20,2017:18,2019:16", target=10, target_year=2025, polarity="lower")
    assert a.status.polarity == "lower" and a.status.ratio is not None and a.status.ratio > 0
    p = a.projection
    assert p is not None and p.probability is not None
    higher = assess("2015:20,2017:18,2019:16", target=25, target_year=2025, polarity="higher")
    assert higher.status.status == "moving_away"


def test_no_target_with_a_projection_year() -> None:
    a = assess("2018:10,2019:11,2020:12,2021:13", target_year=2025)
    assert a.status.status == "significant_progress" and a.status.target is None
    assert a.projection is not None and a.projection.year == 2025 and a.projection.probability is None


def test_milestones_are_reported_one_by_one() -> None:
    """A rank target 30 by 2022, 25 by 2025, 15 by 2050, judged with (hypothetical) ranks up to 2023."""
    a = assess_series(
        [2016, 2018, 2020, 2022, 2023],
        [52, 48, 40, 33, 31],
        [(2022, 30.0), (2025, 25.0), (2050, 15.0)],
        kind="rank",
        unit="RANK",
        baseline=(2016, 52.0),
        as_of_year=2024,
        calibration=Calibration(),
    )
    states = {m.year: m.state for m in a.milestones}
    assert states == {2022: "missed", 2025: "projected", 2050: "projected"}
    current = [m for m in a.milestones if m.current]
    assert [m.year for m in current] == [2025]
    assert a.status.target_year == 2025 and a.status.rate_kind == "linear"
    assert a.status.observed_rate == pytest.approx((31 - 52) / 7)
    assert a.status.required_rate == pytest.approx((25 - 52) / 9)
    m2025 = next(m for m in a.milestones if m.year == 2025)
    assert m2025.probability is not None and m2025.projected is not None


def test_milestone_between_observations_is_interpolated() -> None:
    a = assess_series([2018, 2020, 2024], [10.0, 20.0, 40.0], [(2022, 28.0), (2026, 50.0)], as_of_year=2025)
    m = a.milestones[0]
    assert m.state == "met" and m.observed == pytest.approx(30.0)
    assert "interpolated" in m.explanation


def test_as_of_after_a_passed_target_year_says_data_are_missing() -> None:
    a = assess("2016:50,2018:60", target=80, target_year=2020, unit="PT", as_of="2023-01-01")
    assert any("has passed but its data are not yet available" in n for n in a.status.notes)


@pytest.mark.parametrize("text", ["", "2004", "2004:abc", "04:8.5", "2004:8.5,2004:9"])
def test_bad_values_are_reported(text: str) -> None:
    with pytest.raises(SandyqError) as err:
        parse_values(text)
    assert err.value.problems


def test_parse_values_accepts_common_separators() -> None:
    assert parse_values("2004=8.5; 2016:17 2017:-1.5e1") == {2004: 8.5, 2016: 17.0, 2017: -15.0}


def test_target_without_year_is_an_error() -> None:
    with pytest.raises(SandyqError, match="target year"):
        assess("2004:8.5,2016:17", target=20)

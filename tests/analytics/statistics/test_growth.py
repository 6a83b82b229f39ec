"""Growth and derived indicators, checked against the figures printed in seed 000.

Seed 000 (Tables 2–4) prints Kazakhstan's Internet users, population, users per
100 people, yearly growth rates of users, ICT costs 2007–2017 and their average
annual growth.  The tests recompute every printed figure from the table's own
inputs and assert which printed figures are consistent with them given their
printed precision, and which are not.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sandyq.analytics.statistics import (
    FLAGS,
    absolute_change,
    average_growth,
    base_index,
    chain_index,
    compare_printed,
    matches_printed,
    moving_average,
    per_100,
    ratio,
    round_half_up,
    share,
    shares_of_total,
)
from sandyq.errors import SandyqError

# --- Seed 000, Table 4 (Kazakhstan): year, total population, Internet users, printed per 100, printed growth -----
# 2016 is dated 01.06.2016, 2017 31.12.2017; the 2018 user count is dated 06.2018; 2019 is "estimated" and
# repeats the 2018 user count.  The growth column prints "75,9%" for 2010 (no 2009 count to check it against),
# "3%" for 2013 (no decimal) and "-" for 2019.
TABLE4_YEARS = [2010, 2011, 2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019]
POPULATION = [16310624, 16554305, 16821455, 17099546, 17371621, 17625226, 17855384, 18403860, 18608079, 18592970]
USERS = [5154157, 8376478, 8968471, 9233755, 9535283, 9784837, 9961519, 14063513, 14669853, 14669853]
PRINTED_PER_100 = [32, 51, 53, 54, 55, 56, 56, 76, 79, 79]

# (year, printed growth rate %, printed decimals, consistent with the table's own user counts?)
PRINTED_GROWTH = [
    (2011, 62.5, 1, True),
    (2012, 7.1, 1, True),
    (2013, 3.0, 0, True),
    (2014, 3.3, 1, True),
    (2015, 2.6, 1, True),
    (2016, 1.8, 1, True),
    (2017, 41.1, 1, False),  # 14063513 / 9961519 − 1 = 41.178 % rounds to 41.2, not 41.1
    (2018, 4.3, 1, True),
]

# --- Seed 000, Table 3: ICT costs, mln tenge; Table 2 prints their average annual growth 2007–2017 as "109,8" ---
ICT_COSTS = pd.Series(
    [53485.8, 78159.4, 126597.2, 147538.3, 214179.7, 309821.2, 220847.7, 237079.4, 375600.4, 269526.7, 349943.6],
    index=range(2007, 2018),
    name="ict_costs",
)
PRINTED_AAGR_ICT_COSTS = 109.8


def _users() -> pd.Series:
    return pd.Series(USERS, index=TABLE4_YEARS, dtype=float)


def _population() -> pd.Series:
    return pd.Series(POPULATION, index=TABLE4_YEARS, dtype=float)


@pytest.mark.parametrize(("year", "printed"), list(zip(TABLE4_YEARS, PRINTED_PER_100, strict=True)))
def test_table4_users_per_100_match_printed(year: int, printed: int) -> None:
    per = per_100(_users(), _population())
    assert per.loc[year, "flag"] == "ok"
    assert matches_printed(per.loc[year, "ratio"], printed, 0)


def test_table4_users_per_100_2010_is_31_6() -> None:
    per = per_100(_users(), _population())
    assert per.loc[2010, "ratio"] == pytest.approx(31.6, abs=0.005)


@pytest.mark.parametrize(("year", "printed", "decimals", "consistent"), PRINTED_GROWTH)
def test_table4_growth_rates_against_printed(year: int, printed: float, decimals: int, consistent: bool) -> None:
    growth = chain_index(_users())
    assert growth.loc[year, "flag"] == "ok"
    assert matches_printed(growth.loc[year, "rate"], printed, decimals) is consistent


def test_table4_2017_growth_is_41_2_not_41_1() -> None:
    rate = chain_index(_users()).loc[2017, "rate"]
    assert 41.15 < rate < 41.25
    row = compare_printed([rate], [41.1], 1).iloc[0]
    assert not row["matches"]
    assert row["rounded"] == pytest.approx(41.2)
    assert abs(row["off_by"]) > 0.5  # more than half a unit of the last printed digit: not a rounding


def test_table4_2010_growth_cannot_be_checked() -> None:
    row = chain_index(_users()).loc[2010]
    assert row["flag"] == "no_base"
    assert math.isnan(row["rate"])
    assert "2010" in row["reason"]


def test_table2_average_growth_of_ict_costs_does_not_match_table3() -> None:
    g = average_growth(ICT_COSTS, 2007, 2017).iloc[0]
    assert g["flag"] == "ok"
    assert g["years"] == 10
    assert g["index"] == pytest.approx((349943.6 / 53485.8) ** 0.1 * 100)
    assert round_half_up(g["index"], 1) == pytest.approx(120.7)
    assert not matches_printed(g["index"], PRINTED_AAGR_ICT_COSTS, 1)


def test_table2_mismatch_is_not_a_convention_difference() -> None:
    """Neither 11 periods, nor the mean of chain indices, nor a log-linear trend gives 109.8."""
    n_points = (ICT_COSTS.iloc[-1] / ICT_COSTS.iloc[0]) ** (1 / 11) * 100
    mean_chain = chain_index(ICT_COSTS)["index"].mean()
    slope = np.polyfit(ICT_COSTS.index.to_numpy(dtype=float), np.log(ICT_COSTS.to_numpy()), 1)[0]
    trend = math.exp(slope) * 100
    for alternative in (n_points, mean_chain, trend):
        assert not matches_printed(alternative, PRINTED_AAGR_ICT_COSTS, 1)


def test_table3_chain_indices_show_the_two_falls() -> None:
    """ICT costs fell in 2013 and 2016 (Table 3): chain rates are negative exactly there."""
    rates = chain_index(ICT_COSTS)["rate"]
    assert sorted(rates[rates < 0].index) == [2013, 2016]


def test_average_growth_rate_of_table2_percent_convention() -> None:
    """The seeds print indices: 102,7 means "increasing annually by an average of 2.7 %"."""
    s = pd.Series([100.0, 100.0 * 1.027**10], index=[2007, 2017])
    g = average_growth(s).iloc[0]
    assert g["index"] == pytest.approx(102.7)
    assert g["rate"] == pytest.approx(2.7)


# --- known properties -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("level", [1.0, 7.5, 1e9])
@pytest.mark.parametrize(("start", "end"), [(2000, 2001), (2004, 2017), (2013, 2017)])
def test_cagr_of_constant_series_is_zero(level: float, start: int, end: int) -> None:
    s = pd.Series(level, index=range(start, end + 1))
    g = average_growth(s).iloc[0]
    assert g["rate"] == pytest.approx(0.0, abs=1e-12)
    assert g["index"] == pytest.approx(100.0)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(min_value=0.01, max_value=1e6), min_size=2, max_size=12))
def test_chain_indices_multiply_to_base_index(values: list[float]) -> None:
    s = pd.Series(values, index=range(2000, 2000 + len(values)))
    chained = np.cumprod(np.r_[1.0, chain_index(s)["index"].to_numpy()[1:] / 100])
    assert np.allclose(chained * 100, base_index(s, 2000)["index"].to_numpy(), rtol=1e-9)


@settings(max_examples=50, deadline=None)
@given(st.floats(min_value=0.01, max_value=1e6), st.floats(min_value=-0.5, max_value=1.0), st.integers(1, 30))
def test_average_growth_inverts_compounding(first: float, rate: float, years: int) -> None:
    s = pd.Series([first, first * (1 + rate) ** years], index=[2000, 2000 + years])
    assert average_growth(s).iloc[0]["rate"] == pytest.approx(rate * 100, abs=1e-7)


# --- explicit behaviour for gaps, zeros, negatives and sign changes ---------------------------------------------


def test_every_flag_is_documented() -> None:
    s = pd.Series([0.0, 5.0, -2.0, -3.0, None, 4.0, 6.0], index=[2010, 2011, 2012, 2013, 2014, 2016, 2017])
    flags = set(chain_index(s)["flag"])
    assert flags <= set(FLAGS)
    assert flags == {"no_base", "zero_base", "sign_change", "negative", "missing", "gap", "ok"}


def test_no_nan_without_reason() -> None:
    s = pd.Series([0.0, 5.0, -2.0, -3.0, None, 4.0, 6.0], index=[2010, 2011, 2012, 2013, 2014, 2016, 2017])
    for result, column in ((chain_index(s), "rate"), (absolute_change(s), "change"), (base_index(s, 2011), "index")):
        nan = result[column].isna()
        assert (result.loc[nan, "flag"] != "ok").all()
        assert (result.loc[nan, "reason"] != "").all()
        assert (result.loc[~nan, "flag"] == "ok").all()


def test_gap_reason_names_the_missing_years() -> None:
    s = pd.Series([1.0, 2.0, 3.0], index=[2010, 2013, 2014])
    r = chain_index(s)
    assert r.loc[2013, "flag"] == "gap"
    assert r.loc[2013, "reason"] == "no value for 2011–2012"
    assert r.loc[2014, "flag"] == "ok"


def test_sign_change_and_negative_are_flagged_not_computed() -> None:
    s = pd.Series([-10.0, -20.0, 5.0], index=[2020, 2021, 2022])
    r = chain_index(s)
    assert r.loc[2021, "flag"] == "negative"  # −10 → −20 would read as "growth 100 %"
    assert r.loc[2022, "flag"] == "sign_change"
    assert r["rate"].isna().all()
    # absolute change is fine with negatives
    assert absolute_change(s)["change"].tolist()[1:] == [-10.0, 25.0]


def test_fall_to_zero_is_minus_100_percent() -> None:
    r = chain_index(pd.Series([4.0, 0.0], index=[2020, 2021]))
    assert r.loc[2021, "rate"] == pytest.approx(-100.0)


def test_average_growth_flags() -> None:
    assert average_growth(pd.Series([0.0, 5.0], index=[2010, 2015])).iloc[0]["flag"] == "zero_base"
    assert average_growth(pd.Series([-1.0, 5.0], index=[2010, 2015])).iloc[0]["flag"] == "sign_change"
    g = average_growth(pd.Series([1.0, 2.0], index=[2010, 2015]), 2009, 2015).iloc[0]
    assert (g["flag"], g["reason"]) == ("no_base", "no value for the start year 2009")
    g = average_growth(pd.Series([1.0, 2.0], index=[2010, 2015]), 2010, 2016).iloc[0]
    assert (g["flag"], g["reason"]) == ("missing", "no value for the end year 2016")
    assert average_growth(pd.Series([3.0], index=[2010])).iloc[0]["flag"] == "no_base"
    with pytest.raises(SandyqError):
        average_growth(ICT_COSTS, 2017, 2007)


def test_average_growth_over_many_series_at_once() -> None:
    frame = pd.DataFrame(
        {
            "geo": ["A"] * 3 + ["B"] * 3,
            "year": [2010, 2011, 2012] * 2,
            "value": [100.0, 110.0, 121.0, 50.0, None, 50.0],
        }
    )
    g = average_growth(frame).set_index("geo")
    assert g.loc["A", "rate"] == pytest.approx(10.0)
    assert g.loc["B", "rate"] == pytest.approx(0.0)
    assert g.loc["B", "reason"] == "no value for 2011 (only the end points are used)"


def test_duplicate_years_are_refused() -> None:
    frame = pd.DataFrame({"geo": ["A", "A"], "year": [2019, 2019], "period": ["2019-Q1", "2019-Q2"], "value": [1, 2]})
    with pytest.raises(SandyqError, match="share a series and year"):
        chain_index(frame)


def test_moving_average_never_stretches_over_a_gap() -> None:
    s = pd.Series([1.0, 2.0, 3.0, 5.0, 7.0], index=[2010, 2011, 2012, 2014, 2015])
    m = moving_average(s, 3)
    assert m.loc[2012, "moving_average"] == pytest.approx(2.0)
    assert m.loc[2010, "flag"] == "edge"
    assert (m.loc[2014, "flag"], m.loc[2014, "reason"]) == ("gap", "no value for 2013 in 2012–2014")
    assert m.loc[2015, "flag"] == "gap"
    partial = moving_average(s, 3, min_periods=2)
    assert partial.loc[2014, "moving_average"] == pytest.approx(4.0)
    assert partial.loc[2014, "reason"] == "no value for 2013 in 2012–2014"
    centred = moving_average(s, 3, center=True)
    assert centred.loc[2011, "moving_average"] == pytest.approx(2.0)
    with pytest.raises(SandyqError):
        moving_average(s, 2, center=True)


def test_ratio_flags_denominators() -> None:
    num = pd.DataFrame({"geo": ["A", "B", "C", "D"], "year": 2020, "value": [1.0, 2.0, 3.0, 4.0]})
    den = pd.DataFrame({"geo": ["A", "B", "C"], "year": 2020, "value": [4.0, 0.0, -1.0]})
    r = ratio(num, den, 100).set_index("geo")
    assert r.loc["A", "ratio"] == pytest.approx(25.0)
    assert r["flag"].to_dict() == {"A": "ok", "B": "zero_denominator", "C": "negative", "D": "no_denominator"}
    assert r.loc["D", "reason"] == "no denominator value (D, 2020)"


def test_share_and_shares_of_total() -> None:
    # Seed 000: the share of ICT products in manufacturing output fell from 0.42 % (2007) to 0.26 % (2017)
    part = pd.Series([0.42, 0.26], index=[2007, 2017])
    whole = pd.Series([100.0, 100.0], index=[2007, 2017])
    assert share(part, whole)["ratio"].tolist() == pytest.approx([0.42, 0.26])
    d = pd.DataFrame({"geo": ["A", "B", "A", "B"], "year": [2020, 2020, 2021, 2021], "value": [1.0, 3.0, 2.0, -2.0]})
    s = shares_of_total(d)
    assert s["share"].tolist()[:2] == [25.0, 75.0]
    assert set(s["flag"].tolist()[2:]) == {"negative"}


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [(0.5, 0, 1.0), (1.5, 0, 2.0), (2.5, 0, 3.0), (-2.5, 0, -3.0), (2.675, 2, 2.68), (55.5, 0, 56.0), (41.15, 1, 41.2)],
)
def test_round_half_up(value: float, decimals: int, expected: float) -> None:
    assert round_half_up(value, decimals) == expected


def test_matches_printed_edges() -> None:
    assert matches_printed(55.5, 56, 0)
    assert not matches_printed(55.49, 56, 0)
    assert not matches_printed(float("nan"), 56, 0)
    assert compare_printed([float("nan")], [1.0], 0)["reason"].iloc[0] == "the computed value is not available"
